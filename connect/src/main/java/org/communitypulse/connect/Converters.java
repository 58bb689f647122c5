package org.communitypulse.connect;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The connectors hand Connect keys as strings and values already serialized (Avro, Confluent wire format), so
 * the connector configuration must name pass-through converters; a worker default such as JsonConverter would
 * silently publish something else.
 */
final class Converters {

    static final String KEY_CONVERTER_CONFIG = "key.converter";
    static final String VALUE_CONVERTER_CONFIG = "value.converter";

    private Converters() {
    }

    /** @throws ConfigException naming the converter to set */
    static void require(Map<String, String> props) {
        require(props, PulseConnectConfig.KEY_CONVERTER);
    }

    /** @param keyConverter the key converter the connector's records need */
    static void require(Map<String, String> props, String keyConverter) {
        check(props, VALUE_CONVERTER_CONFIG, PulseConnectConfig.VALUE_CONVERTER);
        check(props, KEY_CONVERTER_CONFIG, keyConverter);
    }

    private static void check(Map<String, String> props, String key, String expected) {
        String actual = props.get(key);
        if (!expected.equals(actual == null ? null : actual.trim())) {
            throw new ConfigException(key, actual, "Community Pulse connectors publish ready-made records (Avro "
                    + "values in the Confluent wire format): set " + key + "=" + expected + " in the connector config");
        }
    }
}
