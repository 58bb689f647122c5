package org.communitypulse.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Every engagement metric of {@code docs/metrics.md}, computed the slow and obvious way straight from
 * a Stack Exchange dump's XML, as the expected side of the replay ITs. It shares no code with the
 * importer, the mapper or the Streams topology: rows are read with {@link DumpRows} (a regex), turned
 * into events by the mapping rules written in {@code StackExchangeRowMapper}'s Javadoc (mirroring which
 * rows it skips or rejects), and every metric is recomputed from scratch per key over the full event
 * set, with no incremental state.
 *
 * <p>Stack Exchange dumps carry no role events, so every member is a peer: peer counts equal the
 * totals and the staff flag is always false. Quantile ranks and top-k sizes use integer arithmetic,
 * so the spec's {@code ceil(p·n)} is exact whatever {@code n}, with no floating-point rounding.
 *
 * <p>Where the spec leaves room, for events the Stack Exchange mapping never makes: a THREAD_CREATED
 * without a {@code threadId} is a started thread that stays open (it counts in {@code openThreads}),
 * and a second THREAD_CREATED of a thread counts in {@code threads} (so in {@code threadsUnanswered})
 * but is not a start of its own, so not in {@code openThreads}.
 *
 * <p>The results are JSON shaped like {@code pulse replay}'s output lines (same topic names, key and
 * value field names; dates ISO, timestamps ISO instants, no {@code updatedAt}), so an IT compares the
 * two field by field.
 */
final class ReferenceMetrics {

    static final String DAILY = "pulse.engagement.daily";
    static final String TRAILING = "pulse.engagement.trailing";
    static final String RETENTION = "pulse.engagement.retention";
    static final String LEVELS = "pulse.members.levels";
    static final List<String> TOPICS = List.of(DAILY, TRAILING, RETENTION, LEVELS);

    static final int CHAMPION_MIN = 20;
    static final int CONTRIBUTOR_MIN = 5;
    private static final long DAY_SECONDS_24H = 86_400;
    private static final long SECONDS_7D = 604_800;
    /** The intake's lower bound on occurredAt: older stamps are dead-lettered, so never counted. */
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    enum Type { THREAD_CREATED, REPLY_CREATED, REACTION_ADDED, ANSWER_ACCEPTED, MEMBER_JOINED, MODERATION_ACTION,
        BADGE_AWARDED }

    /**
     * One event as the mapper would make it, reduced to what the metrics read.
     *
     * @param id     file item kind and row id: what the event id is derived from, so equal ids are duplicates
     * @param kind   {@code attributes.kind} of replies, else null
     * @param answerAuthor {@code attributes.answerAuthorId} of accepted answers, else null
     */
    record Event(String id, Type type, String actor, String thread, long atMillis, String kind,
                 String answerAuthor) {

        LocalDate day() {
            return LocalDate.ofEpochDay(Math.floorDiv(atMillis, 86_400_000L));
        }

        boolean contribution() {
            return actor != null && (type == Type.THREAD_CREATED || type == Type.REPLY_CREATED);
        }
    }

    private final String communityId;
    private final List<Event> events;
    /** topic -> key text (see {@link #keyText}) -> {key, value}. */
    private final Map<String, Map<String, JsonNode[]>> records = new TreeMap<>();

    private ReferenceMetrics(String communityId, List<Event> events) {
        this.communityId = communityId;
        this.events = List.copyOf(events);
        for (String topic : TOPICS) {
            records.put(topic, new TreeMap<>());
        }
        if (!events.isEmpty()) {
            compute();
        }
    }

    /** Reads the dump folder's XML files and computes every metric. */
    static ReferenceMetrics fromDump(Path dump, String communityId) throws IOException {
        return new ReferenceMetrics(communityId, DumpEvents.read(dump));
    }

    /** Computes every metric of an event list (duplicates by {@link Event#id} counted once). */
    static ReferenceMetrics fromEvents(String communityId, List<Event> events) {
        return new ReferenceMetrics(communityId, accepted(events));
    }

