package org.communitypulse.streams.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.declarations.Declaration;

/**
 * Turns a {@code POST .../declarations} body into the declaration's event, or refuses it with a message for a 400:
 * a JSON object whose values are strings or numbers (the attribute names of docs/importers.md, "Declared evidence")
 * and an optional {@value #DATE} (ISO day it takes effect, default today). {@link Declaration#of} judges the rest.
 */
final class DeclarationRequests {

    static final String DATE = "date";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeclarationRequests() {
    }

    /** @throws IllegalArgumentException with the reason the declaration is refused */
    static ActivityEvent event(String community, String body, Clock clock) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("the body must be a JSON object of the declaration's attributes");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object of the declaration's attributes");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (var field : node.properties()) {
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            if (!value.isValueNode()) {
                throw new IllegalArgumentException("'" + field.getKey() + "' must be a string or a number");
            }
            attributes.put(field.getKey(), value.asText());
        }
        String date = attributes.remove(DATE);
        LocalDate day;
        try {
            day = date == null || date.isBlank() ? LocalDate.now(clock.withZone(ZoneOffset.UTC)) : LocalDate.parse(date.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + DATE + "' is not an ISO date (yyyy-mm-dd): '" + date + "'");
        }
        return Declaration.of(community, day.atStartOfDay(ZoneOffset.UTC).toInstant(), attributes)
                .toEvent(SourcePlatform.OTHER);
    }
}
