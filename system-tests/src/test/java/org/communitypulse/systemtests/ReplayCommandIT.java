package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.communitypulse.cli.PulseRun;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse replay stackexchange} on the real bicycles.meta dump, as a user runs it: its own
 * broker, registry and Streams app in this JVM. The file must hold one record per day with activity,
 * with counts equal to what this test computes straight from the XML, and two replays must give the
 * same bytes.
 */
class ReplayCommandIT {

    private static final String COMMUNITY = "bicycles.meta";
    private static final String TOPIC = "pulse.engagement.daily";
    private static final Pattern REPLAYED = Pattern.compile("Replayed (\\d+) events into (\\d+) metric records");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldWriteTheSameXmlCountsTwiceWhenTheRealDumpIsReplayed(@TempDir Path tmp) throws Exception {
        Path dump = Path.of(System.getProperty("pulse.shared.data", "../../shared/data"), "stackexchange", COMMUNITY);
        Assumptions.assumeTrue(Files.isDirectory(dump), "real dump not present at " + dump);
        Map<String, Counts> expected = countsFromXml(dump);
        Set<String> anyRowDays = daysOfAnyRow(dump);

        Path first = tmp.resolve("first.jsonl");
        long started = System.nanoTime();
        PulseRun run = replay(dump, first);
        Duration firstTook = Duration.ofNanos(System.nanoTime() - started);
        System.out.println("Replay took " + firstTook.toMillis() + " ms");

        assertThat(run.code()).as("exit code; stderr tail:%n%s", tail(run.err())).isZero();
        List<String> all = Files.readAllLines(first, StandardCharsets.UTF_8);
        // Every metric topic is written, each as a block sorted by key; the daily one is checked here in detail.
        assertThat(all.stream().map(ReplayCommandIT::topicOf).distinct().toList())
                .containsExactly("pulse.alerts", "pulse.community.health", "pulse.engagement.daily",
                        "pulse.engagement.retention", "pulse.engagement.trailing", "pulse.maturity.scorecard",
                        "pulse.members.levels", "pulse.staff.share");
        List<String> lines = all.stream().filter(l -> topicOf(l).equals(TOPIC)).toList();
        Map<String, JsonNode> byDay = new TreeMap<>();
        long eventSum = 0;
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            assertThat(node.fieldNames()).toIterable().containsExactly("topic", "key", "value");
            assertThat(node.get("topic").asText()).isEqualTo(TOPIC);
            assertThat(node.get("key").get("communityId").asText()).isEqualTo(COMMUNITY);
            String day = node.get("key").get("day").asText();
            assertThat(day).matches("\\d{4}-\\d{2}-\\d{2}");
            assertThat(node.get("value").get("day").asText()).isEqualTo(day);
            assertThat(node.get("value").has("updatedAt")).as("wall-clock field is left out").isFalse();
            assertThat(byDay.put(day, node.get("value"))).as("one line per key, day %s", day).isNull();
            eventSum += node.get("value").get("events").asLong();
        }
        assertThat(new ArrayList<>(byDay.keySet())).as("sorted by key").isEqualTo(dayOrder(lines));

        // Every day with a thread, reply, vote or new member has a line, and no day without any row does.
        assertThat(byDay.keySet()).containsAll(expected.keySet()).hasSizeGreaterThan(1000);
        assertThat(anyRowDays).containsAll(byDay.keySet());
        // Every imported event was processed: the day records add up to the import's total.
        Matcher replayed = REPLAYED.matcher(run.out());
        assertThat(replayed.find()).as("result line in %s", run.out()).isTrue();
        assertThat(eventSum).isEqualTo(Long.parseLong(replayed.group(1)));
        assertThat((long) all.size()).isEqualTo(Long.parseLong(replayed.group(2)));
        // The noise budget (docs/alerts.md): re-baselined, no BELOW_BASELINE alert outlives 13 weeks on this dump.
        Matcher noise = Pattern.compile("alerts per community-month .*: bicycles\\.meta \\((\\d+\\.\\d) months\\)"
                + ".* BELOW_BASELINE (\\d+\\.\\d\\d) \\((\\d+), longest (\\d+) d\\)").matcher(run.out());
        assertThat(noise.find()).as("noise line in %s", run.out()).isTrue();
        assertThat(Double.parseDouble(noise.group(1))).isGreaterThan(150);
        assertThat(Long.parseLong(noise.group(4))).isLessThanOrEqualTo(7L * 13);

