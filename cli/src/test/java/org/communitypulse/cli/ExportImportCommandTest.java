package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.WebhookSecret;
import org.communitypulse.ingest.webhook.WebhookSecretException;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.Test;

class ExportImportCommandTest {

    private record Run(int code, String out, String err) {
    }

    private static Run pulse(String... args) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            int code = PulseCommand.commandLine().execute(args);
            return new Run(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    @Test
    void shouldListEverySourceWhenImportAndReplayAskedForHelp() {
        for (String command : new String[] {"import", "replay"}) {
            Run run = pulse(command, "--help");
            assertThat(run.code()).isZero();
            assertThat(run.out()).contains("stackexchange", "github", "slack", "cloudevents", "discourse");
        }
    }

    @Test
    void shouldFailWithClearMessageBeforeConnectingWhenCommunityHasColon() {
        Run run = pulse("import", "github", "--file", "events.jsonl", "--community", "a:b",
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
        Run run = pulse("replay", "slack", "--file", "no-such-export.zip", "--community", "c", "--out", "x.jsonl");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("no file at").contains("no-such-export.zip");
    }
}
