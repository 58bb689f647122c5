package org.communitypulse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A serializer created by class name, as Kafka clients do, against a registry that demands credentials (a
 * small HTTP server on loopback answering Confluent's register call): it sends basic or bearer credentials
 * from Confluent's keys, and without them fails with a message that says credentials are missing.
 */
class RegistryAuthenticationTest {

    private static final String USER_INFO = "pulse:s3cret-Registry";
    private static final String TOKEN = "token-abc.def";

    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private String expected;

    @BeforeEach
    void startRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(authorization));
            boolean allowed = expected != null && expected.equals(authorization);
            byte[] body = (allowed ? "{\"id\":7}"
                    : "{\"error_code\":401,\"message\":\"Unauthorized\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopRegistry() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void shouldSendBasicCredentialsFromUserInfoWhenTheRegistryRequiresThem() {
        expected = "Basic " + java.util.Base64.getEncoder().encodeToString(USER_INFO.getBytes(StandardCharsets.UTF_8));

        byte[] bytes = serialize(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, url(),
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                AvroSerdeConfig.USER_INFO_CONFIG, USER_INFO));

        assertThat(bytes[0]).isZero();
        assertThat(java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(7);
        assertThat(authorizations).containsOnly(expected);
    }

    @Test
    void shouldSendABearerTokenWhenConfiguredWithAStaticToken() {
        expected = "Bearer " + TOKEN;

        serialize(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, url(),
                AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, "STATIC_TOKEN",
                AvroSerdeConfig.BEARER_AUTH_TOKEN_CONFIG, TOKEN));

        assertThat(authorizations).containsOnly(expected);
    }

    @Test
    void shouldFailClearlyWhenTheRegistryRequiresCredentialsAndNoneAreGiven() {
        expected = "Basic x";

        assertThatThrownBy(() -> serialize(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, url())))
                .hasStackTraceContaining("401")
                .hasStackTraceContaining("the registry wants credentials and none were given");
        assertThat(authorizations).containsOnly("null");
    }

    @Test
    void shouldSayTheCredentialsWereRefusedAndNotShowThemWhenTheyAreWrong() {
        expected = "Bearer right";

        assertThatThrownBy(() -> serialize(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, url(),
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                AvroSerdeConfig.USER_INFO_CONFIG, USER_INFO)))
                .hasStackTraceContaining("the credentials given were refused")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("s3cret"));
    }

    @Test
    void shouldRefuseBasicAndBearerTogetherAndHideBothInTheConfigsText() {
        Map<String, Object> both = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, url(),
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                AvroSerdeConfig.USER_INFO_CONFIG, USER_INFO,
                AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, "STATIC_TOKEN",
                AvroSerdeConfig.BEARER_AUTH_TOKEN_CONFIG, TOKEN);
        AvroSerdeConfig config = new AvroSerdeConfig(both);

        assertThat(config.values().toString()).doesNotContain("s3cret").doesNotContain(TOKEN);
        assertThatThrownBy(config::newClient).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not both").hasMessageNotContaining("s3cret");
    }

    private static byte[] serialize(Map<String, Object> configs) {
        try (Serializer<ActivityEvent> serializer = Utils.newInstance(SpecificAvroSerializer.class)) {
            serializer.configure(configs, false);
            return serializer.serialize("pulse.activity", Fixtures.fullEvent());
        }
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
