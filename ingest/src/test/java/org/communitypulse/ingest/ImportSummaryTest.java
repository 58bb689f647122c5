package org.communitypulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.communitypulse.schemas.avro.EventType;
import org.junit.jupiter.api.Test;

class ImportSummaryTest {

    @Test
    void shouldKeepFirstHundredRejectionsAndCountAllWhenManyRowsAreBad() {
        ImportSummary.Builder builder = new ImportSummary.Builder("c");
        for (int line = 1; line <= 250; line++) {
            builder.rejected("Posts.xml", line, "bad");
        }
        ImportSummary summary = builder.build(Duration.ofSeconds(1));
        assertThat(summary.rejectedTotal()).isEqualTo(250);
        assertThat(summary.rejectedRows()).hasSize(ImportSummary.MAX_REJECTED_KEPT);
        assertThat(summary.rejectedRows().get(99).line()).isEqualTo(100);
        assertThat(summary.render()).contains("Rejected rows: 250").contains("Posts.xml:100: bad")
                .doesNotContain("Posts.xml:101: bad").contains("... and 150 more");
    }

    @Test
    void shouldRenderCountsAndRateWhenImportHadEvents() {
        ImportSummary summary = new ImportSummary.Builder("bikes")
                .event(EventType.THREAD_CREATED).event(EventType.THREAD_CREATED).event(EventType.BADGE_AWARDED)
                .rowsRead("Posts.xml", 3).missingFile("Badges.xml")
                .skipped("post type 10").skipped("post type 9").skipped("post type 9")
                .note("thread unknown")
                .build(Duration.ofMillis(1500));
        assertThat(summary.totalEvents()).isEqualTo(3);
        assertThat(summary.events(EventType.BADGE_AWARDED)).isEqualTo(1);
        assertThat(summary.events(EventType.MEMBER_JOINED)).isZero();
        assertThat(summary.eventsPerSecond()).isEqualTo(2.0);
        assertThat(summary.skippedByReason().keySet()).containsExactly("post type 9", "post type 10");
        String text = summary.render();
        assertThat(text).startsWith("Imported 3 events for community 'bikes' in 1.5 s (2 events/s)")
                .containsPattern("THREAD_CREATED +2\\n")
                .contains("Missing files (nothing imported from them): Badges.xml")
                .containsPattern("post type 9 +2\\n")
                .contains("Rejected rows: 0");
    }

    @Test
    void shouldOrderReasonsNaturallyWhenTheyEndInNumbers() {
        assertThat(ImportSummary.compareNatural("vote type 2", "vote type 10")).isNegative();
        assertThat(ImportSummary.compareNatural("vote type 10", "vote type 2")).isPositive();
        assertThat(ImportSummary.compareNatural("post type 9", "vote type 1")).isNegative();
        assertThat(ImportSummary.compareNatural("abc", "abc")).isZero();
    }
}
