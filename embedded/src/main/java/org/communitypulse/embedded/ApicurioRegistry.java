package org.communitypulse.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.communitypulse.embedded.internals.LogTail;
import org.communitypulse.embedded.internals.ParentWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry speaking Confluent's REST API, for tests and the local run: Apicurio
 * Registry 2.6 started as a child JVM from the runnable distribution that this module's build
 * unpacks into {@code embedded/target/apicurio}.
 *
 * <p>After start the global compatibility is BACKWARD, like Confluent's default (Apicurio's own
 * default is NONE). Clients use {@link #ccompatUrl()}. The child is killed on {@link #close()} and,
 * as a safety net, when this JVM exits; run from this module's jar, it also ends by itself when this
 * JVM dies without running its shutdown hooks ({@code kill -9}).
 */
public final class ApicurioRegistry implements AutoCloseable {

    /** System property naming the directory that holds Apicurio's {@code *-runner.jar} (or the jar itself). */
    public static final String HOME_PROPERTY = "pulse.apicurio.home";
    /** Where this module's build unpacks Apicurio, relative to the repository root. */
    public static final Path DEFAULT_HOME = Paths.get("embedded", "target", "apicurio");
    /** Content type of Confluent's (and Apicurio's ccompat) REST API. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger LOG = LoggerFactory.getLogger(ApicurioRegistry.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final int LOG_TAIL_LINES = 40;

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Thread shutdownHook;
    private final boolean stopOnJvmExit;

    private ApicurioRegistry(Process process, int port, Path logFile, boolean stopOnJvmExit) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stopProcess, "pulse-apicurio-stop-" + process.pid());
        this.stopOnJvmExit = stopOnJvmExit;
    }

    /** Starts a registry with in-memory storage on a free port. */
    public static ApicurioRegistry start() {
        return builder().start();
    }

    /** Starts a registry whose schemas are kept in an H2 database file under {@code dataDir}. */
    public static ApicurioRegistry start(Path dataDir) {
        return builder().dataDir(dataDir).start();
    }

    /** Options: runner jar, data and log directories, port, start timeout, heap. */
    public static Builder builder() {
        return new Builder();
    }

    /** Base URL of the Confluent-compatible API, e.g. {@code http://127.0.0.1:40123/apis/ccompat/v7}. */
    public String ccompatUrl() {
        return baseUrl() + "/apis/ccompat/v7";
    }

    /** Base URL of the server, e.g. {@code http://127.0.0.1:40123}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The HTTP port. */
    public int port() {
        return port;
    }

    /** The file receiving the registry's standard output and error. */
    public Path logFile() {
        return logFile;
    }

    /** Process id of the registry's JVM. */
    public long pid() {
        return process.pid();
    }

    /** Whether the registry process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the registry: a polite termination first, forced after five seconds. */
    @Override
    public void close() {
        stopProcess();
        if (!stopOnJvmExit) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook runs or has run.
        }
    }

    private void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Builder for {@link ApicurioRegistry}. */
    public static final class Builder {
        private Path runnerJar;
        private Path dataDir;
        private Path logDir;
        private int port;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private String maxHeap = "256m";
        private boolean stopOnJvmExit = true;
        private final List<String> extraJvmArgs = new ArrayList<>();

        private Builder() {
        }

        /**
         * Whether a JVM shutdown hook stops the registry (default true). Turn it off when the caller closes
         * it from its own hook, in order: hooks run concurrently, so the registry would go while clients
         * still use it.
         */
        public Builder stopOnJvmExit(boolean stop) {
            this.stopOnJvmExit = stop;
            return this;
        }

        /** The runner jar, or the directory holding it; default: {@value #HOME_PROPERTY} or a search upward. */
        public Builder runnerJar(Path jarOrDirectory) {
            this.runnerJar = jarOrDirectory;
            return this;
        }

        /** Keep schemas in {@code dir/registry.mv.db} across restarts (created if missing). */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Directory for {@code apicurio.log}; default the data directory, else a temporary one. */
        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        /** HTTP port; 0 (default) picks a free one. */
        public Builder port(int httpPort) {
            if (httpPort < 0 || httpPort > 65_535) {
                throw new IllegalArgumentException("port out of range: " + httpPort);
            }
            this.port = httpPort;
            return this;
        }

        /** How long to wait for {@code /health/ready}; default 60 s. */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        /** Maximum heap of the child JVM, in {@code -Xmx} syntax; default {@code 256m}. */
        public Builder maxHeap(String heap) {
            this.maxHeap = heap;
            return this;
        }

        /** An extra child JVM argument, e.g. {@code -Dquarkus.log.level=DEBUG}. */
        public Builder jvmArg(String arg) {
            extraJvmArgs.add(arg);
            return this;
        }

        /** Starts the registry and returns once it is ready and set to BACKWARD compatibility. */
        public ApicurioRegistry start() {
            Path jar = resolveRunnerJar(runnerJar);
            int httpPort = port > 0 ? port : freePort();
            Path logs = logDirectory();
            Path log = logs.resolve("apicurio.log");
            List<String> command = command(jar, httpPort);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(logs.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            if (dataDir != null) {
                // 2.6 reads its datasource URL from this variable in the prod profile; a plain
                // -Dquarkus.datasource.jdbc.url would lose against the profile-specific default.
                pb.environment().put("REGISTRY_DATASOURCE_URL", h2FileUrl(dataDir));
            }
            long started = System.nanoTime();
            Process process;
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start " + String.join(" ", command), e);
            }
            ApicurioRegistry registry = new ApicurioRegistry(process, httpPort, log, stopOnJvmExit);
            if (stopOnJvmExit) {
                Runtime.getRuntime().addShutdownHook(registry.shutdownHook);
            }
            try {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                awaitReady(registry, http, startupTimeout);
                setGlobalCompatibility(registry, http, "BACKWARD");
            } catch (RuntimeException e) {
                registry.close();
                throw e;
            }
            LOG.info("Apicurio Registry ready at {} in {} ms (pid {}, log {})", registry.ccompatUrl(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), process.pid(), log);
            return registry;
        }

        private List<String> command(Path jar, int httpPort) {
            List<String> command = new ArrayList<>();
            command.add(javaExecutable());
            command.add("-Xmx" + maxHeap);
            // Measured on 2 cores: serial GC plus C1 only starts about 1.5 s sooner (3.5-4.5 s instead
            // of 5.5-6 s) and takes about 45 MB less RSS; a test registry never needs C2's peak speed.
            command.add("-XX:+UseSerialGC");
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-Dquarkus.http.host=127.0.0.1");
            command.add("-Dquarkus.http.port=" + httpPort);
            parentWatchAgent().ifPresent(agent -> command.add("-javaagent:" + agent));
            command.addAll(extraJvmArgs);
            command.add("-jar");
            command.add(jar.toString());
            return command;
        }

        private Path logDirectory() {
            try {
                Path dir = logDir != null ? logDir : dataDir != null ? dataDir
                        : Files.createTempDirectory("pulse-apicurio-");
                return Files.createDirectories(dir.toAbsolutePath());
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create the registry log directory", e);
            }
        }
    }

    /**
     * This module's jar, when the registry's code runs from one (not from a classes directory, as in this
     * module's own tests): as an agent it ends the child with this JVM, even after a {@code kill -9}
     * that leaves no shutdown hook to run ({@link ParentWatch}).
     */
    static Optional<Path> parentWatchAgent() {
        try {
            CodeSource source = ApicurioRegistry.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path location = Paths.get(source.getLocation().toURI());
            if (!Files.isRegularFile(location)) {
                return Optional.empty();
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                Manifest manifest = jar.getManifest();
                return manifest != null && manifest.getMainAttributes().getValue("Premain-Class") != null
                        ? Optional.of(location) : Optional.empty();
            }
        } catch (IOException | URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The JDBC URL of the file database kept in {@code dataDir}. */
    static String h2FileUrl(Path dataDir) {
        try {
            Path dir = Files.createDirectories(dataDir.toAbsolutePath());
            return "jdbc:h2:file:" + dir.resolve("registry");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the registry data directory " + dataDir, e);
        }
    }

    private static void awaitReady(ApicurioRegistry registry, HttpClient http, Duration timeout) {
        URI ready = URI.create(registry.baseUrl() + "/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!registry.process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with code "
                        + registry.process.exitValue() + " before becoming ready; end of "
                        + registry.logFile + ":\n" + LogTail.of(registry.logFile, LOG_TAIL_LINES));
            }
            if (isReady(http, ready)) {
                return;
            }
            try {
                // Polling a child process has no event to wait for; a short pause between probes.
                registry.process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
            }
        }
        throw new IllegalStateException("Apicurio Registry was not ready within " + timeout.toSeconds()
                + " s; end of " + registry.logFile + ":\n" + LogTail.of(registry.logFile, LOG_TAIL_LINES));
    }

    private static boolean isReady(HttpClient http, URI ready) {
        try {
            HttpRequest request = HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
        }
    }

    private static void setGlobalCompatibility(ApicurioRegistry registry, HttpClient http, String level) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(registry.ccompatUrl() + "/config"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", CONTENT_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Setting global compatibility to " + level + " failed: HTTP "
                        + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Setting global compatibility to " + level + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while configuring Apicurio Registry", e);
        }
    }

    /**
     * Finds the runner jar: the given jar or directory, else {@value #HOME_PROPERTY}, else
     * {@code embedded/target/apicurio} in the working directory or any directory above it (so it
     * works from the repository root and from every module directory).
     */
    static Path resolveRunnerJar(Path given) {
        if (given != null) {
            return runnerJarIn(given).orElseThrow(() -> new IllegalStateException(
                    "No Apicurio *-runner.jar at " + given.toAbsolutePath()));
        }
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            return runnerJarIn(Paths.get(home)).orElseThrow(() -> new IllegalStateException(
                    "No Apicurio *-runner.jar in " + HOME_PROPERTY + "=" + home));
        }
        Path cwd = Paths.get("").toAbsolutePath();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            Optional<Path> jar = runnerJarIn(dir.resolve(DEFAULT_HOME));
            if (jar.isPresent()) {
                return jar.get();
            }
        }
        throw new IllegalStateException("Apicurio Registry not found: set -D" + HOME_PROPERTY
                + " or build the embedded module (it unpacks Apicurio into " + DEFAULT_HOME
                + "); searched upward from " + cwd);
    }

    private static Optional<Path> runnerJarIn(Path jarOrDir) {
        if (Files.isRegularFile(jarOrDir)) {
            return Optional.of(jarOrDir.toAbsolutePath());
        }
        if (!Files.isDirectory(jarOrDir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(jarOrDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar"))
                    .sorted()
                    .reduce((first, second) -> second)
                    .map(Path::toAbsolutePath);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port for Apicurio Registry", e);
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .filter(cmd -> Files.isExecutable(Paths.get(cmd)))
                .orElseGet(() -> Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    }
}
