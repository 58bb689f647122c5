package org.communitypulse.streams.common;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigException;

/**
 * How the editable YAML rule files ({@code roles.yaml}, {@code maturity.yaml}) are read: a built-in resource
 * or a file path, snake_case keys, unknown keys refused, and every problem a {@link ConfigException} naming
 * the file.
 */
public final class YamlConfigFiles {

    private YamlConfigFiles() {
    }

    /**
     * @param location a file path, or {@code builtIn} (or blank) for the resource {@code resource} beside {@code type}
     * @param what     what the file configures, for messages ("roles", "maturity")
     */
    public static <T> T load(String location, String builtIn, String resource, Class<T> type, String what) {
        if (location == null || location.isBlank() || builtIn.equals(location)) {
            try (InputStream in = type.getResourceAsStream(resource)) {
                return parse(in, builtIn, type, what);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            return parse(in, location, type, what);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + what + " configuration " + location + ": " + e.getMessage());
        }
    }

    public static <T> T parse(InputStream in, String origin, Class<T> type, String what) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                // A misspelt key would otherwise silently fall back to a default rule.
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            return yaml.readValue(in, type);
        } catch (ValueInstantiationException e) {
            // The record's own validation failed: its message says what, the origin says where.
            if (e.getCause() instanceof ConfigException invalid) {
                throw new ConfigException(origin + ": " + invalid.getMessage());
            }
            throw new ConfigException("invalid " + what + " configuration " + origin + ": " + e.getOriginalMessage());
        } catch (JacksonException e) {
            throw new ConfigException("invalid " + what + " configuration " + origin + ": " + e.getOriginalMessage());
        }
    }
}
