package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.communitypulse.alerting.AlertDeliveryConfig;
import org.communitypulse.alerting.AlertDeliveryService;
import org.communitypulse.systemtests.PromQlSelectors.Selector;
import org.communitypulse.ingest.http.WebhookServer;
import org.communitypulse.ingest.http.WebhookServerConfig;
import org.communitypulse.ingest.webhook.WebhookSource;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.AlertSeverity;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.streams.PulseStreamsApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query of every Grafana dashboard and every Prometheus rule selects data from a running pipeline: the Streams application, the webhook
 * service and the alert delivery service run in this JVM on the real broker and registry, are fed a little of
 * everything (accepted, duplicate and dead-lettered events, webhook deliveries accepted, replayed, refused and
 * unmapped, alerts delivered, retried and given up), and their /metrics are scraped. Each series selector of each
 * panel target, template variable and rule (deploy/prometheus/alerts.yml) must match at least one scraped sample, label values included, once the
 * labels Prometheus adds at scrape time (deploy/prometheus/prometheus.yml: job, service, instance) are added, and
 * the series Prometheus makes itself ({@code up} per target, {@code ALERTS} per rule of alerts.yml) are added too.
 */
class DashboardQueriesIT extends PlatformTestBase {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Path DASHBOARDS = DEPLOY.resolve("grafana/dashboards");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");
    /** Separates a second instance of a scraped service from the target it is scraped as. */
    private static final String SECOND_INSTANCE = "@";
    private static final String GITHUB_SECRET = "dashboard-it-secret";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** One sample as Prometheus would store it: scraped labels plus the target's labels. */
    record Sample(String name, Map<String, String> labels) {
    }

    /** One query of a dashboard, where it comes from (dashboard, panel, refId or variable) and its text. */
    record Query(String where, String expr) {
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void shouldSelectDataWithEveryDashboardAndAlertRuleQueryWhenThePipelineRuns(@TempDir Path state) throws Exception {
        long t0 = System.nanoTime();
        List<Query> queries = new ArrayList<>(dashboardQueries());
        int dashboardQueries = queries.size();
        queries.addAll(alertRuleQueries());
        Map<String, Map<String, String>> targets = scrapeTargetLabels();

        String prefix = "dash-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        PulseStreamsApp app = new PulseStreamsApp(SharedPlatform.streamsConfig(prefix, prefix + "app",
                state, Map.of()));
        toClose.add(app);
        app.start();
        app.awaitRunning(Duration.ofSeconds(60));
        WebhookServer webhooks = webhookServer(app.topics());
        Receivers receivers = new Receivers();
        toClose.add(receivers);
        AlertDeliveryService alerts = alertService(app.topics(), receivers, false);
        // Routing to owners is off by default; its series (alerts nobody owns) come from a second, routing service.
        AlertDeliveryService routed = alertService(app.topics(), receivers, true);
        long started = System.nanoTime();

        feedActivity(app);
        feedWebhooks(webhooks.port());
        feedAlerts(app.topics());

