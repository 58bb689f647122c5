package org.communitypulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.communitypulse.ingest.ProgressListener.Progress;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong nanos = new AtomicLong();

    private static Progress progress(String file, long rows, long bytesRead) {
        return new Progress(file, rows, rows * 2, bytesRead, 1000, Duration.ofSeconds(2));
    }

    private void advanceMillis(long millis) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPrintOneLinePerTwoSecondsWhenNotOnTerminal() {
        ConsoleProgress console = new ConsoleProgress(out, false, nanos::get);
        console.update(progress("Posts.xml", 1, 10));
        for (int i = 2; i <= 100; i++) {
            advanceMillis(10);
            console.update(progress("Posts.xml", i, 10 * i));
        }
        // 990 ms passed: only the first update shows.
        assertThat(text().lines()).hasSize(1);
        advanceMillis(1_010);
        console.update(progress("Posts.xml", 101, 500));
        assertThat(text().lines()).hasSize(2).last().asString()
                .isEqualTo("Posts.xml: 101 rows, 202 events, 101 events/s, 50.0%, ETA 0:02");
        assertThat(text()).doesNotContain("\r");
    }

    @Test
    void shouldShowFileChangeAtOnceWhenThrottled() {
        ConsoleProgress console = new ConsoleProgress(out, false, nanos::get);
        console.update(progress("Posts.xml", 1, 10));
        console.update(progress("Users.xml", 1, 20));
        console.update(progress("Users.xml", 2, 30));
        assertThat(text().lines()).hasSize(2).allSatisfy(line -> assertThat(line).contains(": 1 rows"));
    }

    @Test
    void shouldRedrawOneLineAtMostFourTimesPerSecondWhenOnTerminal() {
        ConsoleProgress console = new ConsoleProgress(out, true, nanos::get);
        for (int i = 1; i <= 100; i++) {
            console.update(progress("Votes.xml", i, i));
            advanceMillis(10);
        }
        // 1 s of updates every 10 ms: the first, then one per 250 ms.
        assertThat(text().chars().filter(c -> c == '\r').count()).isEqualTo(4);
        assertThat(text()).doesNotContain("\n");
        console.finished(new ImportSummary.Builder("c").build(Duration.ofSeconds(1)));
        assertThat(text()).endsWith(System.lineSeparator()).contains("Votes.xml: 100 rows");
    }

    @Test
    void shouldEstimateRemainingTimeFromByteRate() {
        Progress p = new Progress("Posts.xml", 5, 10, 250, 1000, Duration.ofSeconds(10));
        assertThat(p.percent()).isEqualTo(25.0);
        assertThat(p.eta()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.eventsPerSecond()).isEqualTo(1.0);
        assertThat(new Progress("Posts.xml", 0, 0, 0, 1000, Duration.ZERO).eta()).isNull();
        assertThat(ConsoleProgress.format(new Progress("Posts.xml", 0, 0, 0, 1000, Duration.ZERO)))
                .endsWith("ETA ?");
    }
}
