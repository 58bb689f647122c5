package org.communitypulse.ingest.internals;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.communitypulse.ingest.discourse.DiscourseApiClient;
import org.communitypulse.ingest.github.GitHubApiClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An API server that redirects to a second server on another port (another origin): the credential headers
 * must not reach the second one, while a redirect within the same origin keeps them.
 */
class CredentialRedirectTest {

    private static final String KEY = "discourse-api-key-must-stay-home";
    private static final String TOKEN = "ghp_token_must_stay_home";

    private HttpServer api;
    private HttpServer other;
    private final List<Headers> seenByOther = new CopyOnWriteArrayList<>();
    private final List<Headers> seenByApi = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", exchange -> {
            seenByOther.add(exchange.getRequestHeaders());
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        other.start();
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", exchange -> {
            seenByApi.add(exchange.getRequestHeaders());
            String path = exchange.getRequestURI().getPath();
            String location = path.startsWith("/away") ? "http://127.0.0.1:" + other.getAddress().getPort() + "/landed"
                    : path.startsWith("/moved") ? "/here" : null;
            if (location != null) {
                exchange.getResponseHeaders().add("Location", location);
                exchange.sendResponseHeaders(302, -1);
            } else {
                byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        api.start();
    }

    @AfterEach
    void stop() {
        api.stop(0);
        other.stop(0);
    }

    private URI apiUrl() {
        return URI.create("http://127.0.0.1:" + api.getAddress().getPort());
    }

    @Test
    void shouldNotSendTheDiscourseApiKeyToAnotherOrigin() {
        DiscourseApiClient client = new DiscourseApiClient(DiscourseApiClient.Settings.of(apiUrl(), KEY, "system"));

        assertThat(client.get("/away/latest.json").path("ok").asBoolean()).isTrue();

        assertThat(seenByOther).hasSize(1);
        assertThat(seenByOther.get(0).containsKey("Api-Key")).isFalse();
        assertThat(seenByOther.get(0).containsKey("Api-Username")).isFalse();
        assertThat(seenByOther.get(0).toString()).doesNotContain(KEY);
    }

    @Test
    void shouldNotSendTheGitHubTokenToAnotherOrigin() {
        GitHubApiClient client = new GitHubApiClient(GitHubApiClient.Settings.of(apiUrl(), TOKEN), Sleeper.THREAD,
                Clock.systemUTC());

        client.get("/away/repos/o/r/issues");

        assertThat(seenByOther).hasSize(1);
        assertThat(seenByOther.get(0).containsKey("Authorization")).isFalse();
        assertThat(seenByOther.get(0).toString()).doesNotContain(TOKEN);
    }

    @Test
    void shouldKeepCredentialsOnARedirectWithinTheSameOrigin() {
        DiscourseApiClient client = new DiscourseApiClient(DiscourseApiClient.Settings.of(apiUrl(), KEY, "system"));

        assertThat(client.get("/moved/latest.json").path("ok").asBoolean()).isTrue();

        assertThat(seenByApi).hasSize(2);
        assertThat(seenByApi.get(1).getFirst("Api-Key")).isEqualTo(KEY);
        assertThat(seenByOther).isEmpty();
    }
}
