package org.communitypulse.embedded.internals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Testcontainers whether Docker is usable, with a hard time limit: against a Docker socket that
 * accepts connections but never answers, {@code isDockerAvailable()} was measured to block for minutes.
 */
public final class DockerProbe {

    private static final Logger LOG = LoggerFactory.getLogger(DockerProbe.class);
    private static final String TESTCONTAINERS_KAFKA_CLASS = "org.testcontainers.kafka.KafkaContainer";

    private DockerProbe() {
    }

    /** Whether the optional {@code org.testcontainers:kafka} module can be loaded. */
    public static boolean testcontainersOnClasspath() {
        try {
            Class.forName(TESTCONTAINERS_KAFKA_CLASS, false, DockerProbe.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Testcontainers' Docker check, answering false if it takes longer than {@code timeout}. Skipped
     * when nothing hints at a Docker engine: Testcontainers would log an ERROR for every test JVM.
     */
    public static boolean dockerAvailable(Duration timeout) {
        if (!dockerHintsPresent(System.getenv(), Paths.get(System.getProperty("user.home", "/")))) {
            LOG.debug("No Docker socket, DOCKER_HOST or ~/.testcontainers.properties: not asking Testcontainers");
            return false;
        }
        return callWithTimeout(DockerProbe::askTestcontainers, timeout);
    }

    /**
     * Whether anything Testcontainers could use to find Docker exists: {@code DOCKER_HOST}, a known
     * socket path, or a {@code ~/.testcontainers.properties} (which may name a remote or cloud host).
     */
    static boolean dockerHintsPresent(Map<String, String> env, Path home) {
        if (env.get("DOCKER_HOST") != null || env.get("TESTCONTAINERS_HOST_OVERRIDE") != null) {
            return true;
        }
        List<Path> candidates = new ArrayList<>(List.of(
                Paths.get("/var/run/docker.sock"),
                home.resolve(".docker/run/docker.sock"),
                home.resolve(".docker/desktop/docker.sock"),
                home.resolve(".testcontainers.properties")));
        String runtimeDir = env.get("XDG_RUNTIME_DIR");
        if (runtimeDir != null) {
            candidates.add(Paths.get(runtimeDir, "docker.sock"));
            candidates.add(Paths.get(runtimeDir, "podman", "podman.sock"));
        }
        return candidates.stream().anyMatch(Files::exists);
    }

    /**
     * Runs {@code check} on a daemon thread and waits at most {@code timeout}. A check that throws,
     * times out or answers null counts as false. The thread is interrupted on timeout; being a daemon,
     * a check that ignores interrupts cannot keep the JVM alive.
     */
    public static boolean callWithTimeout(Callable<Boolean> check, Duration timeout) {
        FutureTask<Boolean> task = new FutureTask<>(check);
        Thread thread = new Thread(task, "pulse-docker-probe");
        thread.setDaemon(true);
        thread.start();
        try {
            return Boolean.TRUE.equals(task.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            LOG.info("Docker did not answer within {} ms; using the in-process broker", timeout.toMillis());
            task.cancel(true);
            return false;
        } catch (ExecutionException e) {
            LOG.debug("Docker check failed", e.getCause());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            return false;
        }
    }

    private static Boolean askTestcontainers() {
        return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    }
}
