package org.communitypulse.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** No message or {@code toString()} may reveal a secret or the signature the server expected. */
class WebhookSecretLeakTest {

    static final String SECRET = "TopSecretValue-4242";
    static final byte[] BODY = "{\"event\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
    static final String TIMESTAMP = "1800000000";
    static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

    @Test
    void shouldNeverRevealSecretOrExpectedSignatureWhenRejectingOrPrinting() {
        WebhookSecret secret = WebhookSecret.of(SECRET);
        String expectedGitHub = hex(org.communitypulse.ingest.webhook.internals.HmacSha256.compute(
                secret.hmacKey(), BODY));
        String expectedSlack = hex(org.communitypulse.ingest.webhook.internals.HmacSha256.compute(
                secret.hmacKey(), ("v0:" + TIMESTAMP + ":").getBytes(StandardCharsets.US_ASCII), BODY));
        List<SignatureVerifier> verifiers = List.of(new GitHubSignatureVerifier(secret),
                new DiscourseSignatureVerifier(secret), new SlackSignatureVerifier(secret));
        List<String> texts = new ArrayList<>(List.of(secret.toString(),
                WebhookSecrets.fromEnvironment(Map.of("PULSE_GITHUB_SECRET", SECRET)).toString()));
        Set<RejectReason> seen = EnumSet.noneOf(RejectReason.class);
        for (SignatureVerifier verifier : verifiers) {
            texts.add(verifier.toString());
            for (Map<String, String> headers : attempts()) {
                Verification result = verifier.verify(headers, BODY, NOW);
                texts.add(result.message());
                texts.add(result.toString());
                if (result.rejected()) {
                    seen.add(result.reason());
                }
            }
        }

        assertThat(seen).contains(RejectReason.MISSING_SIGNATURE, RejectReason.MALFORMED_SIGNATURE,
                RejectReason.BAD_SIGNATURE, RejectReason.STALE_TIMESTAMP, RejectReason.MISSING_TIMESTAMP,
                RejectReason.MALFORMED_TIMESTAMP, RejectReason.DUPLICATE_HEADER);
        for (String text : texts) {
            String lower = text.toLowerCase(Locale.ROOT);
            assertThat(lower).doesNotContain(SECRET.toLowerCase(Locale.ROOT), expectedGitHub, expectedSlack,
                    expectedGitHub.substring(0, 16), expectedSlack.substring(0, 16));
        }
    }

    private static List<Map<String, String>> attempts() {
        String zeros = "0".repeat(64);
        return List.of(
                Map.of(),
                Map.of("X-Hub-Signature-256", "sha256=" + zeros, "X-Discourse-Event-Signature", "sha256=" + zeros,
                        "X-Slack-Signature", "v0=" + zeros, "X-Slack-Request-Timestamp", TIMESTAMP),
                Map.of("X-Hub-Signature-256", "sha256=xyz", "X-Discourse-Event-Signature", "md5=1",
                        "X-Slack-Signature", "v0=xyz", "X-Slack-Request-Timestamp", TIMESTAMP),
                Map.of("X-Slack-Signature", "v0=" + zeros, "X-Slack-Request-Timestamp", "1000"),
                Map.of("X-Slack-Signature", "v0=" + zeros, "X-Slack-Request-Timestamp", "soon"),
                Map.of("X-Slack-Signature", "v0=" + zeros),
                Map.of("X-Hub-Signature-256", "sha256=" + zeros, "x-hub-signature-256", "sha256=1",
                        "X-Discourse-Event-Signature", "a", "x-discourse-event-signature", "b",
                        "X-Slack-Request-Timestamp", TIMESTAMP, "x-slack-request-timestamp", "1"));
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    @Test
    void shouldNotRevealSecretWhenSecretExceptionsAreRaised() {
        List<String> messages = new ArrayList<>();
        for (WebhookSource source : WebhookSource.values()) {
            Map<String, String> both = Map.of(source.secretVariable(), SECRET, source.secretFileVariable(), "/nope");
            try {
                WebhookSecrets.fromEnvironment(both).require(source);
            } catch (WebhookSecretException e) {
                messages.add(e.getMessage());
            }
        }

        assertThat(messages).hasSize(WebhookSource.values().length)
                .allSatisfy(message -> assertThat(message).doesNotContain(SECRET));
    }
}
