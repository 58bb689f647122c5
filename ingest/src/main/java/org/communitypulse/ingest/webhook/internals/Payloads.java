package org.communitypulse.ingest.webhook.internals;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.communitypulse.ingest.webhook.MalformedPayloadException;

/**
 * Field access for webhook payloads that turns every surprise (absent, null, wrong type, bad date) into a
 * {@link MalformedPayloadException} naming the field, so mappers never throw anything else.
 */
public final class Payloads {

    /** Times after this (and before 1970) are unit mistakes, not community activity. */
    private static final long MAX_EPOCH_SECONDS = 32_503_680_000L; // year 3000

    private Payloads() {
    }

    /** The object at {@code field}; throws if absent or not an object. */
    public static JsonNode object(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || !node.isObject()) {
            throw new MalformedPayloadException("payload needs an object '" + field + "'");
        }
        return node;
    }

    /** The object at {@code field}, or {@code null} when absent or not an object. */
    public static JsonNode optObject(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        return node != null && node.isObject() ? node : null;
    }

    /** A string or number at {@code field} as text; throws if absent, null, empty or structured. */
    public static String text(JsonNode parent, String field) {
        String value = optText(parent, field);
        if (value == null) {
            throw new MalformedPayloadException("payload needs a string or number '" + field + "'");
        }
        return value;
    }

    /** A string or number at {@code field} as text, or {@code null}. */
    public static String optText(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || !(node.isTextual() || node.isIntegralNumber())) {
            return null;
        }
        String value = node.asText();
        return value.isEmpty() ? null : value;
    }

    /**
     * The names in the array at {@code field} (strings, or objects with a {@code name}, as Discourse tags and
     * GitHub labels come), joined by commas in payload order; {@code null} when absent or empty. Entries of other
     * shapes are skipped: a tag or label is context, never a reason to reject the activity it is on.
     */
    public static String optNames(JsonNode parent, String field) {
        JsonNode array = parent == null ? null : parent.get(field);
        if (array == null || !array.isArray()) {
            return null;
        }
        StringBuilder joined = new StringBuilder();
        for (JsonNode entry : array) {
            String name = entry.isTextual() ? entry.asText() : optText(entry, "name");
            if (name != null && !name.isBlank()) {
                joined.append(joined.length() == 0 ? "" : ",").append(name.strip());
            }
        }
        return joined.length() == 0 ? null : joined.toString();
    }

    /** A boolean at {@code field}; absent or non-boolean is {@code false}. */
    public static boolean flag(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        return node != null && node.isBoolean() && node.booleanValue();
    }

    /** An integer at {@code field}, or {@code fallback}. */
    public static long optLong(JsonNode parent, String field, long fallback) {
        JsonNode node = parent == null ? null : parent.get(field);
        return node != null && node.canConvertToLong() && node.isIntegralNumber() ? node.longValue() : fallback;
    }

    /** An ISO-8601 date-time at {@code field}, or {@code fallback} when absent; throws when unparseable. */
    public static Instant isoTime(JsonNode parent, String field, Instant fallback) {
        String value = optText(parent, field);
        if (value == null) {
            return fallback;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedPayloadException("'" + field + "' is not an ISO-8601 date-time");
        }
        // Java parses years up to 999999999, but an event's time is epoch milliseconds: without this bound such
        // a date would fail only when the event is encoded for Kafka, as a 500 after the mapper accepted it.
        if (at.getEpochSecond() < 0 || at.getEpochSecond() > MAX_EPOCH_SECONDS) {
            throw new MalformedPayloadException("'" + field + "' is outside 1970-01-01..3000-01-01");
        }
        return at;
    }

    /** Epoch seconds with an optional fraction (Slack {@code ts}), or {@code fallback}; throws when malformed. */
    public static Instant epochSeconds(String value, String field, Instant fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            if (value.length() > 32) {
                throw new NumberFormatException();
            }
            BigDecimal seconds = new BigDecimal(value);
            if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(MAX_EPOCH_SECONDS)) > 0) {
                throw new NumberFormatException();
            }
            return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
        } catch (NumberFormatException e) {
            throw new MalformedPayloadException("'" + field + "' is not epoch seconds");
        }
    }
}
