package org.communitypulse.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real payload shapes under src/test/resources/webhook-corpus/&lt;platform&gt;/ (sources in SOURCES.md), and
 * how each platform signs and labels them.
 */
final class WebhookCorpus {

    static final List<String> PLATFORMS = List.of("github", "slack", "discourse");
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookCorpus() {
    }

    /**
     * One corpus payload.
     *
     * @param platform path segment of the endpoint
     * @param file     file name under the platform's directory
     * @param event    X-GitHub-Event / X-Discourse-Event value; Slack's event type (informational)
     * @param type     X-Discourse-Event-Type value; {@code null} elsewhere
     * @param body     the exact bytes to send
     */
    record Payload(String platform, String file, String event, String type, byte[] body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return platform + "/" + file;
        }
    }

    static List<Payload> all() {
        List<Payload> payloads = new ArrayList<>();
        PLATFORMS.forEach(platform -> payloads.addAll(of(platform)));
        return payloads;
    }

    static List<Payload> of(String platform) {
        JsonNode manifest = parse(read(platform + "/manifest.json"));
        List<Payload> payloads = new ArrayList<>();
        for (JsonNode entry : manifest) {
            String file = entry.get("file").asText();
            payloads.add(new Payload(platform, file, entry.get("event").asText(),
                    entry.hasNonNull("type") ? entry.get("type").asText() : null, read(platform + "/" + file)));
        }
        return payloads;
    }

    /** Headers the platform sends with {@code body}, signed with the test secrets of {@link WebhookClient}. */
    static Map<String, String> signedHeaders(Payload payload, byte[] body, String deliveryId) {
        Map<String, String> headers = new LinkedHashMap<>();
        switch (payload.platform()) {
            case "github" -> {
                headers.put("X-GitHub-Event", payload.event());
                headers.put("X-GitHub-Delivery", deliveryId);
                headers.put("X-Hub-Signature-256", "sha256=" + WebhookClient.hmacHex(WebhookClient.GITHUB_SECRET,
                        body));
            }
            case "discourse" -> {
                headers.put("X-Discourse-Event", payload.event());
                headers.put("X-Discourse-Event-Type", payload.type());
                headers.put("X-Discourse-Event-Id", deliveryId);
                headers.put("X-Discourse-Instance", "https://forum.example.org");
                headers.put("X-Discourse-Event-Signature", "sha256="
                        + WebhookClient.hmacHex(WebhookClient.DISCOURSE_SECRET, body));
            }
            case "slack" -> {
                String ts = Long.toString(Instant.now().getEpochSecond());
                headers.put("X-Slack-Request-Timestamp", ts);
                headers.put("X-Slack-Signature", "v0=" + WebhookClient.hmacHex(WebhookClient.SLACK_SECRET,
                        ("v0:" + ts + ":").getBytes(StandardCharsets.US_ASCII), body));
            }
            default -> throw new IllegalArgumentException(payload.platform());
        }
        headers.put("Content-Type", "application/json");
        return headers;
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(String path) {
        try (InputStream in = WebhookCorpus.class.getResourceAsStream("/webhook-corpus/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing corpus file " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
