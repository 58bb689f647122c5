package org.communitypulse.streams.engagement.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.communitypulse.schemas.avro.EngagementLevel;
import org.communitypulse.schemas.avro.MemberEngagement;
import org.junit.jupiter.api.Test;

/** The member-level fingerprint decides whether a level is re-emitted: every field must move it. */
class EngagementEmitterFingerprintTest {

    private static MemberEngagement level() {
        return MemberEngagement.newBuilder().setCommunityId("bikes").setMemberId("alice")
                .setLevel(EngagementLevel.CONTRIBUTOR).setContributions28d(12).setContributionsTotal(40)
                .setFirstContributionAt(Instant.parse("2024-01-02T10:00:00Z"))
                .setLastContributionAt(Instant.parse("2024-04-01T09:00:00Z")).setStaff(false).build();
    }

    @Test
    void shouldGiveEqualFingerprintsWhenLevelsAreEqual() {
        assertThat(EngagementEmitter.fingerprint(level())).isEqualTo(EngagementEmitter.fingerprint(level()));
    }

    @Test
    void shouldChangeTheFingerprintWhenAnyFieldChanges() {
        long base = EngagementEmitter.fingerprint(level());
        List<Consumer<MemberEngagement>> changes = List.of(
                l -> l.setCommunityId("bikes2"),
                l -> l.setMemberId("alicf"),
                l -> l.setLevel(EngagementLevel.CHAMPION),
                l -> l.setContributions28d(13),
                l -> l.setContributionsTotal(41),
                l -> l.setFirstContributionAt(Instant.parse("2024-01-02T10:00:00.001Z")),
                l -> l.setLastContributionAt(Instant.parse("2024-04-01T09:00:01Z")),
                l -> l.setStaff(true));
        for (Consumer<MemberEngagement> change : changes) {
            MemberEngagement changed = level();
            change.accept(changed);
            assertThat(EngagementEmitter.fingerprint(changed)).as(changed.toString()).isNotEqualTo(base);
        }
    }

    @Test
    void shouldSeparateAdjacentStringsWhenTheirBoundaryMoves() {
        MemberEngagement a = level();
        a.setCommunityId("ab");
        a.setMemberId("c");
        MemberEngagement b = level();
        b.setCommunityId("a");
        b.setMemberId("bc");
        assertThat(EngagementEmitter.fingerprint(a)).isNotEqualTo(EngagementEmitter.fingerprint(b));
    }
}
