package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.communitypulse.streams.organisation.OrganisationFixtures.WEEK;
import static org.communitypulse.streams.organisation.OrganisationFixtures.card;
import static org.communitypulse.streams.organisation.OrganisationFixtures.coverage;
import static org.communitypulse.streams.organisation.OrganisationFixtures.health;
import static org.communitypulse.streams.organisation.OrganisationFixtures.key;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.CommunityRoleKey;
import org.communitypulse.schemas.avro.HealthStatus;
import org.communitypulse.streams.PulseStreamsApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The organisation roll-ups on the real broker and registry, two instances on four partitions: the maturity and
 * roles output records are produced here (as those families would write them), rolled up through the roll-ups'
 * repartition and foreign-key join topics, and either instance's API answers with every instance's records.
 */
class OrganisationIT {

    @RegisterExtension
    static final RealPlatform PLATFORM = new RealPlatform();

    @Test
    void shouldRollCommunitiesUpAndAnswerFromEitherInstance(@TempDir Path stateA, @TempDir Path stateB)
            throws Exception {
        String prefix = "org-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        try (PulseStreamsApp a = DashboardPipeline.start(PLATFORM.kafka(), PLATFORM.registry(), prefix, stateA, 4);
             PulseStreamsApp b = DashboardPipeline.start(PLATFORM.kafka(), PLATFORM.registry(), prefix, stateB, 4);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, PLATFORM.kafka().bootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            a.awaitRunning(Duration.ofSeconds(90));
            b.awaitRunning(Duration.ofSeconds(90));
            var topics = a.topics();
            for (int week = 0; week < 3; week++) {
                send(producer, topics.maturityScorecard(), key("c1", WEEK.plusWeeks(week)),
                        card("c1", "acme", WEEK.plusWeeks(week), 2, 40 + week, Map.of("strategy",
                                new double[] {2, 40 + week})));
                send(producer, topics.maturityScorecard(), key("c2", WEEK.plusWeeks(week)),
                        card("c2", "acme", WEEK.plusWeeks(week), 3, 60, Map.of("strategy", new double[] {3, 60})));
            }
            send(producer, topics.communityHealth(), key("c1", WEEK), health("c1", "acme", WEEK, 70,
                    HealthStatus.HEALTHY, 10));
            send(producer, topics.roleCoverage(), new CommunityRoleKey("c2", "moderator"),
                    coverage("c2", "moderator", false));

            for (PulseStreamsApp app : new PulseStreamsApp[] {a, b}) {
                int port = app.httpPort().orElseThrow();
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                    JsonNode acme = DashboardPipeline.json(port, Dashboard.ORGANISATIONS_PATH + "/acme");
                    assertThat(acme.path("partial").asBoolean()).isFalse();
                    assertThat(acme.at("/scorecard/periodStart").asText()).isEqualTo(WEEK.plusWeeks(2).toString());
                    assertThat(acme.at("/scorecard/overallScore").asDouble()).isEqualTo(51.0);
                    assertThat(acme.at("/health/score").asDouble()).isEqualTo(70.0);
                    assertThat(acme.at("/coverage/0/vacantCommunities/0").asText()).isEqualTo("c2");
                    JsonNode weeks = DashboardPipeline.json(port, Dashboard.ORGANISATIONS_PATH + "/acme/scorecard");
                    assertThat(weeks.path("scorecards")).hasSize(3);
                });
            }

            // c2's latest week moves to globex: its coverage follows, acme keeps its earlier weeks.
            send(producer, topics.maturityScorecard(), key("c2", WEEK.plusWeeks(2)),
                    card("c2", "globex", WEEK.plusWeeks(2), 3, 60, Map.of()));
            int port = b.httpPort().orElseThrow();
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                JsonNode list = DashboardPipeline.json(port, Dashboard.ORGANISATIONS_PATH);
                assertThat(list.path("organisations").findValuesAsText("organisationId"))
                        .containsExactly("acme", "globex");
                JsonNode acme = DashboardPipeline.json(port, Dashboard.ORGANISATIONS_PATH + "/acme");
                assertThat(acme.at("/scorecard/communityCount").asInt()).isEqualTo(1);
                assertThat(acme.path("coverage")).isEmpty();
                JsonNode globex = DashboardPipeline.json(port, Dashboard.ORGANISATIONS_PATH + "/globex");
                assertThat(globex.at("/coverage/0/vacantCommunities/0").asText()).isEqualTo("c2");
            });
        }
    }

    private static <K, V> void send(KafkaProducer<byte[], byte[]> producer, Topic<K, V> topic, K key, V value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(), key),
                topic.valueSerde().serializer().serialize(topic.name(), value))).get(20, TimeUnit.SECONDS);
    }
}