    /** The events the intake accepts, each id once (the first, as the dedup keeps the first seen). */
    private static List<Event> accepted(List<Event> events) {
        Map<String, Event> distinct = new LinkedHashMap<>();
        for (Event e : events) {
            if (e.atMillis() >= EARLIEST.toEpochMilli()) {
                distinct.putIfAbsent(e.id(), e);
            }
        }
        return new ArrayList<>(distinct.values());
    }

    List<Event> events() {
        return events;
    }

    /** topic -> key text -> {key, value}, as {@link MetricsFile#read} gives the replay's output. */
    Map<String, Map<String, JsonNode[]>> records() {
        return records;
    }

    ObjectNode daily(String day) {
        return value(DAILY, dayKey(LocalDate.parse(day)));
    }

    ObjectNode trailing(String day) {
        return value(TRAILING, dayKey(LocalDate.parse(day)));
    }

    ObjectNode retention(String monday) {
        return value(RETENTION, dayKey(LocalDate.parse(monday)));
    }

    ObjectNode member(String memberId) {
        return value(LEVELS, memberKey(memberId));
    }

    private ObjectNode value(String topic, ObjectNode key) {
        JsonNode[] kv = records.get(topic).get(keyText(key));
        return kv == null ? null : (ObjectNode) kv[1];
    }

    /** A key's identity regardless of field order: {@code name=value} pairs sorted by name. */
    static String keyText(JsonNode key) {
        List<String> parts = new ArrayList<>();
        key.fields().forEachRemaining(f -> parts.add(f.getKey() + "=" + f.getValue().asText()));
        Collections.sort(parts);
        return String.join(",", parts);
    }

    private ObjectNode dayKey(LocalDate day) {
        ObjectNode key = NODES.objectNode();
        key.put("communityId", communityId);
        key.put("day", day.toString());
        return key;
    }

    private ObjectNode memberKey(String memberId) {
        ObjectNode key = NODES.objectNode();
        key.put("communityId", communityId);
        key.put("memberId", memberId);
        return key;
    }

    private void put(String topic, ObjectNode key, ObjectNode value) {
        records.get(topic).put(keyText(key), new JsonNode[] {key, value});
    }

    // ---------------------------------------------------------------- computation

    /** A thread as its THREAD_CREATED says, with its first response (by anyone but its author), if any. */
    private record StartedThread(LocalDate day, long createdMillis, Long firstResponseMillis) {

        /** The spec's first response time in whole seconds, or null when nobody else replied. */
        Long firstResponseSeconds() {
            return firstResponseMillis == null ? null : Math.max(0, firstResponseMillis - createdMillis) / 1000;
        }

        boolean respondedBy(LocalDate end) {
            return firstResponseMillis != null
                    && !LocalDate.ofEpochDay(Math.floorDiv(firstResponseMillis, 86_400_000L)).isAfter(end);
        }
    }

    private void compute() {
        LocalDate latestDay = events.stream().map(Event::day).max(Comparator.naturalOrder()).orElseThrow();
        List<StartedThread> threads = threads();
        Map<LocalDate, List<Event>> byDay = new TreeMap<>();
        for (Event e : events) {
            byDay.computeIfAbsent(e.day(), d -> new ArrayList<>()).add(e);
        }
        Map<LocalDate, List<StartedThread>> threadsByDay = new HashMap<>();
        for (StartedThread t : threads) {
            threadsByDay.computeIfAbsent(t.day(), d -> new ArrayList<>()).add(t);
        }
        for (Map.Entry<LocalDate, List<Event>> day : byDay.entrySet()) {
            put(DAILY, dayKey(day.getKey()), daily(day.getKey(), day.getValue(),
                    threadsByDay.getOrDefault(day.getKey(), List.of())));
        }

        // Per day, each member's contributions: the base of DAU/WAU/MAU, shares, cohorts and levels.
        Map<LocalDate, Map<String, Long>> contributionsByDay = new TreeMap<>();
        for (Event e : events) {
            if (e.contribution()) {
                contributionsByDay.computeIfAbsent(e.day(), d -> new HashMap<>()).merge(e.actor(), 1L, Long::sum);
            }
        }
        if (contributionsByDay.isEmpty()) {
            return;
        }
        LocalDate firstActiveDay = contributionsByDay.keySet().iterator().next();
        for (LocalDate d = firstActiveDay; !d.isAfter(latestDay); d = d.plusDays(1)) {
            put(TRAILING, dayKey(d), trailing(d, byDay, contributionsByDay, threads));
        }
        retention(latestDay);
        levels(latestDay);
    }

