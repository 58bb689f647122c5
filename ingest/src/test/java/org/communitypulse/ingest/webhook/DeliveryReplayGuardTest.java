package org.communitypulse.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeliveryReplayGuardTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void shouldRejectGitHubDeliveryWhenIdSeenBefore() {
        DeliveryReplayGuard guard = new DeliveryReplayGuard();
        Map<String, String> headers = Map.of("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958");

        assertThat(guard.check(WebhookSource.GITHUB, headers, NOW).accepted()).isTrue();
        assertThat(guard.check(WebhookSource.GITHUB, Map.of("x-github-delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"),
                NOW.plusSeconds(60)).reason()).isEqualTo(RejectReason.REPLAYED_DELIVERY);
    }

    @Test
    void shouldAcceptDeliveryAgainWhenReleasedAfterFailedProcessing() {
        DeliveryReplayGuard guard = new DeliveryReplayGuard();
        Map<String, String> headers = Map.of("X-GitHub-Delivery", "d-1");

        assertThat(guard.check(WebhookSource.GITHUB, headers, NOW).accepted()).isTrue();
        guard.release(WebhookSource.GITHUB, headers);
        assertThat(guard.size()).isZero();
        assertThat(guard.check(WebhookSource.GITHUB, headers, NOW).accepted()).isTrue();
        assertThat(guard.check(WebhookSource.GITHUB, headers, NOW).reason()).isEqualTo(RejectReason.REPLAYED_DELIVERY);
    }

    @Test
    void shouldRejectDiscourseDeliveryWhenEventIdSeenBefore() {
        DeliveryReplayGuard guard = new DeliveryReplayGuard();
        Map<String, String> headers = Map.of("X-Discourse-Event-Id", "42");

        assertThat(guard.check(WebhookSource.DISCOURSE, headers, NOW).accepted()).isTrue();
        assertThat(guard.check(WebhookSource.DISCOURSE, headers, NOW).reason())
                .isEqualTo(RejectReason.REPLAYED_DELIVERY);
        assertThat(guard.check(WebhookSource.DISCOURSE, Map.of("X-Discourse-Event-Id", "43"), NOW).accepted())
                .isTrue();
    }

    @Test
    void shouldRejectSlackRequestWhenTimestampAndSignatureRepeatIgnoringHexCase() {
        DeliveryReplayGuard guard = new DeliveryReplayGuard();
        String signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

        assertThat(guard.check(WebhookSource.SLACK, Map.of("X-Slack-Request-Timestamp", "1531420618",
                "X-Slack-Signature", signature), NOW).accepted()).isTrue();
        assertThat(guard.check(WebhookSource.SLACK, Map.of("X-Slack-Request-Timestamp", "1531420618",
                "X-Slack-Signature", signature.toUpperCase()), NOW).reason())
                .isEqualTo(RejectReason.REPLAYED_DELIVERY);
        assertThat(guard.check(WebhookSource.SLACK, Map.of("X-Slack-Request-Timestamp", "1531420619",
                "X-Slack-Signature", signature), NOW).accepted()).isTrue();
    }

    @Test
    void shouldKeepSourcesApartWhenIdsCoincide() {
        DeliveryReplayGuard guard = new DeliveryReplayGuard();

        assertThat(guard.check(WebhookSource.GITHUB, Map.of("X-GitHub-Delivery", "1"), NOW).accepted()).isTrue();
        assertThat(guard.check(WebhookSource.DISCOURSE, Map.of("X-Discourse-Event-Id", "1"), NOW).accepted())
                .isTrue();
    }

    @Test
    void shouldRejectWhenDeliveryIdMissingOrOversized() {
        DeliveryReplayGuard guard = new DeliveryReplayGuard();

        assertThat(guard.check(WebhookSource.GITHUB, Map.of(), NOW).reason())
                .isEqualTo(RejectReason.MISSING_DELIVERY_ID);
        assertThat(guard.check(WebhookSource.SLACK, Map.of("X-Slack-Request-Timestamp", "1"), NOW).reason())
                .isEqualTo(RejectReason.MISSING_DELIVERY_ID);
        assertThat(guard.check(WebhookSource.GITHUB, Map.of("X-GitHub-Delivery", "x".repeat(513)), NOW).reason())
                .isEqualTo(RejectReason.MISSING_DELIVERY_ID);
        assertThat(guard.size()).isZero();
    }

    @Test
    void shouldAcceptIdAgainWhenTtlExpired() {
        DeliveryReplayGuard guard = new DeliveryReplayGuard(10, Duration.ofHours(24));

        assertThat(guard.firstSeen("a", NOW)).isTrue();
        assertThat(guard.firstSeen("a", NOW.plus(Duration.ofHours(24)).minusSeconds(1))).isFalse();
        assertThat(guard.firstSeen("a", NOW.plus(Duration.ofHours(24)).plusSeconds(1))).isTrue();
    }

    @Test
    void shouldForgetExpiredIdsWhenTimeAdvances() {
        DeliveryReplayGuard guard = new DeliveryReplayGuard(100, Duration.ofMinutes(1));
        for (int i = 0; i < 50; i++) {
            guard.firstSeen("id-" + i, NOW);
        }

        guard.firstSeen("late", NOW.plus(Duration.ofMinutes(2)));

        assertThat(guard.size()).isEqualTo(1);
    }

    @Test
    void shouldEvictOldestWhenCapacityExceeded() {
        DeliveryReplayGuard guard = new DeliveryReplayGuard(3, Duration.ofHours(1));
        for (String id : List.of("a", "b", "c", "d")) {
            assertThat(guard.firstSeen(id, NOW)).isTrue();
        }

        assertThat(guard.size()).isEqualTo(3);
        assertThat(guard.firstSeen("b", NOW)).isFalse();
        // "a" was evicted to respect the bound, so it is (knowingly) accepted again.
        assertThat(guard.firstSeen("a", NOW)).isTrue();
    }

    @Test
    void shouldStayBoundedWhenFloodedWithDistinctIds() {
        DeliveryReplayGuard guard = new DeliveryReplayGuard(1_000, Duration.ofHours(24));
        for (int i = 0; i < 20_000; i++) {
            guard.firstSeen("flood-" + i, NOW.plusMillis(i));
        }

        assertThat(guard.size()).isEqualTo(1_000);
        assertThat(guard.firstSeen("flood-19999", NOW.plusSeconds(30))).isFalse();
    }

    @Test
    void shouldAcceptExactlyOnceWhenManyThreadsRaceOnSameIds() throws Exception {
        DeliveryReplayGuard guard = new DeliveryReplayGuard();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                tasks.add(() -> {
                    int accepted = 0;
                    for (int i = 0; i < 2_000; i++) {
                        if (guard.check(WebhookSource.GITHUB, Map.of("X-GitHub-Delivery", "d-" + i), NOW)
                                .accepted()) {
                            accepted++;
                        }
                    }
                    return accepted;
                });
            }
            int total = 0;
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                total += f.get();
            }

            assertThat(total).isEqualTo(2_000);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
