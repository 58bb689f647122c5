package org.communitypulse.streams.common;

import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Values of one store that holds several shapes under different key shapes (the maturity and identity
 * state): {@code byte[]} values (presence marks, a packed long) are stored as they are, any other value is
 * wrapped in the store's Avro union record {@code W} and written with the project's Avro serde, so one
 * schema stands for the whole store in the registry.
 *
 * <p>Reads return the stored bytes as they are when {@code keepRaw} says so, the unwrapped value otherwise.
 * A store whose raw values cannot be told from Avro by their bytes alone keeps everything raw, and its
 * reader, who knows the key's shape, decodes with {@link #read}. Either way a value in the JSON format of
 * an earlier version fails with {@link StateFormat.StaleStateException}.
 *
 * @param <W> the store's generated union record
 */
public final class MixedAvroStateSerde<W extends SpecificRecord> implements Serde<Object> {

    private final String store;
    private final Serializer<W> avroOut;
    private final Deserializer<W> avroIn;
    private final Function<Object, W> wrap;
    private final Function<W, Object> unwrap;
    private final Predicate<byte[]> keepRaw;

    /**
     * @param store   the store's name, for error messages
     * @param avro    the project's Avro serde of {@code W}
     * @param wrap    a structured value into its union record
     * @param unwrap  the union record's value
     * @param keepRaw which stored bytes reads return as they are
     */
    public MixedAvroStateSerde(String store, Serde<W> avro, Function<Object, W> wrap, Function<W, Object> unwrap,
                               Predicate<byte[]> keepRaw) {
        this.store = store;
        this.avroOut = avro.serializer();
        this.avroIn = avro.deserializer();
        this.wrap = wrap;
        this.unwrap = unwrap;
        this.keepRaw = keepRaw;
    }

    @Override
    public Serializer<Object> serializer() {
        return (topic, value) -> value == null ? null : value instanceof byte[] raw ? raw
                : avroOut.serialize(topic, wrap.apply(value));
    }

    @Override
    public Deserializer<Object> deserializer() {
        return (topic, bytes) -> bytes == null || keepRaw.test(bytes) ? bytes : decode(bytes);
    }

    /**
     * {@code stored} as a {@code type}: itself when it already is one (a cached object), decoded when it is
     * the stored bytes, null when absent.
     *
     * @throws IllegalStateException when the stored value is of another shape (a key read as the wrong kind)
     */
    public <T> T read(Object stored, Class<T> type) {
        if (stored == null || type.isInstance(stored)) {
            return type.cast(stored);
        }
        Object value = stored instanceof byte[] bytes ? decode(bytes) : stored;
        if (!type.isInstance(value)) {
            throw new IllegalStateException("State store " + store + " holds a "
                    + value.getClass().getSimpleName() + " where a " + type.getSimpleName() + " was expected");
        }
        return type.cast(value);
    }

    private Object decode(byte[] bytes) {
        StateFormat.requireAvro(store, bytes);
        return unwrap.apply(avroIn.deserialize(store, bytes));
    }
}
