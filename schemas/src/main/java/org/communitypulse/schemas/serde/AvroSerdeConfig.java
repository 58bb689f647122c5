package org.communitypulse.schemas.serde;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.registry.SchemaRegistryClient;

/**
 * Configuration of the Avro serdes when Kafka clients create them by class name.
 *
 * <p>Key names are Confluent's, so a producer or consumer configuration written for Confluent's
 * {@code KafkaAvroSerializer} works unchanged. A URL {@code mock://SCOPE} selects the shared
 * {@link InMemorySchemaRegistryClient} of that scope instead of a server.
 */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_URL_DOC = "Comma-separated base URLs of one schema registry "
            + "(Confluent REST API), tried in order when a connection fails. Used as given, e.g. "
            + "http://host:8081 or, for Apicurio, http://host:8080/apis/ccompat/v7. mock://SCOPE uses an "
            + "in-process registry shared by every serde of that scope.";

    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    public static final String AUTO_REGISTER_SCHEMAS_DOC = "Whether serializers register the record's schema "
            + "under the subject (true) or only look up its id and fail when it is not registered (false).";
    public static final boolean AUTO_REGISTER_SCHEMAS_DEFAULT = true;

    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_DOC = "Where HTTP basic credentials come from: "
            + "URL (user:password@ in the registry URL, if any) or USER_INFO (basic.auth.user.info).";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_DEFAULT = "URL";

    public static final String USER_INFO_CONFIG = "basic.auth.user.info";
    public static final String USER_INFO_DOC = "user:password for HTTP basic authentication when "
            + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG + "=USER_INFO.";

    public static final String BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE_DOC = "Where a bearer token comes from: NONE, or "
            + "STATIC_TOKEN (bearer.auth.token). Not together with basic authentication.";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE_DEFAULT = "NONE";

    public static final String BEARER_AUTH_TOKEN_CONFIG = "bearer.auth.token";
    public static final String BEARER_AUTH_TOKEN_DOC = "Token sent as Authorization: Bearer when "
            + BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG + "=STATIC_TOKEN.";

    public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";
    public static final String SPECIFIC_AVRO_READER_DOC = "Generic deserializer only: return the generated "
            + "SpecificRecord class named by the writer schema instead of a GenericRecord.";
    public static final boolean SPECIFIC_AVRO_READER_DEFAULT = false;

    public static final String SPECIFIC_AVRO_KEY_TYPE_CONFIG = "specific.avro.key.type";
    public static final String SPECIFIC_AVRO_KEY_TYPE_DOC = "Generated SpecificRecord class that the specific "
            + "deserializer reads keys into (its schema is the reader schema).";

    public static final String SPECIFIC_AVRO_VALUE_TYPE_CONFIG = "specific.avro.value.type";
    public static final String SPECIFIC_AVRO_VALUE_TYPE_DOC = "Generated SpecificRecord class that the specific "
            + "deserializer reads values into (its schema is the reader schema).";

    public static final String HTTP_CONNECT_TIMEOUT_MS_CONFIG = "http.connect.timeout.ms";
    public static final String HTTP_CONNECT_TIMEOUT_MS_DOC = "Time to establish a connection to the registry; "
            + "short so that an absent registry fails fast.";
    public static final int HTTP_CONNECT_TIMEOUT_MS_DEFAULT = 5_000;

    public static final String HTTP_READ_TIMEOUT_MS_CONFIG = "http.read.timeout.ms";
    public static final String HTTP_READ_TIMEOUT_MS_DOC = "Time for a whole registry request.";
    public static final int HTTP_READ_TIMEOUT_MS_DEFAULT = 30_000;

    /** URL scheme of the in-process registry. */
    public static final String MOCK_SCHEME = "mock://";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.Validator() {
                        @Override
                        public void ensureValid(String name, Object value) {
                            if (value == null || ((List<?>) value).isEmpty()) {
                                throw new ConfigException(name, value, "at least one URL is required");
                            }
                        }

                        @Override
                        public String toString() {
                            return "non-empty list of URLs";
                        }
                    }, Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(AUTO_REGISTER_SCHEMAS_CONFIG, Type.BOOLEAN, AUTO_REGISTER_SCHEMAS_DEFAULT,
                    Importance.MEDIUM, AUTO_REGISTER_SCHEMAS_DOC)
            .define(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, Type.STRING, BASIC_AUTH_CREDENTIALS_SOURCE_DEFAULT,
                    ConfigDef.ValidString.in("URL", "USER_INFO"), Importance.MEDIUM,
                    BASIC_AUTH_CREDENTIALS_SOURCE_DOC)
            .define(USER_INFO_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, USER_INFO_DOC)
            .define(BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, Type.STRING, BEARER_AUTH_CREDENTIALS_SOURCE_DEFAULT,
                    ConfigDef.ValidString.in("NONE", "STATIC_TOKEN"), Importance.MEDIUM,
                    BEARER_AUTH_CREDENTIALS_SOURCE_DOC)
            .define(BEARER_AUTH_TOKEN_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, BEARER_AUTH_TOKEN_DOC)
            .define(SPECIFIC_AVRO_READER_CONFIG, Type.BOOLEAN, SPECIFIC_AVRO_READER_DEFAULT,
                    Importance.LOW, SPECIFIC_AVRO_READER_DOC)
            .define(SPECIFIC_AVRO_KEY_TYPE_CONFIG, Type.CLASS, null, Importance.MEDIUM,
                    SPECIFIC_AVRO_KEY_TYPE_DOC)
            .define(SPECIFIC_AVRO_VALUE_TYPE_CONFIG, Type.CLASS, null, Importance.MEDIUM,
                    SPECIFIC_AVRO_VALUE_TYPE_DOC)
            .define(HTTP_CONNECT_TIMEOUT_MS_CONFIG, Type.INT, HTTP_CONNECT_TIMEOUT_MS_DEFAULT,
                    ConfigDef.Range.atLeast(1), Importance.LOW, HTTP_CONNECT_TIMEOUT_MS_DOC)
            .define(HTTP_READ_TIMEOUT_MS_CONFIG, Type.INT, HTTP_READ_TIMEOUT_MS_DEFAULT,
                    ConfigDef.Range.atLeast(1), Importance.LOW, HTTP_READ_TIMEOUT_MS_DOC);

    public AvroSerdeConfig(Map<String, ?> originals) {
        // doLog=false: these keys ride along in producer/consumer configs that Kafka logs already.
        super(CONFIG, originals, false);
    }

    /** The definition of every key, e.g. for documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** Registry base URLs as configured (credentials included, if any). */
    public List<String> registryUrls() {
        return getList(SCHEMA_REGISTRY_URL_CONFIG);
    }

    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS_CONFIG);
    }

    public boolean specificAvroReader() {
        return getBoolean(SPECIFIC_AVRO_READER_CONFIG);
    }

    /** The configured specific class for keys or values, or null when none is configured. */
    public Class<?> specificType(boolean isKey) {
        return getClass(isKey ? SPECIFIC_AVRO_KEY_TYPE_CONFIG : SPECIFIC_AVRO_VALUE_TYPE_CONFIG);
    }

    public Duration connectTimeout() {
        return Duration.ofMillis(getInt(HTTP_CONNECT_TIMEOUT_MS_CONFIG));
    }

    public Duration requestTimeout() {
        return Duration.ofMillis(getInt(HTTP_READ_TIMEOUT_MS_CONFIG));
    }

    /** {@code user:password} for basic authentication from the configured source, or null for none. */
    public String userInfo() {
        if ("USER_INFO".equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG))) {
            Password password = getPassword(USER_INFO_CONFIG);
            String value = password == null ? "" : password.value();
            return value.isBlank() ? null : value;
        }
        for (String url : registryUrls()) {
            String info = URI.create(url.trim()).getRawUserInfo();
            if (info != null && !info.isBlank()) {
                return URLDecoder.decode(info, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The bearer token when {@value #BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG} is STATIC_TOKEN, or null for none. */
    public String bearerToken() {
        if (!"STATIC_TOKEN".equals(getString(BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG))) {
            return null;
        }
        Password token = getPassword(BEARER_AUTH_TOKEN_CONFIG);
        String value = token == null ? "" : token.value();
        return value.isBlank() ? null : value;
    }

    /**
     * A new client for the configured registry; the caller owns and closes it. A {@code mock://}
     * URL answers the shared in-process registry of its scope instead.
     */
    public SchemaRegistryClient newClient() {
        List<String> urls = registryUrls();
        String first = urls.get(0).trim();
        if (first.startsWith(MOCK_SCHEME)) {
            return InMemorySchemaRegistryClient.forScope(first.substring(MOCK_SCHEME.length()));
        }
        List<String> plain = new ArrayList<>();
        for (String url : urls) {
            plain.add(withoutUserInfo(url.trim()));
        }
        return new RestSchemaRegistryClient(plain, userInfo(), bearerToken(), connectTimeout(), requestTimeout());
    }

    /** Credentials travel in the Authorization header only: never in the URL, where logs would show them. */
    private static String withoutUserInfo(String url) {
        URI uri = URI.create(url);
        if (uri.getRawUserInfo() == null) {
            return url;
        }
        return url.replace(uri.getRawUserInfo() + "@", "");
    }
}
