package org.communitypulse.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.communitypulse.ingest.webhook.WebhookSamples;
import org.communitypulse.ingest.webhook.WebhookSource;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random and mutated requests over HTTP. Invariants: no 5xx at all (the publisher never fails
 * here), nothing accepted that was not signed with the real secret, and exactly the accepted events published.
 */
class WebhookHttpFuzzTest {

    static final int ROUNDS = 4_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String[]> SAMPLES = List.of(
            new String[] {"github", "issues.opened", "issues"},
            new String[] {"github", "issue_comment.created", "issue_comment"},
            new String[] {"github", "pull_request_review.submitted", "pull_request_review"},
            new String[] {"github", "discussion_comment.created", "discussion_comment"},
            new String[] {"github", "membership.added", "membership"},
            new String[] {"discourse", "post_created", "post_created"},
            new String[] {"discourse", "topic_created", "topic_created"},
            new String[] {"discourse", "post_liked", "post_liked"},
            new String[] {"discourse", "user_promoted", "user_promoted"},
            new String[] {"discourse", "flag_created", "flag_created"},
            new String[] {"slack", "message", null},
            new String[] {"slack", "message.thread_reply", null},
            new String[] {"slack", "reaction_added", null},
            new String[] {"slack", "user_change", null});

    private final Random random = new Random(8_2026L);
    private long serial;

    private Attempt lastGenuine;

    private record Attempt(String path, Map<String, String> headers, byte[] body, boolean signed, boolean replay) {
        Attempt(String path, Map<String, String> headers, byte[] body, boolean signed) {
            this(path, headers, body, signed, false);
        }
    }

    @Test
    void shouldNeverFailNorAcceptForgeryWhenFedRandomAndMutatedRequests() throws Exception {
        RecordingPublisher publisher = new RecordingPublisher();
        Map<String, Object> props = new HashMap<>();
        props.put(WebhookServerConfig.PORT_CONFIG, 0);
        props.put(WebhookServerConfig.HOST_CONFIG, "127.0.0.1");
        props.put(WebhookServerConfig.MAX_BODY_BYTES_CONFIG, 16 * 1024);
        props.put(WebhookServerConfig.DEFAULT_COMMUNITY_CONFIG, "fuzz");
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int acceptedEvents = 0;
        int sent = 0;
        long started = System.nanoTime();
        try (WebhookServer server = new WebhookServer(new WebhookServerConfig(props), WebhookClient.environment(),
                publisher, Clock.systemUTC()).start()) {
            WebhookClient client = new WebhookClient(server.port());
            for (int round = 0; round < ROUNDS; round++) {
                Attempt attempt = attempt(round);
                HttpResponse<String> response;
                try {
                    response = client.post(attempt.path(), attempt.headers(), attempt.body());
                } catch (IllegalArgumentException e) {
                    // java.net.http refuses some header bytes before sending: nothing reached the server.
                    continue;
                }
                sent++;
                statuses.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() >= 500) {
                    failures.add("round " + round + " got " + response.statusCode() + " " + response.body());
                }
                if (response.body().contains("\"status\":\"accepted\"")) {
                    if (attempt.replay()) {
                        failures.add("round " + round + " accepted a replayed delivery");
                    }
                    if (!attempt.signed()) {
                        failures.add("round " + round + " accepted a request without a genuine signature");
                    }
                    acceptedEvents += JSON.readTree(response.body()).get("eventIds").size();
                }
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("HTTP fuzz: %d requests sent in %d ms, statuses %s, %d events published%n", sent,
                    millis, statuses, publisher.events.size());
        }
        assertThat(failures).isEmpty();
        assertThat(sent).isGreaterThan(ROUNDS * 9 / 10);
        assertThat(publisher.events).hasSize(acceptedEvents);
        // The mix must exercise both sides: real acceptances and many refusals.
        assertThat(acceptedEvents).isGreaterThan(ROUNDS / 20);
        assertThat(statuses.getOrDefault(401, 0)).isGreaterThan(ROUNDS / 5);
    }