    /**
     * The threads started: per {@code threadId} its earliest THREAD_CREATED (ties by event id; a later
     * one counts in {@code threads} but does not restart the thread), plus every THREAD_CREATED without a
     * {@code threadId}, which can never get a response. Responses are replies in the same thread by
     * someone other than the starter (any reply when the starter is unknown).
     */
    private List<StartedThread> threads() {
        Map<String, List<Event>> repliesByThread = new HashMap<>();
        Map<String, Event> starts = new HashMap<>();
        List<StartedThread> threads = new ArrayList<>();
        for (Event e : events) {
            if (e.type() == Type.REPLY_CREATED && e.thread() != null) {
                repliesByThread.computeIfAbsent(e.thread(), t -> new ArrayList<>()).add(e);
            } else if (e.type() == Type.THREAD_CREATED && e.thread() == null) {
                threads.add(new StartedThread(e.day(), e.atMillis(), null));
            } else if (e.type() == Type.THREAD_CREATED) {
                starts.merge(e.thread(), e, (a, b) -> Comparator.comparingLong(Event::atMillis)
                        .thenComparing(Event::id).compare(a, b) <= 0 ? a : b);
            }
        }
        for (Event created : starts.values()) {
            Long first = null;
            for (Event reply : repliesByThread.getOrDefault(created.thread(), List.of())) {
                boolean response = created.actor() == null || reply.actor() == null
                        || !reply.actor().equals(created.actor());
                if (response && (first == null || reply.atMillis() < first)) {
                    first = reply.atMillis();
                }
            }
            threads.add(new StartedThread(created.day(), created.atMillis(), first));
        }
        return threads;
    }

    private ObjectNode daily(LocalDate day, List<Event> dayEvents, List<StartedThread> dayThreads) {
        long threads = 0;
        long replies = 0;
        long answers = 0;
        long comments = 0;
        long reactions = 0;
        long accepted = 0;
        long joined = 0;
        Set<String> active = new HashSet<>();
        for (Event e : dayEvents) {
            switch (e.type()) {
                case THREAD_CREATED -> threads++;
                case REPLY_CREATED -> {
                    replies++;
                    if ("answer".equals(e.kind())) {
                        answers++;
                    } else if ("comment".equals(e.kind())) {
                        comments++;
                    }
                }
                case REACTION_ADDED -> reactions++;
                case ANSWER_ACCEPTED -> accepted++;
                case MEMBER_JOINED -> joined++;
                default -> { }
            }
            if (e.contribution()) {
                active.add(e.actor());
            }
        }
        List<Long> responseSeconds = new ArrayList<>();
        long within24h = 0;
        long within7d = 0;
        for (StartedThread t : dayThreads) {
            Long seconds = t.firstResponseSeconds();
            if (seconds != null) {
                responseSeconds.add(seconds);
                within24h += seconds <= DAY_SECONDS_24H ? 1 : 0;
                within7d += seconds <= SECONDS_7D ? 1 : 0;
            }
        }
        Collections.sort(responseSeconds);
        long responded = responseSeconds.size();

        ObjectNode v = NODES.objectNode();
        v.put("communityId", communityId);
        v.put("day", day.toString());
        v.put("threads", threads);
        v.put("answers", answers);
        v.put("comments", comments);
        v.put("otherReplies", replies - answers - comments);
        v.put("replies", replies);
        v.put("reactions", reactions);
        v.put("acceptedAnswers", accepted);
        v.put("newMembers", joined);
        v.put("activeMembers", active.size());
        v.put("events", dayEvents.size());
        // No role events in a dump: every reply and every accepted answer is a peer's.
        v.put("peerReplies", replies);
        ratio(v, "peerReplyShare", replies, replies);
        v.put("peerAcceptedAnswers", accepted);
        ratio(v, "peerAcceptedShare", accepted, accepted);
        v.put("threadsResponded", responded);
        v.put("threadsUnanswered", threads - responded);
        quantile(v, "firstResponseP50Seconds", responseSeconds, 1, 2);
        quantile(v, "firstResponseP90Seconds", responseSeconds, 9, 10);
        ratio(v, "respondedWithin24hShare", within24h, threads);
        ratio(v, "respondedWithin7dShare", within7d, threads);
        return v;
    }

