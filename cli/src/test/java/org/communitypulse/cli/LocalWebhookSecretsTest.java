package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.communitypulse.ingest.http.WebhookServerConfig;
import org.communitypulse.ingest.webhook.WebhookSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalWebhookSecretsTest {

    @Test
    void shouldCreateOwnerOnlySecretsOnceAndKeepThemWhenRunAgain(@TempDir Path dir) throws Exception {
        Map<String, Object> first = LocalWebhookSecrets.settings(dir, Map.of());
        Path github = LocalWebhookSecrets.file(dir, WebhookSource.GITHUB);
        String secret = Files.readString(github);

        Map<String, Object> second = LocalWebhookSecrets.settings(dir, Map.of());

        assertThat(first).hasSize(WebhookSource.values().length).isEqualTo(second)
                .containsEntry(WebhookServerConfig.secretFileConfig(WebhookSource.GITHUB), github.toAbsolutePath().toString());
        assertThat(Files.readString(github)).isEqualTo(secret);
        assertThat(secret.trim()).hasSize(64).isNotEqualTo(Files.readString(LocalWebhookSecrets.file(dir, WebhookSource.SLACK)).trim());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(github))).isEqualTo("rw-------");
    }

    @Test
    void shouldLeaveAPlatformToTheEnvironmentWhenItsSecretIsSetThere(@TempDir Path dir) throws Exception {
        Map<String, Object> settings = LocalWebhookSecrets.settings(dir, Map.of("PULSE_GITHUB_SECRET", "x",
                "PULSE_SLACK_SECRET_FILE", "/run/secrets/slack"));

        assertThat(settings).containsOnlyKeys(WebhookServerConfig.secretFileConfig(WebhookSource.DISCOURSE));
        assertThat(LocalWebhookSecrets.file(dir, WebhookSource.GITHUB)).doesNotExist();
    }
}
