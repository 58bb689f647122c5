package org.communitypulse.ingest.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs requests the way each platform documents it, independently of the production verifiers, and sends them.
 */
final class WebhookClient {

    static final String DISCOURSE_SECRET = "discourse-test-secret-0123456789";
    static final String SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String GITHUB_SECRET = "It's a Secret to Everybody";
    static final String PSEUDONYM_KEY = "pseudonym-test-key-0123456789";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    WebhookClient(int port) {
        this.base = URI.create("http://localhost:" + port);
    }

    /** Environment enabling all three platforms. */
    static Map<String, String> environment() {
        return Map.of("PULSE_DISCOURSE_SECRET", DISCOURSE_SECRET, "PULSE_SLACK_SECRET", SLACK_SECRET,
                "PULSE_GITHUB_SECRET", GITHUB_SECRET);
    }

    static String hmacHex(String secret, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> githubHeaders(String event, byte[] body, String delivery) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-GitHub-Event", event);
        headers.put("X-GitHub-Delivery", delivery);
        headers.put("X-Hub-Signature-256", "sha256=" + hmacHex(GITHUB_SECRET, body));
        headers.put("Content-Type", "application/json");
        return headers;
    }

    static Map<String, String> discourseHeaders(String event, byte[] body, String eventId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Discourse-Event", event);
        headers.put("X-Discourse-Event-Type", event.substring(0, event.indexOf('_') < 0 ? event.length()
                : event.indexOf('_')));
        headers.put("X-Discourse-Event-Id", eventId);
        headers.put("X-Discourse-Instance", "https://forum.example.org");
        headers.put("X-Discourse-Event-Signature", "sha256=" + hmacHex(DISCOURSE_SECRET, body));
        headers.put("Content-Type", "application/json");
        return headers;
    }

    static Map<String, String> slackHeaders(byte[] body, long timestamp) {
        Map<String, String> headers = new LinkedHashMap<>();
        String ts = Long.toString(timestamp);
        headers.put("X-Slack-Request-Timestamp", ts);
        headers.put("X-Slack-Signature", "v0=" + hmacHex(SLACK_SECRET,
                ("v0:" + ts + ":").getBytes(StandardCharsets.US_ASCII), body));
        headers.put("Content-Type", "application/json");
        return headers;
    }

    HttpResponse<String> github(String path, String event, byte[] body) {
        return post(path, githubHeaders(event, body, UUID.randomUUID().toString()), body);
    }

    HttpResponse<String> discourse(String path, String event, byte[] body) {
        return post(path, discourseHeaders(event, body, UUID.randomUUID().toString()), body);
    }

    HttpResponse<String> slack(String path, byte[] body) {
        return post(path, slackHeaders(body, Instant.now().getEpochSecond()), body);
    }

    HttpResponse<String> post(String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
