package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;
import org.communitypulse.alerting.AlertDeliveryConfig;
import org.communitypulse.ingest.http.WebhookServerConfig;
import org.communitypulse.ingest.webhook.WebhookSecrets;
import org.communitypulse.ingest.webhook.WebhookSource;
import org.communitypulse.streams.PulseStreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * The environment that deploy/kubernetes gives each workload, resolved as the kubelet would for one pod, is
 * accepted by the commands' own configuration (types, ranges, receivers) and means what the manifests intend.
 * deploy/kubernetes/validate checks the objects' schemas and names; this checks the values.
 */
class KubernetesManifestsTest {

    private static final Path DIR = Path.of("..", "deploy", "kubernetes");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\((\\w+)\\)");

    @Test
    void shouldAdvertiseEachPodsDnsNameWithStandbyAndStateOnItsVolumeWhenStreamsRunsFromTheStatefulSet() throws IOException {
        JsonNode statefulSet = object("StatefulSet", "pulse-streams");
        Map<String, String> env = environment(statefulSet, "pulse-streams-2", "pulse");

        PulseStreamsConfig config = StreamsCommand.config(connection(env), env.get("PULSE_APPLICATION_ID"),
                Path.of(env.get("PULSE_STATE_DIR")), Map.of(), env);

        assertThat(config.streamsProperties())
                .containsEntry(StreamsConfig.APPLICATION_SERVER_CONFIG,
                        "pulse-streams-2.pulse-streams.pulse.svc.cluster.local:7070")
                .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1)
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, "/var/lib/pulse/streams");
        assertThat(config.httpPort()).hasValue(httpContainerPort(statefulSet));
        // Reachable on the pod's address (probes, Prometheus, the other instances), never without tokens.
        assertThat(config.getString(PulseStreamsConfig.HTTP_HOST_CONFIG)).isEqualTo("0.0.0.0");
        assertThat(config.httpAuthEnabled()).isTrue();
        String mount = statefulSet.at("/spec/template/spec/containers/0/volumeMounts").findValues("mountPath").stream()
                .map(JsonNode::asText).filter(path -> path.contains("pulse-http")).findFirst().orElseThrow();
        assertThat(config.getString(PulseStreamsConfig.HTTP_ADMIN_TOKEN_FILE_CONFIG)).startsWith(mount + "/");
        assertThat(config.getString(PulseStreamsConfig.HTTP_READ_TOKEN_FILE_CONFIG)).startsWith(mount + "/");
        assertThat(config.getList(PulseStreamsConfig.HTTP_ALLOWED_HOSTS_CONFIG)).contains("pulse-dashboard");
        assertThat(statefulSet.at("/spec/serviceName").asText()).isEqualTo("pulse-streams");
        assertThat(config.bootstrapServers()).isEqualTo(object("ConfigMap", "pulse-connection")
                .at("/data/PULSE_BOOTSTRAP_SERVERS").asText());
    }

    @Test
    void shouldListenOnAllInterfacesAtTheContainerPortWithEverySecretWhenIngestRunsFromItsDeployment()
            throws IOException {
        JsonNode deployment = object("Deployment", "pulse-ingest");
        Map<String, String> env = environment(deployment, "pulse-ingest-7d9f-abcde", "pulse");

        WebhooksCommand.Settings settings = WebhooksCommand.settings(Integer.parseInt(env.get("PULSE_WEBHOOKS_PORT")),
                env.get("PULSE_WEBHOOKS_HOST"), env.get("PULSE_WEBHOOKS_COMMUNITY"), Map.of());

        WebhookServerConfig server = settings.server();
        assertThat(server.host()).isEqualTo("0.0.0.0");
        assertThat(server.port()).isEqualTo(httpContainerPort(deployment));
        WebhookSecrets secrets = WebhookSecrets.fromEnvironment(env);
        for (WebhookSource source : WebhookSource.values()) {
            assertThat(secrets.find(source)).as("secret of %s", source).isPresent();
        }
    }

    @Test
    void shouldServeOnAllInterfacesAtTheContainerPortWhenAlertsRunFromItsDeployment() throws IOException {
        JsonNode deployment = object("Deployment", "pulse-alerts");
        Map<String, String> env = environment(deployment, "pulse-alerts-5c8b-fghij", "pulse");

        AlertsCommand.Settings settings = AlertsCommand.settings(connection(env), List.of(),
                env.get("PULSE_ALERTS_HTTP_HOST"), Integer.valueOf(env.get("PULSE_ALERTS_HTTP_PORT")), Map.of(), env);

        AlertDeliveryConfig delivery = settings.delivery();
        assertThat(delivery.httpHost()).isEqualTo("0.0.0.0");
        assertThat(delivery.httpPort()).isEqualTo(httpContainerPort(deployment));
        assertThat(delivery.receivers(env)).as("no receiver until one is configured").isEmpty();
        assertThat(settings.clients()).containsEntry("bootstrap.servers", env.get("PULSE_BOOTSTRAP_SERVERS"));
        assertThat(delivery.routing(delivery.receivers(env))).as("no routing until a default receiver is set").isEmpty();
        assertThat(deployment.at("/spec/replicas").asInt()).as("one router: its transactional id is fixed").isEqualTo(1);

        // The routing settings the Deployment carries, filled in as an operator would: owners and roles arrive.
        Map<String, String> routed = new LinkedHashMap<>(env);
        routed.put("PULSE_ALERTS_RECEIVERS", "ann-chat=json:https://chat.example/ann,ops=json:https://ops.example/alerts");
        assertThat(routed).containsKeys("PULSE_ALERTS_ROUTING_DEFAULT_RECEIVER", "PULSE_ALERTS_ROUTING_OWNERS");
        routed.put("PULSE_ALERTS_ROUTING_DEFAULT_RECEIVER", "ops");
        routed.put("PULSE_ALERTS_ROUTING_OWNERS", "ann=ann-chat");
        AlertDeliveryConfig routedDelivery = AlertsCommand.settings(connection(routed), List.of(),
                routed.get("PULSE_ALERTS_HTTP_HOST"), Integer.valueOf(routed.get("PULSE_ALERTS_HTTP_PORT")), Map.of(),
                routed).delivery();
        org.communitypulse.alerting.OwnerRouting routing = routedDelivery.routing(routedDelivery.receivers(routed))
                .orElseThrow();
        assertThat(routing.defaultReceiver()).isEqualTo("ops");
        assertThat(routing.channels()).containsEntry("ann", "ann-chat");
        assertThat(routing.roles()).as("PULSE_ALERTS_ROUTING_ROLES of the Deployment")
                .isEqualTo(List.of(env.get("PULSE_ALERTS_ROUTING_ROLES").split(",")))
                .isEqualTo(AlertDeliveryConfig.ROUTING_ROLES_DEFAULT);
    }

    /** What picocli's ${env:...} defaults make of the connection variables. */
    private static ConnectionOptions connection(Map<String, String> env) {
        ConnectionOptions connection = new ConnectionOptions();
        connection.bootstrapServers = env.get("PULSE_BOOTSTRAP_SERVERS");
        connection.registryUrl = env.get("PULSE_SCHEMA_REGISTRY_URL");
        connection.topic.prefix = env.get("PULSE_TOPIC_PREFIX");
        return connection;
    }

    /**
     * The container's environment in one pod: its ConfigMaps, then its variables in order with $(VAR) expanded
     * from earlier ones, pod fields from the downward API, and a stand-in value for each Secret key.
     */
    private static Map<String, String> environment(JsonNode workload, String podName, String namespace)
            throws IOException {
        JsonNode container = workload.at("/spec/template/spec/containers/0");
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode source : container.path("envFrom")) {
            object("ConfigMap", source.at("/configMapRef/name").asText()).path("data")
                    .fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asText();
            if (variable.has("value")) {
                env.put(name, expand(variable.path("value").asText(), env));
            } else if (variable.at("/valueFrom/fieldRef").isObject()) {
                String field = variable.at("/valueFrom/fieldRef/fieldPath").asText();
                env.put(name, switch (field) {
                    case "metadata.name" -> podName;
                    case "metadata.namespace" -> namespace;
                    default -> throw new AssertionError("unexpected field " + field);
                });
            } else if (variable.at("/valueFrom/secretKeyRef").isObject()) {
                env.put(name, "stand-in-for-" + variable.at("/valueFrom/secretKeyRef/key").asText() + "-0123456789");
            } else {
                throw new AssertionError("unexpected variable source of " + name);
            }
        }
        return env;
    }

    private static String expand(String value, Map<String, String> earlier) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            // The kubelet leaves an unknown reference as it is.
            m.appendReplacement(out, Matcher.quoteReplacement(earlier.getOrDefault(m.group(1), m.group())));
        }
        return m.appendTail(out).toString();
    }

    private static int httpContainerPort(JsonNode workload) {
        for (JsonNode port : workload.at("/spec/template/spec/containers/0/ports")) {
            if (port.path("name").asText().equals("http")) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no http port");
    }

    /** The object of this kind and name among the kustomization's resources. */
    private static JsonNode object(String kind, String name) throws IOException {
        for (JsonNode object : objects()) {
            if (object.path("kind").asText().equals(kind) && object.at("/metadata/name").asText().equals(name)) {
                return object;
            }
        }
        throw new AssertionError("no " + kind + " " + name + " in " + DIR);
    }

    private static List<JsonNode> objects() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode kustomization = yaml.readTree(DIR.resolve("kustomization.yaml").toFile());
        List<JsonNode> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            try (var parser = yaml.getFactory().createParser(DIR.resolve(resource.asText()).toFile())) {
                yaml.readValues(parser, JsonNode.class).forEachRemaining(objects::add);
            }
        }
        return objects;
    }
}
