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
import org.communitypulse.streams.common.YamlConfigFiles;
import org.communitypulse.streams.maturity.MaturityRules;
import org.communitypulse.streams.maturity.ProgrammedContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** One rule of maturity.yaml's {@code programmed_content} section, read as the application reads it. */
    private static ProgrammedContent rules(String platformRules) throws IOException {
        return YamlConfigFiles.parse(new ByteArrayInputStream(platformRules.getBytes(StandardCharsets.UTF_8)),
                "test.yaml", ProgrammedContent.class, "maturity");
    }

    /**
     * A documented payload (the webhook corpus, or ingest's samples), mapped by its platform's mapper, against one
     * rule. Discourse's documented topic has category_id 109 and no tags, its documented opening post the slug
     * "general"; the sample topic is tagged config, howto. GitHub's issue example is labelled bug, its
     * discussion example filed under General. Slack's message example is in channel C0LAN2Q65. A platform's
     * names under another platform's rules never match.
     */
    @ParameterizedTest(name = "{0} with {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            discourse/topic_created.1        | topic_created | discourse: {categories: [109]}             | true
            discourse/topic_created.1        | topic_created | discourse: {categories: [110]}             | false
            discourse/topic_created.1        | topic_created | discourse: {tags: [howto]}                 | false
            sample:discourse/topic_created   | topic_created | discourse: {tags: [HowTo]}                 | true
            sample:discourse/topic_created   | topic_created | discourse: {tags: [how]}                   | false
            discourse/post_created.2         | post_created  | discourse: {categories: [General]}         | true
            discourse/post_created.2         | post_created  | discourse: {categories: [events]}          | false
            github/issues.opened.1           | issues        | github: {labels: [Bug]}                    | true
            github/issues.opened.1           | issues        | github: {labels: [event]}                  | false
            github/issues.opened.1           | issues        | github: {discussion_categories: [general]} | false
            github/issues.opened.1           | issues        | discourse: {tags: [bug]}                   | false
            github/discussion.created.1      | discussion    | github: {discussion_categories: [general]} | true
            github/discussion.created.1      | discussion    | github: {discussion_categories: [Events]}  | false
            github/discussion.created.1      | discussion    | discourse: {categories: [general]}         | false
            slack/Message                    | message       | slack: {channels: [C0LAN2Q65]}             | true
            slack/Message                    | message       | slack: {channels: [general]}               | false
            slack/Message                    | message       | discourse: {categories: [C0LAN2Q65]}       | false
            """)
    void shouldProgramADocumentedThreadExactlyWhenItsFieldIsListed(String file, String event, String rule,
                                                                   boolean programmed) throws IOException {
        // sample: ingest's hand-written samples (webhooks/); otherwise the corpus of documented payloads.
        JsonNode payload = resource(file.startsWith("sample:") ? "/webhooks/" + file.substring(7) + ".json"
                : "/webhook-corpus/" + file + ".json");
        String path = file.replace("sample:", "");
        String platform = path.substring(0, path.indexOf('/'));
        PayloadMapper mapper = switch (platform) {
            case "discourse" -> new DiscoursePayloadMapper(MemberPseudonymiser.none());
            case "github" -> new GitHubPayloadMapper(MemberPseudonymiser.none());
            default -> new SlackPayloadMapper(MemberPseudonymiser.none());
        };
        if ("slack".equals(platform)) {
            // The example is a thread reply; without thread_ts it starts the thread.
            ((ObjectNode) payload.get("event")).remove("thread_ts");
        }
        assertThat(rules(rule).isProgrammed(thread(mapper, event, payload))).isEqualTo(programmed);
    }

    @Test
    void shouldProgramSlackExportThreadWhenItsChannelIsListedByIdOrByName(@TempDir Path dir) throws IOException {
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
