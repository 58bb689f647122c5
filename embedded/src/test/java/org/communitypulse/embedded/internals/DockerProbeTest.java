package org.communitypulse.embedded.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerProbeTest {

    @Test
    void shouldAnswerFalseWithinTheLimitWhenTheCheckHangs() {
        CountDownLatch never = new CountDownLatch(1);
        long start = System.nanoTime();

        boolean available = DockerProbe.callWithTimeout(() -> {
            never.await();
            return true;
        }, Duration.ofMillis(200));

        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(available).isFalse();
        assertThat(elapsedMs).isBetween(150L, 2_000L);
    }

    @Test
    void shouldAnswerFalseWhenTheCheckThrows() {
        assertThat(DockerProbe.callWithTimeout(() -> {
            throw new IllegalStateException("no socket");
        }, Duration.ofSeconds(1))).isFalse();
    }

    @Test
    void shouldPassOnTheAnswerWhenTheCheckIsQuick() {
        assertThat(DockerProbe.callWithTimeout(() -> true, Duration.ofSeconds(1))).isTrue();
        assertThat(DockerProbe.callWithTimeout(() -> false, Duration.ofSeconds(1))).isFalse();
    }

    @Test
    void shouldSeeNoDockerHintWhenNoSocketOrHostIsConfigured(@TempDir Path emptyHome) {
        assertThat(DockerProbe.dockerHintsPresent(Map.of(), emptyHome))
                .isEqualTo(Files.exists(Path.of("/var/run/docker.sock")));
    }

    @Test
    void shouldSeeADockerHintWhenDockerHostIsSet(@TempDir Path emptyHome) {
        assertThat(DockerProbe.dockerHintsPresent(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375"), emptyHome))
                .isTrue();
    }

    @Test
    void shouldSeeADockerHintWhenTestcontainersPropertiesExist(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve(".testcontainers.properties"), "docker.host=tcp://example:2375\n");

        assertThat(DockerProbe.dockerHintsPresent(Map.of(), home)).isTrue();
    }

    @Test
    void shouldFindTestcontainersWhenItIsOnTheTestClasspath() {
        // The optional dependency is on this module's own classpath.
        assertThat(DockerProbe.testcontainersOnClasspath()).isTrue();
    }
}
