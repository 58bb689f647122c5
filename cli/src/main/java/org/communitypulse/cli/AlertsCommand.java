package org.communitypulse.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.communitypulse.alerting.AlertDeliveryConfig;
import org.communitypulse.alerting.AlertDeliveryService;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdeConfig;
import org.communitypulse.schemas.serde.AvroSerdes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pulse alerts}: what happens to the alerts the Streams application writes. */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = "Work with the alert lifecycle topic (see docs/alerts.md).",
        subcommands = {AlertsCommand.Deliver.class})
final class AlertsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code pulse alerts deliver}: POST every alert to the configured webhooks until stopped. */
    @Command(name = "deliver", mixinStandardHelpOptions = true,
            description = {"Deliver the alert topic to webhooks (Slack incoming webhooks or generic JSON) until stopped, "
                    + "with retries, a dead-letter topic and per-receiver offsets; serves /metrics with "
                    + "pulse_alerts_firing{community,condition}.",
                    "Every pulse.alerts.* setting is also read from the environment as PULSE_ALERTS_* "
                            + "(e.g. PULSE_ALERTS_RECEIVERS). Keep Slack URLs out of the command line: use "
                            + "<name>=slack:env:<VARIABLE> or <name>=slack:file:<path>. See docs/alerts.md#delivery."})
    static final class Deliver implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Option(names = "--receiver", paramLabel = "NAME=FORMAT:LOCATION",
                description = "A receiver (repeatable), format slack or json, location an http(s) URL, env:<VARIABLE> "
                        + "or file:<path>; replaces PULSE_ALERTS_RECEIVERS when given.")
        List<String> receivers = new ArrayList<>();

        @Option(names = "--port", defaultValue = "${env:PULSE_ALERTS_HTTP_PORT}",
                description = "Port of /metrics, /health, /ready (env PULSE_ALERTS_HTTP_PORT); default "
                        + AlertDeliveryConfig.HTTP_PORT_DEFAULT + ", -1 for none.")
        Integer port;

        @Option(names = "--host", defaultValue = "${env:PULSE_ALERTS_HTTP_HOST}",
                description = "Interface of /metrics, /health, /ready (env PULSE_ALERTS_HTTP_HOST); default "
                        + AlertDeliveryConfig.HTTP_HOST_DEFAULT + " (this machine only), 0.0.0.0 for every interface, "
                        + "e.g. in a container that Prometheus scrapes.")
        String host;

        @Option(names = "--owner", paramLabel = "MEMBER=RECEIVER",
                description = "Owner channel (repeatable): alerts owned by this role holder go to this receiver; "
                        + "MEMBER may be COMMUNITY/MEMBER. Replaces PULSE_ALERTS_ROUTING_OWNERS when given.")
        List<String> owners = new ArrayList<>();

        @Option(names = "--owners-file", paramLabel = "PATH",
                description = "File of owner channels, one MEMBER=RECEIVER per line (pulse.alerts.routing.owners.file).")
        String ownersFile;

        @Option(names = "--default-receiver", paramLabel = "NAME",
                description = "Receiver of alerts whose community has no owner to tell; turns owner routing on "
                        + "(pulse.alerts.routing.default.receiver).")
        String defaultReceiver;

        @Option(names = "--owner-roles", paramLabel = "ROLE,...",
                description = "Owner roles in order (pulse.alerts.routing.roles); default "
                        + "community-manager,account-manager,sponsor.")
        String ownerRoles;

        @Option(names = "--config", paramLabel = "KEY=VALUE",
                description = "Extra settings: pulse.alerts.* (see docs/alerts.md#delivery), anything else is passed "
                        + "to the Kafka clients (e.g. security.protocol=SSL).")
        Map<String, String> extra = new HashMap<>();

        @Override
        public Integer call() throws InterruptedException {
            Settings settings = settings(connection, receivers, host, port, extra, System.getenv(), routing());
            CountDownLatch stopped = new CountDownLatch(1);
            AvroSerdeConfig serdeConfig = new AvroSerdeConfig(connection.registryConfig());
            try (SchemaRegistryClient registry = serdeConfig.newClient()) {
                // Reading only: the writer (Streams) registers the schemas.
                Topics topics = new Topics(connection.topicPrefix(), new AvroSerdes(registry, false));
                AlertDeliveryService service = new AlertDeliveryService(settings.delivery(), System.getenv(), topics,
                        settings.clients()).start();
                try {
                    // Close inside the hook: the JVM exits when its hooks end, and a clean close commits the
                    // delivery in flight (otherwise it would be sent again after the restart).
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        service.close();
                        stopped.countDown();
                    }, "pulse-alerts-shutdown"));
                    System.out.println("Delivering " + topics.alerts().name() + " at " + connection.bootstrapServers()
                            + " to " + (service.receivers().isEmpty() ? "no receiver (gauge only)" : service.receivers())
                            + "; dead letters to " + AlertDeliveryService.deadLetterTopic(topics)
                            + (settings.delivery().httpPort() >= 0 ? "; GET /metrics /health /ready on "
                            + settings.delivery().httpHost() + ":" + service.port() : "") + ". Ctrl-C to stop.");
                    while (!stopped.await(1, TimeUnit.SECONDS)) {
                        if (service.failure().isPresent()) {
                            throw new IllegalStateException("alert delivery failed: " + service.failure().get(),
                                    service.failure().get());
                        }
                    }
                } finally {
                    service.close();
                }
            }
            return 0;
        }

        /** The routing options given, as pulse.alerts.routing.* settings. */
        Map<String, String> routing() {
            Map<String, String> routing = new HashMap<>();
            if (!owners.isEmpty()) {
                routing.put(AlertDeliveryConfig.ROUTING_OWNERS_CONFIG, String.join(",", owners));
            }
            if (ownersFile != null && !ownersFile.isBlank()) {
                routing.put(AlertDeliveryConfig.ROUTING_OWNERS_FILE_CONFIG, ownersFile);
            }
            if (defaultReceiver != null && !defaultReceiver.isBlank()) {
                routing.put(AlertDeliveryConfig.ROUTING_DEFAULT_RECEIVER_CONFIG, defaultReceiver);
            }
            if (ownerRoles != null && !ownerRoles.isBlank()) {
                routing.put(AlertDeliveryConfig.ROUTING_ROLES_CONFIG, ownerRoles);
            }
            return routing;
        }
    }

    /** Delivery settings and pass-through Kafka client properties. */
    record Settings(AlertDeliveryConfig delivery, Map<String, Object> clients) {
    }

    /**
     * Settings from, by precedence, options and {@code --config}, then {@code PULSE_ALERTS_*} variables of
     * {@code environment}, then defaults; {@code extra} keys outside pulse.alerts.* go to the Kafka clients.
     */
    static Settings settings(ConnectionOptions connection, List<String> receivers, String host, Integer port,
                             Map<String, String> extra, Map<String, String> environment) {
        return settings(connection, receivers, host, port, extra, environment, Map.of());
    }

    /** As above, plus the routing options ({@code pulse.alerts.routing.*} keys), which win over everything. */
    static Settings settings(ConnectionOptions connection, List<String> receivers, String host, Integer port,
                             Map<String, String> extra, Map<String, String> environment, Map<String, String> routing) {
        Set<String> keys = AlertDeliveryConfig.configDef().names();
        Map<String, Object> delivery = new HashMap<>(AlertDeliveryConfig.fromEnvironment(environment));
        Map<String, Object> clients = new HashMap<>(connection.clientSettings(environment).kafka());
        extra.forEach((key, value) -> (keys.contains(key) ? delivery : clients).put(key, value));
        extra.keySet().stream().filter(key -> key.startsWith(AlertDeliveryConfig.PREFIX) && !keys.contains(key))
                .findFirst().ifPresent(key -> {
                    throw new IllegalArgumentException("unknown setting " + key + " (see docs/alerts.md#delivery)");
                });
        if (!receivers.isEmpty()) {
            delivery.put(AlertDeliveryConfig.RECEIVERS_CONFIG, String.join(",", receivers));
        }
        if (host != null && !host.isBlank()) {
            delivery.put(AlertDeliveryConfig.HTTP_HOST_CONFIG, host);
        }
        if (port != null) {
            delivery.put(AlertDeliveryConfig.HTTP_PORT_CONFIG, port);
        }
        delivery.putAll(routing);
        clients.put("bootstrap.servers", connection.bootstrapServers());
        return new Settings(new AlertDeliveryConfig(delivery), clients);
    }
}
