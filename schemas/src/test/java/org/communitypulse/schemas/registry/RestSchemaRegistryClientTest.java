package org.communitypulse.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exact HTTP requests the client sends, and how it maps answers, against a scripted local server. */
class RestSchemaRegistryClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MEDIA = "application/vnd.schemaregistry.v1+json";
    private static final Schema SCHEMA = ActivityEvent.getClassSchema();

    private HttpServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Deque<Reply> replies = new ArrayDeque<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void shouldPostCompactSchemaWithMediaTypeAndBasicAuthWhenRegistering() throws IOException {
        replies.add(new Reply(200, "{\"id\":21}"));
        RestSchemaRegistryClient client = client(base() + "/apis/ccompat/v7", "user:pass");

        assertThat(client.register("pulse.activity-value", SCHEMA)).isEqualTo(21);
        // Cached: no second request for the same subject and schema.
        assertThat(client.register("pulse.activity-value", SCHEMA)).isEqualTo(21);
        // And the id now resolves without asking.
        assertThat(client.getById(21)).isEqualTo(SCHEMA);

        assertThat(requests).hasSize(1);
        Recorded request = requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/apis/ccompat/v7/subjects/pulse.activity-value/versions");
        assertThat(request.contentType()).isEqualTo(MEDIA);
        assertThat(request.accept()).isEqualTo(MEDIA);
        assertThat(request.authorization()).isEqualTo("Basic dXNlcjpwYXNz");
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.size()).isEqualTo(1);
        assertThat(body.get("schema").asText()).isEqualTo(SCHEMA.toString()).doesNotContain("\n");
    }

    @Test
    void shouldLookUpWithoutRegisteringWhenGettingAnId() throws IOException {
        replies.add(new Reply(200, "{\"subject\":\"s-value\",\"id\":4,\"version\":2,\"schema\":\"\\\"string\\\"\"}"));
        RestSchemaRegistryClient client = client(base(), null);

        assertThat(client.getId("s-value", SCHEMA)).isEqualTo(4);

        Recorded request = requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/subjects/s-value");
        assertThat(request.authorization()).isNull();
        assertThat(JSON.readTree(request.body()).get("schema").asText()).isEqualTo(SCHEMA.toString());
    }

    @Test
    void shouldFetchAndCacheSchemaWhenGettingById() {
        replies.add(new Reply(200, "{\"schema\":" + quote(SCHEMA.toString()) + "}"));
        RestSchemaRegistryClient client = client(base(), null);

        assertThat(client.getById(7)).isEqualTo(SCHEMA);
        assertThat(client.getById(7)).isEqualTo(SCHEMA);

        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).method()).isEqualTo("GET");
        assertThat(requests.get(0).path()).isEqualTo("/schemas/ids/7");
        assertThat(requests.get(0).accept()).isEqualTo(MEDIA);
    }

    @Test
    void shouldPutCompatibilityGloballyAndPerSubjectWhenSettingLevels() throws IOException {
        replies.add(new Reply(200, "{\"compatibility\":\"BACKWARD\"}"));
        replies.add(new Reply(200, "{\"compatibility\":\"FULL\"}"));
        RestSchemaRegistryClient client = client(base(), null);

        client.setCompatibility(null, "BACKWARD");
        client.setCompatibility("s-value", "FULL");

        assertThat(requests).extracting(Recorded::method).containsExactly("PUT", "PUT");
        assertThat(requests).extracting(Recorded::path).containsExactly("/config", "/config/s-value");
        assertThat(JSON.readTree(requests.get(0).body()))
                .isEqualTo(JSON.readTree("{\"compatibility\":\"BACKWARD\"}"));
        assertThat(JSON.readTree(requests.get(1).body())).isEqualTo(JSON.readTree("{\"compatibility\":\"FULL\"}"));
        assertThat(requests.get(1).contentType()).isEqualTo(MEDIA);
    }

    @Test
    void shouldAskTheLatestVersionWhenCheckingCompatibility() {
        replies.add(new Reply(200, "{\"is_compatible\":false}"));
        replies.add(new Reply(200, "{\"is_compatible\":true}"));
        RestSchemaRegistryClient client = client(base(), null);

        assertThat(client.isCompatible("s-value", SCHEMA)).isFalse();
        assertThat(client.isCompatible("s-value", SCHEMA)).isTrue();

        assertThat(requests.get(0).method()).isEqualTo("POST");
        assertThat(requests.get(0).path()).isEqualTo("/compatibility/subjects/s-value/versions/latest");
    }

    @Test
    void shouldCarryStatusAndErrorCodeWhenSchemaIdIsUnknown() {
        replies.add(new Reply(404, "{\"error_code\":40403,\"message\":\"Schema 99 not found\"}"));
        RestSchemaRegistryClient client = client(base(), null);

        assertThatThrownBy(() -> client.getById(99)).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.errorCode()).isEqualTo(40403);
            assertThat(e.isNotFound()).isTrue();
            assertThat(e.registryMessage()).isEqualTo("Schema 99 not found");
            assertThat(e.getMessage()).isEqualTo("Schema registry at " + base()
                    + " rejected request for schema id 99: 404 (error_code 40403) Schema 99 not found");
        });
    }

    @Test
    void shouldSayWhichSubjectRejectedTheSchemaWhenRegistryAnswers409() {
        replies.add(new Reply(409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible "
                + "with an earlier schema\"}"));
        RestSchemaRegistryClient client = client(base(), null);

        assertThatThrownBy(() -> client.register("orders-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).isEqualTo("Schema registry at " + base() + " rejected schema for "
                            + "subject orders-value: 409 Schema being registered is incompatible with an earlier schema");
                });
    }

    @Test
    void shouldKeepRawBodyWhenServerErrorIsNotJson() {
        replies.add(new Reply(503, "upstream unavailable"));
        RestSchemaRegistryClient client = client(base(), null);

        assertThatThrownBy(() -> client.setCompatibility(null, "BACKWARD"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.errorCode()).isEqualTo(503);
                    assertThat(e.getMessage()).endsWith(": 503 upstream unavailable");
                });
    }

    @Test
    void shouldFailFastAndNameTheUrlWhenNothingListens() throws IOException {
        String refused = "http://127.0.0.1:" + freePort();
        RestSchemaRegistryClient client = client(refused, null);
        long start = System.nanoTime();

        assertThatThrownBy(() -> client.getById(1)).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.status()).isEqualTo(SchemaRegistryException.NO_STATUS);
            assertThat(e.getMessage()).startsWith("Cannot reach schema registry at " + refused + " (")
                    .contains("ConnectException");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void shouldTryTheNextUrlWhenTheFirstRefusesConnections() throws IOException {
        replies.add(new Reply(200, "{\"id\":5}"));
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(
                List.of("http://127.0.0.1:" + freePort(), base()), null, Duration.ofSeconds(2), Duration.ofSeconds(5));

        assertThat(client.register("failover-value", SCHEMA)).isEqualTo(5);
        assertThat(requests).hasSize(1);
    }

    private RestSchemaRegistryClient client(String url, String userInfo) {
        return new RestSchemaRegistryClient(List.of(url), userInfo, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestHeaders().getFirst("Accept"),
                exchange.getRequestHeaders().getFirst("Authorization"), body));
        Reply reply;
        synchronized (replies) {
            reply = replies.isEmpty() ? new Reply(500, "{\"error_code\":50001,\"message\":\"unscripted\"}")
                    : replies.poll();
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", MEDIA);
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A port that was free a moment ago and has no listener now: connections to it are refused. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Recorded(String method, String path, String contentType, String accept, String authorization,
                            String body) {
    }

    private record Reply(int status, String body) {
    }
}
