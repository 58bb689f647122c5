package org.communitypulse.alerting.internals;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.communitypulse.alerting.OwnerRouting;
import org.communitypulse.schemas.avro.MemberKey;
import org.communitypulse.schemas.avro.MemberRoles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current role holders per community, read from the compacted {@code pulse.members.roles} topic (the latest
 * record per member is the truth, a tombstone an erased member). A member holds a role when it is among the
 * record's {@code roles} or is its {@code level} (Account Manager is a level). Only the router's thread uses it:
 * {@link #catchUp} reads up to the topic's end before each routing decision, so a holder change written before an
 * alert is routed applies to that alert.
 */
public final class RoleTable implements OwnerRouting.Holders {

    private static final Logger LOG = LoggerFactory.getLogger(RoleTable.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Deserializer<MemberKey> keys;
    private final Deserializer<MemberRoles> values;
    private final DeliveryMetrics metrics;
    /** community -> member -> roles and level held. */
    private final Map<String, Map<String, Set<String>>> held = new HashMap<>();
    private boolean missingLogged;

    public RoleTable(Consumer<byte[], byte[]> consumer, String topic, Deserializer<MemberKey> keys,
                     Deserializer<MemberRoles> values, DeliveryMetrics metrics) {
        this.consumer = consumer;
        this.topic = topic;
        this.keys = keys;
        this.values = values;
        this.metrics = metrics;
    }

    /**
     * Reads every record written (and committed) up to now. Returns false when {@code stopping} said so first.
     */
    public boolean catchUp(BooleanSupplier stopping) {
        if (consumer.assignment().isEmpty() && !assign()) {
            return true;
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        while (!caughtUp(end)) {
            if (stopping.getAsBoolean()) {
                return false;
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                apply(record);
            }
        }
        return true;
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private boolean assign() {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic);
        if (partitions == null || partitions.isEmpty()) {
            if (!missingLogged) {
                LOG.warn("{} does not exist (yet): every owner role counts as vacant until it does", topic);
                missingLogged = true;
            }
            return false;
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        return true;
    }

    void apply(ConsumerRecord<byte[], byte[]> record) {
        MemberKey key;
        MemberRoles value;
        try {
            key = keys.deserialize(record.topic(), record.headers(), record.key());
            value = record.value() == null ? null
                    : values.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            metrics.rolesUnreadable();
            LOG.warn("Skipping unreadable {} record {}-{}@{} ({})", topic, record.topic(), record.partition(),
                    record.offset(), e.getClass().getSimpleName());
            return;
        }
        if (key == null) {
            metrics.rolesUnreadable();
            return;
        }
        put(key.getCommunityId(), key.getMemberId(), value == null ? null : heldBy(value));
    }

    private static Set<String> heldBy(MemberRoles value) {
        Set<String> roles = new HashSet<>();
        value.getRoles().forEach(r -> roles.add(r.toLowerCase(java.util.Locale.ROOT)));
        roles.add(value.getLevel().toLowerCase(java.util.Locale.ROOT));
        return roles;
    }

    /** Sets what {@code member} holds in {@code community}; null or empty forgets the member. */
    void put(String community, String member, Set<String> roles) {
        if (roles == null || roles.isEmpty()) {
            Map<String, Set<String>> members = held.get(community);
            if (members != null) {
                members.remove(member);
            }
            return;
        }
        held.computeIfAbsent(community, c -> new HashMap<>()).put(member, Set.copyOf(roles));
    }

    @Override
    public SortedSet<String> of(String community, String role) {
        SortedSet<String> holders = new TreeSet<>();
        held.getOrDefault(community, Collections.emptyMap()).forEach((member, roles) -> {
            if (roles.contains(role)) {
                holders.add(member);
            }
        });
        return holders;
    }

    public void close() {
        consumer.close();
    }
}
