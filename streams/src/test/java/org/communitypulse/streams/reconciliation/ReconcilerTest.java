package org.communitypulse.streams.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.avro.Reconciliation;
import org.communitypulse.schemas.avro.ReconciliationStatus;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.Test;

/** The status rules alone. */
class ReconcilerTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 2);
    private static final Instant T1 = Instant.parse("2026-11-03T08:00:00Z");
    private static final Instant T2 = T1.plusSeconds(300);

    @Test
    void aLaterObservationStillMissingItemsIsNotClosedAndKeepsItsStart() {
        Reconciliation open = Reconciler.observe(null, obs(5, T1), 3);
        assertThat(open.getStatus()).isEqualTo(ReconciliationStatus.GAP_OPEN);
        Reconciliation notClosed = Reconciler.observe(open, obs(6, T2), 3);
        assertThat(notClosed.getStatus()).isEqualTo(ReconciliationStatus.GAP_NOT_CLOSED);
        assertThat(notClosed.getGapSince()).isEqualTo(T1);
        assertThat(notClosed.getMissing()).isEqualTo(3);
    }

    @Test
    void theSameObservationAgainOrAnOlderOneIsIgnoredButACorrectedOneAtTheSameInstantIsTaken() {
        Reconciliation open = Reconciler.observe(null, obs(5, T2), 3);
        assertThat(Reconciler.observe(open, obs(5, T2), 3)).isSameAs(open);
        assertThat(Reconciler.observe(open, obs(9, T1), 3)).isSameAs(open);
        Reconciliation corrected = Reconciler.observe(open, obs(4, T2), 3);
        assertThat(corrected.getStatus()).as("same poll: still the gap's first observation")
                .isEqualTo(ReconciliationStatus.GAP_OPEN);
        assertThat(corrected.getMissing()).isEqualTo(1);
    }

    @Test
    void countingTheMissingItemsClosesTheGapAndCountingMoreThanThePlatformIsNoGap() {
        Reconciliation open = Reconciler.observe(null, obs(5, T1), 3);
        Reconciliation partly = Reconciler.recount(open, 4);
        assertThat(partly.getStatus()).isEqualTo(ReconciliationStatus.GAP_OPEN);
        assertThat(partly.getMissing()).isEqualTo(1);
        assertThat(partly.getGapSince()).isEqualTo(T1);
        Reconciliation beyond = Reconciler.recount(partly, 7);
        assertThat(beyond.getStatus()).isEqualTo(ReconciliationStatus.COMPLETE);
        assertThat(beyond.getMissing()).isZero();
        assertThat(beyond.getGapSince()).isNull();
        assertThat(Reconciler.recount(beyond, 7)).isSameAs(beyond);
    }

    @Test
    void completeUpToStopsBeforeTheFirstDayThatIsNotComplete() {
        Reconciliation d1 = Reconciler.observe(null, obs(DAY, 1, T1), 1);
        Reconciliation d2 = Reconciler.observe(null, obs(DAY.plusDays(1), 2, T1), 1);
        Reconciliation d3 = Reconciler.observe(null, obs(DAY.plusDays(2), 0, T1), 0);
        assertThat(Reconciler.completeUpTo(List.of(d1, d2, d3))).isEqualTo(DAY);
        assertThat(Reconciler.completeUpTo(List.of(d1, d3))).isEqualTo(DAY.plusDays(2));
        assertThat(Reconciler.completeUpTo(List.of(d2, d3))).isNull();
        assertThat(Reconciler.completeUpTo(List.of())).isNull();
    }

    private static PlatformDayCount obs(long items, Instant at) {
        return obs(DAY, items, at);
    }

    private static PlatformDayCount obs(LocalDate day, long items, Instant at) {
        return PlatformDayCount.newBuilder().setCommunityId("c").setDay(day).setSource(SourcePlatform.GITHUB)
                .setItems(items).setObservedAt(at).setCompleteThrough(at).build();
    }
}