    private ObjectNode trailing(LocalDate d, Map<LocalDate, List<Event>> byDay,
                                Map<LocalDate, Map<String, Long>> contributionsByDay, List<StartedThread> threads) {
        Set<String> week = new HashSet<>();
        Map<String, Long> month = new HashMap<>();
        long dauSum = 0;
        long threads7d = 0;
        long replies7d = 0;
        long threads28d = 0;
        long replies28d = 0;
        for (int back = 0; back < 28; back++) {
            LocalDate day = d.minusDays(back);
            Map<String, Long> members = contributionsByDay.getOrDefault(day, Map.of());
            dauSum += members.size();
            members.forEach((m, n) -> month.merge(m, n, Long::sum));
            long t = 0;
            long r = 0;
            for (Event e : byDay.getOrDefault(day, List.of())) {
                t += e.type() == Type.THREAD_CREATED ? 1 : 0;
                r += e.type() == Type.REPLY_CREATED ? 1 : 0;
            }
            threads28d += t;
            replies28d += r;
            if (back < 7) {
                week.addAll(members.keySet());
                threads7d += t;
                replies7d += r;
            }
        }
        long mau = month.size();
        long contributions = month.values().stream().mapToLong(Long::longValue).sum();
        List<Long> ranked = new ArrayList<>(month.values());
        ranked.sort(Comparator.reverseOrder());
        long open = 0;
        for (StartedThread t : threads) {
            if (!t.day().isAfter(d) && !t.day().isBefore(d.minusDays(27)) && !t.respondedBy(d)) {
                open++;
            }
        }

        ObjectNode v = NODES.objectNode();
        v.put("communityId", communityId);
        v.put("day", d.toString());
        v.put("dau", contributionsByDay.getOrDefault(d, Map.of()).size());
        v.put("wau", week.size());
        v.put("mau", mau);
        if (mau == 0) {
            v.putNull("stickiness");
        } else {
            v.put("stickiness", dauSum / 28.0 / mau);
        }
        v.put("threads7d", threads7d);
        v.put("replies7d", replies7d);
        v.put("threads28d", threads28d);
        v.put("replies28d", replies28d);
        v.put("contributions28d", contributions);
        topShare(v, "top1PercentShare", ranked, ceilDiv(mau, 100), contributions, mau);
        topShare(v, "top10PercentShare", ranked, ceilDiv(mau, 10), contributions, mau);
        ratio(v, "peerReplyShare28d", replies28d, replies28d);
        v.put("openThreads", open);
        return v;
    }

    private void retention(LocalDate latestDay) {
        Map<String, Set<LocalDate>> activeDays = activeDaysByMember();
        Map<LocalDate, long[]> cohorts = new TreeMap<>();
        activeDays.forEach((member, days) -> {
            LocalDate first = Collections.min(days);
            LocalDate monday = first.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            LocalDate from = monday.plusDays(7);
            LocalDate until = monday.plusDays(35);
            boolean retained = days.stream().anyMatch(day -> !day.isBefore(from) && day.isBefore(until));
            long[] sizeAndRetained = cohorts.computeIfAbsent(monday, m -> new long[2]);
            sizeAndRetained[0]++;
            sizeAndRetained[1] += retained ? 1 : 0;
        });
        cohorts.forEach((monday, c) -> {
            ObjectNode v = NODES.objectNode();
            v.put("communityId", communityId);
            v.put("cohortWeek", monday.toString());
            v.put("cohortSize", c[0]);
            v.put("retained", c[1]);
            ratio(v, "retainedShare", c[1], c[0]);
            v.put("complete", !latestDay.isBefore(monday.plusDays(34)));
            put(RETENTION, dayKey(monday), v);
        });
    }

