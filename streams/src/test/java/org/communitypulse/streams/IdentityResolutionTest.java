package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.schemas.IdentityAttributes;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.Identity;
import org.communitypulse.schemas.avro.IdentityKey;
import org.communitypulse.schemas.avro.IdentityLink;
import org.communitypulse.schemas.avro.IdentityLinkReason;
import org.communitypulse.schemas.avro.IdentitySuggestion;
import org.communitypulse.schemas.avro.IdentitySuggestionKey;
import org.communitypulse.schemas.avro.MemberEngagement;
import org.communitypulse.schemas.avro.MemberKey;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.avro.SuggestionReason;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.engagement.EngagementTopology;
import org.communitypulse.streams.intake.IntakeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Identity resolution on a scripted community spanning Discourse, Slack and GitHub (see docs/identity.md):
 * <ul>
 *   <li>alice: d-alice and s-alice share a verified email hash; d-alice's profile links g-alice;</li>
 *   <li>bob: s-bob and g-bob are mapped to one person by an explicit mapping import;</li>
 *   <li>two different daves: d-dave and g-dave share a username and a display name, nothing else;</li>
 *   <li>carol: s-carol and g-carol share an email hash the platforms did not verify.</li>
 * </ul>
 */
class IdentityResolutionTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T12:00:00Z"), ZoneOffset.UTC);
    private static final String C = "acme";
    private static final CommunityDayKey APRIL_2 = new CommunityDayKey(C, LocalDate.parse("2024-04-02"));

    @RegisterExtension
    final PipelineDriver.Drivers pipelines = new PipelineDriver.Drivers("identity-test");

    private int ids;

    /** One pipeline and the latest record per key of every output it wrote so far. */
    private final class Pipeline {
        final Topics topics;
        final TopologyTestDriver driver;
        final TestInputTopic<String, ActivityEvent> in;
        final TestInputTopic<String, ActivityEvent> erasures;
        final Map<Topic<?, ?>, TestOutputTopic<?, ?>> outs = new HashMap<>();
        final Map<Topic<?, ?>, Map<Object, Object>> latest = new LinkedHashMap<>();

        Pipeline() {
            PipelineDriver pipeline = pipelines.start((topics, serdes) -> EngagementTopology.build(topics, serdes,
                    new IntakeSettings(Optional.empty(), Duration.ofDays(1)), EngagementSettings.defaults(),
                    AlertSettings.defaults().withWallClock(false), RuntimeHooks.defaults().withClock(CLOCK)));
            topics = pipeline.topics;
            driver = pipeline.driver;
            in = pipeline.activity;
            erasures = pipeline.erasures;
            for (Topic<?, ?> t : List.of(topics.dailyEngagement(), topics.trailingEngagement(), topics.retention(),
                    topics.memberLevels(), topics.identities(), topics.identitySuggestions())) {
                outs.put(t, pipeline.output(t));
                latest.put(t, new HashMap<>());
            }
        }

        Pipeline send(List<ActivityEvent> events) {
            events.forEach(e -> in.pipeInput(e.getCommunityId(), e));
            driver.advanceWallClockTime(EngagementSettings.defaults().emitInterval());
            outs.forEach((t, out) -> out.readKeyValuesToList().forEach(kv -> {
                if (kv.value == null) {
                    latest.get(t).remove(kv.key);
                } else {
                    latest.get(t).put(kv.key, kv.value);
                }
            }));
            return this;
        }

        Pipeline send(ActivityEvent... events) {
            return send(List.of(events));
        }

        /** An erasure request, as `pulse identity erase` writes it: on the erasures topic, for every community. */
        Pipeline erase(String identity) {
            ActivityEvent request = command(EventType.MEMBER_ERASED, identity, null);
            request.setCommunityId("*");
            erasures.pipeInput(request.getEventId(), request);
            return send(List.of());
        }

        @SuppressWarnings("unchecked")
        <K, V> Map<K, V> latest(Topic<K, V> topic) {
            return (Map<K, V>) (Map<?, ?>) latest.get(topic);
        }

        /** A deep copy of every output's latest records. */
        Map<String, Map<Object, Object>> snapshot() {
            Map<String, Map<Object, Object>> copy = new TreeMap<>();
            latest.forEach((t, m) -> copy.put(t.name(), new HashMap<>(m)));
            return copy;
        }

        Identity identity(String id) {
            return latest(topics.identities()).get(new IdentityKey(C, id));
        }

        MemberEngagement level(String member) {
            return latest(topics.memberLevels()).get(new MemberKey(C, member));
        }
    }

    private ActivityEvent event(SourcePlatform source, EventType type, String actor, String at,
                                Map<String, String> attributes) {
        return ActivityEvent.newBuilder().setEventId("e" + ids++).setCommunityId(C).setSource(source).setType(type)
                .setActorId(actor).setThreadId(type == EventType.THREAD_CREATED || type == EventType.REPLY_CREATED
                        ? "thread-" + actor : null)
                .setOccurredAt(Instant.parse(at)).setAttributes(attributes).build();
    }

    private ActivityEvent post(SourcePlatform source, String actor, String at) {
        return event(source, EventType.THREAD_CREATED, actor, at, Map.of());
    }

    private ActivityEvent observed(SourcePlatform source, String actor, Map<String, String> attributes) {
        return event(source, EventType.IDENTITY_OBSERVED, actor, "2024-04-01T00:00:00Z", attributes);
    }

    private ActivityEvent command(EventType type, String a, String b) {
        return event(SourcePlatform.OTHER, type, a, "2024-06-01T11:00:00Z",
                b == null ? Map.of() : Map.of(IdentityAttributes.OTHER_IDENTITY, b));
    }

    /** Everyone contributes on 2024-04-02; alice on all three platforms, bob on two. */
    private List<ActivityEvent> activity() {
        return new ArrayList<>(List.of(
                post(SourcePlatform.DISCOURSE, "d-alice", "2024-04-02T09:00:00Z"),
                post(SourcePlatform.SLACK, "s-alice", "2024-04-02T10:00:00Z"),
                post(SourcePlatform.GITHUB, "g-alice", "2024-04-09T10:00:00Z"),
                post(SourcePlatform.SLACK, "s-bob", "2024-04-02T11:00:00Z"),
                post(SourcePlatform.GITHUB, "g-bob", "2024-04-02T12:00:00Z"),
                post(SourcePlatform.DISCOURSE, "d-dave", "2024-04-02T13:00:00Z"),
                post(SourcePlatform.GITHUB, "g-dave", "2024-04-02T14:00:00Z"),
                post(SourcePlatform.SLACK, "s-carol", "2024-04-02T15:00:00Z"),
                post(SourcePlatform.GITHUB, "g-carol", "2024-04-02T16:00:00Z")));
    }

    private List<ActivityEvent> observations() {
        return new ArrayList<>(List.of(
                observed(SourcePlatform.DISCOURSE, "d-alice", Map.of(IdentityAttributes.USERNAME, "alice",
                        IdentityAttributes.EMAIL_HASH, "h-alice", IdentityAttributes.EMAIL_VERIFIED, "true",
                        IdentityAttributes.LINKED_ACCOUNT, "g-alice")),
                observed(SourcePlatform.SLACK, "s-alice", Map.of(IdentityAttributes.DISPLAY_NAME, "Alice A.",
                        IdentityAttributes.EMAIL_HASH, "h-alice", IdentityAttributes.EMAIL_VERIFIED, "true")),
                observed(SourcePlatform.GITHUB, "g-alice", Map.of(IdentityAttributes.USERNAME, "alice-gh")),
                observed(SourcePlatform.SLACK, "s-bob", Map.of(IdentityAttributes.MAPPING_ID, "person-7")),
                observed(SourcePlatform.GITHUB, "g-bob", Map.of(IdentityAttributes.MAPPING_ID, "person-7")),
                observed(SourcePlatform.DISCOURSE, "d-dave", Map.of(IdentityAttributes.USERNAME, "dave",
                        IdentityAttributes.DISPLAY_NAME, "Dave")),
                observed(SourcePlatform.GITHUB, "g-dave", Map.of(IdentityAttributes.USERNAME, "Dave",
                        IdentityAttributes.DISPLAY_NAME, "dave")),
                observed(SourcePlatform.SLACK, "s-carol", Map.of(IdentityAttributes.EMAIL_HASH, "h-carol")),
                observed(SourcePlatform.GITHUB, "g-carol", Map.of(IdentityAttributes.EMAIL_HASH, "h-carol",
                        IdentityAttributes.EMAIL_VERIFIED, "false"))));
    }

    private static List<String> reasons(Identity identity) {
        return identity.getLinks().stream().map(l -> l.getOtherIdentityId() + ":" + l.getReason()).toList();
    }

    @Test
    void shouldMergeOnStrongEvidenceAndOnlySuggestOnNamesWhenScriptedAcrossThreePlatforms() {
        List<ActivityEvent> events = observations();
        events.addAll(activity());
        Pipeline p = new Pipeline().send(events);

        // alice: one member on three platforms, id = smallest identity id, every link with its reason and time.
        assertThat(List.of("d-alice", "s-alice", "g-alice")).allSatisfy(id ->
                assertThat(p.identity(id).getMemberId()).isEqualTo("d-alice"));
        assertThat(reasons(p.identity("d-alice"))).containsExactly("g-alice:LINKED_ACCOUNT", "s-alice:EMAIL");
        IdentityLink email = p.identity("s-alice").getLinks().get(0);
        assertThat(email.getEvidence()).isEqualTo("h-alice");
        assertThat(email.getLinkedAt()).isEqualTo(Instant.parse("2024-04-01T00:00:00Z"));
        assertThat(p.identity("d-alice").getEmailHashes()).containsExactly("h-alice");
        // bob: the explicit mapping.
        assertThat(p.identity("s-bob").getMemberId()).isEqualTo("g-bob");
        assertThat(reasons(p.identity("g-bob"))).containsExactly("s-bob:MAPPING");
        // The two daves share only names, carol only an unverified email: never merged, suggested.
        assertThat(p.identity("d-dave").getMemberId()).isEqualTo("d-dave");
        assertThat(p.identity("g-dave").getMemberId()).isEqualTo("g-dave");
        assertThat(p.identity("s-carol").getMemberId()).isEqualTo("s-carol");
        assertThat(p.identity("g-carol").getEmailHashes()).as("unverified emails are not identity facts").isEmpty();
        Map<IdentitySuggestionKey, IdentitySuggestion> suggestions = p.latest(p.topics.identitySuggestions());
        assertThat(suggestions).containsOnlyKeys(new IdentitySuggestionKey(C, "d-dave", "g-dave"),
                new IdentitySuggestionKey(C, "g-carol", "s-carol"));
        assertThat(suggestions.get(new IdentitySuggestionKey(C, "d-dave", "g-dave")).getReason())
                .isEqualTo(SuggestionReason.SAME_USERNAME);
        assertThat(suggestions.get(new IdentitySuggestionKey(C, "g-carol", "s-carol")).getReason())
                .isEqualTo(SuggestionReason.UNVERIFIED_EMAIL);

        // Metrics count members: on 04-02 eight identities posted, six members (alice x2, bob x2, two daves,
        // s-carol, g-carol)... alice 1, bob 1, daves 2, carols 2.
        assertThat(p.latest(p.topics.dailyEngagement()).get(APRIL_2).getActiveMembers()).isEqualTo(6);
        assertThat(p.latest(p.topics.memberLevels())).containsOnlyKeys(new MemberKey(C, "d-alice"),
                new MemberKey(C, "g-bob"), new MemberKey(C, "d-dave"), new MemberKey(C, "g-dave"),
                new MemberKey(C, "s-carol"), new MemberKey(C, "g-carol"));
        assertThat(p.level("d-alice").getContributionsTotal()).isEqualTo(3);
        assertThat(p.level("g-bob").getContributionsTotal()).isEqualTo(2);
        // One retention cohort (week of 04-01) of six members, of whom alice came back in week 2.
        var cohort = p.latest(p.topics.retention()).values().iterator().next();
        assertThat(cohort.getCohortSize()).isEqualTo(6);
        assertThat(cohort.getRetained()).isEqualTo(1);

        // Without identity events the same activity counts identities.
        Pipeline plain = new Pipeline().send(activity());
        assertThat(plain.latest(plain.topics.dailyEngagement()).get(APRIL_2).getActiveMembers()).isEqualTo(8);
        assertThat(plain.latest(plain.topics.memberLevels())).hasSize(9);
    }

    @Test
    void shouldTreatEveryIdentityOfAStaffMemberAsStaffWhenOneIdentityHoldsTheRole() {
        ActivityEvent grant = event(SourcePlatform.DISCOURSE, EventType.ROLE_GRANTED, "d-alice", "2024-03-31T00:00:00Z",
                Map.of("role", "moderator"));
        ActivityEvent reply = event(SourcePlatform.SLACK, EventType.REPLY_CREATED, "s-alice", "2024-04-02T20:00:00Z",
                Map.of());
        reply.setThreadId("thread-d-dave");
        List<ActivityEvent> activity = activity();
        activity.add(grant);
        activity.add(reply);

        Pipeline unresolved = new Pipeline().send(activity);
        assertThat(unresolved.latest(unresolved.topics.dailyEngagement()).get(APRIL_2).getPeerReplies()).isEqualTo(1);

        List<ActivityEvent> events = new ArrayList<>(activity);
        events.addAll(observations());
        Pipeline p = new Pipeline().send(events);
        // s-alice is alice, a moderator on Discourse: her Slack reply is not peer support.
        assertThat(p.latest(p.topics.dailyEngagement()).get(APRIL_2).getPeerReplies()).isZero();
        assertThat(p.level("d-alice").getStaff()).isTrue();
    }

    @Test
    void shouldResolveTheSameMembersAndMetricsWhenEventsArriveInAnyOrder() {
        List<ActivityEvent> events = observations();
        events.addAll(activity());
        Pipeline ordered = new Pipeline().send(events);
        for (long seed = 1; seed <= 3; seed++) {
            List<ActivityEvent> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, new Random(seed));
            Pipeline p = new Pipeline().send(shuffled);
            assertThat(members(p)).isEqualTo(members(ordered));
            assertThat(p.latest(p.topics.dailyEngagement())).isEqualTo(ordered.latest(ordered.topics.dailyEngagement()));
            assertThat(p.latest(p.topics.memberLevels())).isEqualTo(ordered.latest(ordered.topics.memberLevels()));
            assertThat(p.latest(p.topics.retention())).isEqualTo(ordered.latest(ordered.topics.retention()));
            assertThat(p.latest(p.topics.identitySuggestions()).keySet())
                    .isEqualTo(ordered.latest(ordered.topics.identitySuggestions()).keySet());
        }
    }

    /**
     * A property on random activity: spreading each person's posts over two platform identities and linking them
     * gives the member counts, levels and retention of one identity per person.
     */
    @Test
    void shouldCountMembersAsOneIdentityPerPersonWhenEachPersonsActivityIsSpreadOverTwoLinkedIdentities() {
        int size = Integer.getInteger("identity.test.events", 3_000);
        Random random = new Random(5);
        List<ActivityEvent> single = new ArrayList<>();
        List<ActivityEvent> spread = new ArrayList<>();
        java.util.Set<String> people = new java.util.TreeSet<>();
        Instant start = Instant.parse("2024-02-01T00:00:00Z");
        for (int i = 0; i < size; i++) {
            String person = "m" + random.nextInt(Math.max(10, size / 20));
            people.add(person);
            EventType type = random.nextBoolean() ? EventType.THREAD_CREATED : EventType.REPLY_CREATED;
            Instant at = start.plusSeconds(random.nextInt(90 * 86_400));
            ActivityEvent e = ActivityEvent.newBuilder().setEventId("r" + i).setCommunityId(C)
                    .setSource(SourcePlatform.DISCOURSE).setType(type).setActorId(person)
                    .setThreadId("t" + random.nextInt(size / 3 + 1)).setOccurredAt(at).build();
            single.add(e);
            // Half of each person's posts come from their Slack identity "x-<person>" (sorts after "m...").
            spread.add(random.nextBoolean() ? e : ActivityEvent.newBuilder(e).setSource(SourcePlatform.SLACK)
                    .setActorId("x-" + person).build());
        }
        for (String person : people) {
            spread.add(observed(SourcePlatform.DISCOURSE, person, Map.of(IdentityAttributes.MAPPING_ID, person)));
            spread.add(observed(SourcePlatform.SLACK, "x-" + person, Map.of(IdentityAttributes.MAPPING_ID, person)));
        }
        Collections.shuffle(spread, new Random(9));

        long t0 = System.nanoTime();
        Pipeline one = new Pipeline().send(single);
        long t1 = System.nanoTime();
        Pipeline two = new Pipeline().send(spread);
        long t2 = System.nanoTime();
        System.out.printf("[identity] %d events: one identity per person %d ms, two linked identities per person "
                + "(+%d observations) %d ms%n", size, (t1 - t0) / 1_000_000, 2 * people.size(), (t2 - t1) / 1_000_000);

        assertThat(two.latest(two.topics.memberLevels())).isEqualTo(one.latest(one.topics.memberLevels()));
        assertThat(two.latest(two.topics.retention())).isEqualTo(one.latest(one.topics.retention()));
        Map<CommunityDayKey, String> members = new TreeMap<>(java.util.Comparator.comparing(k -> k.getDay()));
        one.latest(one.topics.trailingEngagement()).forEach((k, v) -> members.put(k, v.getDau() + "/" + v.getWau()
                + "/" + v.getMau() + "/" + v.getContributions28d() + "/" + v.getTop10PercentShare()));
        Map<CommunityDayKey, String> resolved = new TreeMap<>(java.util.Comparator.comparing(k -> k.getDay()));
        two.latest(two.topics.trailingEngagement()).forEach((k, v) -> resolved.put(k, v.getDau() + "/" + v.getWau()
                + "/" + v.getMau() + "/" + v.getContributions28d() + "/" + v.getTop10PercentShare()));
        members.forEach((k, v) -> assertThat(resolved.get(k)).as(k.toString()).isEqualTo(v));
        one.latest(one.topics.dailyEngagement()).forEach((k, v) -> assertThat(
                two.latest(two.topics.dailyEngagement()).get(k).getActiveMembers()).as(k.toString())
                .isEqualTo(v.getActiveMembers()));
    }

    private static Map<String, String> members(Pipeline p) {
        return p.latest(p.topics.identities()).values().stream().collect(Collectors.toMap(
                i -> i.getIdentityId().toString(), i -> i.getMemberId() + " " + reasons(i), (a, b) -> a, TreeMap::new));
    }

    @Test
    void shouldRestoreTheOriginalMetricsWhenAMergeIsSplit() {
        List<ActivityEvent> events = observations();
        events.addAll(activity());
        Pipeline p = new Pipeline().send(events);
        Map<String, Map<Object, Object>> before = p.snapshot();

        // Someone accepts the daves' suggestion: one member now.
        p.send(command(EventType.IDENTITY_MERGED, "g-dave", "d-dave"));
        assertThat(p.identity("g-dave").getMemberId()).isEqualTo("d-dave");
        assertThat(reasons(p.identity("g-dave"))).containsExactly("d-dave:MANUAL");
        assertThat(p.latest(p.topics.dailyEngagement()).get(APRIL_2).getActiveMembers()).isEqualTo(5);
        assertThat(p.level("g-dave")).isNull();
        assertThat(p.level("d-dave").getContributionsTotal()).isEqualTo(2);
        assertThat(p.latest(p.topics.identitySuggestions()))
                .doesNotContainKey(new IdentitySuggestionKey(C, "d-dave", "g-dave"));

        // They were two people after all: the split undoes exactly the merge.
        p.send(command(EventType.IDENTITY_SPLIT, "d-dave", "g-dave"));
        Map<String, Map<Object, Object>> after = p.snapshot();
        for (Topic<?, ?> metric : List.of(p.topics.dailyEngagement(), p.topics.trailingEngagement(),
                p.topics.retention(), p.topics.memberLevels())) {
            assertThat(after.get(metric.name())).as(metric.name()).isEqualTo(before.get(metric.name()));
        }
        assertThat(p.identity("g-dave").getMemberId()).isEqualTo("g-dave");
        assertThat(p.identity("g-dave").getLinks()).isEmpty();
    }

    @Test
    void shouldSplitEvidenceLinksAndKeepThemApartWhenEvidenceIsSeenAgain() {
        List<ActivityEvent> events = observations();
        events.addAll(activity());
        Pipeline p = new Pipeline().send(events);

        p.send(command(EventType.IDENTITY_SPLIT, "s-bob", "g-bob"));
        assertThat(p.identity("s-bob").getMemberId()).isEqualTo("s-bob");
        // New strong evidence between the two arrives: the split stands.
        p.send(observed(SourcePlatform.SLACK, "s-bob", Map.of(IdentityAttributes.EMAIL_HASH, "h-bob",
                        IdentityAttributes.EMAIL_VERIFIED, "true")),
                observed(SourcePlatform.GITHUB, "g-bob", Map.of(IdentityAttributes.EMAIL_HASH, "h-bob",
                        IdentityAttributes.EMAIL_VERIFIED, "true")));
        assertThat(p.identity("s-bob").getMemberId()).isEqualTo("s-bob");
        assertThat(p.level("s-bob").getContributionsTotal()).isEqualTo(1);
    }

    @Test
    void shouldStopLinkingAndSuggestingOnEvidenceWhenTooManyIdentitiesShareIt() {
        List<ActivityEvent> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            SourcePlatform source = i % 2 == 0 ? SourcePlatform.SLACK : SourcePlatform.GITHUB;
            events.add(observed(source, String.format("team-%02d", i), Map.of(IdentityAttributes.EMAIL_HASH, "h-team",
                    IdentityAttributes.EMAIL_VERIFIED, "true", IdentityAttributes.DISPLAY_NAME, "Admin")));
        }
        Pipeline p = new Pipeline().send(events);

        // The first 20 share the mailbox and are linked (a safety net, not a judgement); the rest are left alone.
        assertThat(p.identity("team-19").getMemberId()).isEqualTo("team-00");
        assertThat(p.identity("team-20").getMemberId()).isEqualTo("team-20");
        assertThat(p.identity("team-24").getMemberId()).isEqualTo("team-24");
        assertThat(p.latest(p.topics.identitySuggestions())).isEmpty();
        assertThat(p.driver.metrics().entrySet()).filteredOn(e -> e.getKey().name().equals("evidence-too-common-total"))
                .singleElement().satisfies(e -> assertThat(e.getValue().metricValue()).isEqualTo(10.0));
    }

    @Test
    void shouldDeadLetterIdentityCommandsThatCannotApply() {
        Pipeline p = new Pipeline().send(observations());
        TestOutputTopic<byte[], byte[]> dlq = p.driver.createOutputTopic(p.topics.activityDeadLetters().name(),
                p.topics.activityDeadLetters().keySerde().deserializer(),
                p.topics.activityDeadLetters().valueSerde().deserializer());

        p.send(command(EventType.IDENTITY_SPLIT, "d-dave", "g-dave"), command(EventType.IDENTITY_MERGED, "d-dave", null),
                command(EventType.IDENTITY_SPLIT, "s-alice", "g-alice"));

        assertThat(dlq.readRecordsToList()).extracting(r -> new String(
                r.headers().lastHeader("pulse.dlq.reason").value(), java.nio.charset.StandardCharsets.UTF_8))
                .containsExactly("NOT_LINKED", "MISSING_OTHER_IDENTITY", "NO_DIRECT_LINK");
    }

    @Test
    void shouldForgetAnErasedMemberOnEveryMemberLevelTopic() {
        List<ActivityEvent> events = observations();
        events.addAll(activity());
        Pipeline p = new Pipeline().send(events);
        assertThat(p.level("d-alice")).isNotNull();

        p.erase("g-alice");

        assertThat(List.of("d-alice", "s-alice", "g-alice")).allSatisfy(id -> assertThat(p.identity(id)).isNull());
        assertThat(p.level("d-alice")).isNull();
        assertThat(p.latest(p.topics.memberLevels()).keySet()).extracting(k -> k.getMemberId().toString())
                .noneMatch(id -> id.contains("alice"));
        // The index of every day she was active on is gone too; the others' days stay.
        List<String> indexed = new java.util.ArrayList<>();
        try (var all = p.driver.<String, byte[]>getKeyValueStore(
                org.communitypulse.streams.engagement.EngagementTopology.MEMBER_DAYS_STORE).all()) {
            all.forEachRemaining(kv -> indexed.add(kv.key));
        }
        assertThat(indexed).isNotEmpty().noneMatch(k -> k.contains("alice"));
        assertThat(p.latest(p.topics.dailyEngagement()).get(APRIL_2).getActiveMembers()).isEqualTo(5);
        // Her threads still happened; nobody is counted for them.
        assertThat(p.latest(p.topics.dailyEngagement()).get(APRIL_2).getThreads()).isEqualTo(8);

        // She stays forgotten: the platforms keep reporting her, nothing about her comes back.
        p.send(post(SourcePlatform.SLACK, "s-alice", "2024-04-02T18:00:00Z"),
                observed(SourcePlatform.SLACK, "s-alice", Map.of(IdentityAttributes.DISPLAY_NAME, "Alice A.")));
        assertThat(p.identity("s-alice")).isNull();
        assertThat(p.level("s-alice")).isNull();
        assertThat(p.driver.metrics().entrySet()).filteredOn(e -> e.getKey().name().equals("observations-of-erased-total"))
                .singleElement().satisfies(e -> assertThat(e.getValue().metricValue()).isEqualTo(1.0));
        assertThat(p.latest(p.topics.dailyEngagement()).get(APRIL_2).getActiveMembers()).isEqualTo(5);
        assertThat(p.latest(p.topics.dailyEngagement()).get(APRIL_2).getThreads()).isEqualTo(9);
    }

    @Test
    void shouldForgetAPersonInEveryCommunityWhenOneErasureNamesTheirPseudonym() {
        List<ActivityEvent> events = observations();
        events.addAll(activity());
        // The same pseudonym (the community is not part of it) in a second community, linked there too.
        for (ActivityEvent e : List.copyOf(events)) {
            if (e.getActorId().endsWith("alice")) {
                ActivityEvent copy = ActivityEvent.newBuilder(e).setEventId(e.getEventId() + "-beta")
                        .setCommunityId("beta").build();
                events.add(copy);
            }
        }
        Pipeline p = new Pipeline().send(events);
        assertThat(p.latest(p.topics.identities())).containsKey(new IdentityKey("beta", "s-alice"));
        assertThat(p.latest(p.topics.memberLevels())).containsKey(new MemberKey("beta", "d-alice"));

        p.erase("s-alice");

        assertThat(p.latest(p.topics.identities()).keySet()).noneMatch(k -> k.getIdentityId().contains("alice"));
        assertThat(p.latest(p.topics.memberLevels()).keySet()).noneMatch(k -> k.getMemberId().contains("alice"));
        assertThat(p.latest(p.topics.identities())).containsKey(new IdentityKey(C, "s-bob"));
    }

    @Test
    void shouldDeadLetterAnErasureOnTheActivityTopicAndForgetNobody() {
        List<ActivityEvent> events = observations();
        events.addAll(activity());
        Pipeline p = new Pipeline().send(events);
        TestOutputTopic<byte[], byte[]> dlq = p.driver.createOutputTopic(p.topics.activityDeadLetters().name(),
                p.topics.activityDeadLetters().keySerde().deserializer(),
                p.topics.activityDeadLetters().valueSerde().deserializer());

        // Any importer, CloudEvents file or compromised producer can write here: not an authorised source.
        p.send(command(EventType.MEMBER_ERASED, "g-alice", null));

        assertThat(dlq.readRecordsToList()).singleElement().satisfies(r -> assertThat(new String(
                r.headers().lastHeader("pulse.dlq.reason").value(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("ERASURE_NOT_AUTHORISED"));
        assertThat(p.identity("g-alice")).isNotNull();
        assertThat(p.level("d-alice")).isNotNull();
        assertThat(p.driver.metrics().entrySet()).filteredOn(e -> e.getKey().name().equals("dead-lettered-total")
                        && "ERASURE_NOT_AUTHORISED".equals(e.getKey().tags().get("reason")))
                .singleElement().satisfies(e -> assertThat(e.getValue().metricValue()).isEqualTo(1.0));
    }

    @Test
    void shouldNeverPutAnEmailInClearOnAnyOutputWhenOnlyHashesAreProduced() {
        List<ActivityEvent> events = observations();
        events.addAll(activity());
        Pipeline p = new Pipeline().send(events);
        // Identity records carry hashes only; names appear only on the identities and suggestions topics.
        p.latest(p.topics.identities()).values().forEach(i ->
                assertThat(i.getEmailHashes()).allSatisfy(h -> assertThat(h).doesNotContain("@")));
        assertThat(p.latest(p.topics.memberLevels()).values().toString()).doesNotContain("alice-gh", "Alice A.");
    }
}
