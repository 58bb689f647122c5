package org.communitypulse.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.register.RegisterImporter;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.declarations.Declaration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pulse declare <kind>}: publishes declared evidence (a goal, a published policy, a budget, ...) as an
 * {@code EVIDENCE_DECLARED} event on the activity topic, through the importers' producer. The declaration is
 * checked by {@link Declaration#of} before anything is sent, and its id is stable, so declaring the same thing
 * twice publishes one event.
 */
@Command(name = "declare", mixinStandardHelpOptions = true,
        description = {"Declare evidence activity cannot show (docs/importers.md, \"Declared evidence\"): one "
                + "declaration from the options, or every declaration row of --file (CSV or JSON lines, as "
                + "`pulse import register` reads them). Prints the event id of each declaration.",
                "Kinds: goal, strategy, purpose, budget, policy, assessment, dashboard, metrics-review, headcount, "
                        + "organisation, training-requirement."})
final class DeclareCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "KIND", description = "What is declared, e.g. goal.")
    String kind;

    @Option(names = "--community", required = true, description = "Community id (no ':'), e.g. forum.")
    String community;

    @Option(names = "--file", paramLabel = "FILE",
            description = "Publish every declaration row of this CSV or JSON-lines file instead (docs/importers.md).")
    Path file;

    @Option(names = "--evidence", paramLabel = "URL", description = "Where it is documented: a URL or document id.")
    String evidence;

    @Option(names = "--declared-by", paramLabel = "WHO", description = "Who declares it: a person or role.")
    String declaredBy;

    @Option(names = "--date", paramLabel = "yyyy-mm-dd",
            description = "The day it takes effect (UTC). Default: today.")
    LocalDate date;

    @Option(names = "--valid-until", paramLabel = "yyyy-mm-dd", description = "Last day it holds (inclusive).")
    String validUntil;

    @Option(names = "--withdrawn", description = "Withdraw the kind and subject from --date on.")
    boolean withdrawn;

    @Option(names = "--subject", description = "What is declared, when the kind's default does not say.")
    String subject;

    @Option(names = "--signal", description = "goal: the maturity signal id, e.g. wau.")
    String signal;

    @Option(names = "--target", description = "goal: the signal's target.")
    String target;

    @Option(names = "--deadline", paramLabel = "yyyy-mm-dd", description = "goal: the day it is due.")
    String deadline;

    @Option(names = "--name", description = "goal, dashboard, metrics-review, organisation: its name.")
    String name;

    @Option(names = "--title", description = "strategy, policy: its title.")
    String title;

    @Option(names = "--policy", description = "policy: the policy id, e.g. community-guidelines.")
    String policy;

    @Option(names = "--competency", description = "assessment: the maturity competency id, e.g. culture.")
    String competency;

    @Option(names = "--stage", description = "assessment: the stage found, 1-4.")
    String stage;

    @Option(names = "--score", description = "assessment: the score found, 0-100.")
    String score;

    @Option(names = "--amount", description = "budget: the amount.")
    String amount;

    @Option(names = "--staff", description = "headcount: the organisation's staff.")
    String staff;

    @Option(names = "--organisation", description = "organisation: the id of the organisation it belongs to.")
    String organisation;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "Any other attribute of the kind (repeatable), e.g. --set currency=EUR.")
    Map<String, String> set = new LinkedHashMap<>();

    @Mixin
    ConnectionOptions connection;

    private final Clock clock;

    DeclareCommand() {
        this(Clock.systemUTC());
    }

    DeclareCommand(Clock clock) {
        this.clock = clock;
    }

    /** Runs an import step against a cluster; a test records what the step sends instead. */
    @FunctionalInterface
    interface Publisher {
        int publish(String community, ReplayRunner.ImportStep step);
    }

    @Override
    public Integer call() {
        return execute((c, step) -> ImportCommand.importWith(c, connection, step), System.out, System.err);
    }

    int execute(Publisher publisher, PrintStream out, PrintStream err) {
        ActivityEvent event = null;
        try {
            Map<String, String> attributes = attributes();
            if (file != null && (kind != null || date != null || !attributes.isEmpty())) {
                throw new IllegalArgumentException("give a KIND and its options, or --file, not both");
            }
            if (file == null) {
                attributes.put(Declaration.KIND, kind);
                LocalDate day = date != null ? date : LocalDate.now(clock.withZone(ZoneOffset.UTC));
                event = Declaration.of(community, day.atStartOfDay(ZoneOffset.UTC).toInstant(), attributes)
                        .toEvent(SourcePlatform.OTHER);
            }
        } catch (IllegalArgumentException e) {
            err.println("Declaration refused: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (event == null) {
            return publisher.publish(community, (sink, progress) -> RegisterImporter.declarations()
                    .run(List.of(file), community, printingIds(sink, out)));
        }
        ActivityEvent declared = event;
        return publisher.publish(community, (sink, progress) -> {
            EventSink printing = printingIds(sink, out);
            printing.send(declared);
            printing.flush();
            Map<EventType, Long> published = new EnumMap<>(EventType.class);
            published.put(EventType.EVIDENCE_DECLARED, 1L);
            return new ImportSummary(community, published, Map.of(), List.of(), Map.of(), Map.of(), List.of(), 0,
                    Duration.ZERO);
        });
    }

    /** {@code sink}, printing each event's id once the events sent so far are stored. */
    private static EventSink printingIds(EventSink sink, PrintStream out) {
        return new EventSink() {
            private final List<String> sent = new java.util.ArrayList<>();

            @Override
            public void send(ActivityEvent event) {
                sink.send(event);
                sent.add(event.getEventId());
            }

            @Override
            public void flush() {
                sink.flush();
                sent.forEach(out::println);
                sent.clear();
            }

            @Override
            public void close() {
                // The caller closes the sink it made.
            }
        };
    }

    /** The attributes the options give (without the kind); an attribute given twice is refused. */
    private Map<String, String> attributes() {
        Map<String, String> attributes = new LinkedHashMap<>(set == null ? Map.of() : set);
        Map<String, String> named = new LinkedHashMap<>();
        named.put(Declaration.EVIDENCE, evidence);
        named.put(Declaration.DECLARED_BY, declaredBy);
        named.put(Declaration.VALID_UNTIL, validUntil);
        named.put(Declaration.WITHDRAWN, withdrawn ? "true" : null);
        named.put(Declaration.SUBJECT, subject);
        named.put("signal", signal);
        named.put("target", target);
        named.put("deadline", deadline);
        named.put("name", name);
        named.put("title", title);
        named.put("policy", policy);
        named.put("competency", competency);
        named.put("stage", stage);
        named.put("score", score);
        named.put("amount", amount);
        named.put("staff", staff);
        named.put("organisation", organisation);
        named.forEach((attribute, value) -> {
            if (value != null && attributes.put(attribute, value) != null) {
                throw new IllegalArgumentException("'" + attribute + "' is given twice (its option and --set)");
            }
        });
        return attributes;
    }
}
