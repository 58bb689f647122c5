package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Deserializer;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.CommunityState;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.PulseStreamsConfig;
import org.communitypulse.streams.StreamsCatchUp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out on Kafka itself: three Streams processes share the partitions (one standby replica each),
 * one is killed hard in the middle of the input, the two survivors take its partitions over, and the
 * final outputs equal a single undisturbed instance's, record for record.
 */
class ScaleOutFailoverIT extends PlatformTestBase {

    private static final int INSTANCES = 3;
    private static final Duration EMIT_INTERVAL = Duration.ofSeconds(1);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);


    @Test
    void shouldEqualASingleInstanceRunWhenOneOfThreeInstancesIsKilledMidway(@TempDir Path tmp) throws Exception {
        ReliabilityInput input = ReliabilityInput.fromSystemProperties(7, 6, 800, 30);
        CompletableFuture<OutputSnapshot> single = CompletableFuture.supplyAsync(() -> {
            try {
                return HardKillIT.cleanRun(input, tmp.resolve("single"));
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });

        String prefix = "scale-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String appId = prefix + "app";
        Map<String, String> config = Map.of(
                PulseStreamsConfig.ALERT_WALL_CLOCK_CONFIG, "false",
                PulseStreamsConfig.HTTP_PORT_CONFIG, Integer.toString(PulseStreamsConfig.HTTP_PORT_DISABLED),
                PulseStreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1",
                PulseStreamsConfig.METRICS_EMIT_INTERVAL_CONFIG, Long.toString(EMIT_INTERVAL.toMillis()),
                // A killed member never leaves: the survivors notice it after the session timeout.
                PulseStreamsConfig.STREAMS_PREFIX + "session.timeout.ms", "6000",
                PulseStreamsConfig.STREAMS_PREFIX + "heartbeat.interval.ms", "1500");
        List<StreamsProcess> instances = new ArrayList<>();
        OutputSnapshot shared;
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.ccompatUrl());
             Admin admin = Admin.create(kafka.clientConfig())) {
            Topics topics = new Topics(prefix, new AvroSerdes(client, true));
            PulseStreamsApp.createTopics(kafka.bootstrapServers(), topics.names(), 3);
            input.sendTo(kafka.bootstrapServers(), topics.activity());
            Deserializer<CommunityState> communityState =
                    new AvroSerdes(client, true).forValue(CommunityState.class).deserializer();
            StreamsCatchUp catchUp = new StreamsCatchUp(admin, appId, topics.activity().name());
            try {
                for (int i = 0; i < INSTANCES; i++) {
                    instances.add(StreamsProcess.start(kafka.bootstrapServers(), registry.ccompatUrl(), prefix, appId,
                            tmp.resolve("state-" + i), config, tmp.resolve("instance-" + i + ".log")));
                }
                SettledOutputs.awaitProcessed(catchUp, input.records() / 2, RUN_TIMEOUT, () -> true, () -> "");
                StreamsProcess victim = instances.get(0);
                long at = catchUp.progress().processed();
                victim.kill();
                System.out.printf("[scale-out] killed instance 0 (pid %d) at %d of %d records%n", victim.pid(), at,
                        input.records());
                SettledOutputs.await(admin, catchUp, topics.metricTopics().stream().map(Topic::name)
                                .toList(), EMIT_INTERVAL,
                        () -> SettledOutputs.pendingInChangelog(kafka.bootstrapServers(), appId, communityState),
                        RUN_TIMEOUT, () -> instances.get(1).isAlive() && instances.get(2).isAlive(),
                        () -> instances.get(1).logTail(30));
                shared = OutputSnapshot.read(kafka.bootstrapServers(), topics, appId, Duration.ofMinutes(2));
            } finally {
                for (StreamsProcess instance : instances) {
                    instance.kill();
                }
            }
        }
        OutputSnapshot reference = HardKillIT.result(single);

        assertThat(reference.keys()).as("metric keys of the single-instance run").isGreaterThan(100);
        List<String> differences = reference.differences(shared, 20);
        if (!differences.isEmpty()) {
            fail("Three instances with one killed differ from one instance:%n%s",
                    String.join(System.lineSeparator(), differences));
        }
        assertThat(shared.acceptedEvents()).as("events counted").isEqualTo(input.distinctEvents());
        assertThat(shared.deadLetters()).as("dead letters").isEqualTo(input.poison());
    }
}
