package org.communitypulse.ingest.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;

/**
 * Reads what a Slack channel gained since a cursor, through {@code conversations.history} and
 * {@code conversations.replies}, and maps each message as the Events API webhook would have delivered it
 * (a {@code message} event embeds the very message object the history API lists), so a polled message and its
 * webhook delivery carry the same event id, type, member, thread and time.
 *
 * <p>One poll of a channel covers {@code (cursor, now - settle]}: newer messages wait for the next poll, so that
 * a reply posted while the poll runs cannot fall behind a cursor that already passed it. Replies never show in
 * the history, only their parent's {@code latest_reply} moves; the history is therefore read back
 * {@link #threadWindow} (or from the cursor, if older), and every thread there whose {@code latest_reply} is
 * newer than the cursor has its new replies read. <b>Limit:</b> a reply to a thread whose parent is older than
 * the window is not caught up (only its webhook delivery counts it).
 *
 * <p>The channel's state ({@link ChannelState}) is small enough to be a Connect offset: the cursor ts, the ts the
 * poller started from, and its counts of threads and replies per UTC day within the window (what it publishes as
 * the platform's own count, see {@link #dayCounts}).
 */
public final class SlackPoller {

    /** Messages are left to the next poll until this old, so a poll never races a reply being posted. */
    static final Duration SETTLE = Duration.ofSeconds(2);
    /** Page size of conversations.history/replies and users.list (Slack advises at most 200). */
    static final int PAGE = 200;

    private final SlackApiClient api;
    private final SlackPayloadMapper mapper;
    private final Duration threadWindow;

    public SlackPoller(SlackApiClient api, MemberPseudonymiser members, Duration threadWindow) {
        this.api = Objects.requireNonNull(api, "api");
        this.mapper = new SlackPayloadMapper(Objects.requireNonNull(members, "members"));
        this.threadWindow = Objects.requireNonNull(threadWindow, "threadWindow");
    }

    /**
     * What the poller knows of one channel.
     *
     * @param ts    cursor: every message with a greater ts is still to read
     * @param since the ts the poller started from (days before it are not counted in full)
     * @param days  threads + replies read per UTC day, for the days of the thread window
     */
    public record ChannelState(String channel, String ts, String since, SortedMap<LocalDate, Long> days) {

        public static final String OFFSET_TS = "ts";
        public static final String OFFSET_SINCE = "since";
        public static final String OFFSET_DAYS = "days";

        public ChannelState {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(ts, "ts");
            Objects.requireNonNull(since, "since");
            days = new TreeMap<>(days);
        }

        /** A channel read for the first time, from {@code start} on. */
        public static ChannelState start(String channel, Instant start) {
            String ts = SlackPoller.ts(start);
            return new ChannelState(channel, ts, ts, new TreeMap<>());
        }

        /** The state a Connect offset (or a runner's offset file) holds; {@code null} gives {@code fallback}. */
        public static ChannelState fromOffset(String channel, Map<String, ?> offset, ChannelState fallback) {
            if (offset == null || !(offset.get(OFFSET_TS) instanceof String ts)) {
                return fallback;
            }
            String since = offset.get(OFFSET_SINCE) instanceof String s ? s : ts;
            SortedMap<LocalDate, Long> days = new TreeMap<>();
            if (offset.get(OFFSET_DAYS) instanceof String text && !text.isEmpty()) {
                for (String entry : text.split(",")) {
                    int eq = entry.indexOf('=');
                    days.put(LocalDate.parse(entry.substring(0, eq)), Long.parseLong(entry.substring(eq + 1)));
                }
            }
            return new ChannelState(channel, ts, since, days);
        }

        /** Strings only, as Connect's offset store (JSON) gives them back. */
        public Map<String, Object> toOffset() {
            StringBuilder text = new StringBuilder();
            days.forEach((day, n) -> text.append(text.length() == 0 ? "" : ",").append(day).append('=').append(n));
            Map<String, Object> offset = new HashMap<>();
            offset.put(OFFSET_TS, ts);
            offset.put(OFFSET_SINCE, since);
            offset.put(OFFSET_DAYS, text.toString());
            return offset;
        }

