package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * The HTTP routes of a Streams instance are documented where people look for them: the dashboard's JSON API
 * in docs/dashboard.md (the API table), the operational endpoints in docs/configuration.md (a path alone is a GET). The routes are those
 * Javalin registers, so a route added, renamed or removed without its line fails here.
 */
class HttpDocTest {

    private static final Path DASHBOARD_DOC = Path.of("..", "docs", "dashboard.md");
    private static final Path CONFIGURATION_DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void shouldDocumentEveryRouteWhenDocsAreCurrent() throws IOException {
        Set<String> routes = routes();
        Set<String> api = new TreeSet<>();
        Set<String> operational = new TreeSet<>();
        routes.forEach(route -> (route.substring(route.indexOf(' ') + 1).startsWith("/api/") ? api : operational).add(route));

        assertThat(api).as("the dashboard's routes").contains("GET /api/communities/{id}/maturity", "GET /api/events");
        assertThat(documented(DASHBOARD_DOC, Pattern.compile("(?m)^\\| `((?:GET|POST) /api/[^`?]*)(\\?[^`]*)?` \\|")))
                .as("requests in the API table of " + DASHBOARD_DOC).containsExactlyInAnyOrderElementsOf(api);
        assertThat(documented(CONFIGURATION_DOC, Pattern.compile("(?m)^\\| `((?:(?:GET|POST) )?/[a-z]+)` \\|")).stream()
                .map(route -> route.contains(" ") ? route : "GET " + route).toList())
                .as("paths in the HTTP endpoints table of " + CONFIGURATION_DOC)
                .containsExactlyInAnyOrderElementsOf(operational);
    }

    /** Method and path of every handler an instance serves (the dashboard included), as Javalin registers them. */
    private static Set<String> routes() {
        // Nothing here is queried: the routes are registered without asking Kafka Streams or its stores.
        try (Dashboard dashboard = new Dashboard(null, null, Optional.empty());
             PulseHttpServer server = PulseHttpServer.builder(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                     () -> KafkaStreams.State.RUNNING).extension(dashboard).start(TestTokens.settings())) {
            return new TreeSet<>(server.endpoints());
        }
    }

    private static Set<String> documented(Path doc, Pattern row) throws IOException {
        Set<String> found = new TreeSet<>();
        Matcher m = row.matcher(Files.readString(doc));
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
