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

    @Test
    void shouldAddCountsFilesReasonsAndRejectionsWhenARegisterFollowsTheSource() {
        ImportSummary.Builder dump = new ImportSummary.Builder("bikes").event(EventType.THREAD_CREATED)
                .rowsRead("Posts.xml", 1).skipped("post type 9").note("thread unknown");
        for (int line = 1; line <= 90; line++) {
            dump.rejected("Posts.xml", line, "bad");
        }
        ImportSummary register = new ImportSummary.Builder("bikes").event(EventType.THREAD_CREATED)
                .event(EventType.EVIDENCE_DECLARED).rowsRead("declarations.csv", 2).skipped("post type 9")
                .rejected("declarations.csv", 3, "date is empty").rejected("declarations.csv", 4, "no evidence")
                .rejected("declarations.csv", 5, "no kind").rejected("declarations.csv", 6, "no date")
                .rejected("declarations.csv", 7, "bad amount").rejected("declarations.csv", 8, "bad target")
                .rejected("declarations.csv", 9, "no signal").rejected("declarations.csv", 10, "no policy")
                .rejected("declarations.csv", 11, "no name").rejected("declarations.csv", 12, "no purpose")
                .rejected("declarations.csv", 13, "no staff").build(Duration.ofMillis(500));

        ImportSummary both = dump.build(Duration.ofSeconds(1)).and(register);

        assertThat(both.events(EventType.THREAD_CREATED)).isEqualTo(2);
        assertThat(both.events(EventType.EVIDENCE_DECLARED)).isEqualTo(1);
        assertThat(both.rowsReadByFile()).containsExactly(java.util.Map.entry("Posts.xml", 1L),
                java.util.Map.entry("declarations.csv", 2L));
        assertThat(both.skippedByReason()).containsEntry("post type 9", 2L);
        assertThat(both.notes()).containsEntry("thread unknown", 1L);
        assertThat(both.rejectedTotal()).isEqualTo(101);
        assertThat(both.rejectedRows()).hasSize(ImportSummary.MAX_REJECTED_KEPT);
        assertThat(both.rejectedRows().get(90).toString()).isEqualTo("declarations.csv:3: date is empty");
        assertThat(both.elapsed()).isEqualTo(Duration.ofMillis(1500));
    }
}
