package org.communitypulse.ingest.generator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;

/**
 * Seeded activity for a handful of communities, for the demo and tests that must not depend on a
 * dump: members join, start threads and reply, and a few do most of the talking (Zipf-like
 * activity, as in real communities where most members lurk).
 *
 * <p>Deterministic: the same seed yields the same events with the same ids, so restarting the demo
 * with the same seed and sequence number republishes nothing new.
 */
public final class ActivityGenerator {

    private final List<String> communities;
    private final int membersPerCommunity;
    private final SplittableRandom random;
    private final long seed;
    private final List<List<String>> openThreads = new ArrayList<>();
    private long sequence;

    public ActivityGenerator(List<String> communities, int membersPerCommunity, long seed) {
        if (communities.isEmpty() || membersPerCommunity < 1) {
            throw new IllegalArgumentException("need at least one community and one member");
        }
        this.communities = List.copyOf(communities);
        this.membersPerCommunity = membersPerCommunity;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        communities.forEach(c -> openThreads.add(new ArrayList<>()));
    }

    /** The next event, stamped {@code at}. */
    public ActivityEvent next(Instant at) {
        long n = sequence++;
        int c = random.nextInt(communities.size());
        String community = communities.get(c);
        String actor = "m" + zipfMember();
        List<String> threads = openThreads.get(c);
        double roll = random.nextDouble();
        EventType type;
        String threadId = null;
        String parentId = null;
        String kind = null;
        if (roll < 0.04) {
            type = EventType.MEMBER_JOINED;
            actor = "m" + random.nextInt(membersPerCommunity);
        } else if (roll < 0.22 || threads.isEmpty()) {
            type = EventType.THREAD_CREATED;
            threadId = "t" + seed + "-" + n;
            threads.add(threadId);
            // Old threads stop attracting replies; keep the set small.
            if (threads.size() > 200) {
                threads.remove(0);
            }
        } else if (roll < 0.70) {
            type = EventType.REPLY_CREATED;
            threadId = threads.get(random.nextInt(threads.size()));
            parentId = threadId;
            kind = random.nextDouble() < 0.6 ? "answer" : "comment";
        } else if (roll < 0.95) {
            type = EventType.REACTION_ADDED;
            threadId = threads.get(random.nextInt(threads.size()));
            parentId = threadId;
        } else {
            type = EventType.ANSWER_ACCEPTED;
            threadId = threads.get(random.nextInt(threads.size()));
            parentId = threadId;
        }
        return GeneratedEvents.event(community, "event", seed + "-" + n, type, actor, threadId, parentId, at,
                kind == null ? Map.of() : Map.of("kind", kind));
    }

    /** Member index with probability roughly proportional to 1/(rank+1): a few members do most. */
    private int zipfMember() {
        double u = random.nextDouble();
        int rank = (int) Math.floor(Math.pow(membersPerCommunity + 1.0, u)) - 1;
        return Math.min(Math.max(rank, 0), membersPerCommunity - 1);
    }

    /** Events generated so far. */
    public long generated() {
        return sequence;
    }
}
