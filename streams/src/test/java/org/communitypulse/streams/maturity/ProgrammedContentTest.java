package org.communitypulse.streams.maturity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.Test;

/**
 * The programmed-content rules of maturity.yaml against events in the shape the ingest mappers give them
 * (docs/webhooks.md: Discourse channel = category id, {@code category} slug, {@code tags}; Slack channel = channel
 * id, {@code channel_name} from exports; GitHub {@code labels}, {@code discussion_category}). The same rules
 * against events mapped from the platforms' own payload examples: system-tests' ProgrammedContentSourcesTest.
 */
class ProgrammedContentTest {

    private static final String HEALTH = """
            health:
              weights: {engagement: 1}
              thriving_min_score: 75
              healthy_min_score: 50
              at_risk_min_score: 25
              thriving_min_wau: 10
            """;
    private static final String COMPETENCIES = """
            stages: [a, b, c, d]
            competencies:
              - id: content-programming
                signals:
                  - signal: programmed_weeks_28d
                    thresholds: [1, 2, 4]
            """;

    private static MaturityRules parse(String programmed) throws Exception {
        String yaml = COMPETENCIES + programmed + HEALTH;
        return MaturityRules.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    private static ProgrammedContent rules() throws Exception {
        return parse("""
                programmed_content:
                  attribute: programmed
                  kinds: [ama]
                  discourse: {categories: [12, Events], tags: [office-hours]}
                  slack: {channels: ["#office-hours", C0LAN2Q65]}
                  github: {labels: [Event], discussion_categories: [announcements]}
                """).programmedContent();
    }

    private static ActivityEvent thread(SourcePlatform source, String channel, String... attributes) {
        return event(EventType.THREAD_CREATED, source, channel, attributes);
    }

    private static ActivityEvent event(EventType type, SourcePlatform source, String channel, String... pairs) {
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            attributes.put(pairs[i], pairs[i + 1]);
        }
        return ActivityEvent.newBuilder().setEventId("e").setCommunityId("c").setSource(source).setType(type)
                .setOccurredAt(Instant.parse("2026-01-05T10:00:00Z")).setChannel(channel).setAttributes(attributes)
                .build();
    }

    @Test
    void shouldMatchDiscourseCategoryByIdOrSlugAndAnyTagWhenListed() throws Exception {
        ProgrammedContent rules = rules();
        assertThat(rules.isProgrammed(thread(SourcePlatform.DISCOURSE, "12"))).isTrue();
        assertThat(rules.isProgrammed(thread(SourcePlatform.DISCOURSE, "7", "category", "events"))).isTrue();
        assertThat(rules.isProgrammed(thread(SourcePlatform.DISCOURSE, "7", "tags", "howto,Office-Hours")))
                .isTrue();
        assertThat(rules.isProgrammed(thread(SourcePlatform.DISCOURSE, "7", "category", "general", "tags",
                "howto,office"))).isFalse();
        assertThat(rules.isProgrammed(thread(SourcePlatform.DISCOURSE, null))).isFalse();
    }

    @Test
    void shouldMatchSlackChannelByIdOrExportedNameWhenListed() throws Exception {
        ProgrammedContent rules = rules();
        assertThat(rules.isProgrammed(thread(SourcePlatform.SLACK, "c0lan2q65"))).isTrue();
        assertThat(rules.isProgrammed(thread(SourcePlatform.SLACK, "C999", "channel_name", "office-hours"))).isTrue();
        assertThat(rules.isProgrammed(thread(SourcePlatform.SLACK, "C999", "channel_name", "general"))).isFalse();
        assertThat(rules.isProgrammed(thread(SourcePlatform.SLACK, "C999"))).isFalse();
    }

