package org.communitypulse.ingest.generator;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.communitypulse.ingest.EventIds;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * Simulated history of several communities over a window of days, in time order, with the shapes
 * real communities show: fewer threads at weekends and at night, a few members doing most of the
 * talking while most lurk, threads answered by peers or staff after log-normal delays, members
 * joining over time, occasional role grants, trainings and policy acknowledgements, and optionally
 * a community that fades out (so health alerts have something true to find).
 *
 * <p>Reproducible: each community draws from its own {@link SplittableRandom} split off the plan's
 * seed, and event ids are {@link EventIds} over {@code seed-sequence}, so the same plan always yields
 * the same events with the same ids. Memory holds one day of events plus replies scheduled later.
 */
public final class SimulatedActivity {

    /** Relative thread volume per weekday, Monday first: weekends ~45% of a weekday. */
    static final double[] WEEKDAY_FACTOR = {1.0, 1.05, 1.05, 1.0, 0.9, 0.45, 0.42};

    /** Relative volume per UTC hour: quiet nights, a peak in working hours, a smaller evening bump. */
    static final double[] HOUR_WEIGHT = {
        0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.4, 0.8, 1.3, 1.8, 2.0, 1.9,
        1.6, 1.8, 1.9, 1.8, 1.6, 1.3, 1.0, 0.9, 0.8, 0.6, 0.4, 0.25};

    /** New threads per member and weekday at full size. */
    private static final double THREADS_PER_MEMBER_DAY = 0.02;
    /** Share of members who join during a 90-day window; shorter windows see proportionally fewer. */
    private static final double NEWCOMER_SHARE_PER_QUARTER = 0.4;
    /** Members with staff duties per community (the lowest indices). */
    static final int STAFF = 3;

    private static final String[] ROLES = {"moderator", "helper", "mentor"};
    private static final long ORGANISATION_SALT = 0x6f7267616e69L;
    private static final String[] COURSES = {"onboarding", "moderation-101", "safety-basics"};
    private static final String[] POLICIES = {"code-of-conduct-2026", "privacy-notice", "content-policy"};

    private final SimulationPlan plan;
    private final OrganisationPlan organisation;
    /** Null for the plain generator. */
    private final ActivityScript script;

    public SimulatedActivity(SimulationPlan plan) {
        this(plan, null);
    }

    /**
     * With {@code organisation} (may be null), each community also gets the role register, access levels,
     * official accounts, trainings and acknowledgements of an organisation, drawn from a random of its own:
     * the activity is the same as without it.
     */
    public SimulatedActivity(SimulationPlan plan, OrganisationPlan organisation) {
        this(plan, organisation, null);
    }

    /** A community whose practice changes as {@code script} says (see {@link ActivityScript}). */
    public SimulatedActivity(ActivityScript script) {
        this(script.plan(), null, script);
    }

    private SimulatedActivity(SimulationPlan plan, OrganisationPlan organisation, ActivityScript script) {
        this.plan = java.util.Objects.requireNonNull(plan, "plan");
        this.organisation = organisation;
        this.script = script;
    }

    /** The member id the generator gives member {@code index} of {@code community} (the first three are staff). */
    static String memberId(String community, int index) {
        return memberId(community, index, STAFF);
    }

    /** The member id of member {@code index} when the first {@code staff} members are staff. */
    public static String memberId(String community, int index, int staff) {
        return index < staff ? community + "-staff-" + index : community + "-m" + index;
    }

