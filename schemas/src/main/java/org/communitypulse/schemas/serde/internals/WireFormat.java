package org.communitypulse.schemas.serde.internals;

/**
 * Constants of the Confluent wire format: magic byte {@code 0x00}, the schema id as a 4-byte
 * big-endian int, then the Avro binary encoding of the record.
 */
public final class WireFormat {

    /** First byte of every record in the format. */
    public static final byte MAGIC_BYTE = 0x00;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** TopicNameStrategy: {@code <topic>-key} or {@code <topic>-value}. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /** "key" or "value", for messages. */
    public static String part(boolean isKey) {
        return isKey ? "key" : "value";
    }
}
