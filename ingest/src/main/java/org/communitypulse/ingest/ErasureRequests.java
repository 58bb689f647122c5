package org.communitypulse.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * Erasure requests on the erasures control topic (see docs/identity.md). A request names a person (an identity id,
 * pseudonymised like every actor id) and, by default, no community: the same pseudonym is the same person in every
 * community of its platform. The pipeline's state is partitioned by community, so a request is written to every partition of the
 * topic and each task forgets the person in the communities it holds. The record key is the request's event id,
 * never the person.
 */
public final class ErasureRequests {

    /** The community id of a request: it applies to every community. */
    public static final String ALL_COMMUNITIES = "*";

    private ErasureRequests() {
    }

    /** A request to erase the member of {@code identity} everywhere. */
    public static ActivityEvent request(String eventId, SourcePlatform source, String identity, Instant at) {
        return request(eventId, ALL_COMMUNITIES, source, identity, at);
    }

    /**
     * A request to erase the member of {@code identity} in {@code community} only ({@link #ALL_COMMUNITIES}: in
     * every one), e.g. for platforms whose user ids are per instance (Discourse forums).
     */
    public static ActivityEvent request(String eventId, String community, SourcePlatform source, String identity,
                                        Instant at) {
        return ActivityEvent.newBuilder().setEventId(eventId).setCommunityId(community).setSource(source)
                .setType(EventType.MEMBER_ERASED).setActorId(identity).setOccurredAt(at).setAttributes(Map.of())
                .build();
    }

    /** Sends {@code request} to every partition of {@code topic}; the futures complete when each is stored. */
    public static List<Future<RecordMetadata>> send(Producer<String, ActivityEvent> producer, String topic,
                                                    ActivityEvent request) {
        if (request.getType() != EventType.MEMBER_ERASED) {
            throw new IllegalArgumentException("not an erasure request: " + request.getType());
        }
        List<PartitionInfo> partitions = producer.partitionsFor(topic);
        List<Future<RecordMetadata>> acks = new ArrayList<>(partitions.size());
        for (PartitionInfo p : partitions) {
            acks.add(producer.send(new ProducerRecord<>(topic, p.partition(), request.getEventId(), request)));
        }
        return acks;
    }
}
