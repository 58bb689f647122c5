package org.communitypulse.streams.maturity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.streams.common.YamlConfigFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The programmed-content rules of maturity.yaml against events in the shape the ingest mappers give them
 * (docs/webhooks.md: Discourse channel = category id, {@code category} slug, {@code tags}; Slack channel = channel
 * id, {@code channel_name} from exports; GitHub {@code labels}, {@code discussion_category}). The same rules
 * against events mapped from the platforms' own payload examples: system-tests' ProgrammedContentSourcesTest.
 */
class ProgrammedContentTest {

    /** The {@code programmed_content} section alone, read as maturity.yaml is (snake_case, unknown keys refused). */
    private static ProgrammedContent parse(String section) throws Exception {
        return YamlConfigFiles.parse(new ByteArrayInputStream(section.getBytes(StandardCharsets.UTF_8)), "test.yaml",
                ProgrammedContent.class, "maturity");
    }

    private static ProgrammedContent rules() throws Exception {
        return parse("""
                attribute: programmed
                kinds: [ama]
                discourse: {categories: [12, Events], tags: [office-hours]}
                slack: {channels: ["#office-hours", C0LAN2Q65]}
                github: {labels: [Event], discussion_categories: [announcements]}
                stack_exchange: {tags: [Election]}
                """);
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

    /**
     * One thread per row: its source, channel and attributes ({@code name=value;...}) against {@link #rules()}.
     * Each platform matches its own fields only: a GitHub repository or a Stack Exchange tag named like a listed
     * Discourse category is not that category.
     */
    @ParameterizedTest(name = "{0} channel {1} {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            DISCOURSE      | 12        | -                                         | true
            DISCOURSE      | 7         | category=events                           | true
            DISCOURSE      | 7         | tags=howto,Office-Hours                   | true
            DISCOURSE      | 7         | category=general;tags=howto,office        | false
            DISCOURSE      | -         | -                                         | false
            SLACK          | c0lan2q65 | -                                         | true
            SLACK          | C999      | channel_name=office-hours                 | true
            SLACK          | C999      | channel_name=general                      | false
            SLACK          | C999      | -                                         | false
            GITHUB         | o/r       | labels=bug,event                          | true
            GITHUB         | o/r       | discussion_category=Announcements         | true
            GITHUB         | o/r       | labels=bug,events;discussion_category=Gen | false
            GITHUB         | o/r       | -                                         | false
            GITHUB         | 12        | category=events                           | false
            STACK_EXCHANGE | bikes     | tags=bikes,election                       | true
            STACK_EXCHANGE | election  | -                                         | false
            GITHUB         | o/r       | tags=election                             | false
            STACK_EXCHANGE | events    | tags=office-hours                         | false
            DISCOURSE      | C0LAN2Q65 | labels=event                              | false
            """)
    void shouldProgramAThreadExactlyWhenItsPlatformsFieldIsListed(SourcePlatform source, String channel,
                                                                  String attributes, boolean programmed)
            throws Exception {
        List<String> pairs = new ArrayList<>();
        for (String pair : attributes == null ? new String[0] : attributes.split(";")) {
            pairs.addAll(List.of(pair.split("=", 2)));
        }
        assertThat(rules().isProgrammed(thread(source, channel, pairs.toArray(String[]::new))))
                .isEqualTo(programmed);
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
        MaturityRules shipped = MaturityRules.defaults();
        ProgrammedContent none = new MaturityRules(shipped.stages(), shipped.competencies(), shipped.goals(), null,
                shipped.health()).programmedContent();
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
        assertThat(shipped.stackExchange().tags()).contains("election", "community-ads");
    }

    @Test
    void shouldRefuseTheFileNamingTheKeyWhenAPlatformKeyIsUnknown() {
        assertThatThrownBy(() -> parse("""
                discourse: {category: [events]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("test.yaml")
                .hasMessageContaining("category");
        assertThatThrownBy(() -> parse("""
                mattermost: {channels: [town-square]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("mattermost");
    }

    @Test
    void shouldRefuseTheFileWhenAnEntryIsBlankOrHoldsAComma() {
        assertThatThrownBy(() -> parse("""
                github: {labels: ["event,ama"]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("test.yaml")
                .hasMessageContaining("programmed_content.github.labels").hasMessageContaining("event,ama");
        assertThatThrownBy(() -> parse("""
                slack: {channels: [" "]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("programmed_content.slack.channels");
    }
}
