package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a registry URL is completed, against small HTTP servers shaped like each registry's answer to
 * {@code GET /subjects} (the real Apicurio: RegistryUrlIT).
 */
class RegistryUrlTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void shouldKeepTheRootUrlOfARegistryServingConfluentsApiThere() throws IOException {
        String root = serve(Map.of("/subjects", "[\"pulse.activity-value\"]"));

        assertThat(RegistryUrl.resolve(root)).isEqualTo(root);
        assertThat(RegistryUrl.resolve(root + "/")).isEqualTo(root);
    }

    @Test
    void shouldAddApicuriosCompatibilityPathWhenOnlyThatAnswers() throws IOException {
        String root = serve(Map.of("/apis/ccompat/v7/subjects", "[]"));

        assertThat(RegistryUrl.resolve(root)).isEqualTo(root + "/apis/ccompat/v7");
    }

    @Test
    void shouldNotMistakeAWebPageAtTheRootForTheApi() throws IOException {
        String root = serve(Map.of("/subjects", "<html>registry UI</html>", "/apis/ccompat/v7/subjects", "[]"));

        assertThat(RegistryUrl.resolve(root)).isEqualTo(root + "/apis/ccompat/v7");
    }

    @Test
    void shouldKeepAUrlWithAPathAsGiven() throws IOException {
        String root = serve(Map.of("/apis/ccompat/v7/subjects", "[]"));

        assertThat(RegistryUrl.resolve(root + "/custom/prefix")).isEqualTo(root + "/custom/prefix");
    }

    @Test
    void shouldKeepAUrlNothingAnswersAtSoTheFirstUseReportsIt() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;

        assertThat(RegistryUrl.resolve(url)).isEqualTo(url);
        assertThat(RegistryUrl.resolve("mock://tests")).isEqualTo("mock://tests");
    }

    @Test
    void shouldResolveEachOfSeveralUrls() throws IOException {
        String confluent = serve(Map.of("/subjects", "[]"));
        RegistryUrlTest other = new RegistryUrlTest();
        try {
            String apicurio = other.serve(Map.of("/apis/ccompat/v7/subjects", "[]"));

            assertThat(RegistryUrl.resolve(confluent + ", " + apicurio))
                    .isEqualTo(confluent + "," + apicurio + "/apis/ccompat/v7");
        } finally {
            other.stop();
        }
    }

    /** A server answering 200 with the given body on each path, 404 elsewhere; returns its root URL. */
    private String serve(Map<String, String> bodies) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = bodies.get(exchange.getRequestURI().getPath());
            byte[] bytes = (body != null ? body : "{\"error_code\":404}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body != null ? 200 : 404, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
