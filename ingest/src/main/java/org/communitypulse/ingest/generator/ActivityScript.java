package org.communitypulse.ingest.generator;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * How a simulated community's practice matures over its window ({@code pulse generate --script FILE}, see
 * docs/importers.md): who answers, how fast, how much goes unanswered, how many programmed threads appear a week and
 * which platforms the activity arrives on, each changed from a given week on. A script makes a history whose maturity
 * climbs on a known schedule, so a test can hold the scorecard to it.
 *
 * <p>Scripted communities differ from the plain generator in three ways, so that each signal moves only when the
 * script says: threads are started by members, not staff (staff replying is then staff support, not reciprocity);
 * programmed threads are started by staff; and no random role, training or policy events are made (the organisation
 * comes from a register file).
 *
 * @param communities community ids
 * @param start       first simulated day (UTC), normally a Monday so script weeks are ISO weeks
 * @param weeks       simulated weeks
 * @param members     members per community
 * @param seed        the same script and seed give the same events and ids
 * @param staff       members {@code <community>-staff-0 .. staff-(n-1)} who answer as staff and hold roles
 * @param newcomers   share of the members who join during the window rather than being there from the start (the
 *                    plain generator: 0.4 a quarter); a steady membership keeps the 28-day signals steady
 * @param phases      settings from a week on; a phase changes only what it names
 */
