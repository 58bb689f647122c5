package org.communitypulse.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.communitypulse.cli.PulseCommand;

/**
 * The packaged pulse command as a separate process, the way it ships: {@code cli/target/pulse.jar} with
 * {@code cli/target/lib} (what the Docker image holds), optionally {@code cli/target/lib-embedded} (what ./pulse
 * adds). Standard output and error go together to a log file.
 */
final class PulseProcess implements AutoCloseable {

    /** The cli module's build output: the reactor packages it before this module's integration tests. */
    static final Path TARGET = Path.of("..", "cli", "target").toAbsolutePath().normalize();

    private final Process process;
    private final Path log;

    private PulseProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Whether the build has packaged the command (failsafe runs after package). */
    static boolean packaged() {
        return Files.isRegularFile(TARGET.resolve("pulse.jar")) && Files.isDirectory(TARGET.resolve("lib"))
                && Files.isDirectory(TARGET.resolve("lib-embedded"));
    }

    /** Starts {@code pulse args} with {@code environment} added; PULSE_* variables of this JVM are removed. */
    static PulseProcess start(boolean withEmbedded, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(TARGET.resolve("pulse.jar") + ":" + TARGET.resolve("lib") + "/*"
                + (withEmbedded ? ":" + TARGET.resolve("lib-embedded") + "/*" : ""));
        command.add(PulseCommand.class.getName());
        command.addAll(List.of(args));
        return launch(new ProcessBuilder(command), environment);
    }

    /**
     * Starts {@code builder}'s command with its output and error in a log file under target/ (a file, not a
     * pipe: the JDK closes a pipe under a reading thread when the process exits, losing the last lines, which
     * here are the stop's). Its PULSE_* variables are those of {@code environment} only, none of this JVM's.
     */
    static PulseProcess launch(ProcessBuilder builder, Map<String, String> environment) throws IOException {
        builder.environment().keySet().removeIf(name -> name.startsWith("PULSE_"));
        builder.environment().putAll(environment);
        Path log = Files.createTempFile(Files.createDirectories(Path.of("target", "pulse-processes")), "pulse-", ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return new PulseProcess(builder.start(), log);
    }

    /** Waits for the exit (at most {@code timeout}) and returns the exit code; fails on a timeout. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("pulse still running after " + timeout + "; output:\n" + output());
        }
        return process.exitValue();
    }

    /** Sends SIGTERM and returns how long the process took to exit (at most {@code timeout}). */
    Duration terminate(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (!exited) {
            process.destroyForcibly();
            throw new AssertionError("pulse still running " + timeout + " after SIGTERM; output:\n" + output());
        }
        return took;
    }

    /** {@code kill -9}: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    /** Every line written so far. */
    List<String> lines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String output() {
        return String.join("\n", lines());
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
