package org.communitypulse.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.communitypulse.embedded.ApicurioRegistry;
import org.communitypulse.embedded.KafkaCluster;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.StreamsCatchUp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** Integration tests on the JVM-wide broker and registry of {@link SharedPlatform}. */
abstract class PlatformTestBase {

    static KafkaCluster kafka;
    static ApicurioRegistry registry;

    @BeforeAll
    static void platform() {
        kafka = SharedPlatform.kafka();
        registry = SharedPlatform.registry();
    }

    /**
     * Blocks until the application has committed every input record and emitted (and committed) the
     * metric records they changed; fails after {@code timeout}.
     */
    static void awaitProcessedAndEmitted(String applicationId, PulseStreamsApp app, Duration timeout)
            throws Exception {
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            // awaitCaughtUp also waits for every input record to be committed: one wait covers both.
            app.awaitCaughtUp(new StreamsCatchUp(admin, applicationId, app.topics().activity().name()), timeout, false);
        }
    }

    /** Sum of a pulse intake metric over all tasks and threads of the instance. */
    static long metric(PulseStreamsApp app, String name) {
        return metric(app, "stream-pulse-metrics", name);
    }

    /** The sum of Kafka Streams' metric {@code name} of {@code group} over all its instances (threads, tasks). */
    static long metric(PulseStreamsApp app, String group, String name) {
        double sum = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : app.streams().metrics().entrySet()) {
            if (e.getKey().group().equals(group) && e.getKey().name().equals(name)) {
                sum += ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        return (long) sum;
    }

    /** A real Stack Exchange dump read in place from ../shared/data; the test is skipped without it. */
    static Path realDump(String community) {
        Path dump = Path.of(System.getProperty("pulse.shared.data", "../../shared/data"), "stackexchange", community);
        Assumptions.assumeTrue(Files.isDirectory(dump), "real dump not present at " + dump);
        return dump;
    }
}
