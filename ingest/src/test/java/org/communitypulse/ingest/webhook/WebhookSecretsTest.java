package org.communitypulse.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookSecretsTest {

    static final String VALUE = "s3cr3t-value-never-printed";

    @Test
    void shouldReadEachCommunitysOwnSecretFileAndNothingOutsideItsDirectory(@TempDir Path dir) throws Exception {
        Path github = Files.createDirectories(dir.resolve("github"));
        Files.writeString(github.resolve("acme"), "acme-secret\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("outside"), "not-a-community-secret", StandardCharsets.UTF_8);
        Files.writeString(github.resolve("blank"), " \n", StandardCharsets.UTF_8);
        WebhookSecrets secrets = WebhookSecrets.fromEnvironment(Map.of("PULSE_GITHUB_SECRETS_DIR", github.toString()));

        assertThat(secrets.hasCommunitySecrets(WebhookSource.GITHUB)).isTrue();
        assertThat(secrets.hasCommunitySecrets(WebhookSource.SLACK)).isFalse();
        assertThat(secrets.findForCommunity(WebhookSource.GITHUB, "acme").orElseThrow().hmacKey().getEncoded())
                .isEqualTo("acme-secret".getBytes(StandardCharsets.UTF_8));
        assertThat(secrets.findForCommunity(WebhookSource.GITHUB, "beta")).isEmpty();
        assertThat(secrets.findForCommunity(WebhookSource.SLACK, "acme")).isEmpty();
        assertThat(secrets.findForCommunity(WebhookSource.GITHUB, "../outside")).isEmpty();
        assertThat(secrets.findForCommunity(WebhookSource.GITHUB, "..")).isEmpty();
        assertThatThrownBy(() -> secrets.findForCommunity(WebhookSource.GITHUB, "blank"))
                .isInstanceOf(WebhookSecretException.class).hasMessageContaining("PULSE_GITHUB_SECRETS_DIR/blank");
    }

    @Test
    void shouldReadSecretWhenVariableSet() {
        WebhookSecrets secrets = WebhookSecrets.fromEnvironment(Map.of("PULSE_GITHUB_SECRET",
                GitHubSignatureVerifierTest.SECRET));

        GitHubSignatureVerifier verifier = new GitHubSignatureVerifier(secrets.require(WebhookSource.GITHUB));

        assertThat(verifier.verify(Map.of("X-Hub-Signature-256", GitHubSignatureVerifierTest.SIGNATURE),
                GitHubSignatureVerifierTest.BODY, Instant.EPOCH).accepted()).isTrue();
    }

    @Test
    void shouldReadSecretAndStripTrailingNewlineWhenFileVariableSet(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("slack.secret");
        Files.writeString(file, SlackSignatureVerifierTest.SECRET + "\n", StandardCharsets.UTF_8);
        WebhookSecrets secrets = WebhookSecrets.fromEnvironment(Map.of("PULSE_SLACK_SECRET_FILE", file.toString()));

        SlackSignatureVerifier verifier = new SlackSignatureVerifier(secrets.require(WebhookSource.SLACK));

        assertThat(verifier.verify(SlackSignatureVerifierTest.headers(SlackSignatureVerifierTest.TIMESTAMP,
                        SlackSignatureVerifierTest.SIGNATURE), SlackSignatureVerifierTest.BODY,
                SlackSignatureVerifierTest.SENT).accepted()).isTrue();
    }

    @Test
    void shouldNameBothVariablesWhenSecretMissing() {
        WebhookSecrets secrets = WebhookSecrets.fromEnvironment(Map.of());

        assertThat(secrets.find(WebhookSource.DISCOURSE)).isEmpty();
        assertThatThrownBy(() -> secrets.require(WebhookSource.DISCOURSE))
                .isInstanceOf(WebhookSecretException.class)
                .hasMessageContaining("PULSE_DISCOURSE_SECRET")
                .hasMessageContaining("PULSE_DISCOURSE_SECRET_FILE");
    }

    @Test
    void shouldFailWithoutRevealingValueWhenBothVariablesSet(@TempDir Path dir) {
        WebhookSecrets secrets = WebhookSecrets.fromEnvironment(Map.of("PULSE_GITHUB_SECRET", VALUE,
                "PULSE_GITHUB_SECRET_FILE", dir.resolve("x").toString()));

        assertThatThrownBy(() -> secrets.require(WebhookSource.GITHUB))
                .isInstanceOf(WebhookSecretException.class)
                .hasMessageContaining("PULSE_GITHUB_SECRET_FILE")
                .hasMessageNotContaining(VALUE);
    }

    @Test
    void shouldFailNamingVariableWhenValueBlank() {
        WebhookSecrets secrets = WebhookSecrets.fromEnvironment(Map.of("PULSE_SLACK_SECRET", "  "));

        assertThatThrownBy(() -> secrets.require(WebhookSource.SLACK))
                .isInstanceOf(WebhookSecretException.class)
                .hasMessageContaining("PULSE_SLACK_SECRET");
    }

    @Test
    void shouldFailNamingVariableAndPathWhenFileMissing(@TempDir Path dir) {
        String path = dir.resolve("absent.secret").toString();
        WebhookSecrets secrets = WebhookSecrets.fromEnvironment(Map.of("PULSE_DISCOURSE_SECRET_FILE", path));

        assertThatThrownBy(() -> secrets.require(WebhookSource.DISCOURSE))
                .isInstanceOf(WebhookSecretException.class)
                .hasMessageContaining("PULSE_DISCOURSE_SECRET_FILE")
                .hasMessageContaining(path);
    }

    @Test
    void shouldFailWhenFileHoldsOnlyWhitespace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("empty.secret");
        Files.writeString(file, "\n\n");
        WebhookSecrets secrets = WebhookSecrets.fromEnvironment(Map.of("PULSE_GITHUB_SECRET_FILE", file.toString()));

        assertThatThrownBy(() -> secrets.require(WebhookSource.GITHUB))
                .isInstanceOf(WebhookSecretException.class)
                .hasMessageContaining("blank");
    }

    @Test
    void shouldListOriginsButNotValuesWhenPrinted() {
        WebhookSecrets secrets = WebhookSecrets.fromEnvironment(Map.of("PULSE_GITHUB_SECRET", VALUE));

        assertThat(secrets.toString())
                .contains("GITHUB=PULSE_GITHUB_SECRET", "SLACK=missing")
                .doesNotContain(VALUE);
    }

    @Test
    void shouldRejectBlankSecretWithoutEchoingIt() {
        assertThatThrownBy(() -> WebhookSecret.of(" \t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhook secret must not be blank");
    }
}
