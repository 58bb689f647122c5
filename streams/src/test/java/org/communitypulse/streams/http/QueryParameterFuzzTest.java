package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.PulseSettings;
import org.communitypulse.streams.PulseTopology;
import org.communitypulse.streams.TestEvents;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.common.ViewStores;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.query.DriverViewStores;
import org.communitypulse.streams.roles.RolesModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query parameter of every API route, given values a client should never send (extreme and impossible
 * dates, non-numbers, huge ranges, empty, unicode digits, control characters), over a community that has data:
 * the answer is a 4xx with a reason, or a 2xx, never a 5xx. {@code ?to=-999999999-01-01} once answered 500.
 */
class QueryParameterFuzzTest {

    private static final String COMMUNITY = "c";
    private static final List<String> PARAMETERS = List.of("from", "to", "top", "scope");
    private static final List<String> VALUES = List.of("-999999999-01-01", "+999999999-12-31", "0000-01-01",
            "0001-01-01", "1969-12-31", "9999-12-31", "+10000-01-01", "2026-02-30", "2026-13-01", "2026-1-1",
            "2026-01-01T00:00:00Z", "", " ", "abc", "null", "NaN", "-1", "0", "1", "100", "101", "2147483647",
            "2147483648", "-2147483649", "99999999999999999999", "1e3", "0x10", "\u0661\u0662",
            "\u0662\u0660\u0662\u0666-\u0660\u0661-\u0660\u0661", "\uFF12\uFF10\uFF12\uFF16-01-01", "\uD83D\uDCA5",
            "\u0000", "%", "'; DROP TABLE x; --", "local", "x".repeat(2000));
    private static final List<String> RANGES = List.of("from=0001-01-01&to=9999-12-31", "from=1970-01-01",
            "to=1970-01-01", "from=2026-03-09&to=2026-03-01", "from=9999-12-31", "to=9999-12-31",
            "from=-999999999-01-01&to=+999999999-12-31", "from=2026-03-01&from=2026-03-02", "top=5&top=abc");

    @TempDir
    Path state;
    private TopologyTestDriver driver;
    private Dashboard dashboard;
    private PulseHttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        Topics topics = new Topics("f.", serdes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "fuzz-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(PulseTopology.build(topics, serdes, PulseSettings.of(IntakeSettings.defaults(),
                EngagementSettings.defaults(), AlertSettings.defaults().withWallClock(false), RolesModel.defaults())),
                props);
        TestInputTopic<String, ActivityEvent> activity = driver.createInputTopic(topics.activity().name(),
                topics.activity().keySerde().serializer(), topics.activity().valueSerde().serializer());
        for (int day = 1; day <= 9; day++) {
            ActivityEvent event = TestEvents.event("t" + day, COMMUNITY, EventType.THREAD_CREATED, "m" + day,
                    Instant.parse("2026-03-0" + day + "T10:00:00Z"));
            event.setThreadId("t" + day);
            activity.pipeInput(COMMUNITY, event);
        }
        driver.advanceWallClockTime(EngagementSettings.defaults().emitInterval());
        ViewStores stores = DriverViewStores.of(driver);
        // No advertised address: every question is answered here, from the test driver's stores.
        dashboard = new Dashboard((KafkaStreams) null, stores, Optional.empty());
        server = PulseHttpServer.builder(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> KafkaStreams.State.RUNNING).extension(dashboard).start(TestTokens.settings());
    }

    @AfterEach
    void stop() {
        dashboard.close();
        server.close();
        driver.close();
    }

    @Test
    void shouldAnswer400WithAReasonWhenToIsTheSmallestDate() throws Exception {
        HttpResponse<String> response = get(Dashboard.COMMUNITIES_PATH + "/" + COMMUNITY + "/daily?to=-999999999-01-01");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new ObjectMapper().readTree(response.body()).path("error").asText()).contains("to");
    }

    @Test
    void shouldNeverAnswer5xxWhenAnyParameterOfAnyRouteIsAbsurd() throws Exception {
        List<String> paths = new ArrayList<>();
        for (String route : server.endpoints()) {
            if (route.startsWith("GET /api/") && !route.equals("GET " + Dashboard.EVENTS_PATH)) {
                paths.add(route.substring(4).replace("{id}", COMMUNITY));
            }
        }
        assertThat(paths).contains(Dashboard.COMMUNITIES_PATH + "/" + COMMUNITY + "/daily",
                Dashboard.COMMUNITIES_PATH + "/" + COMMUNITY + "/members", Dashboard.BENCHMARK_PATH);
        // The community has data: the plain question is answered, so the absurd ones reach the queries.
        assertThat(get(Dashboard.COMMUNITIES_PATH + "/" + COMMUNITY + "/daily").statusCode()).isEqualTo(200);
        List<String> failures = new ArrayList<>();
        int asked = 0;
        for (String path : paths) {
            List<String> queries = new ArrayList<>(RANGES);
            for (String parameter : PARAMETERS) {
                for (String value : VALUES) {
                    queries.add(parameter + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
                }
            }
            for (String query : queries) {
                HttpResponse<String> response = get(path + "?" + query);
                asked++;
                int status = response.statusCode();
                if (status >= 500) {
                    failures.add(status + " " + path + "?" + abbreviate(query) + ": " + abbreviate(response.body()));
                } else if (status >= 400 && status != 404 && !response.body().contains("\"error\"")) {
                    failures.add(status + " without a reason " + path + "?" + abbreviate(query));
                }
            }
        }
        assertThat(asked).isGreaterThan(1000);
        assertThat(failures).as("answers to absurd parameters").isEmpty();
        // The live stream too, without an event-stream Accept: refused, not failed.
        assertThat(get(Dashboard.EVENTS_PATH + "?from=" + URLEncoder.encode("\uD83D\uDCA5", StandardCharsets.UTF_8))
                .statusCode()).isBetween(400, 499);
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
                .header("Authorization", "Bearer " + TestTokens.ADMIN).build(), HttpResponse.BodyHandlers.ofString());
    }
}