        Map<String, Integer> ports = Map.of("streams", app.httpPort().orElseThrow(), "ingest", webhooks.port(),
                "alerts", alerts.port(), "alerts" + SECOND_INSTANCE + "routed", routed.port());
        List<String> report = new ArrayList<>();
        // The Kafka metrics binder looks for new metrics every 5 s, and emission is once a second: poll the scrapes.
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<Sample> samples = scrape(ports, targets);
            report.clear();
            List<String> unmatched = new ArrayList<>();
            for (Query query : queries) {
                for (Selector selector : selectors(query)) {
                    boolean matched = samples.stream().anyMatch(s -> selector.matches(s.name(), s.labels()));
                    report.add(query.where() + " " + selector);
                    if (!matched) {
                        unmatched.add(query.where() + ": " + selector + closest(selector, samples));
                    }
                }
            }
            assertThat(unmatched).as("dashboard and alert rule selectors without a matching series").isEmpty();
        });
        // Template variables must also find values of the label they list.
        List<Sample> samples = scrape(ports, targets);
        for (Map.Entry<String, Integer> service : ports.entrySet()) {
            // Kept as test artifacts: what each service serves, to write queries against.
            Files.writeString(Path.of("target", "DashboardQueriesIT-" + service.getKey() + ".prom"),
                    metricsText(service.getValue()));
        }
        for (Query query : queries) {
            Matcher m = LABEL_VALUES.matcher(query.expr());
            if (m.matches()) {
                Selector selector = PromQlSelectors.extract(m.group(1)).get(0);
                assertThat(samples).as(query.where()).anyMatch(s -> selector.matches(s.name(), s.labels())
                        && !s.labels().getOrDefault(m.group(2), "").isEmpty());
            }
        }
        System.out.printf("[dashboard-it] %d dashboards with %d queries and %d alert rules: %d selectors all matched "
                        + "among %d samples; pipeline up in %d ms, data matched %d ms after feeding, %d ms in all%n",
                dashboardFiles().size(), dashboardQueries, queries.size() - dashboardQueries, report.size(),
                samples.size(),
                (started - t0) / 1_000_000, (System.nanoTime() - started) / 1_000_000, (System.nanoTime() - t0) / 1_000_000);
        Files.write(Path.of("target", "DashboardQueriesIT-selectors.txt"), report);
    }

    @Test
    void shouldUseTheDatasourceAndInstanceVariablesInEveryPanelWhenDashboardsAreProvisioned() throws Exception {
        JsonNode provider = YAML.readTree(DEPLOY.resolve("grafana/provisioning/dashboards/community-pulse.yml").toFile())
                .path("providers").get(0);
        String compose = Files.readString(DEPLOY.resolveSibling("docker-compose.yml"));
        assertThat(compose).as("the provisioned folder is the repository's dashboards folder")
                .contains("./deploy/grafana/dashboards:" + provider.path("options").path("path").asText() + ":ro");
        assertThat(dashboardFiles()).hasSizeGreaterThanOrEqualTo(2);
        Set<String> uids = new TreeSet<>();
        for (Path file : dashboardFiles()) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            assertThat(uids.add(dashboard.path("uid").asText())).as("unique uid " + file).isTrue();
            List<String> variables = dashboard.path("templating").path("list").findValuesAsText("name");
            assertThat(variables).as(file.toString()).contains("datasource", "instance");
            for (JsonNode panel : dashboard.path("panels")) {
                if (panel.path("type").asText().equals("row") || panel.path("type").asText().equals("text")) {
                    continue;
                }
                String where = file.getFileName() + " / " + panel.path("title").asText();
                assertThat(panel.path("datasource").path("uid").asText()).as(where).isEqualTo("${datasource}");
                assertThat(panel.path("targets")).as(where).isNotEmpty().allSatisfy(t -> {
                    assertThat(t.path("datasource").path("uid").asText()).as(where).isEqualTo("${datasource}");
                    assertThat(t.path("expr").asText()).as(where).contains("instance=~\"$instance\"");
                });
            }
        }
    }

    // ------------------------------------------------------------------ the dashboards

    private static List<Path> dashboardFiles() throws IOException {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Every panel target's expr and every query variable's query of every dashboard. */
    private static List<Query> dashboardQueries() throws IOException {
        List<Query> queries = new ArrayList<>();
        for (Path file : dashboardFiles()) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            String name = file.getFileName().toString();
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (variable.path("type").asText().equals("query")) {
                    JsonNode query = variable.path("query");
                    queries.add(new Query(name + " $" + variable.path("name").asText(),
                            query.isTextual() ? query.asText() : query.path("query").asText()));
                }
            }
            List<JsonNode> panels = new ArrayList<>();
            dashboard.path("panels").forEach(p -> {
                panels.add(p);
                p.path("panels").forEach(panels::add); // panels of collapsed rows
            });
            for (JsonNode panel : panels) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new Query(name + " / " + panel.path("title").asText() + " / "
                            + target.path("refId").asText(), target.path("expr").asText()));
                }
            }
        }
        assertThat(queries).isNotEmpty();
        return queries;
    }

    /** Every alerting and recording rule's expr of deploy/prometheus/alerts.yml. */
    private static List<Query> alertRuleQueries() throws IOException {
        List<Query> queries = new ArrayList<>();
        for (JsonNode group : YAML.readTree(DEPLOY.resolve("prometheus/alerts.yml").toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                queries.add(new Query("alerts.yml / " + rule.path(rule.has("alert") ? "alert" : "record").asText(),
                        rule.path("expr").asText()));
            }
        }
        assertThat(queries).isNotEmpty();
        return queries;
    }

    private static List<Selector> selectors(Query query) {
        Matcher m = LABEL_VALUES.matcher(query.expr());
        List<Selector> selectors = PromQlSelectors.extract(m.matches() ? m.group(1) : query.expr());
        assertThat(selectors).as("selectors of " + query.where()).isNotEmpty();
        return selectors;
    }

    /** For a failure message: the labels of the series of the same name, so a wrong label value stands out. */
    private static String closest(Selector selector, List<Sample> samples) {
        List<Map<String, String>> sameName = samples.stream().filter(s -> s.name().equals(selector.metric()))
                .map(Sample::labels).limit(3).toList();
        return sameName.isEmpty() ? " (no series of that name)" : " (series of that name: " + sameName + ")";
    }

    // ------------------------------------------------------------------ what Prometheus adds

    /** Labels Prometheus gives each service's samples, by service label: job and service (instance comes later). */
    private static Map<String, Map<String, String>> scrapeTargetLabels() throws IOException {
        Map<String, Map<String, String>> byService = new HashMap<>();
        for (JsonNode job : YAML.readTree(DEPLOY.resolve("prometheus/prometheus.yml").toFile()).path("scrape_configs")) {
            for (JsonNode target : job.path("static_configs")) {
                String service = target.path("labels").path("service").asText();
                if (!service.isEmpty()) {
                    byService.put(service, Map.of("job", job.path("job_name").asText(), "service", service));
                }
            }
        }
        assertThat(byService).containsOnlyKeys("streams", "ingest", "alerts");
        return byService;
    }

    /** Every service's /metrics with its target labels, plus up per target and ALERTS per alerting rule. */
    private List<Sample> scrape(Map<String, Integer> ports, Map<String, Map<String, String>> targets) throws Exception {
        List<Sample> samples = new ArrayList<>();
        for (Map.Entry<String, Integer> service : ports.entrySet()) {
            Map<String, String> target = new HashMap<>(targets.get(service.getKey().split(SECOND_INSTANCE)[0]));
            target.put("instance", "127.0.0.1:" + service.getValue());
            for (Sample sample : parse(metricsText(service.getValue()))) {
                // Prometheus keeps a scraped label that clashes with a target label as exported_<name>.
                Map<String, String> labels = new HashMap<>(sample.labels());
                target.forEach((k, v) -> {
                    String clash = labels.put(k, v);
                    if (clash != null) {
                        labels.put("exported_" + k, clash);
                    }
                });
                samples.add(new Sample(sample.name(), labels));
            }
            samples.add(new Sample("up", target));
        }
        for (JsonNode group : YAML.readTree(DEPLOY.resolve("prometheus/alerts.yml").toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    for (String alertState : List.of("pending", "firing")) {
                        Map<String, String> labels = new HashMap<>();
                        rule.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                        labels.put("alertname", rule.path("alert").asText());
                        labels.put("alertstate", alertState);
                        samples.add(new Sample("ALERTS", labels));
                    }
                }
            }
        }
        return samples;
    }

    private String metricsText(int port) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("/metrics on " + port).isEqualTo(200);
        return response.body();
    }

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** The Prometheus text format (0.0.4), one sample per line, comments skipped. */
    static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line.strip());
            assertThat(m.matches()).as("Prometheus sample line: " + line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
                }
            }
            samples.add(new Sample(m.group(1), labels));
        }
        return samples;
    }

    // ------------------------------------------------------------------ the pipeline and its input

    private WebhookServer webhookServer(Topics topics) {
        Map<String, Object> props = new HashMap<>();
        props.put(WebhookServerConfig.PORT_CONFIG, 0);
        props.put(WebhookServerConfig.HOST_CONFIG, "127.0.0.1");
        // One test secret posts to the test's path communities (a single-tenant set-up).
        props.put(WebhookServerConfig.ANY_COMMUNITY_CONFIG, true);
        WebhookServer server = WebhookServer.forKafka(new WebhookServerConfig(props),
                Map.of(WebhookSource.GITHUB.secretVariable(), GITHUB_SECRET), kafka.bootstrapServers(),
                topics.activity(), Map.of()).start();
        toClose.add(server);
        return server;
    }

    private AlertDeliveryService alertService(Topics topics, Receivers receivers, boolean routed) {
        Map<String, Object> props = new HashMap<>();
        if (routed) {
            // No community of the test has an owner role holder: every alert goes to the default receiver, unowned.
            props.put(AlertDeliveryConfig.ROUTING_DEFAULT_RECEIVER_CONFIG, "ops");
        }
        props.put(AlertDeliveryConfig.RECEIVERS_CONFIG, "ops=json:" + receivers.url("ok") + ",flaky=json:"
                + receivers.url("flaky") + ",picky=json:" + receivers.url("picky"));
        props.put(AlertDeliveryConfig.HTTP_PORT_CONFIG, 0);
        props.put(AlertDeliveryConfig.HTTP_HOST_CONFIG, "127.0.0.1");
        props.put(AlertDeliveryConfig.GROUP_ID_PREFIX_CONFIG, topics.prefix() + (routed ? "routed-alerts-" : "alerts-"));
        props.put(AlertDeliveryConfig.BACKOFF_INITIAL_MS_CONFIG, 50);
        props.put(AlertDeliveryConfig.BACKOFF_MAX_MS_CONFIG, 200);
        AlertDeliveryService service = new AlertDeliveryService(new AlertDeliveryConfig(props), Map.of(), topics,
                kafka.clientConfig()).start();
        toClose.add(service);
        return service;
    }

    /** Two events, one of them again (duplicate), and a record without a value (dead-lettered). */
    private void feedActivity(PulseStreamsApp app) throws Exception {
        Topics topics = app.topics();
        Instant now = Instant.now().minusSeconds(60);
        ActivityEvent thread = event("dash-e1", EventType.THREAD_CREATED, "ann", now);
        ActivityEvent reply = event("dash-e2", EventType.REPLY_CREATED, "bob", now.plusSeconds(5));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientConfig(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ActivityEvent event : List.of(thread, reply, thread)) {
                producer.send(new ProducerRecord<>(topics.activity().name(), key("dash"),
                        topics.activity().valueSerde().serializer().serialize(topics.activity().name(), event)))
                        .get(20, TimeUnit.SECONDS);
            }
            producer.send(new ProducerRecord<>(topics.activity().name(), key("dash"), null)).get(20, TimeUnit.SECONDS);
        }
    }

    private static ActivityEvent event(String id, EventType type, String actor, Instant at) {
        return ActivityEvent.newBuilder().setEventId(id).setCommunityId("dash").setType(type)
                .setSource(SourcePlatform.GENERATOR).setActorId(actor).setThreadId("t1").setOccurredAt(at)
                .build();
    }

    /** An issue opened (accepted and published), the same delivery again, a ping (unmapped), a bad signature. */
    private void feedWebhooks(int port) throws Exception {
        String issue = "{\"id\":1001,\"number\":1,\"created_at\":\"" + Instant.now().minusSeconds(30)
                + "\",\"user\":{\"id\":42,\"login\":\"ann\"}}";
        String body = "{\"action\":\"opened\",\"issue\":" + issue
                + ",\"repository\":{\"id\":7,\"full_name\":\"octo/demo\",\"owner\":{\"login\":\"octo\"}}}";
        String delivery = UUID.randomUUID().toString();
        assertThat(github(port, "issues", body, delivery, GITHUB_SECRET).statusCode()).isEqualTo(200);
        assertThat(github(port, "issues", body, delivery, GITHUB_SECRET).statusCode()).isEqualTo(200);
        assertThat(github(port, "ping", "{\"zen\":\"Keep it simple.\",\"hook_id\":1}", UUID.randomUUID().toString(),
                GITHUB_SECRET).statusCode()).isEqualTo(200);
        assertThat(github(port, "issues", body, UUID.randomUUID().toString(), "wrong").statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> github(int port, String event, String body, String delivery, String secret)
            throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/github/octo"))
                .header("Content-Type", "application/json").header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(bytes)))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A FIRING and a RESOLVED alert of one community, and a FIRING one of another (left firing). */
    private void feedAlerts(Topics topics) throws Exception {
        LocalDate since = LocalDate.now().minusDays(2);
        List<Alert> alerts = List.of(alert("bikes", AlertCondition.NO_ACTIVITY, AlertState.FIRING, since),
                alert("bikes", AlertCondition.NO_ACTIVITY, AlertState.RESOLVED, since),
                alert("cooking", AlertCondition.BELOW_BASELINE, AlertState.FIRING, since));
        try (KafkaProducer<AlertKey, Alert> producer = new KafkaProducer<>(kafka.clientConfig(),
                topics.alerts().keySerde().serializer(), topics.alerts().valueSerde().serializer())) {
            for (Alert alert : alerts) {
                producer.send(new ProducerRecord<>(topics.alerts().name(),
                        new AlertKey(alert.getCommunityId(), alert.getCondition()), alert)).get(20, TimeUnit.SECONDS);
            }
        }
    }

    private static Alert alert(String community, AlertCondition condition, AlertState state, LocalDate since) {
        return Alert.newBuilder().setAlertId(community + "/" + condition + "/" + since).setCommunityId(community)
                .setCondition(condition).setState(state).setSeverity(AlertSeverity.WARNING).setSince(since)
                .setDay(since).setSummary(community + " " + condition + " " + state).setEvidence(Map.of()).build();
    }

    private static byte[] key(String community) {
        return community.getBytes(StandardCharsets.UTF_8);
    }

    /** Local alert receivers: {@code ok} answers 200, {@code flaky} 503 once then 200, {@code picky} always 400. */
    private static final class Receivers implements AutoCloseable {
        private final HttpServer server;
        private final AtomicInteger flakyCalls = new AtomicInteger();

        Receivers() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                int status = switch (exchange.getRequestURI().getPath()) {
                    case "/flaky" -> flakyCalls.getAndIncrement() == 0 ? 503 : 200;
                    case "/picky" -> 400;
                    default -> 200;
                };
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