    private Attempt attempt(int round) {
        String[] sample = SAMPLES.get(random.nextInt(SAMPLES.size()));
        String platform = sample[0];
        byte[] body = WebhookSamples.bytes(platform, sample[1]);
        String path = "/webhooks/" + platform + "/fuzz";
        int mode = round % 12;
        switch (mode) {
            case 0, 1 -> {
                // Distinct deliveries differ in what is signed (the replay key); trailing whitespace keeps the JSON.
                byte[] distinct = (new String(body, java.nio.charset.StandardCharsets.UTF_8) + "\n"
                        + Long.toBinaryString(serial + 1).replace('0', ' ').replace('1', '\t'))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                lastGenuine = signed(platform, sample[2], path, distinct, true);
                return lastGenuine;
            }
            case 2 -> {
                // Signed by the real secret but structurally mangled: must be 200 or 400, never 5xx.
                return signed(platform, sample[2], path, mangle(body), true);
            }
            case 3 -> {
                Attempt genuine = signed(platform, sample[2], path, body, true);
                byte[] flipped = body.clone();
                flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
                return new Attempt(path, genuine.headers(), flipped, false);
            }
            case 4 -> {
                Attempt genuine = signed(platform, sample[2], path, body, true);
                Map<String, String> headers = new LinkedHashMap<>(genuine.headers());
                String name = signatureHeader(platform);
                headers.put(name, mutateText(headers.get(name)));
                return new Attempt(path, headers, body, false);
            }
            case 5 -> {
                Attempt genuine = signed(platform, sample[2], path, body, true);
                Map<String, String> headers = new LinkedHashMap<>(genuine.headers());
                headers.remove(randomKey(headers));
                // Removing anything but the signature, timestamp or Content-Type may still be genuine.
                boolean stillSigned = headers.containsKey(signatureHeader(platform))
                        && (!platform.equals("slack") || headers.containsKey("X-Slack-Request-Timestamp"));
                return new Attempt(path, headers, body, stillSigned);
            }
            case 6 -> {
                byte[] junk = new byte[random.nextInt(2048)];
                random.nextBytes(junk);
                return new Attempt(path, Map.of(signatureHeader(platform), "sha256=" + "ab".repeat(32)), junk, false);
            }
            case 7 -> {
                // Signed with another platform's secret.
                String other = platform.equals("github") ? "discourse" : "github";
                Attempt wrong = signed(other, "issues", path, body, false);
                return new Attempt(path, wrong.headers(), body, false);
            }
            case 8 -> {
                String[] paths = {"/webhooks/" + platform, "/webhooks/" + platform + "/bad:community",
                        "/webhooks/unknown/x", "/webhooks/" + platform + "/" + "x".repeat(200), "/webhooks//",
                        "/webhooks/" + platform.toUpperCase() + "/fuzz"};
                String target = paths[random.nextInt(paths.length)];
                Attempt genuine = signed(platform, sample[2], target, body, true);
                return new Attempt(target, genuine.headers(), body, true);
            }
            case 9 -> {
                byte[] big = new byte[16 * 1024 + 1 + random.nextInt(4096)];
                java.util.Arrays.fill(big, (byte) '7');
                return signed(platform, sample[2], path, big, true);
            }
            case 10 -> {
                Attempt genuine = signed(platform, sample[2], path, body, true);
                Map<String, String> headers = new LinkedHashMap<>(genuine.headers());
                headers.put(randomKey(headers), randomHeaderValue());
                String signature = signatureHeader(platform);
                boolean stillSigned = genuine.headers().get(signature).equals(headers.get(signature))
                        && (!platform.equals("slack") || genuine.headers().get("X-Slack-Request-Timestamp")
                        .equals(headers.get("X-Slack-Request-Timestamp")));
                return new Attempt(path, headers, body, stillSigned);
            }
            default -> {
                // Stale Slack timestamps and replays of earlier genuine deliveries.
                if (platform.equals("slack")) {
                    Map<String, String> stale = WebhookClient.slackHeaders(body,
                            Instant.now().getEpochSecond() - 301 - random.nextInt(100_000));
                    return new Attempt(path, stale, body, false);
                }
                if (lastGenuine == null || lastGenuine.path().startsWith("/webhooks/slack")) {
                    return signed(platform, sample[2], path, body, true);
                }
                // The platforms do not sign their delivery-id headers: a replay may carry a fresh one.
                Map<String, String> fresh = new LinkedHashMap<>(lastGenuine.headers());
                fresh.replaceAll((name, value) -> name.equalsIgnoreCase("X-GitHub-Delivery")
                        || name.equalsIgnoreCase("X-Discourse-Event-Id") ? "replay-" + (serial++) : value);
                return new Attempt(lastGenuine.path(), fresh, lastGenuine.body(), true, true);
            }
        }
    }

