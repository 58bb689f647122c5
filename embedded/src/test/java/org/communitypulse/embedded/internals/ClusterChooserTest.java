package org.communitypulse.embedded.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.communitypulse.embedded.KafkaMode;
import org.junit.jupiter.api.Test;

class ClusterChooserTest {

    private final AtomicInteger dockerProbes = new AtomicInteger();

    private BooleanSupplier docker(boolean answer) {
        return () -> {
            dockerProbes.incrementAndGet();
            return answer;
        };
    }

    @Test
    void shouldChooseEmbeddedWithoutProbingDockerWhenModeIsEmbedded() {
        ClusterChooser chooser = new ClusterChooser(() -> true, docker(true));

        assertThat(chooser.choose(KafkaMode.EMBEDDED)).isEqualTo(ClusterChooser.Choice.EMBEDDED);
        assertThat(dockerProbes).hasValue(0);
    }

    @Test
    void shouldChooseTestcontainersWhenAutoAndDockerAnswers() {
        ClusterChooser chooser = new ClusterChooser(() -> true, docker(true));

        assertThat(chooser.choose(KafkaMode.AUTO)).isEqualTo(ClusterChooser.Choice.TESTCONTAINERS);
    }

    @Test
    void shouldFallBackToEmbeddedWhenAutoAndDockerIsAbsent() {
        ClusterChooser chooser = new ClusterChooser(() -> true, docker(false));

        assertThat(chooser.choose(KafkaMode.AUTO)).isEqualTo(ClusterChooser.Choice.EMBEDDED);
        assertThat(dockerProbes).hasValue(1);
    }

    @Test
    void shouldNotProbeDockerWhenAutoAndTestcontainersIsMissing() {
        ClusterChooser chooser = new ClusterChooser(() -> false, docker(true));

        assertThat(chooser.choose(KafkaMode.AUTO)).isEqualTo(ClusterChooser.Choice.EMBEDDED);
        assertThat(dockerProbes).hasValue(0);
    }

    @Test
    void shouldFailWhenTestcontainersIsRequestedAndDockerIsAbsent() {
        ClusterChooser chooser = new ClusterChooser(() -> true, docker(false));

        assertThatThrownBy(() -> chooser.choose(KafkaMode.TESTCONTAINERS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Docker");
    }
}
