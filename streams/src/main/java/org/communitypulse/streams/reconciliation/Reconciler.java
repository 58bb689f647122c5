package org.communitypulse.streams.reconciliation;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.avro.Reconciliation;
import org.communitypulse.schemas.avro.ReconciliationStatus;

/**
 * The status rules of one (community, day), as pure functions of the previous record, the platform's observation
 * and the pipeline's count (see {@code docs/metrics.md#reconciliation}).
 *
 * <p>Only the platform's observations advance a gap: GAP_OPEN at the first observation that shows items missing,
 * GAP_NOT_CLOSED at any later one (a later {@code observedAt}: the next poll) that still does. The pipeline's
 * count only closes gaps: it never decreases, and when it exceeds the platform's (items deleted or hidden on the
 * platform after the pipeline saw them) nothing is missing, so the day is COMPLETE.
 */
final class Reconciler {

    private Reconciler() {
    }

    /**
     * The record after {@code observation}; {@code previous} itself when the observation is older than the one
     * already judged (a poll overtaken by a later one) or a duplicate of it.
     */
    static Reconciliation observe(Reconciliation previous, PlatformDayCount observation, long pipeline) {
        Instant at = observation.getObservedAt();
        if (previous != null && previous.getSource() == observation.getSource()) {
            int order = at.compareTo(previous.getCheckedAt());
            if (order < 0 || order == 0 && observation.getItems() == previous.getPlatformItems()) {
                return previous;
            }
        }
        long missing = missing(observation.getItems(), pipeline);
        ReconciliationStatus status;
        Instant gapSince;
        if (missing == 0) {
            status = ReconciliationStatus.COMPLETE;
            gapSince = null;
        } else if (previous != null && previous.getSource() == observation.getSource()
                && previous.getGapSince() != null && at.isAfter(previous.getGapSince())) {
            status = ReconciliationStatus.GAP_NOT_CLOSED;
            gapSince = previous.getGapSince();
        } else {
            status = ReconciliationStatus.GAP_OPEN;
            gapSince = at;
        }
        return Reconciliation.newBuilder()
                .setCommunityId(observation.getCommunityId())
                .setDay(observation.getDay())
                .setSource(observation.getSource())
                .setPlatformItems(observation.getItems())
                .setPipelineItems(pipeline)
                .setMissing(missing)
                .setStatus(status)
                .setGapSince(gapSince)
                .setCheckedAt(at)
                .setCompleteUpTo(previous == null ? null : previous.getCompleteUpTo())
                .build();
    }

    /** The record after the pipeline counted {@code pipeline} items of the day: a gap it closes turns COMPLETE. */
    static Reconciliation recount(Reconciliation previous, long pipeline) {
        if (previous.getPipelineItems() == pipeline) {
            return previous;
        }
        long missing = missing(previous.getPlatformItems(), pipeline);
        Reconciliation.Builder next = Reconciliation.newBuilder(previous).setPipelineItems(pipeline).setMissing(missing);
        if (missing == 0) {
            next.setStatus(ReconciliationStatus.COMPLETE).setGapSince(null);
        } else if (previous.getGapSince() == null) {
            // Only a smaller count opens a gap; counts never shrink, but a gap must never be without its start.
            next.setStatus(ReconciliationStatus.GAP_OPEN).setGapSince(previous.getCheckedAt());
        }
        return next.build();
    }

    /**
     * The latest of {@code days} (one community's records, oldest day first) up to which every day is COMPLETE;
     * null when the first is not.
     */
    static LocalDate completeUpTo(List<Reconciliation> days) {
        LocalDate upTo = null;
        for (Reconciliation day : days) {
            if (day.getStatus() != ReconciliationStatus.COMPLETE) {
                break;
            }
            upTo = day.getDay();
        }
        return upTo;
    }

    private static long missing(long platform, long pipeline) {
        return Math.max(0, platform - pipeline);
    }
}
