package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.communitypulse.cli.PulseRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse replay cloudevents} through the whole in-process pipeline: the generic importer feeds the same
 * runner as Stack Exchange, a bad line is reported and gives exit code 1, and the valid rest reaches the metrics.
 */
class ExportReplayIT {

    private static final String COMMUNITY = "makers";

    @Test
    void shouldReplayValidRestAndExitOneWhenCloudEventsFileHasBadLine(@TempDir Path tmp) throws Exception {
        String ok = "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"/forum\",\"type\":\"org.communitypulse.activity\","
                + "\"time\":\"2024-03-0%dT10:00:00Z\",\"data\":{\"type\":\"%s\",\"actorId\":\"%s\",\"threadId\":\"t1\"}}";
        Path file = Files.writeString(tmp.resolve("activity.jsonl"), String.join("\n",
                ok.formatted("e1", 1, "THREAD_CREATED", "alice"),
                ok.formatted("e2", 1, "REPLY_CREATED", "bob"),
                "{\"specversion\":\"1.0\",\"id\":\"e3\"}",
                ok.formatted("e4", 2, "REPLY_CREATED", "carol")) + "\n");
        Path out = tmp.resolve("metrics.jsonl");

        PulseRun run = PulseRun.of("replay", "cloudevents", "--file", file.toString(), "--community", COMMUNITY,
                "--out", out.toString(), "--timeout", "120");

        assertThat(run.code()).as("stderr: %s", run.err()).isEqualTo(1);
        assertThat(run.out()).contains("Replayed 3 events");
        List<String> daily = Files.readAllLines(out).stream()
                .filter(line -> line.startsWith("{\"topic\":\"pulse.engagement.daily\"")).toList();
        assertThat(daily).hasSize(2);
        assertThat(daily.get(0)).contains("\"communityId\":\"" + COMMUNITY + "\"", "2024-03-01");
        assertThat(daily.get(1)).contains("2024-03-02");
    }
}