        /** The first day every message of which the poller has read (the day after {@code since} began). */
        public LocalDate firstCompleteDay() {
            Instant start = instant(since);
            LocalDate day = LocalDate.ofInstant(start, ZoneOffset.UTC);
            return start.equals(day.atStartOfDay(ZoneOffset.UTC).toInstant()) ? day : day.plusDays(1);
        }
    }

    /** One event with the channel state to commit once it is published. */
    public record Item(ActivityEvent event, ChannelState after) {
    }

    /** What one poll of a channel gave. */
    public record ChannelRead(List<Item> items, ChannelState next, TreeSet<LocalDate> touched, int messages,
                              int unmapped, int rejected) {
    }

    /** Members whose profile changed after a cursor, mapped as {@code user_change} would be. */
    public record MembersRead(List<ActivityEvent> events, long updated, int users) {
    }

    /**
     * Reads a channel's messages in {@code (state.ts, now - settle]} and maps them, oldest first.
     *
     * @throws SlackApiException when Slack refuses or keeps failing (nothing of the channel is returned then)
     */
    public ChannelRead read(ChannelState state, String community, Instant now) {
        String channel = state.channel();
        BigDecimal cursor = new BigDecimal(state.ts());
        BigDecimal upper = new BigDecimal(ts(now.minus(SETTLE)));
        if (upper.compareTo(cursor) <= 0) {
            return new ChannelRead(List.of(), state, new TreeSet<>(), 0, 0, 0);
        }
        BigDecimal windowStart = new BigDecimal(ts(now.minus(threadWindow)));
        Map<String, String> history = new LinkedHashMap<>();
        history.put("channel", channel);
        history.put("oldest", (windowStart.compareTo(cursor) < 0 ? windowStart : cursor).toPlainString());
        history.put("latest", upper.toPlainString());
        history.put("inclusive", "true");
        history.put("limit", Integer.toString(PAGE));
        Map<String, JsonNode> fresh = new HashMap<>();
        for (JsonNode message : api.pages("conversations.history", history, "messages")) {
            String ts = message.path("ts").asText("");
            if (ts.isEmpty()) {
                continue;
            }
            if (inRange(ts, cursor, upper)) {
                fresh.put(ts, message);
            }
            if (isParent(message) && message.path("reply_count").asInt(0) > 0
                    && new BigDecimal(message.path("latest_reply").asText("0")).compareTo(cursor) > 0) {
                Map<String, String> replies = new LinkedHashMap<>();
                replies.put("channel", channel);
                replies.put("ts", ts);
                replies.put("oldest", cursor.toPlainString());
                replies.put("latest", upper.toPlainString());
                replies.put("inclusive", "true");
                replies.put("limit", Integer.toString(PAGE));
                List<JsonNode> thread;
                try {
                    thread = api.pages("conversations.replies", replies, "messages");
                } catch (SlackApiException e) {
                    if ("thread_not_found".equals(e.error())) {
                        continue; // deleted since the history was read: nothing left to count
                    }
                    throw e;
                }
                for (JsonNode reply : thread) {
                    String replyTs = reply.path("ts").asText("");
                    if (!replyTs.isEmpty() && !replyTs.equals(ts) && inRange(replyTs, cursor, upper)) {
                        fresh.put(replyTs, reply);
                    }
                }
            }
        }
        List<String> order = new ArrayList<>(fresh.keySet());
        order.sort(Comparator.comparing(BigDecimal::new));
        SortedMap<LocalDate, Long> days = new TreeMap<>(state.days());
        TreeSet<LocalDate> touched = new TreeSet<>();
        touched.add(LocalDate.ofInstant(now, ZoneOffset.UTC));
        List<Item> items = new ArrayList<>();
        int unmapped = 0;
        int rejected = 0;
        for (String ts : order) {
            MappingResult result;
            try {
                result = mapper.map(null, envelope(channel, fresh.get(ts)), community, null);
            } catch (MalformedPayloadException | IllegalArgumentException e) {
                rejected++;
                continue;
            }
            if (result.isUnmapped()) {
                unmapped++;
                continue;
            }
            for (ActivityEvent event : result.events()) {
                if (counted(event)) {
                    LocalDate day = LocalDate.ofInstant(event.getOccurredAt(), ZoneOffset.UTC);
                    days.merge(day, 1L, Long::sum);
                    touched.add(day);
                }
                items.add(new Item(event, new ChannelState(channel, ts, state.since(), days)));
            }
        }
        // Days the window no longer reads cannot grow any more: dropped, which keeps the offset small.
        LocalDate oldest = LocalDate.ofInstant(now.minus(threadWindow), ZoneOffset.UTC).minusDays(1);
        days.headMap(oldest).clear();
        ChannelState next = new ChannelState(channel, upper.toPlainString(), state.since(), days);
        return new ChannelRead(items, next, touched, order.size(), unmapped, rejected);
    }

