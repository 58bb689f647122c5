package org.communitypulse.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.communitypulse.schemas.avro.ActivityEvent;

/**
 * Sends signed payloads through a real {@link WebhookServer} and checks the receiver's promise for each answer:
 * never 5xx; a 4xx names its reason; a 2xx either published exactly the events it lists ("accepted"), or
 * published nothing and says what it ignored ("unmapped") or that it already had the delivery ("duplicate").
 */
final class SignedDeliveries implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SerializingPublisher publisher = new SerializingPublisher();
    private final WebhookServer server;
    private final WebhookClient client;
    private long serial;

    final Map<String, Integer> statuses = new TreeMap<>();
    final List<String> failures = new ArrayList<>();
    int sent;
    int published;

    SignedDeliveries() {
        Map<String, Object> props = new HashMap<>();
        props.put(WebhookServerConfig.PORT_CONFIG, 0);
        props.put(WebhookServerConfig.HOST_CONFIG, "127.0.0.1");
        props.put(WebhookServerConfig.DEFAULT_COMMUNITY_CONFIG, "corpus");
        server = new WebhookServer(new WebhookServerConfig(props), WebhookClient.environment(), publisher,
                Clock.systemUTC()).start();
        client = new WebhookClient(server.port());
    }

    /** Every event published so far, in order. */
    List<ActivityEvent> events() {
        return List.copyOf(publisher.events);
    }

    /** What one delivery ended as: its status and the body's status label. */
    record Answer(int status, String label, String reason) {
    }

    /** Signs {@code body} as {@code payload}'s platform would and sends it; records any broken promise. */
    Answer send(WebhookCorpus.Payload payload, byte[] body, String what) {
        String delivery = "corpus-" + (serial++);
        int before = publisher.events.size();
        HttpResponse<String> response = client.post("/webhooks/" + payload.platform(),
                WebhookCorpus.signedHeaders(payload, body, delivery), body);
        sent++;
        int status = response.statusCode();
        JsonNode answer = parse(response.body());
        String label = answer == null ? null : text(answer, "status");
        String reason = answer == null ? null : text(answer, "reason");
        statuses.merge(status + " " + label + (reason == null ? "" : " " + reason), 1, Integer::sum);
        List<ActivityEvent> fresh = publisher.events.subList(before, publisher.events.size());
        String where = payload + " (" + what + ")";
        if (status >= 500) {
            failures.add(where + ": " + status + " " + response.body());
        } else if (status >= 400) {
            if (reason == null || text(answer, "message") == null) {
                failures.add(where + ": " + status + " without reason and message: " + response.body());
            }
            if (!fresh.isEmpty()) {
                failures.add(where + ": " + status + " but published " + fresh.size() + " events");
            }
        } else if ("accepted".equals(label)) {
            List<String> ids = new ArrayList<>();
            answer.get("eventIds").forEach(id -> ids.add(id.asText()));
            List<String> publishedIds = fresh.stream().map(ActivityEvent::getEventId).toList();
            if (ids.isEmpty() || !ids.equals(publishedIds)) {
                failures.add(where + ": accepted " + ids + " but published " + publishedIds);
            }
            published += fresh.size();
        } else if ("unmapped".equals(label) || "duplicate".equals(label)) {
            String message = text(answer, "message");
            if (message == null || ("unmapped".equals(label) && !message.contains(" is not mapped"))) {
                failures.add(where + ": " + label + " without saying what: " + response.body());
            }
            if (!fresh.isEmpty()) {
                failures.add(where + ": " + label + " but published " + fresh.size() + " events");
            }
        } else {
            failures.add(where + ": unexpected answer " + status + " " + response.body());
        }
        return new Answer(status, label, reason);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isEmpty() ? null : value.asText();
    }

    @Override
    public void close() {
        server.close();
    }

    /**
     * Stores events after encoding them with their Avro schema, as Kafka's serializer would: an event that
     * cannot be written throws here as it would inside the producer, so the test sees what production would.
     */
    static final class SerializingPublisher implements EventPublisher {
        final List<ActivityEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void publish(List<ActivityEvent> batch) {
            for (ActivityEvent event : batch) {
                try {
                    event.toByteBuffer();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            events.addAll(batch);
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
