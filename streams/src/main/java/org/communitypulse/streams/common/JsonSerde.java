package org.communitypulse.streams.common;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Store values kept as Jackson JSON, the format the roles and maturity processors have always written: a store
 * typed with this serde can sit under an {@link ObjectCachingKeyValueStore}, so the value is parsed once and
 * written once per commit instead of on every event, and existing changelogs and state still read.
 *
 * <p>{@link #mixed()} is for a store holding several kinds of value under different key shapes (the maturity
 * state): {@code byte[]} values are stored as they are, any other object as JSON, and reads return the raw
 * bytes; {@link #read} turns a value of either form into the caller's type.
 */
public final class JsonSerde<T> implements Serde<T> {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Class<T> type;

    private JsonSerde(Class<T> type) {
        this.type = type;
    }

    /** Reads and writes {@code type} as JSON. */
    public static <T> JsonSerde<T> of(Class<T> type) {
        return new JsonSerde<>(type);
    }

    /** Writes {@code byte[]} as is and other objects as JSON; reads raw bytes. */
    public static JsonSerde<Object> mixed() {
        return new JsonSerde<>(null);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : value instanceof byte[] raw ? raw : write(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : type == null ? rawBytes(bytes) : read(bytes, type);
    }

    /**
     * {@code value} as a {@code type}: itself when it already is one (a cached object), parsed when it is the
     * stored bytes, {@code empty} when absent.
     */
    public static <V> V read(Object value, Class<V> type, Supplier<V> empty) {
        if (value == null) {
            return empty.get();
        }
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        return read((byte[]) value, type);
    }

    public static <V> V read(byte[] bytes, Class<V> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + type.getSimpleName() + " state", e);
        }
    }

    public static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private T rawBytes(byte[] bytes) {
        return (T) bytes;
    }
}