    /** All events of the window in time order (ties in generation order); lazily generated, day by day. */
    public Stream<ActivityEvent> events() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** The same events as {@link #events()}, as an iterator. */
    public Iterator<ActivityEvent> iterator() {
        return new DayIterator();
    }

    /** Factor in [0,1] on the community's volume for a day: 1, fading linearly to 0 at its stall day. */
    double stallFactor(String community, LocalDate day) {
        LocalDate stall = plan.stalls().get(community);
        if (stall == null) {
            return 1.0;
        }
        long left = ChronoUnit.DAYS.between(day, stall);
        if (left <= 0) {
            return 0.0;
        }
        return Math.min(1.0, left / (double) (plan.stallFadeDays() + 1));
    }

    /** Walks the window a day at a time, emitting each day's events sorted by time. */
    private final class DayIterator implements Iterator<ActivityEvent> {
        private final List<CommunitySim> sims = new ArrayList<>();
        private final List<OrganisationSim> organisations = new ArrayList<>();
        private int day;
        private Iterator<ActivityEvent> today = java.util.Collections.emptyIterator();

        DayIterator() {
            SplittableRandom root = new SplittableRandom(plan.seed());
            for (String community : plan.communities()) {
                sims.add(new CommunitySim(community, root.split()));
            }
            if (organisation != null) {
                // A root of its own, so adding the organisation leaves the activity unchanged.
                SplittableRandom organisationRoot = new SplittableRandom(plan.seed() ^ ORGANISATION_SALT);
                for (String community : plan.communities()) {
                    organisations.add(new OrganisationSim(community, organisation, organisationRoot.split(),
                            plan.membersPerCommunity(), plan.days(), plan.seed()));
                }
            }
        }

        @Override
        public boolean hasNext() {
            while (!today.hasNext() && day < plan.days()) {
                List<ActivityEvent> events = new ArrayList<>();
                for (CommunitySim sim : sims) {
                    sim.simulate(day, events);
                }
                Instant windowStart = plan.start().atStartOfDay(ZoneOffset.UTC).toInstant();
                for (OrganisationSim org : organisations) {
                    // A community that has stalled has no organisation events either.
                    if (stallFactor(org.community(), plan.start().plusDays(day)) > 0) {
                        org.simulate(day, windowStart, events);
                    }
                }
                // Stable sort: equal instants keep generation order, so the order is reproducible.
                events.sort(Comparator.comparing(ActivityEvent::getOccurredAt));
                today = events.iterator();
                day++;
            }
            return today.hasNext();
        }

        @Override
        public ActivityEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return today.next();
        }
    }

    /** One community's members and pending replies. */
    private final class CommunitySim {
        private final String community;
        private final SplittableRandom random;
        private final int[] joinDay;
        /** Activity weight by member index: Zipf, so member 0 talks most and the tail lurks. */
        private final double[] weight;
        /** Events generated for later days (replies to earlier threads), by day index. */
        private final List<List<ActivityEvent>> later = new ArrayList<>();
        private int[] present = new int[0];
        private double[] cumulative = new double[0];
        private final int staff;
        /** Platform of the thread being simulated: its replies, reactions and acceptance arrive on the same one. */
        private SourcePlatform source = SourcePlatform.GENERATOR;
        private long sequence;
        private long threads;
        /** The settings of the day being simulated. */
        private ActivityScript.Settings settings = ActivityScript.DEFAULTS;

        CommunitySim(String community, SplittableRandom random) {
            this.community = community;
            this.random = random;
            this.staff = script == null ? STAFF : script.staff();
            int m = plan.membersPerCommunity();
            joinDay = new int[m];
            weight = new double[m];
            double newcomers = script != null ? script.newcomers()
                    : NEWCOMER_SHARE_PER_QUARTER * Math.min(1.0, plan.days() / 90.0);
            for (int i = 0; i < m; i++) {
                weight[i] = 1.0 / Math.pow(i + 1, 1.1);
                // Staff and the core are there from the start; the rest partly arrive later.
                boolean initial = i < staff || random.nextDouble() >= newcomers;
                joinDay[i] = initial ? -1 : random.nextInt(plan.days());
            }
            for (int d = 0; d < plan.days(); d++) {
                later.add(new ArrayList<>());
            }
        }

        void simulate(int dayIndex, List<ActivityEvent> out) {
            LocalDate date = plan.start().plusDays(dayIndex);
            double factor = stallFactor(community, date);
            if (factor <= 0) {
                later.get(dayIndex).clear();
                return;
            }
            Instant dayStart = date.atStartOfDay(ZoneOffset.UTC).toInstant();
            if (script != null) {
                settings = script.at(dayIndex);
            }
            List<ActivityEvent> bucket = later.get(dayIndex);
            joins(dayIndex, dayStart, factor, bucket);
            refreshPresent(dayIndex);
            double weekday = WEEKDAY_FACTOR[date.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue()];
            double mean = plan.membersPerCommunity() * THREADS_PER_MEMBER_DAY * weekday * factor;
            int newThreads = poisson(mean);
            for (int t = 0; t < newThreads; t++) {
                thread(dayStart.plusMillis(timeOfDayMillis()), date, author(), Map.of());
            }
            if (script == null) {
                governance(dayStart, factor, bucket);
            } else if (date.getDayOfWeek() == DayOfWeek.TUESDAY) {
                // The week's programme, published on one weekday so every ISO week holds all of it.
                for (int p = 0; p < settings.programmedPerWeek(); p++) {
                    String kind = ActivityScript.PROGRAMMED_KINDS.get(p % ActivityScript.PROGRAMMED_KINDS.size());
                    thread(dayStart.plusMillis(timeOfDayMillis()), date, random.nextInt(staff), Map.of("kind", kind));
                }
            }
            out.addAll(bucket);
            bucket.clear();
        }

