package org.communitypulse.ingest.cloudevents;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.communitypulse.ingest.EventIds;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.importing.FileImporter;
import org.communitypulse.ingest.importing.internals.ImportRun;
import org.communitypulse.ingest.importing.internals.JsonLines;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * Imports JSON lines of CloudEvents 1.0 (structured mode, JSON event format) whose {@code data} is one of our
 * activity events, for sources without an importer of their own.
 *
 * <p>Required context attributes (CloudEvents 1.0): {@code specversion} = {@code 1.0}, {@code id},
 * {@code source}, {@code type} = {@value #ACTIVITY_TYPE}; {@code datacontenttype}, when present, must be JSON.
 * {@code data} holds the {@link ActivityEvent} fields by name: {@code type} (an {@link EventType} symbol) is
 * required; {@code occurredAt} (ISO-8601 or epoch milliseconds) falls back to the CloudEvent's {@code time};
 * {@code source} defaults to {@code OTHER}; {@code communityId}, when given, must equal the import's community.
 * {@code eventId}, when absent, is derived from the CloudEvent's {@code source} and {@code id} (which CloudEvents
 * defines as unique), so re-importing the same file yields the same ids.
 */
public final class CloudEventsImporter implements FileImporter {

    /** The CloudEvents {@code type} this importer accepts. */
    public static final String ACTIVITY_TYPE = "org.communitypulse.activity";
    /** The only CloudEvents version accepted. */
    public static final String SPEC_VERSION = "1.0";
    /** Item kind of derived event ids: {@code <ce source>/<ce id>} is the item id. */
    public static final String ITEM_KIND = "cloudevent";

    private static final Set<String> JSON_CONTENT_TYPES = Set.of("application/json", "text/json");

    private final MemberPseudonymiser members;

    /** Publishes member ids as the file gives them. */
    public CloudEventsImporter() {
        this(MemberPseudonymiser.none());
    }

    /**
     * {@code members} pseudonymises {@code actorId} and an accepted answer's author as raw ids of the event's
     * {@code source} platform, and hashes identity names and mapping ids, like the webhooks and other importers,
     * so a person has one identity whichever way their events arrive.
     */
    public CloudEventsImporter(MemberPseudonymiser members) {
        this.members = java.util.Objects.requireNonNull(members, "members");
    }

    @Override
    public ImportSummary run(Path input, String communityId, EventSink sink, ProgressListener progress) {
        if (!Files.isRegularFile(input)) {
            throw new ImportException("No CloudEvents file at " + input);
        }
        ImportRun run = new ImportRun(communityId, sink, progress, JsonLines.size(input));
        String file = input.getFileName().toString();
        JsonLines.read(input, run, (line, event) ->
                run.mapRow(file, line, () -> MappingResult.mapped(members.pseudonymise(map(event, communityId)))));
        return run.finish();
    }

    /** One CloudEvent to an activity event; throws {@link MalformedPayloadException} naming what is wrong. */
    static ActivityEvent map(JsonNode event, String communityId) {
        String specVersion = attribute(event, "specversion");
        if (!SPEC_VERSION.equals(specVersion)) {
            throw new MalformedPayloadException("specversion must be '1.0' but was '" + specVersion + "'");
        }
        String id = attribute(event, "id");
        String ceSource = attribute(event, "source");
        String type = attribute(event, "type");
        if (!ACTIVITY_TYPE.equals(type)) {
            throw new MalformedPayloadException("type must be '" + ACTIVITY_TYPE + "' but was '" + type + "'");
        }
        JsonNode contentType = event.get("datacontenttype");
        if (contentType != null && !(contentType.isTextual()
                && JSON_CONTENT_TYPES.contains(contentType.asText().split(";")[0].strip()))) {
            throw new MalformedPayloadException("datacontenttype must be application/json but was " + contentType);
        }
        if (event.has("data_base64")) {
            throw new MalformedPayloadException("data_base64 is not supported; put the activity event in 'data'");
        }
        JsonNode data = event.get("data");
        if (data == null || !data.isObject()) {
            throw new MalformedPayloadException("CloudEvent needs 'data' holding an activity event object");
        }
        String community = optString(data, "communityId");
        if (community != null && !community.equals(communityId)) {
            throw new MalformedPayloadException("data.communityId '" + community
                    + "' differs from the imported community '" + communityId + "'");
        }
        EventType eventType = symbol(EventType.class, data, "type", null);
        if (eventType == EventType.MEMBER_ERASED) {
            // A file is no authority over anyone's data: erasure requests come from `pulse identity erase` or the
            // signed Discourse webhook, on their own topic (docs/identity.md).
            throw new MalformedPayloadException("MEMBER_ERASED cannot be imported; request an erasure with "
                    + "`pulse identity erase`");
        }
        SourcePlatform platform = symbol(SourcePlatform.class, data, "source", SourcePlatform.OTHER);
        Instant at = occurredAt(data, event);
        String eventId = optString(data, "eventId");
        if (eventId == null) {
            eventId = EventIds.of(platform, communityId, ITEM_KIND, ceSource + "/" + id);
        }
        return new ActivityEvent(eventId, communityId, platform, eventType, optString(data, "actorId"),
                optString(data, "threadId"), optString(data, "parentId"), at, optString(data, "channel"),
                attributes(data));
    }

    private static String attribute(JsonNode event, String name) {
        JsonNode node = event.get(name);
        if (node == null || node.isNull()) {
            throw new MalformedPayloadException("missing required CloudEvents attribute '" + name + "'");
        }
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new MalformedPayloadException("CloudEvents attribute '" + name + "' must be a non-empty string");
        }
        return node.asText();
    }

    private static String optString(JsonNode data, String field) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new MalformedPayloadException("data." + field + " must be a string");
        }
        return node.asText().isEmpty() ? null : node.asText();
    }

    private static <E extends Enum<E>> E symbol(Class<E> type, JsonNode data, String field, E fallback) {
        String value = optString(data, field);
        if (value == null) {
            if (fallback == null) {
                throw new MalformedPayloadException("data." + field + " is required");
            }
            return fallback;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new MalformedPayloadException("data." + field + " '" + value + "' is not a " + type.getSimpleName());
        }
    }

    private static Instant occurredAt(JsonNode data, JsonNode event) {
        JsonNode node = data.get("occurredAt");
        if (node != null && node.isIntegralNumber()) {
            return Instant.ofEpochMilli(node.longValue());
        }
        String text = node != null && node.isTextual() ? node.asText() : null;
        String field = "data.occurredAt";
        if (text == null) {
            JsonNode time = event.get("time");
            text = time != null && time.isTextual() ? time.asText() : null;
            field = "time";
        }
        if (text == null) {
            throw new MalformedPayloadException("needs data.occurredAt or the CloudEvents 'time' attribute");
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedPayloadException(field + " '" + text + "' is not an RFC 3339 date-time");
        }
    }

    private static Map<String, String> attributes(JsonNode data) {
        JsonNode node = data.get("attributes");
        Map<String, String> attributes = new HashMap<>();
        if (node == null || node.isNull()) {
            return attributes;
        }
        if (!node.isObject()) {
            throw new MalformedPayloadException("data.attributes must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw new MalformedPayloadException("data.attributes." + entry.getKey() + " must be a string");
            }
            attributes.put(entry.getKey(), entry.getValue().asText());
        }
        return attributes;
    }
}
