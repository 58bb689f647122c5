package org.communitypulse.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated requests against all three verifiers. The oracle is independent of the production code:
 * a request must be accepted exactly when its body/timestamp are the genuine ones and its signature decodes to
 * the genuine tag (only header-name case, hex case and surrounding whitespace may vary).
 */
class WebhookSignatureFuzzTest {

    static final int ROUNDS = 6_000;
    static final String SECRET = "fuzz-secret-\u00e9-0123456789";
    static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

    record Scheme(SignatureVerifier verifier, String header, String prefix, boolean slack) {
    }

    record Request(Map<String, String> headers, byte[] body, boolean genuine) {
    }

    private final Random random = new Random(20261123L);
    private final List<Scheme> schemes = List.of(
            new Scheme(new GitHubSignatureVerifier(WebhookSecret.of(SECRET)), "X-Hub-Signature-256", "sha256=", false),
            new Scheme(new DiscourseSignatureVerifier(WebhookSecret.of(SECRET)), "X-Discourse-Event-Signature",
                    "sha256=", false),
            new Scheme(new SlackSignatureVerifier(WebhookSecret.of(SECRET)), "X-Slack-Signature", "v0=", true));

    @Test
    void shouldNeverThrowNorAcceptForgeryWhenFedRandomAndMutatedRequests() throws Exception {
        int accepted = 0;
        int genuine = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            Scheme scheme = schemes.get(i % schemes.size());
            Request request = mutate(scheme, i / schemes.size() % 12);
            Verification result;
            try {
                result = scheme.verifier().verify(request.headers(), request.body(), NOW);
            } catch (RuntimeException e) {
                failures.add("round " + i + " threw " + e);
                continue;
            }
            if (result.accepted() != request.genuine()) {
                failures.add("round " + i + " " + scheme.header() + " genuine=" + request.genuine() + " got " + result);
            }
            assertThat(result.message()).doesNotContain(SECRET);
            genuine += request.genuine() ? 1 : 0;
            accepted += result.accepted() ? 1 : 0;
        }

        assertThat(failures).isEmpty();
        assertThat(accepted).isEqualTo(genuine);
        // The corpus must exercise both outcomes, or the oracle check above proves little.
        assertThat(genuine).isBetween(ROUNDS / 20, ROUNDS / 2);
    }

    private Request mutate(Scheme scheme, int kind) throws Exception {
        byte[] body = randomBody();
        String timestamp = Long.toString(NOW.getEpochSecond() - random.nextInt(300));
        String hex = HexFormat.of().formatHex(tag(scheme, timestamp, body));
        String signature = scheme.prefix() + hex;
        String header = scheme.header();
        String tsHeader = SlackSignatureVerifier.TIMESTAMP_HEADER;
        boolean genuine = true;
        switch (kind) {
            case 0 -> { } // untouched genuine request
            case 1 -> header = randomCase(header); // header name case must not matter
            case 2 -> { // hex case and surrounding whitespace must not matter either
                signature = " " + scheme.prefix() + randomCase(hex) + "\t";
                tsHeader = randomCase(tsHeader);
            }
            case 3 -> { // flip one bit of the body
                body = body.length == 0 ? new byte[] {1} : body;
                body[random.nextInt(body.length)] ^= (byte) (1 << random.nextInt(8));
                genuine = false;
            }
            case 4 -> { // truncate the signature
                signature = signature.substring(0, random.nextInt(signature.length()));
                genuine = false;
            }
            case 5 -> { // change one hex digit to a different value
                int at = random.nextInt(hex.length());
                char replacement = Character.forDigit((Character.digit(hex.charAt(at), 16) + 1 + random.nextInt(15)) % 16, 16);
                signature = scheme.prefix() + hex.substring(0, at) + replacement + hex.substring(at + 1);
                genuine = false;
            }
            case 6 -> { // append junk; space and tab are HTTP whitespace, legitimately stripped
                char junk;
                do {
                    junk = (char) (random.nextInt(0x3000) + 1);
                } while (junk == ' ' || junk == '\t');
                signature = signature + junk;
                genuine = false;
            }
            case 7 -> { // entirely random header value
                signature = randomString(random.nextInt(90));
                genuine = false;
            }
            case 8 -> { // well-formed but random tag
                byte[] fake = new byte[32];
                random.nextBytes(fake);
                signature = scheme.prefix() + HexFormat.of().formatHex(fake);
                genuine = false;
            }
            case 9 -> { // prefix swapped or mangled
                signature = (scheme.slack() ? "sha256=" : "v0=") + hex;
                genuine = false;
            }
            case 10 -> { // timestamp altered (Slack) or body appended (others)
                if (scheme.slack()) {
                    timestamp = random.nextBoolean() ? Long.toString(Long.parseLong(timestamp) + 1 + random.nextInt(5))
                            : randomString(random.nextInt(15));
                } else {
                    body = Arrays.copyOf(body, body.length + 1);
                }
                genuine = false;
            }
            default -> { // header dropped, or signature under the wrong scheme's secret
                if (random.nextBoolean()) {
                    header = "X-Other";
                } else {
                    signature = scheme.prefix() + HexFormat.of().formatHex(hmac("other-secret", scheme, timestamp, body));
                }
                genuine = false;
            }
        }
        Map<String, String> headers = new HashMap<>();
        headers.put(header, signature);
        if (scheme.slack()) {
            headers.put(tsHeader, timestamp);
        }
        return new Request(headers, body, genuine);
    }

    private byte[] tag(Scheme scheme, String timestamp, byte[] body) throws Exception {
        return hmac(SECRET, scheme, timestamp, body);
    }

    private static byte[] hmac(String secret, Scheme scheme, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        if (scheme.slack()) {
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
        }
        return mac.doFinal(body);
    }

    private byte[] randomBody() {
        byte[] body = new byte[random.nextInt(600)];
        random.nextBytes(body);
        return body;
    }

    private String randomString(int length) {
        StringBuilder builder = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            // Mostly printable ASCII with some control and non-ASCII characters mixed in.
            builder.append(random.nextInt(10) == 0 ? (char) random.nextInt(0x2000) : (char) (32 + random.nextInt(95)));
        }
        return builder.toString();
    }

    private String randomCase(String text) {
        StringBuilder builder = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            String s = String.valueOf(c);
            builder.append(random.nextBoolean() ? s.toUpperCase(Locale.ROOT) : s.toLowerCase(Locale.ROOT));
        }
        return builder.toString();
    }
}