    private void levels(LocalDate asOf) {
        LocalDate windowStart = asOf.minusDays(27);
        Map<String, List<Event>> byMember = new TreeMap<>();
        for (Event e : events) {
            if (e.contribution()) {
                byMember.computeIfAbsent(e.actor(), m -> new ArrayList<>()).add(e);
            }
        }
        byMember.forEach((member, contributions) -> {
            long recent = contributions.stream().filter(e -> !e.day().isBefore(windowStart) && !e.day().isAfter(asOf))
                    .count();
            long first = contributions.stream().mapToLong(Event::atMillis).min().orElseThrow();
            long last = contributions.stream().mapToLong(Event::atMillis).max().orElseThrow();
            boolean firstWithinWindow = !LocalDate.ofEpochDay(Math.floorDiv(first, 86_400_000L)).isBefore(windowStart);
            String level;
            if (recent >= CHAMPION_MIN) {
                level = "CHAMPION";
            } else if (recent >= CONTRIBUTOR_MIN) {
                level = "CONTRIBUTOR";
            } else if (firstWithinWindow) {
                level = "NEWCOMER";
            } else if (recent >= 1) {
                level = "PARTICIPANT";
            } else {
                level = "INACTIVE";
            }
            ObjectNode v = NODES.objectNode();
            v.put("communityId", communityId);
            v.put("memberId", member);
            v.put("level", level);
            v.put("contributions28d", recent);
            v.put("contributionsTotal", contributions.size());
            v.put("firstContributionAt", Instant.ofEpochMilli(first).toString());
            v.put("lastContributionAt", Instant.ofEpochMilli(last).toString());
            v.put("staff", false);
            put(LEVELS, memberKey(member), v);
        });
    }

    private Map<String, Set<LocalDate>> activeDaysByMember() {
        Map<String, Set<LocalDate>> days = new HashMap<>();
        for (Event e : events) {
            if (e.contribution()) {
                days.computeIfAbsent(e.actor(), m -> new HashSet<>()).add(e.day());
            }
        }
        return days;
    }

    private static void ratio(ObjectNode v, String field, long numerator, long denominator) {
        if (denominator == 0) {
            v.putNull(field);
        } else {
            v.put(field, (double) numerator / denominator);
        }
    }

    /** Nearest rank: the value at rank ceil(p·n), 1-based, with p = num/den. */
    private static void quantile(ObjectNode v, String field, List<Long> ascending, int num, int den) {
        if (ascending.isEmpty()) {
            v.putNull(field);
        } else {
            long rank = ceilDiv((long) num * ascending.size(), den);
            v.put(field, ascending.get((int) rank - 1));
        }
    }

