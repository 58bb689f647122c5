package org.communitypulse.cli;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.communitypulse.ingest.ConsoleProgress;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.KafkaEventSink;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.generator.ActivityScript;
import org.communitypulse.ingest.generator.OrganisationPlan;
import org.communitypulse.ingest.generator.SimulatedActivity;
import org.communitypulse.ingest.generator.SimulationPlan;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.registry.SchemaRegistryException;
import org.communitypulse.schemas.serde.AvroSerdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pulse generate}: publish a seeded, simulated history of several communities to the activity topic. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Publish simulated community activity (reproducible for a seed) to Kafka.")
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--communities", defaultValue = "3", description = "Communities community-1..N. Default: ${DEFAULT-VALUE}.")
    int communities;

    @Option(names = "--members", defaultValue = "500", description = "Members per community. Default: ${DEFAULT-VALUE}.")
    int members;

    @Option(names = "--days", defaultValue = "28", description = "Simulated days. Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(names = "--start", defaultValue = "2026-01-01", description = "First simulated day (UTC). Default: ${DEFAULT-VALUE}.")
    LocalDate start;

    @Option(names = "--seed", defaultValue = "42", description = "Same seed, same events and ids. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--stall", paramLabel = "COMMUNITY@DATE",
            description = "Community whose activity fades to zero at DATE, e.g. community-2@2026-01-20 (repeatable).")
    List<String> stalls = new ArrayList<>();

    @Option(names = "--stall-fade-days", paramLabel = "DAYS", defaultValue = "" + SimulationPlan.DEFAULT_STALL_FADE_DAYS,
            description = "Days before a --stall over which the community's volume declines linearly to none "
                    + "(1 to " + SimulationPlan.MAX_STALL_FADE_DAYS + "; 7 is a sudden stop). Default: ${DEFAULT-VALUE}.")
    int stallFadeDays;

    @Option(names = "--organisation",
            description = "Also generate each community's organisation: role register, Corporate Users, account "
                    + "managers, turnover, trainings and acknowledgements, with the shipped roles.yaml ids "
                    + "(docs/roles.md). The posts are the same with or without it.")
    boolean organisation;

    @Option(names = "--script", paramLabel = "FILE",
            description = "A YAML script of how the communities' practice matures week by week (who answers, how "
                    + "fast, programmed threads, platforms; docs/importers.md#scripted-maturity). It sets the "
                    + "communities, members, start, days and seed itself; not with --stall or --organisation.")
    java.nio.file.Path script;

    @Option(names = "--rate", defaultValue = "0",
            description = "Events per second for live pacing; 0 = as fast as possible. Default: ${DEFAULT-VALUE}.")
    int rate;

    @Mixin
    ConnectionOptions connection;

    /** The plan the options describe. */
    SimulationPlan plan() {
        return new SimulationPlan(SimulationPlan.numberedCommunities(communities), members, start, days, seed,
                parseStalls(stalls), stallFadeDays);
    }

    @Override
    public Integer call() throws java.io.IOException {
        // A wrong option or script stops here, with picocli's one-line report, before any connection.
        ActivityScript scripted = script == null ? null : ActivityScript.read(script);
        SimulationPlan plan = scripted != null ? scripted.plan() : plan();
        SimulatedActivity activity = activity(scripted);
        try (SchemaRegistryClient registry = connection.registryClient()) {
            Topics topics = new Topics(connection.topicPrefix(), new AvroSerdes(registry, true));
            Map<EventType, Long> byType = new EnumMap<>(EventType.class);
            long startNanos;
            try (KafkaEventSink sink = new KafkaEventSink(connection.bootstrapServers(), topics.activity(),
                    connection.kafkaProperties())) {
                // Timed from the first send: the reachability check is not generation.
                startNanos = System.nanoTime();
                publish(plan, activity, sink, byType, startNanos);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            System.out.println(summary(plan, byType, elapsed));
            System.out.println("Published to topic " + topics.activity().name() + " at " + connection.bootstrapServers());
            return 0;
        } catch (ImportException | SchemaRegistryException | org.apache.kafka.common.KafkaException e) {
            System.err.println("Generate failed: " + e.getMessage());
            return 2;
        }
    }

    /** What the options describe: the scripted simulation of {@code scripted}, or a plain one when it is null. */
    SimulatedActivity activity(ActivityScript scripted) {
        if (scripted == null) {
            return new SimulatedActivity(plan(), organisation ? OrganisationPlan.defaults() : null);
        }
        if (!stalls.isEmpty() || organisation) {
            throw new IllegalArgumentException("--script cannot be combined with --stall or --organisation: the "
                    + "script says how activity changes, a register file says who holds which role");
        }
        return new SimulatedActivity(scripted);
    }

    private void publish(SimulationPlan plan, SimulatedActivity activity, KafkaEventSink sink,
                         Map<EventType, Long> byType, long startNanos) {
        ProgressListener progress = ConsoleProgress.toStderr();
        long intervalNanos = rate > 0 ? TimeUnit.SECONDS.toNanos(1) / rate : 0;
        long due = startNanos;
        long sent = 0;
        Iterator<ActivityEvent> events = activity.iterator();
        while (events.hasNext()) {
            ActivityEvent event = events.next();
            if (intervalNanos > 0) {
                // Pace against a schedule, not per event, so slow sends are caught up.
                due += intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            sink.send(event);
            byType.merge(event.getType(), 1L, Long::sum);
            if (++sent % 500 == 0) {
                progress.update(progressOf(plan, event, sent, startNanos));
            }
        }
        sink.flush();
        if (sent > 0) {
            progress.update(new ProgressListener.Progress("generate", sent, sent, plan.days(), plan.days(),
                    Duration.ofNanos(System.nanoTime() - startNanos)));
        }
        progress.finished(null);
    }

    /** Progress measured in simulated days, so the ETA is meaningful. */
    private static ProgressListener.Progress progressOf(SimulationPlan plan, ActivityEvent event, long sent,
                                                        long startNanos) {
        long day = java.time.temporal.ChronoUnit.DAYS.between(plan.start(),
                event.getOccurredAt().atZone(java.time.ZoneOffset.UTC).toLocalDate());
        return new ProgressListener.Progress("generate", sent, sent, day, plan.days(),
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    static String summary(SimulationPlan plan, Map<EventType, Long> byType, Duration elapsed) {
        long total = byType.values().stream().mapToLong(Long::longValue).sum();
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        StringBuilder types = new StringBuilder();
        byType.forEach((type, n) -> types.append(types.length() == 0 ? "" : ", ").append(type).append('=').append(n));
        return String.format(Locale.ROOT, "Generated %,d events for %d communities x %d members over %d days in %.1f s "
                + "(%,.0f events/s): %s", total, plan.communities().size(), plan.membersPerCommunity(), plan.days(),
                seconds, total / seconds, types);
    }

    /** {@code community-2@2026-01-20} entries to a map. */
    static Map<String, LocalDate> parseStalls(List<String> specs) {
        Map<String, LocalDate> stalls = new HashMap<>();
        for (String spec : specs) {
            int at = spec.lastIndexOf('@');
            if (at <= 0 || at == spec.length() - 1) {
                throw new IllegalArgumentException("--stall must look like COMMUNITY@YYYY-MM-DD but was '" + spec + "'");
            }
            stalls.put(spec.substring(0, at), LocalDate.parse(spec.substring(at + 1)));
        }
        return stalls;
    }
}
