package org.communitypulse.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.communitypulse.ingest.ErasureRequests;
import org.communitypulse.ingest.KafkaEventSink;
import org.communitypulse.schemas.IdentityAttributes;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.Identity;
import org.communitypulse.schemas.avro.IdentityLink;
import org.communitypulse.schemas.avro.IdentitySuggestion;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.registry.SchemaRegistryException;
import org.communitypulse.schemas.serde.AvroSerdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pulse identity merge|split|erase|show}: manual identity resolution (see docs/identity.md). The first
 * three publish an event to the activity topic, so the pipeline applies them in order with everything else
 * and every metric recomputes; {@code show} reads the identities topic.
 */
@Command(name = "identity", mixinStandardHelpOptions = true,
        description = "Merge, split, erase or show members across platforms.",
        subcommands = {IdentityCommand.Merge.class, IdentityCommand.Split.class, IdentityCommand.Erase.class,
                IdentityCommand.Show.class})
final class IdentityCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Options of the commands that publish one identity event. */
    abstract static class Publish implements Callable<Integer> {

        @Option(names = "--community", required = true, description = "Community id.")
        String community;

        @Mixin
        ConnectionOptions connection;

        @Parameters(index = "0", paramLabel = "IDENTITY", description = "An identity id (as on the identities topic).")
        String identity;

        Clock clock = Clock.systemUTC();

        private final EventType type;

        Publish(EventType type) {
            this.type = type;
        }

        /** The second identity of a merge or split, null otherwise. */
        String other() {
            return null;
        }

        @Override
        public Integer call() {
            if (identity.isBlank() || other() != null && (other().isBlank() || other().equals(identity))) {
                System.err.println("Identity command failed: give two different, non-blank identity ids");
                return 2;
            }
            Map<String, String> attributes = other() == null ? Map.of()
                    : Map.of(IdentityAttributes.OTHER_IDENTITY, other());
            // A command is an act, not a fact about a source item: each one is new (a merge after a split must
            // not be taken for a duplicate of the first merge).
            ActivityEvent event = ActivityEvent.newBuilder().setEventId("pulse-identity-" + UUID.randomUUID())
                    .setCommunityId(community).setSource(SourcePlatform.OTHER).setType(type).setActorId(identity)
                    .setOccurredAt(clock.instant()).setAttributes(attributes).build();
            try (SchemaRegistryClient registry = connection.registryClient()) {
                Topics topics = new Topics(connection.topicPrefix(), new AvroSerdes(registry, true));
                try (KafkaEventSink sink = new KafkaEventSink(connection.bootstrapServers(), topics.activity(),
                        connection.kafkaProperties())) {
                    sink.send(event);
                    sink.flush();
                }
                System.out.println(type + " " + identity + (other() == null ? "" : " " + other()) + " in "
                        + community + " published to " + topics.activity().name() + " (event " + event.getEventId()
                        + "); `pulse identity show` reflects it once the pipeline has applied it");
                return 0;
            } catch (SchemaRegistryException | org.apache.kafka.common.KafkaException e) {
                System.err.println("Identity command failed: " + e.getMessage());
                return 2;
            }
        }
    }

    /** The commands that act on two identities. */
    abstract static class PublishPair extends Publish {
        @Parameters(index = "1", paramLabel = "OTHER", description = "The other identity: the one to merge with or "
                + "split from IDENTITY.")
        String other;

        PublishPair(EventType type) {
            super(type);
        }

        @Override
        String other() {
            return other;
        }
    }

    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = "Make two identities one member (reason MANUAL); e.g. to accept a suggestion.")
    static final class Merge extends PublishPair {
        Merge() {
            super(EventType.IDENTITY_MERGED);
        }
    }

    @Command(name = "split", mixinStandardHelpOptions = true,
            description = "Undo a merge of two identities; with no manual merge between them, cut their direct "
                    + "evidence links and keep evidence from linking them again.")
    static final class Split extends PublishPair {
        Split() {
            super(EventType.IDENTITY_SPLIT);
        }
    }

    @Command(name = "erase", mixinStandardHelpOptions = true,
            description = "Forget the member of this identity (all its identities) in every community: tombstones on "
                    + "the member-level topics, state removed, and its future events count as anonymous.")
    static final class Erase implements Callable<Integer> {

        @Option(names = "--community", description = "Only in this community (default: every community; a "
                + "pseudonym is the same person in every community of its platform).")
        String community;

        @Mixin
        ConnectionOptions connection;

        @Parameters(index = "0", paramLabel = "IDENTITY", description = "An identity id, as on the identities topic (the "
                + "pseudonym when ids are pseudonymised).")
        String identity;

        Clock clock = Clock.systemUTC();

        @Override
        public Integer call() {
            if (identity.isBlank()) {
                System.err.println("Identity command failed: give a non-blank identity id");
                return 2;
            }
            // An operator's act: a new request each time. It names the person, not a community, and goes to the
            // erasures topic, the only place the pipeline takes an erasure from.
            if (community != null && community.isBlank()) {
                System.err.println("Identity command failed: --community must not be blank");
                return 2;
            }
            ActivityEvent request = ErasureRequests.request("pulse-identity-" + UUID.randomUUID(),
                    community == null ? ErasureRequests.ALL_COMMUNITIES : community, SourcePlatform.OTHER, identity,
                    clock.instant());
            try (SchemaRegistryClient registry = connection.registryClient()) {
                Topics topics = new Topics(connection.topicPrefix(), new AvroSerdes(registry, true));
                try (KafkaEventSink sink = new KafkaEventSink(connection.bootstrapServers(), topics.erasures(),
                        connection.kafkaProperties())) {
                    sink.sendErasure(request);
                }
                System.out.println("MEMBER_ERASED " + identity + (community == null ? " in every community"
                        : " in " + community) + " published to "
                        + topics.erasures().name() + " (request " + request.getEventId() + ")");
                return 0;
            } catch (SchemaRegistryException | org.apache.kafka.common.KafkaException
                     | org.communitypulse.ingest.ImportException e) {
                System.err.println("Identity command failed: " + e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show the member of an identity (or member id): its identities, links and open suggestions.")
    static final class Show implements Callable<Integer> {

        @Option(names = "--community", required = true, description = "Community id.")
        String community;

        @Parameters(index = "0", paramLabel = "IDENTITY", description = "An identity id or a member id.")
        String identity;

        @Option(names = "--timeout", defaultValue = "PT30S", description = "How long reading the topics may take. "
                + "Default: ${DEFAULT-VALUE}.")
        Duration timeout;

        @Mixin
        ConnectionOptions connection;

        PrintStream out = System.out;

        @Override
        public Integer call() {
            try (SchemaRegistryClient registry = connection.registryClient()) {
                Topics topics = new Topics(connection.topicPrefix(), new AvroSerdes(registry, true));
                Map<String, Identity> identities = new TreeMap<>();
                readLatest(topics.identities(), timeout).values().stream()
                        .filter(i -> i.getCommunityId().equals(community))
                        .forEach(i -> identities.put(i.getIdentityId(), i));
                Identity found = identities.get(identity);
                String member = found != null ? found.getMemberId()
                        : identities.values().stream().anyMatch(i -> i.getMemberId().equals(identity)) ? identity : null;
                if (member == null) {
                    System.err.println("No identity or member '" + identity + "' in community " + community
                            + " on " + topics.identities().name());
                    return 1;
                }
                List<Identity> of = identities.values().stream().filter(i -> i.getMemberId().equals(member)).toList();
                out.println("member " + member + " (" + of.size() + (of.size() == 1 ? " identity)" : " identities)"));
                for (Identity i : of) {
                    out.println("  " + i.getIdentityId() + "  " + i.getSource() + "  username=" + orDash(i.getUsername())
                            + "  displayName=" + orDash(i.getDisplayName()) + "  verifiedEmails="
                            + i.getEmailHashes().size());
                    for (IdentityLink l : i.getLinks()) {
                        out.println("    linked to " + l.getOtherIdentityId() + " by " + l.getReason()
                                + (l.getEvidence() == null ? "" : " (" + l.getEvidence() + ")") + " at " + l.getLinkedAt());
                    }
                }
                List<String> ids = of.stream().map(Identity::getIdentityId).toList();
                List<IdentitySuggestion> open = new ArrayList<>(readLatest(topics.identitySuggestions(), timeout)
                        .values().stream().filter(s -> s.getCommunityId().equals(community)
                                && (ids.contains(s.getIdentityA()) || ids.contains(s.getIdentityB()))).toList());
                if (!open.isEmpty()) {
                    out.println("open suggestions (accept with `pulse identity merge`):");
                    open.forEach(s -> out.println("  " + s.getIdentityA() + " ~ " + s.getIdentityB() + "  "
                            + s.getReason() + " '" + s.getEvidence() + "' since " + s.getSuggestedAt()));
                }
                return 0;
            } catch (SchemaRegistryException | org.apache.kafka.common.KafkaException | TimeoutException e) {
                System.err.println("Identity show failed: " + e.getMessage());
                return 2;
            }
        }

        private static String orDash(String s) {
            return s == null ? "-" : s;
        }

        /** The latest value per key of a compacted topic, read to its committed end; tombstones remove keys. */
        private <K, V> Map<K, V> readLatest(Topic<K, V> topic, Duration timeout) throws TimeoutException {
            Map<String, Object> config = new HashMap<>(connection.kafkaProperties());
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            // The pipeline writes exactly-once: only committed records are the truth.
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            Map<K, V> latest = new HashMap<>();
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), timeout);
                List<TopicPartition> partitions = infos == null ? List.of() : infos.stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                long deadline = System.nanoTime() + timeout.toNanos();
                while (!ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    if (System.nanoTime() > deadline) {
                        throw new TimeoutException("could not read " + topic.name() + " to its end within " + timeout);
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        K key = topic.keySerde().deserializer().deserialize(r.topic(), r.key());
                        if (r.value() == null) {
                            latest.remove(key);
                        } else {
                            latest.put(key, topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                        }
                    }
                }
            }
            return latest;
        }
    }
}
