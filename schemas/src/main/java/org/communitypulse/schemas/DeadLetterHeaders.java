package org.communitypulse.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Header names on dead-letter records. A dead-letter record carries the original key and value
 * bytes unchanged; these headers say why it was rejected and where it came from, so it can be
 * inspected, fixed and re-published.
 */
public final class DeadLetterHeaders {

    /** Machine-readable reason code, e.g. {@code DESERIALIZATION_FAILED}. */
    public static final String REASON = "pulse.dlq.reason";
    /** Human-readable explanation of the reason. */
    public static final String DETAIL = "pulse.dlq.detail";
    /** Topic the record was read from. */
    public static final String SOURCE_TOPIC = "pulse.dlq.source.topic";
    /** Partition the record was read from (decimal text). */
    public static final String SOURCE_PARTITION = "pulse.dlq.source.partition";
    /** Offset the record was read from (decimal text). */
    public static final String SOURCE_OFFSET = "pulse.dlq.source.offset";
    /** Component that rejected it, e.g. {@code streams.intake}. */
    public static final String REJECTED_BY = "pulse.dlq.rejected.by";

    private DeadLetterHeaders() {
    }

    /** Adds a UTF-8 text header. */
    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a UTF-8 text header, or null when absent. */
    public static String get(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
