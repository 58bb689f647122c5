package org.communitypulse.systemtests;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.KafkaEventSink;
import org.communitypulse.ingest.generator.SimulatedActivity;
import org.communitypulse.ingest.generator.SimulationPlan;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.ActivityEvent;

/**
 * The long, seeded input of the fault tests: a simulated history ({@code pulse generate}'s generator),
 * with a share of events sent a second time later on and a few poison records (bytes no reader can
 * decode) in between. The same settings always give the same records in the same order, so a faulty
 * run and a clean run read identical input.
 *
 * <p>Sizes come from system properties so that the {@code reliability} Maven profile can run the long
 * version: {@value #COMMUNITIES}, {@value #MEMBERS}, {@value #DAYS}.
 */
final class ReliabilityInput {

    static final String COMMUNITIES = "pulse.reliability.communities";
    static final String MEMBERS = "pulse.reliability.members";
    static final String DAYS = "pulse.reliability.days";

    private static final int DEFAULT_COMMUNITIES = 6;
    private static final int DEFAULT_MEMBERS = 1000;
    private static final int DEFAULT_DAYS = 50;
    private static final double DUPLICATE_SHARE = 0.02;
    private static final int POISON_EVERY = 5_000;
    private static final byte[][] POISON = {
            {7, 0, 0, 0, 1, 2},           // wrong magic byte
            {0, 0, 0x0f, 0x42, 0x3f, 2},  // unknown schema id
            {0, 0},                       // truncated
    };

    private final SimulationPlan plan;
    private final long seed;
    private final List<ActivityEvent> events = new ArrayList<>();
    private final List<byte[]> poisonRecords = new ArrayList<>();
    /** Per input position: an event index (>= 0) or a poison index (-1 - i), in sending order. */
    private final List<Integer> order = new ArrayList<>();
    private long duplicates;

    private ReliabilityInput(SimulationPlan plan, long seed) {
        this.plan = plan;
        this.seed = seed;
        Iterator<ActivityEvent> it = new SimulatedActivity(plan).iterator();
        while (it.hasNext()) {
            events.add(it.next());
        }
        Random random = new Random(seed);
        List<Integer> resend = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            order.add(i);
            if (random.nextDouble() < DUPLICATE_SHARE) {
                resend.add(i);
            }
            // A duplicate goes out a while after its original, as a retried delivery would.
            if (!resend.isEmpty() && random.nextInt(50) == 0) {
                order.add(resend.remove(0));
                duplicates++;
            }
            if ((i + 1) % POISON_EVERY == 0) {
                poisonRecords.add(POISON[poisonRecords.size() % POISON.length]);
                order.add(-poisonRecords.size());
            }
        }
        for (int i : resend) {
            order.add(i);
            duplicates++;
        }
    }

    /** The input sized by the system properties (defaults: the short version, about 24,000 events). */
    static ReliabilityInput fromSystemProperties(long seed) {
        return fromSystemProperties(seed, DEFAULT_COMMUNITIES, DEFAULT_MEMBERS, DEFAULT_DAYS);
    }

    /** The input sized by the system properties, with the given sizes where a property is not set. */
    static ReliabilityInput fromSystemProperties(long seed, int defaultCommunities, int defaultMembers, int defaultDays) {
        int communities = Integer.getInteger(COMMUNITIES, defaultCommunities);
        int members = Integer.getInteger(MEMBERS, defaultMembers);
        int days = Integer.getInteger(DAYS, defaultDays);
        return new ReliabilityInput(new SimulationPlan(SimulationPlan.numberedCommunities(communities), members,
                LocalDate.of(2026, 1, 1), days, seed, Map.of()), seed);
    }

    SimulationPlan plan() {
        return plan;
    }

    long seed() {
        return seed;
    }

    /** Distinct events: what must be counted, once each. */
    long distinctEvents() {
        return events.size();
    }

    long duplicates() {
        return duplicates;
    }

    long poison() {
        return poisonRecords.size();
    }

    /** Every record sent: distinct events, duplicates and poison. */
    long records() {
        return order.size();
    }

    /**
     * Sends the whole input to {@code topic}: events through {@code sink} (the real import path),
     * poison through a plain byte producer, keyed like the events so it lands between them.
     */
    void sendTo(String bootstrapServers, Topic<String, ActivityEvent> topic, EventSink sink) {
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int index : order) {
                if (index >= 0) {
                    sink.send(events.get(index));
                } else {
                    sink.flush();
                    raw.send(new ProducerRecord<>(topic.name(), plan.communities().get(0),
                            poisonRecords.get(-1 - index)));
                    raw.flush();
                }
            }
            sink.flush();
        }
    }

    /** As {@link #sendTo(String, Topic, EventSink)} through a fresh {@link KafkaEventSink}. */
    void sendTo(String bootstrapServers, Topic<String, ActivityEvent> topic) {
        try (KafkaEventSink sink = new KafkaEventSink(bootstrapServers, topic, Map.of())) {
            sendTo(bootstrapServers, topic, sink);
        }
    }

    /** One line for the report. */
    String describe() {
        return String.format(java.util.Locale.ROOT,
                "%,d records (%,d distinct events of %d communities x %d members over %d days, seed %d; %,d duplicates;"
                        + " %d poison)", records(), distinctEvents(), plan.communities().size(),
                plan.membersPerCommunity(), plan.days(), seed, duplicates, poison());
    }
}
