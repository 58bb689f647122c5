package org.communitypulse.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.communitypulse.ingest.discourse.DiscourseExportImporter;
import org.communitypulse.ingest.importing.FileImporter;
import org.communitypulse.ingest.register.RegisterImporter;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.stackexchange.StackExchangeImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pulse replay <source>}: history through the whole pipeline in this JVM (embedded broker,
 * registry and Streams; no external services), ending in a JSON-lines file of the final metrics.
 * Each source is one subcommand that only says how to import; {@link ReplayRunner} does the rest.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay history through an in-process pipeline and write the final metrics as JSON lines.",
        subcommands = {ReplayCommand.StackExchange.class, ReplayCommand.GitHub.class, ReplayCommand.Slack.class,
                ReplayCommand.CloudEvents.class, ReplayCommand.Discourse.class})
final class ReplayCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Options every replay source shares. */
    static final class ReplayOptions {

        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "JSON-lines file to write: one {\"topic\",\"key\",\"value\"} object per metric key.")
        Path out;

        @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS",
                description = "Give up when Streams has not processed every record after this long. Default: ${DEFAULT-VALUE}.")
        long timeoutSeconds;

        @Option(names = "--register", paramLabel = "FILE",
                description = "Also import this role register, training or policy acknowledgement file, as `pulse "
                        + "import register` reads it, into the replayed community (repeatable).")
        List<Path> registers = new ArrayList<>();

        @Option(names = "--declarations", paramLabel = "FILE",
                description = "Also import these declarations (goals, policies, budgets, dashboards, ...; register "
                        + "declaration rows, CSV or JSON lines, docs/maturity.md) into the replayed community (repeatable).")
        List<Path> declarations = new ArrayList<>();

        /**
         * The source's import followed by the register and declaration files, all before the replay waits for the
         * pipeline: every event is in when the outputs are read.
         */
        ReplayRunner.ImportStep withRegister(String community, ReplayRunner.ImportStep source) {
            List<Path> files = new ArrayList<>(registers);
            files.addAll(declarations);
            if (files.isEmpty()) {
                return source;
            }
            return (sink, progress) -> source.importInto(sink, progress)
                    .and(new RegisterImporter().run(files, community, sink));
        }

        /** A clear message for the first register or declarations file that is not there, else null. */
        String missingFile() {
            return Stream.concat(registers.stream(), declarations.stream()).filter(f -> !Files.isRegularFile(f))
                    .findFirst().map(f -> "pulse replay failed: no file at " + f.toAbsolutePath()).orElse(null);
        }
    }

    @Command(name = "stackexchange", mixinStandardHelpOptions = true,
            description = "Replay a Stack Exchange data dump folder (Posts.xml, Comments.xml, Votes.xml, Users.xml, ...).")
    static final class StackExchange implements Callable<Integer> {

        @Mixin
        StackExchangeDumpOptions dump;

        @Mixin
        ReplayOptions options;

        @Override
        public Integer call() {
            if (!Files.isDirectory(dump.dumpDir)) {
                System.err.println("pulse replay failed: no dump folder at " + dump.dumpDir.toAbsolutePath());
                return 2;
            }
            return replay(options, options.withRegister(dump.community,
                    (sink, progress) -> new StackExchangeImporter().run(dump.dumpDir, dump.community, sink, progress)));
        }
    }

    /** A file-based source: the same importer as {@code pulse import}. */
    abstract static class FileSource implements Callable<Integer> {

        @Mixin
        ImportCommand.ExportFileOptions export;

        @Mixin
        ReplayOptions options;

        abstract ImportCommand.ExportSource source();

        @Override
        public Integer call() {
            if (!Files.isRegularFile(export.file)) {
                System.err.println("pulse replay failed: no file at " + export.file.toAbsolutePath());
                return 2;
            }
            // A replay stays in this JVM: member ids need no hashing there.
            FileImporter importer = source().importer(MemberPseudonymiser.none());
            return replay(options, options.withRegister(export.community,
                    (sink, progress) -> importer.run(export.file, export.community, sink, progress)));
        }
    }

    @Command(name = "github", mixinStandardHelpOptions = true,
            description = "Replay GitHub events as JSON lines in the Events API shape (GH Archive), plain or gzip.")
    static final class GitHub extends FileSource {
        @Override
        ImportCommand.ExportSource source() {
            return ImportCommand.ExportSource.GITHUB;
        }
    }

    @Command(name = "slack", mixinStandardHelpOptions = true, description = "Replay a Slack workspace export zip.")
    static final class Slack extends FileSource {
        @Override
        ImportCommand.ExportSource source() {
            return ImportCommand.ExportSource.SLACK;
        }
    }

    @Command(name = "cloudevents", mixinStandardHelpOptions = true,
            description = "Replay JSON lines of CloudEvents carrying activity events.")
    static final class CloudEvents extends FileSource {
        @Override
        ImportCommand.ExportSource source() {
            return ImportCommand.ExportSource.CLOUDEVENTS;
        }
    }

    @Command(name = "discourse", mixinStandardHelpOptions = true,
            description = "Replay saved Discourse API JSON (topics and user lists).")
    static final class Discourse implements Callable<Integer> {

        @Mixin
        ImportCommand.ExportDirOptions export;

        @Mixin
        ReplayOptions options;

        @Override
        public Integer call() {
            if (!Files.isDirectory(export.dir)) {
                System.err.println("pulse replay failed: no folder at " + export.dir.toAbsolutePath());
                return 2;
            }
            return replay(options, options.withRegister(export.community,
                    (sink, progress) -> new DiscourseExportImporter(MemberPseudonymiser.none())
                            .run(export.dir, export.community, sink, progress)));
        }
    }

    /**
     * Runs one replay; exit code 0, 1 when the source had rejected rows (the file is still written,
     * as {@code pulse import} does), 2 when the replay failed (no file written).
     */
    static int replay(ReplayOptions options, ReplayRunner.ImportStep step) {
        PrintStream err = System.err;
        if (options.missingFile() != null) {
            err.println(options.missingFile());
            return 2;
        }
        try {
            ReplayRunner.Result result = new ReplayRunner(Duration.ofSeconds(options.timeoutSeconds), err)
                    .run(step, options.out);
            System.out.printf(Locale.ROOT, "Replayed %d events into %d metric records in %.1f s: %s%n",
                    result.summary().totalEvents(), result.recordsWritten(), result.elapsed().toMillis() / 1000.0,
                    options.out.toAbsolutePath());
            System.out.println(result.alertNoise().render());
            return result.summary().rejectedTotal() == 0 ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("pulse replay failed: interrupted");
            return 2;
        } catch (Exception e) {
            err.println("pulse replay failed: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            if ("1".equals(System.getenv("PULSE_DEBUG"))) {
                e.printStackTrace(err);
            }
            return 2;
        }
    }
}
