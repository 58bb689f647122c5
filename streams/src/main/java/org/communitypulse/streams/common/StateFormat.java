package org.communitypulse.streams.common;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Guards Avro state stores against values an earlier version wrote as JSON (the maturity and identity
 * stores did): there is no released state format to migrate, so such a value means the state or its
 * changelog predates the upgrade, and the only way on is a reset and a reprocessing.
 */
public final class StateFormat {

    private StateFormat() {
    }

    /** A stored value is in a format this version does not read. */
    public static final class StaleStateException extends IllegalStateException {
        StaleStateException(String store) {
            super("State store " + store + " holds a value in the JSON format of an earlier version; this version "
                    + "keeps it in Avro. Reset the application and reprocess the input (docs/operations.md, "
                    + "\"Upgrades and schema evolution\").");
        }
    }

    /**
     * Fails with {@link StaleStateException} when {@code bytes} are a JSON document: an Avro value in the
     * registry's wire format starts with a zero byte, a JSON object or array with {@code '{'} or {@code '['}.
     */
    public static void requireAvro(String store, byte[] bytes) {
        if (bytes.length > 0 && (bytes[0] == '{' || bytes[0] == '[')) {
            throw new StaleStateException(store);
        }
    }

    /** {@code avro} whose deserializer first checks {@link #requireAvro}. */
    public static <T> Serde<T> guarded(String store, Serde<T> avro) {
        Deserializer<T> inner = avro.deserializer();
        Deserializer<T> checked = (topic, bytes) -> {
            if (bytes != null) {
                requireAvro(store, bytes);
            }
            return inner.deserialize(topic, bytes);
        };
        return Serdes.serdeFrom(avro.serializer(), checked);
    }
}
