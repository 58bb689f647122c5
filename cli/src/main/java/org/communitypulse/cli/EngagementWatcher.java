package org.communitypulse.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.DailyEngagement;

/** Prints each community's latest day with conversation every few seconds: the demo's live view. */
final class EngagementWatcher implements AutoCloseable {

    private static final Duration PRINT_EVERY = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

    private final KafkaConsumer<CommunityDayKey, DailyEngagement> consumer;
    private final Topic<CommunityDayKey, DailyEngagement> topic;
    private final Thread thread;
    private volatile boolean running = true;

    EngagementWatcher(String bootstrap, Topic<CommunityDayKey, DailyEngagement> topic) {
        this(bootstrap, topic, Map.of());
    }

    /** As above; {@code clientProperties} (e.g. a secured cluster's settings) go to the consumer. */
    EngagementWatcher(String bootstrap, Topic<CommunityDayKey, DailyEngagement> topic,
                      Map<String, Object> clientProperties) {
        this.topic = topic;
        Map<String, Object> config = new java.util.HashMap<>(clientProperties);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "pulse-watch-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Exactly-once output is only final once committed.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase());
        this.consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        this.thread = new Thread(this::loop, "pulse-watch");
        thread.setDaemon(true);
    }

    synchronized void start() {
        if (running) {
            thread.start();
        }
    }

    private void loop() {
        Map<String, DailyEngagement> latest = new TreeMap<>();
        consumer.subscribe(List.of(topic.name()));
        long nextPrint = System.nanoTime() + PRINT_EVERY.toNanos();
        while (running) {
            try {
                for (ConsumerRecord<CommunityDayKey, DailyEngagement> r : consumer.poll(Duration.ofMillis(500))) {
                    DailyEngagement v = r.value();
                    DailyEngagement prev = latest.get(v.getCommunityId());
                    // The newest day with conversation: a day of badges alone would show as all zeros.
                    boolean newer = prev == null || !v.getDay().isBefore(prev.getDay());
                    if (prev == null || hasConversation(v) && (newer || !hasConversation(prev))) {
                        latest.put(v.getCommunityId(), v);
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException | IllegalStateException e) {
                break;
            }
            if (System.nanoTime() >= nextPrint && !latest.isEmpty()) {
                print(latest);
                nextPrint = System.nanoTime() + PRINT_EVERY.toNanos();
            }
        }
        // A consumer is closed by the thread that polls it (it is not thread-safe).
        consumer.close(CLOSE_TIMEOUT);
    }

    private static boolean hasConversation(DailyEngagement v) {
        return v.getThreads() + v.getReplies() + v.getReactions() > 0;
    }

    private static void print(Map<String, DailyEngagement> latest) {
        System.out.printf("%-22s %-10s %8s %8s %9s %7s%n", "community", "day (UTC)", "threads", "replies", "reactions", "active");
        latest.values().forEach(v -> System.out.printf("%-22s %-10s %8d %8d %9d %7d%n", v.getCommunityId(), v.getDay(),
                v.getThreads(), v.getReplies(), v.getReactions(), v.getActiveMembers()));
        System.out.println();
    }

    /** Stops the loop and closes the consumer, waiting at most about two seconds. */
    @Override
    public void close() {
        synchronized (this) {
            running = false;
            if (!thread.isAlive()) {
                consumer.close(CLOSE_TIMEOUT);
                return;
            }
        }
        consumer.wakeup();
        try {
            thread.join(CLOSE_TIMEOUT.multipliedBy(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
