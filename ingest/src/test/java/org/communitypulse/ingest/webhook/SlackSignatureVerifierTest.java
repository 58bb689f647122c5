package org.communitypulse.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlackSignatureVerifierTest {

    // Slack's documented example ("Verifying requests from Slack"), reproduced independently with Python's hmac.
    static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String TIMESTAMP = "1531420618";
    static final byte[] BODY = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
            + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
            + "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
            + "%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
            .getBytes(StandardCharsets.UTF_8);
    static final String SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    static final Instant SENT = Instant.ofEpochSecond(1531420618L);

    private final SlackSignatureVerifier verifier = new SlackSignatureVerifier(WebhookSecret.of(SECRET));

    static Map<String, String> headers(String timestamp, String signature) {
        return Map.of("X-Slack-Request-Timestamp", timestamp, "X-Slack-Signature", signature);
    }

    @Test
    void shouldAcceptSlackDocumentedExampleWhenFresh() {
        assertThat(verifier.verify(headers(TIMESTAMP, SIGNATURE), BODY, SENT.plusSeconds(30)).accepted()).isTrue();
    }

    @Test
    void shouldAcceptWhenExactlyAtToleranceInEitherDirection() {
        assertThat(verifier.verify(headers(TIMESTAMP, SIGNATURE), BODY, SENT.plusSeconds(300)).accepted()).isTrue();
        assertThat(verifier.verify(headers(TIMESTAMP, SIGNATURE), BODY, SENT.minusSeconds(300)).accepted()).isTrue();
    }

    @Test
    void shouldRejectAsStaleWhenOlderOrNewerThanFiveMinutes() {
        assertThat(verifier.verify(headers(TIMESTAMP, SIGNATURE), BODY, SENT.plusSeconds(301)).reason())
                .isEqualTo(RejectReason.STALE_TIMESTAMP);
        assertThat(verifier.verify(headers(TIMESTAMP, SIGNATURE), BODY, SENT.minusSeconds(301)).reason())
                .isEqualTo(RejectReason.STALE_TIMESTAMP);
    }

    @Test
    void shouldHonourConfiguredToleranceWhenGiven() {
        SlackSignatureVerifier strict = new SlackSignatureVerifier(WebhookSecret.of(SECRET), Duration.ofSeconds(10));

        assertThat(strict.verify(headers(TIMESTAMP, SIGNATURE), BODY, SENT.plusSeconds(10)).accepted()).isTrue();
        assertThat(strict.verify(headers(TIMESTAMP, SIGNATURE), BODY, SENT.plusSeconds(11)).reason())
                .isEqualTo(RejectReason.STALE_TIMESTAMP);
    }

    @Test
    void shouldRejectNegativeToleranceWhenConstructed() {
        assertThatThrownBy(() -> new SlackSignatureVerifier(WebhookSecret.of(SECRET), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectAsBadWhenTimestampChangedWithinTolerance() {
        // Same body and signature, timestamp moved by one second: the signed base string differs.
        assertThat(verifier.verify(headers("1531420619", SIGNATURE), BODY, SENT).reason())
                .isEqualTo(RejectReason.BAD_SIGNATURE);
    }

    @Test
    void shouldRejectAsBadWhenBodyChanged() {
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 1] ^= 1;

        assertThat(verifier.verify(headers(TIMESTAMP, SIGNATURE), tampered, SENT).reason())
                .isEqualTo(RejectReason.BAD_SIGNATURE);
    }

    @Test
    void shouldRejectAsMissingWhenHeadersAbsent() {
        assertThat(verifier.verify(Map.of("X-Slack-Signature", SIGNATURE), BODY, SENT).reason())
                .isEqualTo(RejectReason.MISSING_TIMESTAMP);
        assertThat(verifier.verify(Map.of("X-Slack-Request-Timestamp", TIMESTAMP), BODY, SENT).reason())
                .isEqualTo(RejectReason.MISSING_SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1531420618", "1531420618.5", "+1531420618", "abc", "1e9", "99999999999999999999999"})
    void shouldRejectAsMalformedWhenTimestampIsNotEpochSeconds(String timestamp) {
        assertThat(verifier.verify(headers(timestamp, SIGNATURE), BODY, SENT).reason())
                .isEqualTo(RejectReason.MALFORMED_TIMESTAMP);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
        "sha256=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b50",
        "v0=z2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    })
    void shouldRejectAsMalformedWhenSignatureIsNotV0Hex(String signature) {
        assertThat(verifier.verify(headers(TIMESTAMP, signature), BODY, SENT).reason())
                .isEqualTo(RejectReason.MALFORMED_SIGNATURE);
    }
}