    /** What a full recount of a channel (or several, summed) found. */
    public record Recount(SortedMap<LocalDate, Long> days, Instant through, int messages) {
    }

    /**
     * Counts, per UTC day, a channel's threads and replies created in {@code [from, now - settle]}: its history
     * there, and the replies there of every thread whose parent is there. No cursor: the same window read twice
     * gives the same counts. Messages go through the same envelope and mapper as {@link #read}, and count as
     * {@link #read}'s counts do (the events that are threads or replies), so the two never disagree on what an
     * item is. Days without any item are absent.
     *
     * @throws SlackApiException when Slack refuses or keeps failing
     */
    public Recount recount(String channel, String community, Instant from, Instant now) {
        Instant through = now.minus(SETTLE);
        BigDecimal lower = new BigDecimal(ts(from));
        BigDecimal upper = new BigDecimal(ts(through));
        SortedMap<LocalDate, Long> days = new TreeMap<>();
        if (upper.compareTo(lower) < 0) {
            return new Recount(days, through, 0);
        }
        Map<String, String> history = new LinkedHashMap<>();
        history.put("channel", channel);
        history.put("oldest", lower.toPlainString());
        history.put("latest", upper.toPlainString());
        history.put("inclusive", "true");
        history.put("limit", Integer.toString(PAGE));
        // By ts: a thread_broadcast reply is listed by both methods and is one message.
        Map<String, JsonNode> listed = new HashMap<>();
        for (JsonNode message : api.pages("conversations.history", history, "messages")) {
            String ts = message.path("ts").asText("");
            if (ts.isEmpty() || !within(ts, lower, upper)) {
                continue;
            }
            listed.put(ts, message);
            if (isParent(message) && message.path("reply_count").asInt(0) > 0) {
                Map<String, String> replies = new LinkedHashMap<>(history);
                replies.put("ts", ts);
                List<JsonNode> thread;
                try {
                    thread = api.pages("conversations.replies", replies, "messages");
                } catch (SlackApiException e) {
                    if ("thread_not_found".equals(e.error())) {
                        continue;
                    }
                    throw e;
                }
                for (JsonNode reply : thread) {
                    String replyTs = reply.path("ts").asText("");
                    if (!replyTs.isEmpty() && !replyTs.equals(ts) && within(replyTs, lower, upper)) {
                        listed.put(replyTs, reply);
                    }
                }
            }
        }
        for (JsonNode message : listed.values()) {
            List<ActivityEvent> events;
            try {
                events = mapper.map(null, envelope(channel, message), community, null).events();
            } catch (MalformedPayloadException | IllegalArgumentException e) {
                continue; // read() rejects it as well: not counted there either
            }
            for (ActivityEvent event : events) {
                if (counted(event)) {
                    days.merge(LocalDate.ofInstant(event.getOccurredAt(), ZoneOffset.UTC), 1L, Long::sum);
                }
            }
        }
        return new Recount(days, through, listed.size());
    }