    private Attempt signed(String platform, String event, String path, byte[] body, boolean signed) {
        String delivery = "fuzz-" + (serial++);
        Map<String, String> headers = switch (platform) {
            case "github" -> WebhookClient.githubHeaders(event, body, delivery);
            case "discourse" -> WebhookClient.discourseHeaders(event, body, delivery);
            default -> WebhookClient.slackHeaders(body, Instant.now().getEpochSecond());
        };
        return new Attempt(path, headers, body, signed);
    }

    private static String signatureHeader(String platform) {
        return switch (WebhookSource.valueOf(platform.toUpperCase())) {
            case GITHUB -> "X-Hub-Signature-256";
            case DISCOURSE -> "X-Discourse-Event-Signature";
            case SLACK -> "X-Slack-Signature";
        };
    }

    private String randomKey(Map<String, String> headers) {
        List<String> keys = new ArrayList<>(headers.keySet());
        return keys.get(random.nextInt(keys.size()));
    }

    private String mutateText(String value) {
        StringBuilder text = new StringBuilder(value);
        int kind = random.nextInt(4);
        if (kind == 0 && text.length() > 0) {
            int at = random.nextInt(text.length());
            text.setCharAt(at, (char) ('0' + random.nextInt(75)));
        } else if (kind == 1) {
            text.append((char) ('a' + random.nextInt(26)));
        } else if (kind == 2 && text.length() > 1) {
            text.setLength(random.nextInt(text.length()));
        } else {
            return randomHeaderValue();
        }
        return text.toString().equals(value) ? value + "0" : text.toString();
    }

    private String randomHeaderValue() {
        StringBuilder value = new StringBuilder();
        int length = random.nextInt(80);
        for (int i = 0; i < length; i++) {
            value.append((char) (0x20 + random.nextInt(0x5f)));
        }
        return value.toString();
    }

    /** Replaces, removes or retypes random fields of the JSON tree. */
    private byte[] mangle(byte[] body) {
        try {
            JsonNode tree = JSON.readTree(body);
            int edits = 1 + random.nextInt(4);
            for (int i = 0; i < edits; i++) {
                mangleOne(tree);
            }
            return JSON.writeValueAsBytes(tree);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void mangleOne(JsonNode node) {
        JsonNode current = node;
        while (true) {
            if (!(current instanceof ObjectNode object) || object.isEmpty()) {
                return;
            }
            List<String> names = new ArrayList<>();
            Iterator<String> it = object.fieldNames();
            it.forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            JsonNode child = object.get(name);
            if (child.isObject() && random.nextBoolean()) {
                current = child;
                continue;
            }
            JsonNodeFactory f = JsonNodeFactory.instance;
            switch (random.nextInt(7)) {
                case 0 -> object.remove(name);
                case 1 -> object.putNull(name);
                case 2 -> object.put(name, random.nextLong());
                case 3 -> object.put(name, "x".repeat(random.nextInt(50)));
                case 4 -> object.set(name, f.arrayNode().add(1).add("two"));
                case 5 -> object.set(name, f.objectNode());
                default -> object.put(name, random.nextDouble() * 1e12);
            }
            return;
        }
    }
}
