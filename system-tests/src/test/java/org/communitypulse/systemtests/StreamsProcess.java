package org.communitypulse.systemtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.communitypulse.cli.PulseCommand;

/**
 * {@code pulse streams} in a child JVM (this test's class path, {@link PulseCommand} as main class), so
 * it can be killed the hard way: {@link #kill()} is {@code kill -9}, no shutdown hook, no commit, no
 * leaving the group, locks and half-written state files left behind.
 */
final class StreamsProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private StreamsProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code pulse streams} with the given connection, application id, state directory and
     * extra settings ({@code --config KEY=VALUE}); its output is appended to {@code log}.
     */
    static StreamsProcess start(String bootstrapServers, String registryUrl, String topicPrefix, String applicationId,
                                Path stateDir, Map<String, String> config, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PulseCommand.class.getName());
        command.add("streams");
        command.add("--bootstrap-servers=" + bootstrapServers);
        command.add("--registry-url=" + registryUrl);
        command.add("--topic-prefix=" + topicPrefix);
        command.add("--application-id=" + applicationId);
        command.add("--state-dir=" + stateDir.toAbsolutePath());
        config.forEach((k, v) -> command.add("--config=" + k + "=" + v));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The child must not pick up a developer's PULSE_* settings: only what the test passes counts.
        builder.environment().keySet().removeIf(name -> name.startsWith("PULSE_"));
        return new StreamsProcess(builder.start(), log);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL, then waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    /** The last {@code lines} lines of the child's output, for failure messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Ends the process gently (SIGTERM: Streams commits and leaves its group), SIGKILL after 60 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
