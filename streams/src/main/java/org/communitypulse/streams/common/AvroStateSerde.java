package org.communitypulse.streams.common;

import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The value serde of a state store kept in Avro that was a JSON document in earlier versions. Its Avro values
 * start with the wire format's magic byte 0; a value starting with '{' is left over from the JSON format (a state
 * directory or changelog kept across the upgrade) and is refused with what to do about it, instead of Avro's
 * "unknown magic byte" that names neither the store nor the cure.
 */
public final class AvroStateSerde {

    private AvroStateSerde() {
    }

    /** {@code avro} (an {@code AvroSerdes.forValue} serde) for the store {@code store}, refusing JSON values. */
    public static <T> Serde<T> of(String store, Serde<T> avro) {
        return Serdes.serdeFrom(avro.serializer(), new Guard<>(store, avro.deserializer()));
    }

    /** The error for a JSON value found in {@code store}. */
    static SerializationException formerFormat(String store) {
        return new SerializationException("State store " + store + " holds a value in the JSON format of an earlier"
                + " version, which this version no longer reads: a change of the state format is not a rolling"
                + " upgrade. Reset the application and reprocess (docs/operations.md, \"Reset and reprocessing\";"
                + " \"Upgrades and schema evolution\"), or run this version under a new application id.");
    }

    private static final class Guard<T> implements Deserializer<T> {
        private final String store;
        private final Deserializer<T> avro;

        Guard(String store, Deserializer<T> avro) {
            this.store = store;
            this.avro = avro;
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            avro.configure(configs, isKey);
        }

        @Override
        public T deserialize(String topic, byte[] data) {
            if (data != null && data.length > 0 && data[0] == '{') {
                throw formerFormat(store);
            }
            return avro.deserialize(topic, data);
        }

        @Override
        public void close() {
            avro.close();
        }
    }
}