    private static void topShare(ObjectNode v, String field, List<Long> descending, long k, long total, long mau) {
        if (mau == 0) {
            v.putNull(field);
            return;
        }
        long top = 0;
        Iterator<Long> it = descending.iterator();
        for (long i = 0; i < k && it.hasNext(); i++) {
            top += it.next();
        }
        v.put(field, (double) top / total);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    // ---------------------------------------------------------------- dump -> events

    /**
     * The mapper's rules, re-stated over {@link DumpRows}' raw attributes. A row that the mapper would
     * skip or reject gives no event; which of the two does not matter to a metric.
     */
    static final class DumpEvents {

        private DumpEvents() {
        }

        static List<Event> read(Path dump) throws IOException {
            List<Event> out = new ArrayList<>();
            // Post -> question and post -> owner, last row wins, from the posts that become events.
            Map<Integer, Integer> threadOfPost = new HashMap<>();
            Map<Integer, String> ownerOfPost = new HashMap<>();
            rows(dump, "Posts.xml", a -> {
                String id = text(a, "Id");
                Integer type = integer(a, "PostTypeId");
                Integer postId = integer(a, "Id");
                Long at = millis(a, "CreationDate");
                if (id == null || type == null || postId == null || at == null) {
                    return;
                }
                String owner = text(a, "OwnerUserId");
                if (type == 1) {
                    out.add(new Event("post/" + id, Type.THREAD_CREATED, owner, postId.toString(), at, null, null));
                    threadOfPost.put(postId, postId);
                    ownerOfPost.put(postId, owner);
                } else if (type == 2) {
                    Integer parent = integer(a, "ParentId");
                    if (parent != null) {
                        out.add(new Event("post/" + id, Type.REPLY_CREATED, owner, parent.toString(), at, "answer",
                                null));
                        threadOfPost.put(postId, parent);
                        ownerOfPost.put(postId, owner);
                    }
                }
            });
            rows(dump, "Users.xml", a -> {
                String id = text(a, "Id");
                Long at = millis(a, "CreationDate");
                if (id != null && at != null) {
                    out.add(new Event("user/" + id, Type.MEMBER_JOINED, id, null, at, null, null));
                }
            });
            rows(dump, "Comments.xml", a -> {
                String id = text(a, "Id");
                Integer postId = integer(a, "PostId");
                Long at = millis(a, "CreationDate");
                if (id != null && postId != null && at != null) {
                    Integer thread = threadOfPost.get(postId);
                    out.add(new Event("comment/" + id, Type.REPLY_CREATED, text(a, "UserId"),
                            thread == null ? null : thread.toString(), at, "comment", null));
                }
            });
            rows(dump, "Votes.xml", a -> {
                String id = text(a, "Id");
                Integer type = integer(a, "VoteTypeId");
                Integer postId = integer(a, "PostId");
                Long at = millis(a, "CreationDate");
                if (id == null || type == null || (type != 1 && type != 2) || postId == null || at == null) {
                    return;
                }
                Integer thread = threadOfPost.get(postId);
                String owner = ownerOfPost.get(postId);
                out.add(new Event("vote/" + id, type == 2 ? Type.REACTION_ADDED : Type.ANSWER_ACCEPTED,
                        text(a, "UserId"), thread == null ? null : thread.toString(), at, null,
                        type == 1 ? owner : null));
            });
            rows(dump, "PostHistory.xml", a -> {
                String id = text(a, "Id");
                Integer type = integer(a, "PostHistoryTypeId");
                Integer postId = integer(a, "PostId");
                Long at = millis(a, "CreationDate");
                if (id != null && type != null && type >= 10 && type <= 15 && postId != null && at != null) {
                    out.add(new Event("posthistory/" + id, Type.MODERATION_ACTION, text(a, "UserId"),
                            null, at, null, null));
                }
            });
            rows(dump, "Badges.xml", a -> {
                String id = text(a, "Id");
                String user = text(a, "UserId");
                Long at = millis(a, "Date");
                if (id != null && user != null && text(a, "Name") != null && at != null) {
                    out.add(new Event("badge/" + id, Type.BADGE_AWARDED, user, null, at, null, null));
                }
            });
            return accepted(out);
        }

        private static void rows(Path dump, String file, Consumer<Map<String, String>> row)
                throws IOException {
            Path path = dump.resolve(file);
            if (Files.isRegularFile(path)) {
                DumpRows.forEachRow(path, row);
            }
        }

        private static String text(Map<String, String> a, String name) {
            String v = a.get(name);
            return v == null || v.isBlank() ? null : v.strip();
        }

        private static Integer integer(Map<String, String> a, String name) {
            String v = text(a, name);
            try {
                return v == null ? null : Integer.valueOf(v);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private static Long millis(Map<String, String> a, String name) {
            String v = text(a, name);
            if (v == null) {
                return null;
            }
            try {
                Instant at = v.endsWith("Z") ? Instant.parse(v) : LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
                // The event's occurredAt is timestamp-millis.
                return at.toEpochMilli();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
