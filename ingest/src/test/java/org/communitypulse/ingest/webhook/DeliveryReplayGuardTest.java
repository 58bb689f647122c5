package org.communitypulse.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.communitypulse.ingest.webhook.DeliveryLedger.Claim;
import org.communitypulse.ingest.webhook.DeliveryLedger.Ticket;
import org.junit.jupiter.api.Test;

class DeliveryReplayGuardTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Duration TTL = Duration.ofHours(24);
    private static final Duration LEASE = Duration.ofSeconds(15);

    private final DeliveryReplayGuard guard = new DeliveryReplayGuard(1000, TTL, LEASE);

    @Test
    void shouldAnswerDuplicateWhenAcceptedKeyClaimedAgain() {
        Ticket first = guard.claim("GITHUB:abc", T0);
        assertThat(first.claim()).isEqualTo(Claim.OWNED);
        guard.accepted(first, T0);

        assertThat(guard.claim("GITHUB:abc", T0.plusSeconds(60)).claim()).isEqualTo(Claim.DUPLICATE);
        assertThat(guard.claim("GITHUB:other", T0.plusSeconds(60)).claim()).isEqualTo(Claim.OWNED);
    }

    @Test
    void shouldAnswerInProgressWhileOwnerUnfinishedAndOwnedAgainAfterRelease() {
        Ticket first = guard.claim("k", T0);
        assertThat(guard.claim("k", T0.plusSeconds(1)).claim()).isEqualTo(Claim.IN_PROGRESS);

        guard.release(first, T0.plusSeconds(2));

        assertThat(guard.claim("k", T0.plusSeconds(3)).claim()).isEqualTo(Claim.OWNED);
    }

    @Test
    void shouldLetAClaimTakeOverWhenTheOwnerNeitherAcceptedNorReleasedWithinTheLease() {
        Ticket dead = guard.claim("k", T0);
        assertThat(guard.claim("k", T0.plus(LEASE).minusMillis(1)).claim()).isEqualTo(Claim.IN_PROGRESS);
        Ticket next = guard.claim("k", T0.plus(LEASE));
        assertThat(next.claim()).isEqualTo(Claim.OWNED);

        // The dead owner's late facts change nothing.
        guard.release(dead, T0.plus(LEASE).plusSeconds(1));
        assertThat(guard.claim("k", T0.plus(LEASE).plusSeconds(2)).claim()).isEqualTo(Claim.IN_PROGRESS);
    }

    @Test
    void shouldForgetAcceptedKeysAfterTheTtl() {
        guard.accepted(guard.claim("k", T0), T0);
        assertThat(guard.claim("k", T0.plus(TTL).minusSeconds(1)).claim()).isEqualTo(Claim.DUPLICATE);
        assertThat(guard.claim("k", T0.plus(TTL)).claim()).isEqualTo(Claim.OWNED);
    }

    @Test
    void shouldReachTheSameDecisionsWhenTheSameFactsAreAppliedInTheSameOrder() {
        // What two instances reading one ledger topic do: apply every claim, then decide their own.
        DeliveryReplayGuard a = new DeliveryReplayGuard(1000, TTL, LEASE);
        DeliveryReplayGuard b = new DeliveryReplayGuard(1000, TTL, LEASE);
        for (DeliveryReplayGuard instance : List.of(a, b)) {
            instance.claimed("k", "claim-of-a", T0);
            instance.claimed("k", "claim-of-b", T0.plusMillis(5));
        }
        assertThat(a.decide("k", "claim-of-a")).isEqualTo(Claim.OWNED);
        assertThat(b.decide("k", "claim-of-b")).isEqualTo(Claim.IN_PROGRESS);
        a.accepted("k", "claim-of-a", T0.plusMillis(10));
        assertThat(a.known("k", T0.plusSeconds(1))).isEqualTo(Claim.DUPLICATE);
    }

    @Test
    void shouldStayBoundedWhenFloodedWithDistinctKeys() {
        DeliveryReplayGuard small = new DeliveryReplayGuard(3, TTL, LEASE);
        for (int i = 0; i < 10; i++) {
            small.accepted(small.claim("k" + i, T0.plusSeconds(i)), T0.plusSeconds(i));
        }
        assertThat(small.size()).isEqualTo(3);
        assertThat(small.claim("k9", T0.plusSeconds(20)).claim()).isEqualTo(Claim.DUPLICATE);
        assertThat(small.claim("k0", T0.plusSeconds(20)).claim()).isEqualTo(Claim.OWNED);
    }

    @Test
    void shouldRefuseUnusableKeysAndBounds() {
        assertThatThrownBy(() -> guard.claim("x".repeat(513), T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> guard.claim("", T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeliveryReplayGuard(0, TTL, LEASE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeliveryReplayGuard(1, LEASE, TTL)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldGiveExactlyOneOwnerWhenManyThreadsRaceOnTheSameKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Claim>> claims = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                claims.add(pool.submit(() -> guard.claim("race", T0).claim()));
            }
            long owners = 0;
            for (Future<Claim> claim : claims) {
                owners += claim.get(10, TimeUnit.SECONDS) == Claim.OWNED ? 1 : 0;
            }
            assertThat(owners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldKeyOnWhatIsSignedNotOnUnsignedHeaders() {
        WebhookSecret secret = WebhookSecret.of("s3cret-for-digest-test");
        byte[] body = "{\"action\":\"opened\"}".getBytes(StandardCharsets.UTF_8);
        GitHubSignatureVerifier github = new GitHubSignatureVerifier(secret);
        String one = DeliveryDigest.key(github, Map.of("X-GitHub-Delivery", "1", "X-GitHub-Event", "issues"), body);
        String two = DeliveryDigest.key(github, Map.of("X-GitHub-Delivery", "2", "X-GitHub-Event", "ping"), body);
        assertThat(one).isEqualTo(two).startsWith("GITHUB:");
        assertThat(DeliveryDigest.key(github, Map.of(), "{\"action\":\"closed\"}".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(one);
        assertThat(DeliveryDigest.key(new DiscourseSignatureVerifier(secret), Map.of(), body)).isNotEqualTo(one);

        SlackSignatureVerifier slack = new SlackSignatureVerifier(secret);
        String slackA = DeliveryDigest.key(slack, Map.of("X-Slack-Request-Timestamp", "1700000000"), body);
        String slackB = DeliveryDigest.key(slack, Map.of("X-Slack-Request-Timestamp", "1700000001"), body);
        assertThat(slackA).isNotEqualTo(slackB);
    }
}