public record ActivityScript(List<String> communities, LocalDate start, int weeks, int members, long seed, int staff,
                             double newcomers, List<Phase> phases) {

    /** Threads of programmed content cycle through these {@code attributes.kind} values (docs/maturity.md). */
    static final List<String> PROGRAMMED_KINDS = List.of("event", "ama", "newsletter", "webinar");

    /** The plain generator's behaviour, which week 1 starts from. */
    static final Settings DEFAULTS = new Settings(0.2, 0.15, 45, 0, List.of(SourcePlatform.GENERATOR));

    /** The plain generator's newcomers over a quarter or more (SimulatedActivity). */
    static final double DEFAULT_NEWCOMERS = 0.4;

    /** Most staff members a script may name: beyond this "staff" is no longer a team. */
    static final int MAX_STAFF = 50;

    /**
     * From week {@code week} (1-based) on, the fields given replace the previous phase's.
     *
     * @param week              first week (1 = the week of {@code start})
     * @param staffReplyShare   share of replies written by staff
     * @param unansweredShare   share of threads that get no reply at all
     * @param firstReplyMinutes median minutes from a thread to its first reply (log-normal, as the generator's)
     * @param programmedPerWeek programmed threads started by staff each week (an event, AMA, newsletter, webinar)
     * @param sources           platforms the threads (and their replies) arrive on, each equally likely
     */
    public record Phase(int week, Double staffReplyShare, Double unansweredShare, Double firstReplyMinutes,
                        Integer programmedPerWeek, List<SourcePlatform> sources) {
    }

    /** The settings in force on a day: every field resolved. */
    public record Settings(double staffReplyShare, double unansweredShare, double firstReplyMinutes,
                           int programmedPerWeek, List<SourcePlatform> sources) {

        Settings with(Phase p) {
            return new Settings(p.staffReplyShare() != null ? p.staffReplyShare() : staffReplyShare,
                    p.unansweredShare() != null ? p.unansweredShare() : unansweredShare,
                    p.firstReplyMinutes() != null ? p.firstReplyMinutes() : firstReplyMinutes,
                    p.programmedPerWeek() != null ? p.programmedPerWeek() : programmedPerWeek,
                    p.sources() != null ? List.copyOf(p.sources()) : sources);
        }
    }

    public ActivityScript {
        communities = List.copyOf(communities);
        phases = phases.stream().sorted(Comparator.comparingInt(Phase::week)).toList();
        if (communities.isEmpty() || start == null || weeks < 1 || members < 2 || staff < 1 || staff > MAX_STAFF
                || staff >= members || !(newcomers >= 0 && newcomers <= 1)) {
            throw new IllegalArgumentException("a script needs communities, a start date, weeks >= 1, members >= 2 "
                    + "and 1 to " + MAX_STAFF + " staff (fewer than the members), newcomers in [0, 1]");
        }
        for (Phase p : phases) {
            check(p, weeks);
        }
    }

    /** Called from the constructor: {@code weeks} is the parameter, the field is not set yet. */
    private static void check(Phase p, int weeks) {
        String where = "phase of week " + p.week() + ": ";
        if (p.week() < 1 || p.week() > weeks) {
            throw new IllegalArgumentException(where + "week must be 1 to " + weeks);
        }
        if (outOfUnit(p.staffReplyShare()) || outOfUnit(p.unansweredShare())) {
            throw new IllegalArgumentException(where + "shares must be in [0, 1]");
        }
        if (p.firstReplyMinutes() != null && !(p.firstReplyMinutes() > 0)) {
            throw new IllegalArgumentException(where + "first_reply_minutes must be above 0");
        }
        if (p.programmedPerWeek() != null && (p.programmedPerWeek() < 0 || p.programmedPerWeek() > 100)) {
            throw new IllegalArgumentException(where + "programmed_per_week must be 0 to 100");
        }
        if (p.sources() != null && p.sources().isEmpty()) {
            throw new IllegalArgumentException(where + "sources must name at least one platform");
        }
    }

    private static boolean outOfUnit(Double share) {
        return share != null && !(share >= 0 && share <= 1);
    }

    /** The settings of day {@code dayIndex} (0 = {@code start}): week 1's defaults with every phase up to its week. */
    public Settings at(int dayIndex) {
        int week = dayIndex / 7 + 1;
        Settings settings = DEFAULTS;
        for (Phase p : phases) {
            if (p.week() <= week) {
                settings = settings.with(p);
            }
        }
        return settings;
    }

    /** The simulation window the script covers (no stalls). */
    public SimulationPlan plan() {
        return new SimulationPlan(communities, members, start, weeks * 7, seed, Map.of());
    }

    /** The first day of week {@code week} (1-based). */
    public LocalDate weekStart(int week) {
        return start.plusWeeks(week - 1L);
    }

    /** Whether {@code start} is a Monday, so script weeks coincide with the scorecard's ISO weeks. */
    public boolean startsOnMonday() {
        return start.getDayOfWeek() == DayOfWeek.MONDAY;
    }

    /** Reads a YAML script; an unknown key or a value of the wrong type fails with the key named. */
    public static ActivityScript read(Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS);
        File raw = yaml.readValue(file.toFile(), File.class);
        try {
            return raw.script();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The file's shape; snake_case keys. */
    private record File(List<String> communities, String start, Integer weeks, Integer members, Long seed, Integer staff,
                        Double newcomers, List<RawPhase> phases) {
        ActivityScript script() {
            List<Phase> list = new ArrayList<>();
            if (phases != null) {
                phases.forEach(p -> list.add(p.phase()));
            }
            return new ActivityScript(communities == null ? List.of() : communities,
                    LocalDate.parse(java.util.Objects.requireNonNull(start, "start is required")),
                    weeks == null ? 52 : weeks, members == null ? 200 : members, seed == null ? 42 : seed,
                    staff == null ? 3 : staff, newcomers == null ? DEFAULT_NEWCOMERS : newcomers, list);
        }
    }

    private record RawPhase(@JsonProperty("week") Integer week, Double staffReplyShare, Double unansweredShare,
                            Double firstReplyMinutes, Integer programmedPerWeek, List<SourcePlatform> sources) {
        Phase phase() {
            return new Phase(java.util.Objects.requireNonNull(week, "every phase needs a week"), staffReplyShare,
                    unansweredShare, firstReplyMinutes, programmedPerWeek, sources);
        }
    }
}
