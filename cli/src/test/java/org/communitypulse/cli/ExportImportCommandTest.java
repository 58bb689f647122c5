package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.WebhookSecret;
import org.communitypulse.ingest.webhook.WebhookSecretException;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.Test;

class ExportImportCommandTest {

    @Test
    void shouldListEverySourceWhenImportAndReplayAskedForHelp() {
        for (String command : new String[] {"import", "replay"}) {
            PulseRun run = PulseRun.of(command, "--help");
            assertThat(run.code()).isZero();
            assertThat(run.out()).contains("stackexchange", "github", "slack", "cloudevents", "discourse");
        }
    }

    @Test
    void shouldFailWithClearMessageBeforeConnectingWhenCommunityHasColon() {
        PulseRun run = PulseRun.of("import", "github", "--file", "events.jsonl", "--community", "a:b",
                "--bootstrap-servers", "localhost:1", "--registry-url", "http://localhost:1");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--community must be non-empty and contain no ':'");
    }

    @Test
    void shouldHashMemberIdsLikeWebhooksWhenPseudonymKeySet() {
        String key = "0123456789abcdef0123456789abcdef";
        MemberPseudonymiser members = ImportCommand.pseudonymiser(Map.of("PULSE_PSEUDONYM_KEY", key));
        assertThat(members.enabled()).isTrue();
        assertThat(members.apply(SourcePlatform.GITHUB, "21031067"))
                .isEqualTo(MemberPseudonymiser.keyed(WebhookSecret.of(key)).apply(SourcePlatform.GITHUB, "21031067"));
        assertThat(ImportCommand.pseudonymiser(Map.of()).enabled()).isFalse();
    }

    @Test
    void shouldRefuseWithoutLeakingWhenPseudonymKeyUnusable() {
        assertThatThrownBy(() -> ImportCommand.pseudonymiser(Map.of("PULSE_PSEUDONYM_KEY", "short-key")))
                .isInstanceOf(WebhookSecretException.class).hasMessageNotContaining("short-key");
        assertThatThrownBy(() -> ImportCommand.pseudonymiser(
                Map.of("PULSE_PSEUDONYM_KEY", "0123456789abcdef0", "PULSE_PSEUDONYM_KEY_FILE", "/k")))
                .isInstanceOf(WebhookSecretException.class).hasMessageContaining("set only one");
    }

    @Test
    void shouldFailWithExitCodeTwoWhenReplayFileMissing() {
        PulseRun run = PulseRun.of("replay", "slack", "--file", "no-such-export.zip", "--community", "c", "--out",
                "x.jsonl");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("no file at").contains("no-such-export.zip");
    }
}
