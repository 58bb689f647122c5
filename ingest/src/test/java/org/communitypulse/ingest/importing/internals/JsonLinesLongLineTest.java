package org.communitypulse.ingest.importing.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.communitypulse.ingest.CollectingEventSink;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.cloudevents.CloudEventsImporter;
import org.communitypulse.ingest.importing.ImportSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gzip JSON-lines file whose second line is 400 MB of one JSON string (it compresses to well under 1 MB): the
 * line is rejected by number, the lines around it are imported, and reading it allocates a small fraction of it.
 */
class JsonLinesLongLineTest {

    private static final long HUGE = 400L * 1024 * 1024;

    @Test
    void shouldRejectAHugeLineByNumberAndImportTheOthersWithoutHoldingIt(@TempDir Path tmp) throws IOException {
        List<String> valid = Files.readAllLines(ImportSamples.path("cloudevents", "activity.jsonl"));
        Path file = tmp.resolve("bomb.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write((valid.get(0) + "\n").getBytes(StandardCharsets.UTF_8));
            out.write("{\"specversion\":\"1.0\",\"pad\":\"".getBytes(StandardCharsets.UTF_8));
            byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) 'a');
            for (long written = 0; written < HUGE; written += chunk.length) {
                out.write(chunk);
            }
            out.write("\"}\n".getBytes(StandardCharsets.UTF_8));
            out.write((valid.get(1) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.size(file)).isLessThan(2L * 1024 * 1024);

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = new CloudEventsImporter().run(file, "makers", sink, ProgressListener.NONE);
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;

        assertThat(sink.events()).hasSize(2);
        assertThat(summary.rejectedRows()).extracting(Object::toString).containsExactly(
                "bomb.jsonl.gz:2: line longer than " + JsonLines.DEFAULT_MAX_LINE_BYTES
                        + " bytes, skipped (limit: PULSE_IMPORT_MAX_LINE_BYTES)");
        // The old reader built the whole line as a String (twice its size in chars, doubling as it grew).
        assertThat(allocated).isLessThan(HUGE / 8);
    }

    @Test
    void shouldAcceptALineOfExactlyTheLimitWithACarriageReturn(@TempDir Path tmp) throws IOException {
        String line = "{\"a\":1}";
        Path file = Files.writeString(tmp.resolve("crlf.jsonl"), line + "\r\n" + line + "x\r\n" + line);
        CollectingRun run = new CollectingRun();
        JsonLines.read(file, run.run, (number, node) -> run.lines.add(number + ":" + node), line.length());
        assertThat(run.lines).containsExactly("1:{\"a\":1}", "3:{\"a\":1}");
        assertThat(run.run.finish().rejectedRows()).extracting(Object::toString)
                .containsExactly("crlf.jsonl:2: line longer than 7 bytes, skipped (limit: PULSE_IMPORT_MAX_LINE_BYTES)");
    }

    @Test
    void shouldRefuseAnUnusableLimit() {
        assertThat(JsonLines.maxLineBytes(Map.of())).isEqualTo(JsonLines.DEFAULT_MAX_LINE_BYTES);
        assertThat(JsonLines.maxLineBytes(Map.of(JsonLines.MAX_LINE_BYTES_ENV, "1024"))).isEqualTo(1024);
        assertThatThrownBy(() -> JsonLines.maxLineBytes(Map.of(JsonLines.MAX_LINE_BYTES_ENV, "0")))
                .isInstanceOf(ImportException.class).hasMessageContaining(JsonLines.MAX_LINE_BYTES_ENV);
    }

    private static final class CollectingRun {
        final List<String> lines = new java.util.ArrayList<>();
        final ImportRun run = new ImportRun("makers", new CollectingEventSink(), ProgressListener.NONE, 0);
    }
}