    @Test
    void shouldMatchGitHubLabelOrDiscussionCategoryWhenListed() throws Exception {
        ProgrammedContent rules = rules();
        assertThat(rules.isProgrammed(thread(SourcePlatform.GITHUB, "o/r", "labels", "bug,event"))).isTrue();
        assertThat(rules.isProgrammed(thread(SourcePlatform.GITHUB, "o/r", "discussion_category", "Announcements")))
                .isTrue();
        assertThat(rules.isProgrammed(thread(SourcePlatform.GITHUB, "o/r", "labels", "bug,events",
                "discussion_category", "General"))).isFalse();
        assertThat(rules.isProgrammed(thread(SourcePlatform.GITHUB, "o/r"))).isFalse();
    }

    @Test
    void shouldApplyEachPlatformsRulesOnlyToItsOwnEvents() throws Exception {
        ProgrammedContent rules = rules();
        // A GitHub repository or a Stack Exchange tag named like a listed Discourse category is not that category.
        assertThat(rules.isProgrammed(thread(SourcePlatform.GITHUB, "12", "category", "events"))).isFalse();
        assertThat(rules.isProgrammed(thread(SourcePlatform.STACK_EXCHANGE, "events", "tags", "office-hours")))
                .isFalse();
        assertThat(rules.isProgrammed(thread(SourcePlatform.DISCOURSE, "C0LAN2Q65", "labels", "event"))).isFalse();
    }

    @Test
    void shouldMatchAttributeAndKindOnEverySource() throws Exception {
        ProgrammedContent rules = rules();
        assertThat(rules.isProgrammed(thread(SourcePlatform.GENERATOR, null, "kind", "AMA"))).isTrue();
        assertThat(rules.isProgrammed(thread(SourcePlatform.OTHER, null, "programmed", "true"))).isTrue();
        assertThat(rules.isProgrammed(thread(SourcePlatform.OTHER, null, "programmed", "false"))).isFalse();
    }

    @Test
    void shouldCountOnlyThreadsWhenTheRulesMatchOtherEvents() throws Exception {
        ProgrammedContent rules = rules();
        assertThat(rules.isProgrammed(event(EventType.REPLY_CREATED, SourcePlatform.DISCOURSE, "12", "kind",
                "reply"))).isFalse();
        assertThat(rules.isProgrammed(event(EventType.REACTION_ADDED, SourcePlatform.SLACK, "C0LAN2Q65"))).isFalse();
        assertThat(rules.isProgrammed(null)).isFalse();
    }

    @Test
    void shouldProgramNothingWhenTheSectionIsAbsent() throws Exception {
        ProgrammedContent none = parse("").programmedContent();
        assertThat(none).isEqualTo(ProgrammedContent.none());
        assertThat(none.isProgrammed(thread(SourcePlatform.DISCOURSE, "12", "kind", "ama", "programmed", "true")))
                .isFalse();
    }

    @Test
    void shouldShipExampleRulesForEachPlatform() {
        ProgrammedContent shipped = MaturityRules.defaults().programmedContent();
        assertThat(shipped.attribute()).isEqualTo("programmed");
        assertThat(shipped.discourse().categories()).contains("events", "announcements");
        assertThat(shipped.discourse().tags()).contains("ama", "office-hours");
        assertThat(shipped.slack().channels()).contains("office-hours", "announcements");
        assertThat(shipped.github().labels()).contains("event", "office-hours");
        assertThat(shipped.github().discussionCategories()).contains("announcements", "events");
    }

    @Test
    void shouldRefuseTheFileNamingTheKeyWhenAPlatformKeyIsUnknown() {
        assertThatThrownBy(() -> parse("""
                programmed_content:
                  discourse: {category: [events]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("test.yaml")
                .hasMessageContaining("category");
        assertThatThrownBy(() -> parse("""
                programmed_content:
                  mattermost: {channels: [town-square]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("mattermost");
    }

    @Test
    void shouldRefuseTheFileWhenAnEntryIsBlankOrHoldsAComma() {
        assertThatThrownBy(() -> parse("""
                programmed_content:
                  github: {labels: ["event,ama"]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("test.yaml")
                .hasMessageContaining("programmed_content.github.labels").hasMessageContaining("event,ama");
        assertThatThrownBy(() -> parse("""
                programmed_content:
                  slack: {channels: [" "]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("programmed_content.slack.channels");
    }
}