        private void joins(int dayIndex, Instant dayStart, double factor, List<ActivityEvent> bucket) {
            for (int i = 0; i < joinDay.length; i++) {
                // A fading community also stops attracting newcomers.
                if (joinDay[i] == dayIndex && random.nextDouble() < factor) {
                    source = settings.sources().get(0);
                    bucket.add(event(EventType.MEMBER_JOINED, "member", member(i), null, null,
                            dayStart.plusMillis(timeOfDayMillis()), Map.of()));
                } else if (joinDay[i] == dayIndex) {
                    joinDay[i] = Integer.MAX_VALUE;
                }
            }
        }

        private void refreshPresent(int dayIndex) {
            int[] ids = new int[joinDay.length];
            int n = 0;
            for (int i = 0; i < joinDay.length; i++) {
                if (joinDay[i] <= dayIndex) {
                    ids[n++] = i;
                }
            }
            if (n == present.length) {
                return;
            }
            present = java.util.Arrays.copyOf(ids, n);
            cumulative = new double[n];
            double sum = 0;
            for (int k = 0; k < n; k++) {
                sum += weight[present[k]];
                cumulative[k] = sum;
            }
        }

        /** A scripted community's threads are started by members; the plain generator's by anyone. */
        private int author() {
            int author = pickMember();
            for (int attempt = 0; script != null && author < staff && attempt < 8; attempt++) {
                author = pickMember();
            }
            // Eight staff draws in a row: the newest member present asks instead (never staff, who come first).
            return script != null && author < staff ? present[present.length - 1] : author;
        }

        /** A thread and, scheduled at their own times, its replies, reactions and accepted answer. */
        private void thread(Instant at, LocalDate date, int author, Map<String, String> attributes) {
            String threadId = community + "-t" + plan.seed() + "-" + threads++;
            // One draw only when there is a choice, so a single-platform script keeps the plain generator's draws.
            List<SourcePlatform> sources = settings.sources();
            source = sources.size() == 1 ? sources.get(0) : sources.get(random.nextInt(sources.size()));
            schedule(event(EventType.THREAD_CREATED, "thread", member(author), threadId, null, at, attributes), date);
            if (random.nextDouble() < settings.unansweredShare()) {
                return;
            }
            // Geometric number of replies, mean ~2.5; each a log-normal delay after the previous one.
            Instant when = at;
            String firstAnswer = null;
            int firstAnswerer = -1;
            double delay = Math.log(settings.firstReplyMinutes());
            do {
                when = when.plusSeconds((long) (60 * logNormal(delay, 1.2)));
                // Only the first reply waits for the scripted responsiveness; a conversation then goes at its pace.
                delay = Math.log(ActivityScript.DEFAULTS.firstReplyMinutes());
                int actor = replier(author);
                String kind = random.nextDouble() < 0.6 ? "answer" : "comment";
                ActivityEvent reply = event(EventType.REPLY_CREATED, "reply", member(actor), threadId, threadId, when,
                        Map.of("kind", kind));
                schedule(reply, date);
                if (firstAnswer == null && "answer".equals(kind)) {
                    firstAnswer = reply.getEventId();
                    firstAnswerer = actor;
                }
                if (random.nextDouble() < 0.5) {
                    Instant reacted = when.plusSeconds((long) (60 * logNormal(Math.log(30), 1.0)));
                    schedule(event(EventType.REACTION_ADDED, "reaction", member(pickMember()), threadId,
                            reply.getEventId(), reacted, Map.of("reaction", "upvote")), date);
                }
            } while (random.nextDouble() < 0.6);
            if (firstAnswer != null && firstAnswerer != author && random.nextDouble() < 0.5) {
                Instant accepted = when.plusSeconds((long) (60 * logNormal(Math.log(120), 1.0)));
                schedule(event(EventType.ANSWER_ACCEPTED, "accept", member(author), threadId, firstAnswer, accepted,
                        Map.of()), date);
            }
        }

