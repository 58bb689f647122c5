package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsResult;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.communitypulse.streams.StreamsCatchUp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link StreamsCatchUp} on a real broker, with the group's offsets set by hand: it counts the input, waits for the
 * application's repartition topics too, even one created after its first look, and lists the cluster's topics once
 * while the application is behind, not at every call.
 */
class StreamsCatchUpIT {

    @RegisterExtension
    static final RealPlatform PLATFORM = new RealPlatform();

    @Test
    void shouldWaitForEveryRepartitionTopicAndListTheClusterOnlyWhenItWouldSayDone() throws Exception {
        String app = "catchup-" + UUID.randomUUID().toString().substring(0, 8);
        String input = app + ".activity";
        String early = app + "-early-repartition";
        String late = app + "-late-repartition";
        PLATFORM.kafka().createTopics(1, input, early);
        send(input, 3);
        send(early, 2);
        AtomicInteger listings = new AtomicInteger();
        try (ForwardingAdmin admin = new ForwardingAdmin(PLATFORM.kafka().clientConfig()) {
            @Override
            public ListTopicsResult listTopics(ListTopicsOptions options) {
                listings.incrementAndGet();
                return super.listTopics(options);
            }
        }) {
            StreamsCatchUp catchUp = new StreamsCatchUp(admin, app, input);
            for (int i = 0; i < 20; i++) {
                assertThat(catchUp.progress()).isEqualTo(new StreamsCatchUp.Progress(0, 3, false));
            }
            assertThat(listings).as("listings while behind").hasValue(1);

            commit(admin, app, input, 3);
            assertThat(catchUp.progress()).as("the input committed, its repartition topic not")
                    .isEqualTo(new StreamsCatchUp.Progress(3, 3, false));
            commit(admin, app, early, 2);
            assertThat(catchUp.progress().done()).isTrue();

            // A repartition topic the first listing could not see: "done" is withdrawn within the listing's age.
            PLATFORM.kafka().createTopics(1, late);
            send(late, 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> !catchUp.progress().done());
            assertThat(catchUp.progress()).isEqualTo(new StreamsCatchUp.Progress(3, 3, false));
            commit(admin, app, late, 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> catchUp.progress().done());
        }
    }

    private static void send(String topic, int records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, PLATFORM.kafka().bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, ("r" + i).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    /** The group's offset of partition 0 of {@code topic}, as the application's commit would set it. */
    private static void commit(ForwardingAdmin admin, String group, String topic, long offset) throws Exception {
        admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(offset)))
                .all().get();
    }
}
