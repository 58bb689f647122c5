package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.common.ViewStores;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.engagement.EngagementTopology;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.query.StreamsViewStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who gets what from the HTTP server: tokens and scopes, the browser's login cookie, the Host check, CORS, the
 * bind address and the live-update limit. The dashboard runs over a Kafka Streams instance that is never started,
 * so a request that passes the checks is answered 503 (state not queryable): a status other than 401/403/421.
 */
class HttpAccessTest {

    private static final String MEMBERS = Dashboard.COMMUNITIES_PATH + "/c1/members";
    private static final String DAILY = Dashboard.COMMUNITIES_PATH + "/c1/daily";
    private static final List<String> ADMIN_ROUTES = List.of(MEMBERS, Dashboard.COMMUNITIES_PATH + "/c1/roles",
            Dashboard.COMMUNITIES_PATH + "/c1/violations", Dashboard.COMMUNITIES_PATH + "/c1/alerts");

    @TempDir
    Path state;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<AutoCloseable> open = new ArrayList<>();
    private KafkaStreams streams;

    @BeforeEach
    void streams() {
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        Topics topics = new Topics("a.", serdes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "http-access-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        streams = new KafkaStreams(EngagementTopology.build(topics, serdes, IntakeSettings.defaults(),
                EngagementSettings.defaults(), AlertSettings.defaults()), props);
    }

    @AfterEach
    void close() throws Exception {
        // Dashboards (their live clients) before servers, as the application closes them.
        for (AutoCloseable c : open) {
            c.close();
        }
        streams.close();
    }

    private PulseHttpServer start(UnaryOperator<HttpSettings> settings) {
        return start(settings, new StreamsViewStores(streams, "a.activity"));
    }

    private PulseHttpServer start(UnaryOperator<HttpSettings> settings, ViewStores stores) {
        HttpSettings chosen = settings.apply(TestTokens.settings());
        Dashboard dashboard = new Dashboard(streams, stores, Optional.empty(), chosen.tokens(), chosen.maxSseClients());
        open.add(dashboard);
        PulseHttpServer server = PulseHttpServer.builder(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                streams::state).extension(dashboard).start(chosen);
        open.add(server);
        return server;
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(PulseHttpServer server, String path, String token) throws Exception {
        return send(TestTokens.get(server.port(), path, token));
    }

    @Test
    void shouldRefuseEveryRouteButTheOpenOnesWhenNoTokenIsGiven() throws Exception {
        PulseHttpServer server = start(s -> s);
        Set<String> open = Set.of("GET /health", "GET /ready", "GET /metrics", "GET /login", "POST /login",
                "POST /logout", "GET " + PulseHttpServer.OPENAPI_PATH);
        List<String> checked = new ArrayList<>();
        for (String route : server.endpoints()) {
            if (open.contains(route)) {
                continue;
            }
            String path = route.substring(route.indexOf(' ') + 1).replace("{id}", "c1")
                    .replace("{condition}", "NO_ACTIVITY");
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
            if (route.startsWith("POST ")) {
                request.POST(HttpRequest.BodyPublishers.noBody());
            }
            for (String token : new String[] {null, "not-a-token-but-long-enough", TestTokens.READ + "x"}) {
                if (token != null) {
                    request.setHeader("Authorization", "Bearer " + token);
                }
                HttpResponse<String> response = send(request.build());
                assertThat(response.statusCode()).as(route + " with " + token).isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).as(route).hasValueSatisfying(
                        value -> assertThat(value).startsWith("Bearer"));
                assertThat(response.body()).as(route).contains("\"error\"");
            }
            checked.add(route);
        }
        assertThat(checked).contains("GET " + Dashboard.COMMUNITIES_PATH, "GET " + MEMBERS.replace("c1", "{id}"),
                "GET " + Dashboard.EVENTS_PATH, "GET " + Dashboard.BENCHMARK_PATH);
        // The static page and anything unknown are behind the token too (deny by default).
        assertThat(get(server, "/index.html", null).statusCode()).isEqualTo(401);
        assertThat(get(server, "/nope", null).statusCode()).isEqualTo(401);
        assertThat(get(server, PulseHttpServer.HEALTH_PATH, null).statusCode()).isEqualTo(200);
        assertThat(get(server, PulseHttpServer.READY_PATH, null).statusCode()).isEqualTo(503);
        assertThat(get(server, PulseHttpServer.OPENAPI_PATH, null).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAllowAdminRoutesOnlyToTheAdminTokenWhenTheReadTokenIsGiven() throws Exception {
        PulseHttpServer server = start(s -> s);
        for (String path : ADMIN_ROUTES) {
            assertThat(get(server, path, TestTokens.READ).statusCode()).as(path).isEqualTo(403);
            assertThat(get(server, path, TestTokens.ADMIN).statusCode()).as(path).isEqualTo(503);
            // Percent-encoding the path names the same route: the scope follows the route, not the text.
            String encoded = path.replace("/members", "/%6Dembers").replace("/roles", "/%72oles")
                    .replace("/violations", "/%76iolations").replace("/alerts", "/%61lerts");
            assertThat(get(server, encoded, TestTokens.READ).statusCode()).as(encoded).isIn(403, 400, 404);
        }
        assertThat(get(server, DAILY, TestTokens.READ).statusCode()).isEqualTo(503);
        // The alerts' acknowledgement and snooze, without summaries and evidence, are for the read scope too.
        assertThat(get(server, Dashboard.COMMUNITIES_PATH + "/c1/alert-states", TestTokens.READ).statusCode()).isEqualTo(503);
        assertThat(get(server, Dashboard.COMMUNITIES_PATH, TestTokens.READ).statusCode()).isNotIn(401, 403);
        assertThat(get(server, "/", TestTokens.READ).statusCode()).isEqualTo(200);
        // Basic authentication with the token as password, whatever the user name.
        String basic = Base64.getEncoder().encodeToString(("anyone:" + TestTokens.ADMIN).getBytes(StandardCharsets.UTF_8));
        assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + MEMBERS))
                .header("Authorization", "Basic " + basic).build()).statusCode()).isEqualTo(503);
    }

    @Test
    void shouldLogABrowserInWithAnHttpOnlyStrictCookieWhenTheTokenIsPosted() throws Exception {
        PulseHttpServer server = start(s -> s);
        String base = "http://127.0.0.1:" + server.port();
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + "/")).header("Accept", "text/html").build());
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).contains(AccessControl.LOGIN_PATH);
        assertThat(get(server, AccessControl.LOGIN_PATH, null).body()).contains("<form method=\"post\"");

        HttpResponse<String> wrong = send(form(base, "token=wrong-token-of-enough-length"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> login = send(form(base, "token=" + TestTokens.READ));
        assertThat(login.statusCode()).isEqualTo(303);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(AccessControl.COOKIE + "=").contains("HttpOnly", "SameSite=Strict", "Path=/")
                .doesNotContain(TestTokens.READ);
        String session = cookie.substring(0, cookie.indexOf(';'));
        HttpResponse<String> withCookie = send(HttpRequest.newBuilder(URI.create(base + DAILY))
                .header("Cookie", session).build());
        assertThat(withCookie.statusCode()).isEqualTo(503);
        assertThat(send(HttpRequest.newBuilder(URI.create(base + MEMBERS)).header("Cookie", session).build())
                .statusCode()).isEqualTo(403);

        // The login URL pulse run prints: the token leaves the address bar by the redirect.
        HttpResponse<String> link = get(server, AccessControl.LOGIN_PATH + "?token=" + TestTokens.ADMIN, null);
        assertThat(link.statusCode()).isEqualTo(303);
        assertThat(link.headers().firstValue("Location")).contains("/");
        assertThat(link.headers().firstValue("Set-Cookie")).isPresent();

        // A form posted from another site's page is refused.
        HttpResponse<String> crossSite = send(HttpRequest.newBuilder(URI.create(base + AccessControl.LOGIN_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TestTokens.READ)).build());
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> fetchedCrossSite = send(HttpRequest.newBuilder(URI.create(base + AccessControl.LOGIN_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Sec-Fetch-Site", "cross-site")
                .header("Origin", "null").POST(HttpRequest.BodyPublishers.ofString("token=" + TestTokens.READ)).build());
        assertThat(fetchedCrossSite.statusCode()).isEqualTo(403);
    }

    private static HttpRequest form(String base, String body) {
        return HttpRequest.newBuilder(URI.create(base + AccessControl.LOGIN_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void shouldRefuseAForeignHostHeaderWhenNotAllowed() throws Exception {
        PulseHttpServer server = start(s -> s.withAllowedHosts(Set.of("pulse.example.org")));
        String auth = "Authorization: Bearer " + TestTokens.ADMIN + "\r\n";
        assertThat(rawStatus(server, DAILY, "rebound.attacker.example:" + server.port(), auth)).isEqualTo(421);
        assertThat(rawStatus(server, "/", "rebound.attacker.example", auth)).isEqualTo(421);
        assertThat(rawStatus(server, DAILY, "localhost:" + server.port(), auth)).isEqualTo(503);
        assertThat(rawStatus(server, DAILY, "127.0.0.1", auth)).isEqualTo(503);
        assertThat(rawStatus(server, DAILY, "[::1]:" + server.port(), auth)).isEqualTo(503);
        assertThat(rawStatus(server, DAILY, "PULSE.example.org", auth)).isEqualTo(503);
        // Probes come by pod IP.
        assertThat(rawStatus(server, PulseHttpServer.HEALTH_PATH, "10.1.2.3:7070", "")).isEqualTo(200);

        PulseHttpServer any = start(s -> s.withAllowedHosts(Set.of(HttpSettings.ANY_HOST)));
        assertThat(rawStatus(any, DAILY, "rebound.attacker.example", auth)).isEqualTo(503);
    }

    private static int rawStatus(PulseHttpServer server, String path, String host, String headers) throws IOException {
        String response = TestTokens.raw(server.port(), "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers
                + "Connection: close\r\n\r\n");
        return Integer.parseInt(response.substring(9, 12));
    }

    @Test
    void shouldSendCorsHeadersOnlyForConfiguredOrigins() throws Exception {
        PulseHttpServer closed = start(s -> s);
        HttpResponse<String> none = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closed.port() + DAILY))
                .header("Origin", "https://app.example.org").header("Authorization", "Bearer " + TestTokens.READ).build());
        assertThat(none.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        PulseHttpServer cors = start(s -> s.withCorsOrigins(List.of("https://app.example.org")));
        HttpResponse<String> allowed = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cors.port() + DAILY))
                .header("Origin", "https://app.example.org").header("Authorization", "Bearer " + TestTokens.READ).build());
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.org");
        HttpResponse<String> other = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cors.port() + DAILY))
                .header("Origin", "https://evil.example").header("Authorization", "Bearer " + TestTokens.READ).build());
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void shouldNeedTheReadTokenForMetricsWhenMetricsAreNotPublic() throws Exception {
        PulseHttpServer open = start(s -> s);
        assertThat(get(open, PulseHttpServer.METRICS_PATH, null).statusCode()).isEqualTo(200);
        PulseHttpServer closed = start(s -> s.withMetricsPublic(false));
        assertThat(get(closed, PulseHttpServer.METRICS_PATH, null).statusCode()).isEqualTo(401);
        assertThat(get(closed, PulseHttpServer.METRICS_PATH, TestTokens.READ).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldListenOnLoopbackOnlyWhenHostIsTheDefault() throws Exception {
        Optional<InetAddress> external = NetworkInterface.networkInterfaces().filter(this::up)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
        Assumptions.assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address");
        PulseHttpServer server = start(s -> s);
        assertThat(server.settings().host()).isEqualTo(HttpSettings.DEFAULT_HOST);
        try (Socket loopback = new Socket()) {
            loopback.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
        }
        assertThatThrownBy(() -> {
            try (Socket outside = new Socket()) {
                outside.connect(new InetSocketAddress(external.get(), server.port()), 2000);
            }
        }).isInstanceOf(ConnectException.class);

        PulseHttpServer everywhere = start(s -> new HttpSettings("0.0.0.0", 0, s.tokens(), true, Set.of(), List.of(),
                s.maxSseClients(), s.idleTimeout(), s.minRequestDataRate()));
        try (Socket outside = new Socket()) {
            outside.connect(new InetSocketAddress(external.get(), everywhere.port()), 2000);
        }
    }

    private boolean up(NetworkInterface network) {
        try {
            return network.isUp();
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void shouldTurnAwayLiveClientsBeyondTheLimitWith503AndRetryAfter() throws Exception {
        // State never queryable (a long rebalance): no document to push, only keep-alives find gone clients.
        ViewStores rebalancing = new ViewStores() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
                throw new InvalidStateStoreException("rebalancing");
            }

            @Override
            public <V> List<ReadOnlyKeyValueStore<String, V>> partitions(String name) {
                throw new InvalidStateStoreException("rebalancing");
            }
        };
        PulseHttpServer server = start(s -> s.withMaxSseClients(2), rebalancing);
        List<InputStream> streamsOpen = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            HttpResponse<InputStream> live = http.send(sse(server), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            streamsOpen.add(live.body());
        }
        HttpResponse<String> third = http.send(sse(server), HttpResponse.BodyHandlers.ofString());
        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.headers().firstValue("Retry-After")).contains(Dashboard.SSE_RETRY_AFTER_SECONDS);
        assertThat(third.body()).contains("too many");
        // A request that is not an event stream does not keep a slot.
        assertThat(get(server, Dashboard.EVENTS_PATH, TestTokens.READ).statusCode()).isIn(406, 503);

        // A client that goes away frees its slot (found on the next keep-alive write).
        streamsOpen.get(0).close();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            HttpResponse<InputStream> again = http.send(sse(server), HttpResponse.BodyHandlers.ofInputStream());
            try {
                assertThat(again.statusCode()).isEqualTo(200);
                streamsOpen.add(again.body());
            } finally {
                if (again.statusCode() != 200) {
                    again.body().close();
                }
            }
        });
        for (InputStream in : streamsOpen) {
            in.close();
        }
    }

    private static HttpRequest sse(PulseHttpServer server) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + Dashboard.EVENTS_PATH))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + TestTokens.READ).build();
    }

    @Test
    void shouldCloseASlowRequestBodyWhenItStalls() throws Exception {
        PulseHttpServer server = start(s -> s.withIdleTimeout(Duration.ofSeconds(1)));
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(("POST " + AccessControl.LOGIN_PATH + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ntoken=")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            long started = System.nanoTime();
            // The server gives up on the body and closes; the read ends (a response or end of stream) long
            // before the 15 s socket timeout.
            byte[] answer = socket.getInputStream().readAllBytes();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            assertThat(text.isEmpty() || !text.startsWith("HTTP/1.1 303")).as(text).isTrue();
        }
    }

    @Test
    void shouldNotRevealTokensWhenPrinted() {
        assertThat(TestTokens.tokens().toString()).doesNotContain(TestTokens.READ).doesNotContain(TestTokens.ADMIN);
        assertThatThrownBy(() -> AccessTokens.of("short", null)).hasMessageContaining("shorter");
        assertThatThrownBy(() -> AccessTokens.of(TestTokens.READ, TestTokens.READ)).hasMessageContaining("differ");
        assertThat(TestTokens.tokens().scopeOf(TestTokens.ADMIN)).contains(AccessTokens.Scope.ADMIN);
        assertThat(TestTokens.tokens().scopeOf(TestTokens.READ)).contains(AccessTokens.Scope.READ);
        assertThat(TestTokens.tokens().scopeOf(TestTokens.READ.substring(1))).isEmpty();
        assertThat(AccessTokens.generate()).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(AccessTokens.generate());
    }
}