        /** A peer (weighted, never the author) or, sometimes, staff. */
        private int replier(int author) {
            if (random.nextDouble() < settings.staffReplyShare()) {
                int answerer = random.nextInt(staff);
                return answerer == author ? (answerer + 1) % staff : answerer;
            }
            for (int attempt = 0; attempt < 8; attempt++) {
                int peer = pickMember();
                // A scripted community's staff share is the script's: a peer is never staff.
                if (peer != author && (script == null || peer >= staff)) {
                    return peer;
                }
            }
            return author == 0 ? 1 : 0;
        }

        /** A few member-lifecycle events per community and week. */
        private void governance(Instant dayStart, double factor, List<ActivityEvent> bucket) {
            if (random.nextDouble() < 0.08 * factor) {
                bucket.add(event(EventType.ROLE_GRANTED, "role", member(pickMember()), null, null,
                        dayStart.plusMillis(timeOfDayMillis()), Map.of("role", pick(ROLES))));
            }
            if (random.nextDouble() < 0.25 * factor) {
                bucket.add(event(EventType.TRAINING_COMPLETED, "training", member(pickMember()), null, null,
                        dayStart.plusMillis(timeOfDayMillis()), Map.of("course", pick(COURSES))));
            }
            if (random.nextDouble() < 0.2 * factor) {
                bucket.add(event(EventType.POLICY_ACKNOWLEDGED, "policy", member(pickMember()), null, null,
                        dayStart.plusMillis(timeOfDayMillis()), Map.of("policy", pick(POLICIES))));
            }
        }

        /** Puts an event into its day's bucket; dropped if it falls after the window or the stall. */
        private void schedule(ActivityEvent event, LocalDate today) {
            long offset = ChronoUnit.DAYS.between(plan.start(),
                    event.getOccurredAt().atZone(ZoneOffset.UTC).toLocalDate());
            if (offset >= plan.days()) {
                return;
            }
            LocalDate date = plan.start().plusDays(offset);
            if (stallFactor(community, date) <= 0) {
                return;
            }
            later.get((int) offset).add(event);
        }

        private int pickMember() {
            double u = random.nextDouble() * cumulative[cumulative.length - 1];
            int k = java.util.Arrays.binarySearch(cumulative, u);
            k = k >= 0 ? k : -k - 1;
            return present[Math.min(k, present.length - 1)];
        }

        private String member(int index) {
            return memberId(community, index, staff);
        }

        private String pick(String[] values) {
            return values[random.nextInt(values.length)];
        }

        private long timeOfDayMillis() {
            double u = random.nextDouble() * HOUR_TOTAL;
            int hour = 0;
            while (hour < 23 && u >= HOUR_WEIGHT[hour]) {
                u -= HOUR_WEIGHT[hour];
                hour++;
            }
            return hour * 3_600_000L + random.nextLong(3_600_000L);
        }

        private double logNormal(double mu, double sigma) {
            return Math.exp(mu + sigma * gaussian());
        }

        private double gaussian() {
            // Box-Muller on the community's own random, so results do not depend on anything else.
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }

        private int poisson(double mean) {
            if (mean <= 0) {
                return 0;
            }
            if (mean > 50) {
                return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
            }
            double limit = Math.exp(-mean);
            double p = random.nextDouble();
            int k = 0;
            while (p > limit) {
                p *= random.nextDouble();
                k++;
            }
            return k;
        }

        private ActivityEvent event(EventType type, String kind, String actor, String threadId, String parentId,
                                    Instant at, Map<String, String> attributes) {
            return GeneratedEvents.event(source, community, kind, plan.seed() + "-" + sequence++, type, actor,
                    threadId, parentId, at, attributes);
        }
    }

    private static final double HOUR_TOTAL = java.util.Arrays.stream(HOUR_WEIGHT).sum();
}