    /** The events a day count counts: the platform's threads and replies. */
    static boolean counted(ActivityEvent event) {
        return event.getType() == EventType.THREAD_CREATED || event.getType() == EventType.REPLY_CREATED;
    }

    /**
     * Members whose profile {@code updated} is after {@code updatedAfter} (epoch seconds), from {@code users.list},
     * mapped as the webhook maps {@code user_change}: admin/owner roles and deactivations. Slack lists no join
     * time, so a {@code team_join} lost with its webhook is not recreated (it would be dated by the poll).
     */
    public MembersRead members(long updatedAfter, String community) {
        List<ActivityEvent> events = new ArrayList<>();
        long updated = updatedAfter;
        int users = 0;
        for (JsonNode user : api.pages("users.list", Map.of("limit", Integer.toString(PAGE)), "members")) {
            long changed = user.path("updated").asLong(0);
            if (changed <= updatedAfter || user.path("is_bot").asBoolean(false)) {
                continue;
            }
            users++;
            updated = Math.max(updated, changed);
            ObjectNode change = JsonNodeFactory.instance.objectNode();
            change.put("type", "user_change");
            change.set("user", user);
            try {
                events.addAll(mapper.map(null, SlackExportImporter.envelope(change, "poll:user", Long.toString(changed)), community,
                        null).events());
            } catch (MalformedPayloadException | IllegalArgumentException e) {
                // a user without an id: nothing to count
            }
        }
        events.sort(Comparator.comparing(ActivityEvent::getOccurredAt));
        return new MembersRead(events, updated, users);
    }

    /**
     * Threads and replies per day summed over channels, for the days each channel has read in full; the
     * platform's count as far as this poller can list it.
     */
    public static SortedMap<LocalDate, Long> dayCounts(List<ChannelState> channels, SortedMap<LocalDate, ?> days) {
        SortedMap<LocalDate, Long> counts = new TreeMap<>();
        for (LocalDate day : days.keySet()) {
            boolean complete = channels.stream().allMatch(c -> !day.isBefore(c.firstCompleteDay()));
            if (complete) {
                counts.put(day, channels.stream().mapToLong(c -> c.days().getOrDefault(day, 0L)).sum());
            }
        }
        return counts;
    }

    /** Slack's ts of an instant: epoch seconds with six decimals. */
    public static String ts(Instant instant) {
        return BigDecimal.valueOf(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano() / 1000, 6))
                .setScale(6).toPlainString();
    }

    /** The instant of a Slack ts. */
    public static Instant instant(String ts) {
        BigDecimal value = new BigDecimal(ts);
        long seconds = value.longValue();
        long micros = value.subtract(BigDecimal.valueOf(seconds)).movePointRight(6).longValue();
        return Instant.ofEpochSecond(seconds, micros * 1000);
    }

    private static boolean inRange(String ts, BigDecimal cursor, BigDecimal upper) {
        BigDecimal value = new BigDecimal(ts);
        return value.compareTo(cursor) > 0 && value.compareTo(upper) <= 0;
    }

    private static boolean within(String ts, BigDecimal lower, BigDecimal upper) {
        BigDecimal value = new BigDecimal(ts);
        return value.compareTo(lower) >= 0 && value.compareTo(upper) <= 0;
    }

    private static boolean isParent(JsonNode message) {
        String threadTs = message.path("thread_ts").asText("");
        return !threadTs.isEmpty() && threadTs.equals(message.path("ts").asText());
    }

    /** The Events API envelope of a {@code message} event: the listed message plus its channel. */
    private static ObjectNode envelope(String channel, JsonNode message) {
        ObjectNode event = message.deepCopy();
        event.put("type", "message");
        event.put("channel", channel);
        String ts = message.path("ts").asText();
        return SlackExportImporter.envelope(event, "poll:" + channel + "/" + ts, ts);
    }
}