        for (String day : threeDays(expected)) {
            JsonNode got = byDay.get(day);
            Counts want = expected.get(day);
            assertThat(List.of(got.get("threads").asLong(), got.get("replies").asLong(), got.get("reactions").asLong()))
                    .as("threads, replies, reactions on %s", day)
                    .containsExactly(want.threads, want.replies, want.reactions);
        }

        Path second = tmp.resolve("second.jsonl");
        PulseRun again = replay(dump, second);
        assertThat(again.code()).as("exit code of the second replay; stderr tail:%n%s", tail(again.err())).isZero();
        assertThat(Files.readAllBytes(second)).as("second replay, same bytes").isEqualTo(Files.readAllBytes(first));
    }

    @Test
    void shouldExitTwoWithoutStartingAnythingWhenTheDumpFolderIsMissing(@TempDir Path tmp) {
        PulseRun run = replay(tmp.resolve("no-such-dump"), tmp.resolve("out.jsonl"));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("pulse replay failed: no dump folder at");
        assertThat(tmp.resolve("out.jsonl")).doesNotExist();
    }

    private static PulseRun replay(Path dump, Path out) {
        return PulseRun.of("replay", "stackexchange", dump.toString(), "--community", COMMUNITY, "--out",
                out.toString());
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }

    /** The topic of a line: it is always the first field. */
    private static String topicOf(String line) {
        int start = "{\"topic\":\"".length();
        return line.substring(start, line.indexOf('"', start));
    }

    private static List<String> dayOrder(List<String> lines) throws IOException {
        List<String> days = new ArrayList<>();
        for (String line : lines) {
            days.add(JSON.readTree(line).get("key").get("day").asText());
        }
        return days;
    }

    /** The first day, the busiest day (threads + replies) and the median day: three different shapes. */
    private static Set<String> threeDays(Map<String, Counts> expected) {
        List<String> days = new ArrayList<>(expected.keySet());
        String busiest = days.stream()
                .max((a, b) -> Long.compare(expected.get(a).threads + expected.get(a).replies,
                        expected.get(b).threads + expected.get(b).replies))
                .orElseThrow();
        Set<String> chosen = new TreeSet<>(List.of(days.get(0), busiest, days.get(days.size() / 2)));
        assertThat(chosen).hasSize(3);
        return chosen;
    }

    /** Per-day counts straight from the XML rows, sharing no code with the importer. */
    private static Map<String, Counts> countsFromXml(Path dump) throws IOException {
        Map<String, Counts> days = new TreeMap<>();
        DumpRows.forEachRow(dump.resolve("Posts.xml"), a -> {
            String type = a.get("PostTypeId");
            if ("1".equals(type)) {
                days.computeIfAbsent(day(a, "CreationDate"), k -> new Counts()).threads++;
            } else if ("2".equals(type)) {
                days.computeIfAbsent(day(a, "CreationDate"), k -> new Counts()).replies++;
            }
        });
        DumpRows.forEachRow(dump.resolve("Comments.xml"), a -> days.computeIfAbsent(day(a, "CreationDate"), k -> new Counts()).replies++);
        DumpRows.forEachRow(dump.resolve("Votes.xml"), a -> {
            if ("2".equals(a.get("VoteTypeId"))) {
                days.computeIfAbsent(day(a, "CreationDate"), k -> new Counts()).reactions++;
            } else if ("1".equals(a.get("VoteTypeId"))) {
                days.computeIfAbsent(day(a, "CreationDate"), k -> new Counts());
            }
        });
        DumpRows.forEachRow(dump.resolve("Users.xml"), a -> days.computeIfAbsent(day(a, "CreationDate"), k -> new Counts()));
        return days;
    }

    /** Days of every row of every file the importer reads: no event can fall outside them. */
    private static Set<String> daysOfAnyRow(Path dump) throws IOException {
        Set<String> days = new TreeSet<>();
        for (String file : List.of("Posts.xml", "Comments.xml", "Votes.xml", "Users.xml", "PostHistory.xml")) {
            DumpRows.forEachRow(dump.resolve(file), a -> days.add(day(a, "CreationDate")));
        }
        DumpRows.forEachRow(dump.resolve("Badges.xml"), a -> days.add(day(a, "Date")));
        return days;
    }

    private static String day(Map<String, String> attrs, String attribute) {
        return attrs.get(attribute).substring(0, 10);
    }


    private static final class Counts {
        long threads;
        long replies;
        long reactions;
    }
}
