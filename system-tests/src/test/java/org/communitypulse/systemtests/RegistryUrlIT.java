package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.communitypulse.cli.PulseRun;
import org.communitypulse.cli.RegistryUrl;
import org.junit.jupiter.api.Test;

/** The registry URL completion against the real Apicurio registry the other tests use. */
class RegistryUrlIT {

    @Test
    void shouldFindApicuriosConfluentCompatibleApiUnderItsRootUrl() {
        String root = SharedPlatform.registry().baseUrl();

        assertThat(RegistryUrl.resolve(root)).isEqualTo(SharedPlatform.registry().ccompatUrl());
        assertThat(RegistryUrl.resolve(root + "/")).isEqualTo(SharedPlatform.registry().ccompatUrl());
        assertThat(RegistryUrl.resolve(SharedPlatform.registry().ccompatUrl())).isEqualTo(SharedPlatform.registry().ccompatUrl());
    }

    @Test
    void shouldPublishWithTheRootUrlGiven() {
        String prefix = "registry-root-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        // The pipeline's topics are created by Streams; generate only publishes.
        SharedPlatform.kafka().createTopics(1, prefix + "activity");

        PulseRun run = PulseRun.of("generate", "--communities", "1", "--members", "20", "--days", "2",
                "--bootstrap-servers", SharedPlatform.kafka().bootstrapServers(),
                "--registry-url", SharedPlatform.registry().baseUrl(), "--topic-prefix", prefix);

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Published to topic " + prefix + "activity");
    }
}
