package org.communitypulse.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.communitypulse.ingest.http.WebhookServer;
import org.communitypulse.ingest.http.WebhookServerConfig;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pulse webhooks}: receive signed platform webhooks and publish them to the activity topic until stopped. */
@Command(name = "webhooks", mixinStandardHelpOptions = true,
        description = {"Receive signed webhooks from Discourse, Slack and GitHub and publish activity events to Kafka.",
                "Secrets come from the environment: PULSE_DISCOURSE_SECRET, PULSE_SLACK_SECRET, PULSE_GITHUB_SECRET "
                        + "(or the same names with _FILE naming a file). Member ids are pseudonymised when "
                        + "PULSE_PSEUDONYM_KEY(_FILE) is set. See docs/webhooks.md."})
final class WebhooksCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--port", defaultValue = "${env:PULSE_WEBHOOKS_PORT:-8080}",
            description = "HTTP port (env PULSE_WEBHOOKS_PORT). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = "${env:PULSE_WEBHOOKS_HOST:-" + WebhookServerConfig.HOST_DEFAULT + "}",
            description = "Interface to listen on (env PULSE_WEBHOOKS_HOST); 0.0.0.0 for every interface, e.g. in a "
                    + "container. Default: ${DEFAULT-VALUE} (this machine only).")
    String host;

    @Option(names = "--community", defaultValue = "${env:PULSE_WEBHOOKS_COMMUNITY}",
            description = "Community for requests whose path names none and whose sender is not in a "
                    + "pulse.webhooks.<platform>.communities list (env PULSE_WEBHOOKS_COMMUNITY).")
    String community;

    @Option(names = "--config", paramLabel = "KEY=VALUE",
            description = "Extra settings: pulse.webhooks.* (see docs/webhooks.md), anything else is passed to the "
                    + "Kafka producer (e.g. security.protocol=SSL).")
    Map<String, String> extra = new HashMap<>();

    /** Longer than the server's own close (HTTP stop, then the producer's close of at most 5 s). */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(8);

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> clientAndExtra = new HashMap<>();
        connection.kafkaProperties().forEach((key, value) -> clientAndExtra.put(key, String.valueOf(value)));
        clientAndExtra.putAll(extra);
        Settings settings = settings(port, host, community, clientAndExtra);
        // Waiting for the close on a signal, requests in flight are answered and the producer is closed before
        // the process ends.
        try (SignalStop signal = SignalStop.install("pulse-webhooks-shutdown", SHUTDOWN_WAIT);
             SchemaRegistryClient registry = connection.registryClient()) {
            Topics topics = new Topics(connection.topicPrefix(), new AvroSerdes(registry, true));
            try (WebhookServer server = WebhookServer.forKafka(settings.server(), System.getenv(),
                    connection.bootstrapServers(), topics.activity(), topics.erasures(), topics.webhookDeliveries(),
                    settings.producer()).start()) {
                System.out.println("Receiving webhooks for " + server.enabledSources() + " on port " + server.port()
                        + " (POST /webhooks/<platform>[/<community>], GET /health /ready /metrics); publishing to "
                        + topics.activity().name() + " at " + connection.bootstrapServers() + "; member ids "
                        + (server.pseudonymised() ? "pseudonymised" : "NOT pseudonymised (no key set)")
                        + ". Ctrl-C to stop.");
                signal.await();
            }
        }
        return 0;
    }

    /** Server settings and pass-through producer properties. */
    record Settings(WebhookServerConfig server, Map<String, Object> producer) {
    }

    /** Splits {@code extra} into server settings (pulse.webhooks.*) and producer properties (the rest). */
    static Settings settings(int port, String host, String community, Map<String, String> extra) {
        Set<String> serverKeys = WebhookServerConfig.configDef().names();
        Map<String, Object> server = new HashMap<>();
        Map<String, Object> producer = new HashMap<>();
        extra.forEach((key, value) -> (serverKeys.contains(key) ? server : producer).put(key, value));
        extra.keySet().stream().filter(key -> key.startsWith("pulse.webhooks.") && !serverKeys.contains(key))
                .findFirst().ifPresent(key -> {
                    throw new IllegalArgumentException("unknown setting " + key + " (see docs/webhooks.md)");
                });
        server.put(WebhookServerConfig.PORT_CONFIG, port);
        server.put(WebhookServerConfig.HOST_CONFIG, host);
        if (community != null && !community.isBlank()) {
            server.put(WebhookServerConfig.DEFAULT_COMMUNITY_CONFIG, community);
        }
        return new Settings(new WebhookServerConfig(server), producer);
    }
}
