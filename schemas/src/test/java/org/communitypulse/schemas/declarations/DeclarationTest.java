package org.communitypulse.schemas.declarations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.Test;

class DeclarationTest {

    private static final Instant MAY_4 = Instant.parse("2026-05-04T00:00:00Z");

    private static Map<String, String> goal() {
        Map<String, String> a = new HashMap<>();
        a.put("declaration", "goal");
        a.put("signal", "wau");
        a.put("target", "150");
        a.put("deadline", "2026-12-31");
        a.put("evidence", "https://intranet.example/community-plan-2026");
        a.put("declared_by", "head-of-community");
        return a;
    }

    @Test
    void aGoalRoundTripsThroughItsEvent() {
        Declaration goal = Declaration.of("acme", MAY_4, goal());
        assertThat(goal.kind()).isEqualTo(Declaration.Kind.GOAL);
        assertThat(goal.subject()).isEqualTo("wau");
        assertThat(goal.number("target")).isEqualTo(150.0);
        assertThat(goal.date("deadline")).isEqualTo(LocalDate.of(2026, 12, 31));

        ActivityEvent event = goal.toEvent("id-1", SourcePlatform.OTHER);
        assertThat(event.getType()).isEqualTo(EventType.EVIDENCE_DECLARED);
        assertThat(event.getActorId()).isNull();
        assertThat(event.getOccurredAt()).isEqualTo(MAY_4);
        assertThat(Declaration.parse(event)).isEqualTo(goal);
        assertThat(Declaration.parse(event).canonical()).isEqualTo(goal.canonical());
    }

    @Test
    void theSameDeclarationHasTheSameStableIdFromEverySourceOfAttributes() {
        Map<String, String> reordered = new java.util.TreeMap<>(goal());
        reordered.put("target", " 150 ");
        reordered.put("valid_until", "");
        String id = Declaration.of("acme", MAY_4, goal()).toEvent(SourcePlatform.OTHER).getEventId();
        assertThat(Declaration.of("acme", MAY_4, reordered).toEvent(SourcePlatform.OTHER).getEventId()).isEqualTo(id);
        assertThat(id).isEqualTo(org.communitypulse.schemas.EventIds.of(SourcePlatform.OTHER, "acme", "declaration",
                Declaration.of("acme", MAY_4, goal()).canonical()));
        Map<String, String> other = goal();
        other.put("target", "160");
        assertThat(Declaration.of("acme", MAY_4, other).toEvent(SourcePlatform.OTHER).getEventId()).isNotEqualTo(id);
        assertThat(Declaration.of("acme", MAY_4.plusSeconds(86_400), goal()).toEvent(SourcePlatform.OTHER)
                .getEventId()).isNotEqualTo(id);
    }

    @Test
    void validityRunsFromItsDayToValidUntilInclusive() {
        Map<String, String> a = goal();
        a.put("valid_until", "2026-05-10");
        Declaration goal = Declaration.of("acme", MAY_4, a);
        assertThat(goal.validOn(LocalDate.of(2026, 5, 3))).isFalse();
        assertThat(goal.validOn(LocalDate.of(2026, 5, 4))).isTrue();
        assertThat(goal.validOn(LocalDate.of(2026, 5, 10))).isTrue();
        assertThat(goal.validOn(LocalDate.of(2026, 5, 11))).isFalse();
    }

    @Test
    void subjectDefaultsPerKind() {
        Map<String, String> policy = Map.of("declaration", "policy", "policy", "community-guidelines",
                "evidence", "doc-17", "declared_by", "legal");
        assertThat(Declaration.of("acme", MAY_4, policy).subject()).isEqualTo("community-guidelines");
        Map<String, String> budget = Map.of("declaration", "budget", "amount", "12000", "evidence", "doc-18",
                "declared_by", "cfo");
        assertThat(Declaration.of("acme", MAY_4, budget).subject()).isEqualTo("budget");
    }

    @Test
    void errorsNameTheAttributeAtFault() {
        Map<String, String> noEvidence = goal();
        noEvidence.remove("evidence");
        assertThatThrownBy(() -> Declaration.of("acme", MAY_4, noEvidence))
                .isInstanceOf(InvalidDeclarationException.class).hasMessageContaining("'evidence' is missing");
        Map<String, String> badTarget = goal();
        badTarget.put("target", "lots");
        assertThatThrownBy(() -> Declaration.of("acme", MAY_4, badTarget)).hasMessageContaining("'target' is not a number");
        Map<String, String> unknown = goal();
        unknown.put("colour", "blue");
        assertThatThrownBy(() -> Declaration.of("acme", MAY_4, unknown)).hasMessageContaining("unknown attribute 'colour'");
        Map<String, String> kind = goal();
        kind.put("declaration", "wish");
        assertThatThrownBy(() -> Declaration.of("acme", MAY_4, kind)).hasMessageContaining("unknown declaration 'wish'")
                .hasMessageContaining("metrics-review");
        Map<String, String> stage = Map.of("declaration", "assessment", "competency", "culture", "stage", "5",
                "evidence", "survey-2026", "declared_by", "cm");
        assertThatThrownBy(() -> Declaration.of("acme", MAY_4, stage)).hasMessageContaining("'stage' must be 1, 2, 3 or 4");
        Map<String, String> before = goal();
        before.put("valid_until", "2026-05-01");
        assertThatThrownBy(() -> Declaration.of("acme", MAY_4, before)).hasMessageContaining("before the day it takes effect");
    }

    @Test
    void aWithdrawalNeedsOnlyItsSubject() {
        Map<String, String> withdrawal = Map.of("declaration", "goal", "subject", "wau", "withdrawn", "true",
                "evidence", "board-minutes-9", "declared_by", "head-of-community");
        Declaration d = Declaration.of("acme", MAY_4, withdrawal);
        assertThat(d.withdrawn()).isTrue();
        assertThat(d.subject()).isEqualTo("wau");
        assertThat(d.validOn(LocalDate.of(2026, 6, 1))).isFalse();
    }
}
