package org.communitypulse.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The packaged pulse command as a separate process, the way it ships: {@code target/pulse.jar} with
 * {@code target/lib} (what the Docker image holds), optionally {@code target/lib-embedded} (what ./pulse adds).
 * Collects standard output and error together.
 */
final class PulseProcess implements AutoCloseable {

    static final Path TARGET = Path.of("target").toAbsolutePath();

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private PulseProcess(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException e) {
                output.add("(output closed: " + e + ")");
            }
        }, "pulse-process-output");
        reader.setDaemon(true);
        reader.start();
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
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("PULSE_"));
        builder.environment().putAll(environment);
        return new PulseProcess(builder.start());
    }

    /** Waits for the exit (at most {@code timeout}) and returns the exit code; fails on a timeout. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("pulse still running after " + timeout + "; output:\n" + output());
        }
        reader.join(5_000);
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
        reader.join(5_000);
        return took;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    List<String> lines() {
        return List.copyOf(output);
    }

    String output() {
        return String.join("\n", output);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
