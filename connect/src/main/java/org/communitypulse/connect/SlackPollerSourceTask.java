package org.communitypulse.connect;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.connect.source.SourceRecord;
import org.communitypulse.connect.internals.EventRecords;
import org.communitypulse.ingest.slack.SlackApiClient;
import org.communitypulse.ingest.slack.SlackApiException;
import org.communitypulse.ingest.slack.SlackPoller;
import org.communitypulse.ingest.slack.SlackPoller.ChannelState;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code poll.interval.ms}, reads each configured channel since its cursor ({@link SlackPoller}), then the
 * members changed since the last read, and publishes the events oldest first per channel, followed by one
 * {@code PlatformDayCount} per day the poll touched (summed over the channels).
 *
 * <p>Source partitions: {@code {workspace, channel, community}} per channel, with the {@link ChannelState} as
 * offset (cursor ts, start ts, per-day counts), each record carrying the state up to its own message; and
 * {@code {workspace, members, community}} with (a second before) the profile {@code updated} of each member record. Day counts carry no
 * offset. A token, scope or channel error (invalid_auth, missing_scope, not_in_channel, channel_not_found) fails
 * the task naming the fix; rate limits and outages are retried by the client and then at the next interval.
 *
 * <p>With {@code reconcile.only}, each poll instead recounts the last {@code reconcile.days} UTC days of every
 * channel ({@link SlackPoller#recount}) and publishes one {@code PlatformDayCount} per day of that window and no
 * event. It reads and writes no offset: the catch-up cursor of a connector on the same channels never moves, and
 * the counts do not depend on what was ever published, which is what lets the reconciliation see a gap the
 * webhooks left open before any catch-up closed it.
 */
public final class SlackPollerSourceTask extends PulseSourceTask<SlackPollerConfig> {

    public static final String PARTITION_WORKSPACE = "workspace";
    public static final String PARTITION_CHANNEL = "channel";
    public static final String PARTITION_MEMBERS = "members";
    public static final String PARTITION_COMMUNITY = "community";
    public static final String OFFSET_UPDATED = "updated";

    private static final Logger LOG = LoggerFactory.getLogger(SlackPollerSourceTask.class);

    private final Supplier<Instant> clock;
    private SlackApiClient api;
    private SlackPoller poller;
    private EventRecords events;
    private final Map<String, ChannelState> channels = new LinkedHashMap<>();
    private Map<String, String> membersPartition;
    private long membersUpdated;
    private long published;

    public SlackPollerSourceTask() {
        this(Instant::now);
    }

    /** With a clock, for tests that replay a fixed day. */
    SlackPollerSourceTask(Supplier<Instant> clock) {
        this.clock = clock;
    }

    @Override
    protected SlackPollerConfig parseConfig(Map<String, String> props) {
        return new SlackPollerConfig(props);
    }

    @Override
    protected void doStart(SlackPollerConfig config) {
        // Waits for pacing and Retry-After end at once when the task is stopped.
        api = new SlackApiClient(config.apiSettings(), this::pauseUnlessStopped);
        poller = new SlackPoller(api, config.pseudonymiser(), config.threadWindow());
        // Bytes keys: the day counts are keyed by an Avro CommunityDayKey (key.converter=ByteArrayConverter).
        events = closeOnStop(new EventRecords(config, true));
        if (config.reconcileOnly()) {
            LOG.info("Recounting the last {} day(s) of {} channel(s) of {} for community '{}' into {} (no events)",
                    config.reconcileDays(), config.channels().size(), api.baseUrl(), config.community(),
                    events.countsTopic());
            return;
        }
        Instant start = clock.get().minus(config.initialLookback());
        for (String channel : config.channels()) {
            Map<String, Object> offset = context.offsetStorageReader().offset(channelPartition(channel));
            channels.put(channel, ChannelState.fromOffset(channel, offset, ChannelState.start(channel, start)));
        }
        membersPartition = partition(PARTITION_MEMBERS, "users");
        Map<String, Object> offset = context.offsetStorageReader().offset(membersPartition);
        membersUpdated = offset != null && offset.get(OFFSET_UPDATED) instanceof Number n ? n.longValue()
                : start.getEpochSecond();
        LOG.info("Following {} channel(s) of {} for community '{}' into {} and {}", channels.size(), api.baseUrl(),
                config.community(), events.topic(), events.countsTopic());
    }

    @Override
    protected java.time.Duration pollInterval() {
        return config().pollInterval();
    }

    @Override
    protected String describe() {
        return "Slack " + api.baseUrl() + " channels " + config().channels() + " (community '"
                + config().community() + "'" + (config().reconcileOnly() ? ", reconcile-only" : "") + ")";
    }

    /** Token, scope and channel errors fail the task; rate limits and outages are tried again later. */
    @Override
    protected Failure classify(Exception e) {
        if (e instanceof SlackApiException slack) {
            return slack.fatal() ? Failure.FATAL : Failure.TRANSIENT;
        }
        return super.classify(e);
    }

    @Override
    protected List<SourceRecord> fetch() {
        return config().reconcileOnly() ? recount() : catchUp();
    }

    /** One count per day of the window, zeros included: a day the platform lists nothing on is checked too. */
    private List<SourceRecord> recount() {
        Instant now = clock.get();
        String community = config().community();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = today.minusDays(config().reconcileDays() - 1L);
        SortedMap<LocalDate, Long> days = new TreeMap<>();
        for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
            days.put(day, 0L);
        }
        Instant through = now;
        int messages = 0;
        // Every channel is read before anything is published: a failure publishes no partial sum.
        for (String channel : config().channels()) {
            SlackPoller.Recount recount = poller.recount(channel, community,
                    first.atStartOfDay(ZoneOffset.UTC).toInstant(), now);
            recount.days().forEach((day, n) -> days.computeIfPresent(day, (d, sum) -> sum + n));
            through = recount.through();
            messages += recount.messages();
        }
        List<SourceRecord> out = new ArrayList<>();
        for (Map.Entry<LocalDate, Long> day : days.entrySet()) {
            out.add(events.dayCount(null, null, new PlatformDayCount(community, day.getKey(), SourcePlatform.SLACK,
                    day.getValue(), now, through)));
        }
        published += out.size();
        LOG.info("{}: {} message(s) recounted, {} day count(s) from {} to {}", describe(), messages, out.size(),
                first, today);
        return out;
    }

    private List<SourceRecord> catchUp() {
        Instant now = clock.get();
        String community = config().community();
        List<SourceRecord> out = new ArrayList<>();
        Map<String, ChannelState> next = new LinkedHashMap<>();
        SortedMap<LocalDate, Boolean> touched = new TreeMap<>();
        int messages = 0;
        // Records are all made before any state moves: a failure (API or registry) re-reads the same messages.
        for (ChannelState state : channels.values()) {
            SlackPoller.ChannelRead read = poller.read(state, community, now);
            Map<String, String> partition = channelPartition(state.channel());
            for (SlackPoller.Item item : read.items()) {
                out.add(events.record(partition, item.after().toOffset(), item.event()));
            }
            read.touched().forEach(day -> touched.put(day, true));
            next.put(state.channel(), read.next());
            messages += read.messages();
            if (read.rejected() > 0) {
                LOG.warn("{}: {} message(s) could not be mapped", state.channel(), read.rejected());
            }
        }
        long updated = membersUpdated;
        if (config().members()) {
            SlackPoller.MembersRead members = poller.members(membersUpdated, community);
            for (ActivityEvent event : members.events()) {
                // Events come oldest first; a second before the event's own, so that a restart after a partial
                // commit reads the rest of that second again (repeats share ids and are deduplicated).
                Map<String, Object> offset = new HashMap<>();
                offset.put(OFFSET_UPDATED, event.getOccurredAt().getEpochSecond() - 1);
                out.add(events.record(membersPartition, offset, event));
            }
            updated = members.updated();
        }
        List<ChannelState> states = new ArrayList<>(next.values());
        SortedMap<LocalDate, Long> days = SlackPoller.dayCounts(states, touched);
        // Every message created before the poll's upper bound has been read (threads older than the window aside).
        Instant complete = states.stream().map(s -> SlackPoller.instant(s.ts())).min(Instant::compareTo)
                .orElse(now);
        days.forEach((day, items) -> out.add(events.dayCount(null, null, new PlatformDayCount(community, day,
                SourcePlatform.SLACK, items, now, complete))));
        channels.putAll(next);
        membersUpdated = updated;
        published += out.size();
        if (messages > 0 || !out.isEmpty()) {
            LOG.info("{}: {} message(s) read, {} record(s) ({} day count(s)); {} published so far",
                    describe(), messages, out.size(), days.size(), published);
        }
        return out;
    }

    private Map<String, String> channelPartition(String channel) {
        return partition(PARTITION_CHANNEL, channel);
    }

    /** A HashMap, not Map.of: see FileImportSourceTask.partition (offsets are found by the serialized map). */
    private Map<String, String> partition(String kind, String value) {
        Map<String, String> partition = new HashMap<>();
        partition.put(PARTITION_WORKSPACE, api.baseUrl());
        partition.put(kind, value);
        partition.put(PARTITION_COMMUNITY, config().community());
        return partition;
    }
}
