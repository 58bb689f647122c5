package org.communitypulse.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiscourseSignatureVerifierTest {

    // Discourse publishes no example vector; this one was computed independently with
    // python3 hmac.new(b"discourse-test-secret", b'{"ping":"OK"}', hashlib.sha256).hexdigest().
    static final String SECRET = "discourse-test-secret";
    static final byte[] BODY = "{\"ping\":\"OK\"}".getBytes(StandardCharsets.UTF_8);
    static final String SIGNATURE = "sha256=09686a4a13c2fa5330271fe7ab1798f7ba69f7a1b34efc927df5f63ecfa2bf79";
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private final DiscourseSignatureVerifier verifier = new DiscourseSignatureVerifier(WebhookSecret.of(SECRET));

    @Test
    void shouldAcceptWhenSignatureMatchesIndependentlyComputedVector() {
        assertThat(verifier.verify(Map.of("X-Discourse-Event-Signature", SIGNATURE), BODY, NOW).accepted())
                .isTrue();
    }

    @Test
    void shouldAcceptWhenHeaderNameIsLowerCase() {
        assertThat(verifier.verify(Map.of("x-discourse-event-signature", SIGNATURE), BODY, NOW).accepted())
                .isTrue();
    }

    @Test
    void shouldRejectAsBadWhenBodyHasExtraWhitespace() {
        byte[] reformatted = "{\"ping\": \"OK\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(verifier.verify(Map.of("X-Discourse-Event-Signature", SIGNATURE), reformatted, NOW).reason())
                .isEqualTo(RejectReason.BAD_SIGNATURE);
    }

    @Test
    void shouldRejectAsMissingWhenOnlyGitHubHeaderPresent() {
        assertThat(verifier.verify(Map.of("X-Hub-Signature-256", SIGNATURE), BODY, NOW).reason())
                .isEqualTo(RejectReason.MISSING_SIGNATURE);
    }

    @Test
    void shouldRejectAsMalformedWhenHexIsOddLength() {
        assertThat(verifier.verify(Map.of("X-Discourse-Event-Signature", SIGNATURE + "0"), BODY, NOW).reason())
                .isEqualTo(RejectReason.MALFORMED_SIGNATURE);
    }

    @Test
    void shouldReportDiscourseAsSource() {
        assertThat(verifier.source()).isEqualTo(WebhookSource.DISCOURSE);
    }
}
