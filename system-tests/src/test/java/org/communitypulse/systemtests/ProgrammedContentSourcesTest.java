package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.communitypulse.ingest.CollectingEventSink;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.discourse.DiscoursePayloadMapper;
import org.communitypulse.ingest.github.GitHubPayloadMapper;
import org.communitypulse.ingest.slack.SlackExportImporter;
import org.communitypulse.ingest.slack.SlackPayloadMapper;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.PayloadMapper;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.streams.maturity.MaturityRules;
import org.communitypulse.streams.maturity.ProgrammedContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From the platforms' own payload examples (ingest's webhook corpus and samples, see their SOURCES.md and
 * READMEs) through the real mappers and importers to the maturity family's programmed-content rules: a thread is
 * programmed exactly when its category, tag, channel, label or discussion category is listed in maturity.yaml.
 */
class ProgrammedContentSourcesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant RECEIVED = Instant.parse("2026-01-05T10:00:00Z");

    private static JsonNode resource(String path) throws IOException {
        try (InputStream in = ProgrammedContentSourcesTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return JSON.readTree(in);
        }
    }

    private static ActivityEvent thread(PayloadMapper mapper, String event, JsonNode payload) {
        List<ActivityEvent> events = mapper.map(event, payload, "c", RECEIVED).events();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getType()).isEqualTo(EventType.THREAD_CREATED);
        return events.get(0);
    }

    private static ProgrammedContent rules(String platformRules) throws IOException {
        String yaml = """
                stages: [a, b, c, d]
                competencies:
                  - id: content-programming
                    signals:
                      - signal: programmed_weeks_28d
                        thresholds: [1, 2, 4]
                health:
                  weights: {engagement: 1}
                  thriving_min_score: 75
                  healthy_min_score: 50
                  at_risk_min_score: 25
                  thriving_min_wau: 10
                programmed_content:
                """ + "  " + platformRules + "\n";
        return MaturityRules.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml")
                .programmedContent();
    }

    @Test
    void shouldProgramDiscourseTopicWhenItsCategoryOrATagIsListed() throws IOException {
        DiscoursePayloadMapper mapper = new DiscoursePayloadMapper(MemberPseudonymiser.none());
        // Discourse's documented topic (category_id 109, no tags) and the sample topic tagged config, howto.
        ActivityEvent documented = thread(mapper, "topic_created",
                resource("/webhook-corpus/discourse/topic_created.1.json"));
        ActivityEvent tagged = thread(mapper, "topic_created", resource("/webhooks/discourse/topic_created.json"));
        // The documented opening post names its category by slug ("general").
        ActivityEvent opening = thread(mapper, "post_created", resource("/webhook-corpus/discourse/post_created.2.json"));

        assertThat(rules("discourse: {categories: [109]}").isProgrammed(documented)).isTrue();
        assertThat(rules("discourse: {categories: [110]}").isProgrammed(documented)).isFalse();
        assertThat(rules("discourse: {tags: [HowTo]}").isProgrammed(tagged)).isTrue();
        assertThat(rules("discourse: {tags: [how]}").isProgrammed(tagged)).isFalse();
        assertThat(rules("discourse: {tags: [howto]}").isProgrammed(documented)).isFalse();
        assertThat(rules("discourse: {categories: [General]}").isProgrammed(opening)).isTrue();
        assertThat(rules("discourse: {categories: [events]}").isProgrammed(opening)).isFalse();
    }

    @Test
    void shouldProgramGitHubThreadWhenALabelOrItsDiscussionCategoryIsListed() throws IOException {
        GitHubPayloadMapper mapper = new GitHubPayloadMapper(MemberPseudonymiser.none());
        ActivityEvent issue = thread(mapper, "issues", resource("/webhook-corpus/github/issues.opened.1.json"));
        ActivityEvent discussion = thread(mapper, "discussion",
                resource("/webhook-corpus/github/discussion.created.1.json"));

        assertThat(rules("github: {labels: [Bug]}").isProgrammed(issue)).isTrue();
        assertThat(rules("github: {labels: [event]}").isProgrammed(issue)).isFalse();
        assertThat(rules("github: {discussion_categories: [general]}").isProgrammed(discussion)).isTrue();
        assertThat(rules("github: {discussion_categories: [Announcements]}").isProgrammed(discussion)).isFalse();
        assertThat(rules("github: {discussion_categories: [general]}").isProgrammed(issue)).isFalse();
        // The same names under another platform's rules do not apply to GitHub threads.
        assertThat(rules("discourse: {categories: [general], tags: [bug]}").isProgrammed(discussion)).isFalse();
        assertThat(rules("discourse: {categories: [general], tags: [bug]}").isProgrammed(issue)).isFalse();
    }

    @Test
    void shouldProgramSlackThreadWhenItsChannelIsListedByIdOrByItsExportedName(@TempDir Path dir)
            throws IOException {
        ObjectNode delivery = (ObjectNode) resource("/webhook-corpus/slack/Message.json");
        ((ObjectNode) delivery.get("event")).remove("thread_ts");
        ActivityEvent live = thread(new SlackPayloadMapper(MemberPseudonymiser.none()), null, delivery);
        assertThat(rules("slack: {channels: [C0LAN2Q65]}").isProgrammed(live)).isTrue();
        assertThat(rules("slack: {channels: [general]}").isProgrammed(live)).isFalse();

        // The workspace export names channels by folder: #general is C123ABC456 in its channels.json.
        Path export = dir.resolve("export.zip");
        try (InputStream in = ProgrammedContentSourcesTest.class.getResourceAsStream("/import/slack/export.zip")) {
            assertThat(in).isNotNull();
            Files.copy(in, export);
        }
        CollectingEventSink sink = new CollectingEventSink();
        new SlackExportImporter(MemberPseudonymiser.none()).run(export, "c", sink, ProgressListener.NONE);
        List<ActivityEvent> threads = sink.events().stream().filter(e -> e.getType() == EventType.THREAD_CREATED)
                .toList();
        ProgrammedContent byName = rules("slack: {channels: [\"#general\"]}");
        assertThat(threads).filteredOn(byName::isProgrammed).extracting(ActivityEvent::getChannel)
                .containsExactly("C123ABC456");
        assertThat(threads).filteredOn(rules("slack: {channels: [C123ABC456]}")::isProgrammed).hasSize(1);
        assertThat(threads).hasSize(2);
    }

    @Test
    void shouldProgramNothingOfThesePayloadsWithTheShippedExamples() throws IOException {
        ProgrammedContent shipped = MaturityRules.defaults().programmedContent();
        assertThat(shipped.isProgrammed(thread(new GitHubPayloadMapper(MemberPseudonymiser.none()), "issues",
                resource("/webhook-corpus/github/issues.opened.1.json")))).isFalse();
        assertThat(shipped.isProgrammed(thread(new DiscoursePayloadMapper(MemberPseudonymiser.none()),
                "topic_created", resource("/webhooks/discourse/topic_created.json")))).isFalse();
    }
}
