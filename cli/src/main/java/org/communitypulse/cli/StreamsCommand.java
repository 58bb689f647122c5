package org.communitypulse.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.PulseStreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pulse streams}: run the Streams application against an existing cluster until stopped.
 *
 * <p>Every setting of {@link PulseStreamsConfig} can also come from the environment as {@code PULSE_<KEY>}
 * (docs/configuration.md), which is how the containers are configured. Precedence: options, then
 * {@code --config}, then the environment, then the defaults.
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = {"Run the Kafka Streams application (all topologies) against an existing Kafka and registry.",
                "Every setting is also read from the environment as PULSE_<KEY> with dots as underscores, "
                        + "e.g. PULSE_HTTP_PORT=-1, PULSE_STREAMS_NUM_STREAM_THREADS=2 (see docs/configuration.md)."})
final class StreamsCommand implements Callable<Integer> {

    /** Longer than PulseStreamsApp's close timeout (30 s); container stop grace periods must exceed it. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(40);

    @Mixin
    ConnectionOptions connection;

    static final Path DEFAULT_STATE_DIR = Path.of(".pulse", "streams");

    @Mixin
    StreamsAppOptions app;

    @Option(names = "--config", paramLabel = "KEY=VALUE",
            description = "Extra settings, e.g. lateness.horizon.ms=604800000 or streams.num.stream.threads=2.")
    Map<String, String> extra = new HashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> settings = new HashMap<>(extra);
        app.httpHost().ifPresent(host -> settings.put(PulseStreamsConfig.HTTP_HOST_CONFIG, host));
        PulseStreamsConfig config = config(connection, app.applicationId, app.stateDir(DEFAULT_STATE_DIR), settings);
        // Waiting for the close on SIGTERM, the instance commits and leaves its group and the others take over its
        // partitions at once, not after a session timeout (measured: about 70 s without the wait).
        try (SignalStop signal = SignalStop.install("pulse-shutdown", SHUTDOWN_WAIT);
             PulseStreamsApp app = new PulseStreamsApp(config)) {
            app.start();
            String http = app.httpPort().isPresent()
                    ? "; dashboard and metrics on " + config.getString(PulseStreamsConfig.HTTP_HOST_CONFIG) + ":"
                    + app.httpPort().getAsInt() + app.generatedTokenFile().map(file -> " (admin token in " + file
                    + ")").orElse("") : "";
            System.out.println("Streams application '" + config.applicationId() + "' running against "
                    + connection.bootstrapServers() + "; output topic " + app.topics().dailyEngagement().name()
                    + http + ". Ctrl-C to stop.");
            signal.await();
        }
        return 0;
    }

    static PulseStreamsConfig config(ConnectionOptions connection, String applicationId, Path stateDir,
                                     Map<String, String> extra) {
        return config(connection, applicationId, stateDir, extra, System.getenv());
    }

    /** As above with {@code environment} in place of the process environment. */
    static PulseStreamsConfig config(ConnectionOptions connection, String applicationId, Path stateDir,
                                     Map<String, String> extra, Map<String, String> environment) {
        return new PulseStreamsConfig(settings(connection.bootstrapServers(), connection.registryUrl(),
                connection.topicPrefix(), applicationId, stateDir, extra, environment,
                connection.clientSettings(environment)));
    }

    /**
     * The settings in order of precedence: the named values (options, which read their own PULSE_* variables
     * as picocli defaults), then {@code extra}, then the rest of the environment.
     */
    static Map<String, Object> settings(String bootstrapServers, String registryUrl, String topicPrefix,
                                        String applicationId, Path stateDir, Map<String, String> extra,
                                        Map<String, String> environment) {
        return settings(bootstrapServers, registryUrl, topicPrefix, applicationId, stateDir, extra, environment,
                ClientSettings.none());
    }

    /**
     * As above; {@code client}'s Kafka properties go to every Streams client (as streams.*, under {@code extra})
     * and its registry credentials to the application's registry client.
     */
    static Map<String, Object> settings(String bootstrapServers, String registryUrl, String topicPrefix,
                                        String applicationId, Path stateDir, Map<String, String> extra,
                                        Map<String, String> environment, ClientSettings client) {
        Map<String, Object> props = new HashMap<>(PulseStreamsConfig.fromEnvironment(environment));
        props.putAll(client.kafka(PulseStreamsConfig.STREAMS_PREFIX));
        if (client.registryUserInfo() != null) {
            props.put(PulseStreamsConfig.SCHEMA_REGISTRY_USER_INFO_CONFIG, client.registryUserInfo());
        }
        if (client.registryBearerToken() != null) {
            props.put(PulseStreamsConfig.SCHEMA_REGISTRY_BEARER_TOKEN_CONFIG, client.registryBearerToken());
        }
        props.putAll(extra);
        props.put(PulseStreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(PulseStreamsConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        props.put(PulseStreamsConfig.TOPIC_PREFIX_CONFIG, topicPrefix);
        props.put(PulseStreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(PulseStreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        return props;
    }
}
