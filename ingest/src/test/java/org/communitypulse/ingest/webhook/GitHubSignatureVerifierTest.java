package org.communitypulse.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GitHubSignatureVerifierTest {

    // GitHub's documented example ("Validating webhook deliveries"), reproduced independently with Python's hmac.
    static final String SECRET = "It's a Secret to Everybody";
    static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    static final String SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private final GitHubSignatureVerifier verifier = new GitHubSignatureVerifier(WebhookSecret.of(SECRET));

    @Test
    void shouldAcceptGitHubDocumentedExampleWhenSignatureMatches() {
        Verification result = verifier.verify(Map.of("X-Hub-Signature-256", SIGNATURE), BODY, NOW);

        assertThat(result.accepted()).isTrue();
        assertThat(result.reason()).isNull();
    }

    @Test
    void shouldAcceptWhenHeaderNameAndHexCaseDiffer() {
        Map<String, String> headers = Map.of("x-hub-signature-256", "sha256=" + SIGNATURE.substring(7).toUpperCase());

        assertThat(verifier.verify(headers, BODY, NOW).accepted()).isTrue();
    }

    @Test
    void shouldStripOnlyHttpWhitespaceWhenReadingSignature() {
        assertThat(verifier.verify(Map.of("X-Hub-Signature-256", " \t" + SIGNATURE + "\t "), BODY, NOW).accepted())
                .isTrue();
        assertThat(verifier.verify(Map.of("X-Hub-Signature-256", SIGNATURE + "\u0001"), BODY, NOW).reason())
                .isEqualTo(RejectReason.MALFORMED_SIGNATURE);
        assertThat(verifier.verify(Map.of("X-Hub-Signature-256", SIGNATURE + "\n"), BODY, NOW).reason())
                .isEqualTo(RejectReason.MALFORMED_SIGNATURE);
    }

    @Test
    void shouldRejectAsBadWhenBodyDiffers() {
        Verification result = verifier.verify(Map.of("X-Hub-Signature-256", SIGNATURE),
                "Hello, World?".getBytes(StandardCharsets.UTF_8), NOW);

        assertThat(result.reason()).isEqualTo(RejectReason.BAD_SIGNATURE);
    }

    @Test
    void shouldRejectAsBadWhenSecretDiffers() {
        GitHubSignatureVerifier other = new GitHubSignatureVerifier(WebhookSecret.of("another secret"));

        assertThat(other.verify(Map.of("X-Hub-Signature-256", SIGNATURE), BODY, NOW).reason())
                .isEqualTo(RejectReason.BAD_SIGNATURE);
    }

    @Test
    void shouldRejectAsMissingWhenHeaderAbsentOrBlank() {
        assertThat(verifier.verify(Map.of(), BODY, NOW).reason()).isEqualTo(RejectReason.MISSING_SIGNATURE);
        assertThat(verifier.verify(Map.of("X-Hub-Signature-256", " "), BODY, NOW).reason())
                .isEqualTo(RejectReason.MISSING_SIGNATURE);
        // The SHA-1 header alone is not enough: only SHA-256 is trusted.
        assertThat(verifier.verify(Map.of("X-Hub-Signature", "sha1=0000"), BODY, NOW).reason())
                .isEqualTo(RejectReason.MISSING_SIGNATURE);
    }

    @Test
    void shouldTreatNullHeaderValueAsMissing() {
        Map<String, String> headers = new HashMap<>();
        headers.put("X-Hub-Signature-256", null);

        assertThat(verifier.verify(headers, BODY, NOW).reason()).isEqualTo(RejectReason.MISSING_SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e177",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1g",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1 ",
        "sha256=",
        "SHA256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "sha256=+57107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    })
    void shouldRejectAsMalformedWhenSignatureIsNotPrefixedHex(String value) {
        assertThat(verifier.verify(Map.of("X-Hub-Signature-256", value), BODY, NOW).reason())
                .isEqualTo(RejectReason.MALFORMED_SIGNATURE);
    }

    @Test
    void shouldRejectWhenDifferentlyCasedHeadersDisagree() {
        Map<String, String> headers = new HashMap<>();
        headers.put("X-Hub-Signature-256", SIGNATURE);
        headers.put("x-hub-signature-256", "sha256=" + "0".repeat(64));

        assertThat(verifier.verify(headers, BODY, NOW).reason()).isEqualTo(RejectReason.DUPLICATE_HEADER);
    }

    @Test
    void shouldAcceptWhenDifferentlyCasedHeadersAgree() {
        Map<String, String> headers = new HashMap<>();
        headers.put("X-Hub-Signature-256", SIGNATURE);
        headers.put("x-hub-signature-256", SIGNATURE);

        assertThat(verifier.verify(headers, BODY, NOW).accepted()).isTrue();
    }
}
