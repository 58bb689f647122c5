package org.communitypulse.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.schemas.config.EnvironmentVariables;
import org.communitypulse.schemas.serde.AvroSerdeConfig;

/**
 * What a command needs to reach a secured cluster: pass-through Kafka client properties (security.protocol,
 * sasl.*, ssl.*, ...) for every producer, consumer, admin client and Streams, and the schema registry's
 * credentials (basic {@code user:password} or a bearer token). Its text masks every secret value, so it can be
 * logged or shown in an error.
 */
final class ClientSettings {

    static final String USER_INFO_VARIABLE = "PULSE_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO";
    static final String BEARER_TOKEN_VARIABLE = "PULSE_SCHEMA_REGISTRY_BEARER_AUTH_TOKEN";
    static final String FILE_SUFFIX = EnvironmentVariables.FILE_SUFFIX;
    /** Keys of a client properties file that are meant for the registry, as Confluent's tools name them. */
    private static final Pattern REGISTRY_KEY = Pattern.compile("(schema\\.registry\\.)?(basic|bearer)\\.auth\\..*");
    /** Keys whose values are secrets (Kafka types most of them as passwords; a plain map does not know that). */
    private static final Pattern SECRET_KEY =
            Pattern.compile("(?i).*(password|jaas|secret|token|user\\.info|keystore\\.key|credentials?)(\\..*)?");
    static final String MASK = "[hidden]";

    private final Map<String, Object> kafka;
    private final String userInfo;
    private final String bearerToken;

    private ClientSettings(Map<String, Object> kafka, String userInfo, String bearerToken) {
        this.kafka = Collections.unmodifiableMap(kafka);
        this.userInfo = userInfo;
        this.bearerToken = bearerToken;
    }

    static ClientSettings none() {
        return new ClientSettings(new LinkedHashMap<>(), null, null);
    }

    /**
     * From, by precedence: {@code overrides} (-X), then the properties file {@code commandConfig} (may be null);
     * registry credentials from the variables (or their _FILE forms) of {@code environment}, else from the
     * file's basic.auth.user.info / bearer.auth.token.
     *
     * @throws IllegalArgumentException naming the file or variable that cannot be read (never a value)
     */
    static ClientSettings of(Path commandConfig, Map<String, String> overrides, Map<String, String> environment) {
        Map<String, String> all = new LinkedHashMap<>();
        if (commandConfig != null && !commandConfig.toString().isBlank()) {
            all.putAll(load(commandConfig));
        }
        all.putAll(overrides);
        Map<String, Object> kafka = new LinkedHashMap<>();
        Map<String, String> registry = new LinkedHashMap<>();
        all.forEach((key, value) -> {
            if (REGISTRY_KEY.matcher(key).matches()) {
                registry.put(key.startsWith("schema.registry.") ? key.substring("schema.registry.".length()) : key,
                        value);
            } else {
                kafka.put(key, value);
            }
        });
        String userInfo = secret(environment, USER_INFO_VARIABLE)
                .orElse(registry.get(AvroSerdeConfig.USER_INFO_CONFIG));
        String token = secret(environment, BEARER_TOKEN_VARIABLE)
                .orElse(registry.get(AvroSerdeConfig.BEARER_AUTH_TOKEN_CONFIG));
        return new ClientSettings(kafka, blankToNull(userInfo), blankToNull(token));
    }

    /** Kafka client properties to lay over a client's own settings; empty when none were given. */
    Map<String, Object> kafka() {
        return kafka;
    }

    /** As {@link #kafka()} with every key under {@code prefix}, e.g. {@code streams.} for PulseStreamsConfig. */
    Map<String, Object> kafka(String prefix) {
        Map<String, Object> prefixed = new LinkedHashMap<>();
        kafka.forEach((key, value) -> prefixed.put(prefix + key, value));
        return prefixed;
    }

    String registryUserInfo() {
        return userInfo;
    }

    String registryBearerToken() {
        return bearerToken;
    }

    /** The serde configuration for {@code registryUrl} with these credentials, under Confluent's keys. */
    Map<String, Object> registryConfig(String registryUrl) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        if (userInfo != null) {
            config.put(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO");
            config.put(AvroSerdeConfig.USER_INFO_CONFIG, userInfo);
        }
        if (bearerToken != null) {
            config.put(AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, "STATIC_TOKEN");
            config.put(AvroSerdeConfig.BEARER_AUTH_TOKEN_CONFIG, bearerToken);
        }
        return config;
    }

    /** Whether {@code key} holds a secret, whose value is never shown. */
    static boolean isSecret(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    /** {@code map} with every secret value replaced by {@value #MASK}, sorted by key. */
    static Map<String, Object> masked(Map<String, ?> map) {
        Map<String, Object> masked = new TreeMap<>();
        map.forEach((key, value) -> masked.put(key, isSecret(key) ? MASK : value));
        return masked;
    }

    @Override
    public String toString() {
        return "ClientSettings{kafka=" + masked(kafka)
                + ", registry=" + (userInfo != null ? "basic " + MASK : bearerToken != null ? "bearer " + MASK : "none")
                + "}";
    }

    private static Map<String, String> load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot read the client properties file " + file.toAbsolutePath()
                    + " (--command-config / PULSE_COMMAND_CONFIG): " + e.getClass().getSimpleName(), e);
        }
        return properties.stringPropertyNames().stream()
                .collect(Collectors.toMap(k -> k, k -> properties.getProperty(k).strip(), (a, b) -> b, LinkedHashMap::new));
    }

    /** {@code NAME} or the content of the file {@code NAME_FILE} names; both set is an error. */
    private static java.util.Optional<String> secret(Map<String, String> environment, String name) {
        try {
            return EnvironmentVariables.secret(name, environment);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
