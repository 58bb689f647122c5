package org.communitypulse.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Edits of one object member of a payload: what a platform's schema change, a bug on its side or a sender holding
 * the secret could produce. Each edit is applied in place and undone, so a large payload is not copied per edit.
 */
final class PayloadMutations {

    /** Arrays are walked into this far: their elements share one shape. */
    private static final int ARRAY_ELEMENTS = 2;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEEP_MARKER = "@@deep-nesting@@";

    /** Values a member is replaced by; every one is valid JSON. */
    enum Kind {
        DROP, NULL, WRONG_TYPE, EMPTY_STRING, HUGE_NUMBER, NEGATIVE, FRACTION, DEEP_NESTING, UNICODE, LONG_TEXT,
        FAR_DATE, ANCIENT_DATE, EMPTY_OBJECT
    }

    private PayloadMutations() {
    }

    /** One member of an object somewhere in the payload. */
    record Member(ObjectNode parent, String name, int depth) {
        @Override
        public String toString() {
            return name + "@" + depth;
        }
    }

    /** Every object member, depth first (arrays: their first elements only). */
    static List<Member> members(JsonNode root) {
        List<Member> members = new ArrayList<>();
        collect(root, 0, members);
        return members;
    }

    private static void collect(JsonNode node, int depth, List<Member> into) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                into.add(new Member(object, name, depth));
                collect(object.get(name), depth + 1, into);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < Math.min(ARRAY_ELEMENTS, array.size()); i++) {
                collect(array.get(i), depth + 1, into);
            }
        }
    }

    /** Applies {@code kind} to {@code member}, runs {@code check} on the edited root, then restores the member. */
    static void withEdit(Member member, Kind kind, Random random, Runnable check) {
        ObjectNode parent = member.parent();
        JsonNode original = parent.get(member.name());
        if (kind == Kind.DROP) {
            parent.remove(member.name());
        } else {
            parent.set(member.name(), replacement(original, kind, random));
        }
        try {
            check.run();
        } finally {
            parent.set(member.name(), original);
        }
    }

    static JsonNode replacement(JsonNode original, Kind kind, Random random) {
        return switch (kind) {
            case DROP -> throw new IllegalArgumentException("DROP has no replacement");
            case NULL -> F.nullNode();
            case WRONG_TYPE -> wrongType(original);
            case EMPTY_STRING -> F.textNode("");
            case HUGE_NUMBER -> random.nextBoolean() ? F.numberNode(new BigInteger("9".repeat(40)))
                    : F.numberNode(Long.MAX_VALUE);
            case NEGATIVE -> F.numberNode(-1L - random.nextInt(1000));
            case FRACTION -> F.numberNode(1.5e300);
            // Written as text by render(): Jackson refuses to write more than 1000 levels itself.
            case DEEP_NESTING -> F.textNode(DEEP_MARKER + (random.nextBoolean() ? 200 : 1_500));
            case UNICODE -> F.textNode(UNICODE[random.nextInt(UNICODE.length)]);
            case LONG_TEXT -> F.textNode("x".repeat(20_000 + random.nextInt(1000)));
            case FAR_DATE -> F.textNode(random.nextBoolean() ? "+999999999-12-31T23:59:59Z" : "9999999999.999999");
            case ANCIENT_DATE -> F.textNode(random.nextBoolean() ? "-999999999-01-01T00:00:00Z"
                    : "0000-01-01T00:00:00Z");
            case EMPTY_OBJECT -> F.objectNode();
        };
    }

    private static final String[] UNICODE = {
        "\u0000", "💬🧵", "\u202Eevil", "ä\u0308", "\uD800", "\uFEFF", "名前", "a:b/c#d", "\n\r\t", "' OR 1=1 --"
    };

    private static JsonNode wrongType(JsonNode original) {
        if (original == null || original.isNull()) {
            return F.arrayNode().add(1);
        }
        if (original.isTextual()) {
            return F.numberNode(42);
        }
        if (original.isNumber() || original.isBoolean()) {
            return F.objectNode().put("value", original.asText());
        }
        if (original.isObject()) {
            return F.arrayNode().add(original.deepCopy());
        }
        return F.textNode("not an array");
    }

    /** The payload as sent: JSON, with a deep-nesting marker expanded into that many nested arrays/objects. */
    static byte[] render(JsonNode root) {
        String json;
        try {
            json = JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher marker = Pattern.compile("\"" + DEEP_MARKER + "(\\d+)\"").matcher(json);
        if (!marker.find()) {
            return json.getBytes(StandardCharsets.UTF_8);
        }
        int depth = Integer.parseInt(marker.group(1));
        StringBuilder nested = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            nested.append(i % 2 == 0 ? "[" : "{\"n\":");
        }
        nested.append("\"deep\"");
        for (int i = depth - 1; i >= 0; i--) {
            nested.append(i % 2 == 0 ? "]" : "}");
        }
        return (json.substring(0, marker.start()) + nested + json.substring(marker.end()))
                .getBytes(StandardCharsets.UTF_8);
    }
}
