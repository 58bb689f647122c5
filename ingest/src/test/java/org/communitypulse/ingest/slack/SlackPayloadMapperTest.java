package org.communitypulse.ingest.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.communitypulse.ingest.EventIds;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.WebhookSamples;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.Test;

class SlackPayloadMapperTest {

    private static final String COMMUNITY = "workspace";
    private static final Instant RECEIVED = Instant.parse("2024-06-01T00:00:00Z");

    private final SlackPayloadMapper mapper = new SlackPayloadMapper(MemberPseudonymiser.none());

    private MappingResult map(String sample) {
        return mapper.map(null, WebhookSamples.json("slack", sample), COMMUNITY, RECEIVED);
    }

    private ActivityEvent single(String sample) {
        List<ActivityEvent> events = map(sample).events();
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    @Test
    void shouldStartThreadKeyedByChannelAndTsWhenTopLevelMessage() {
        ActivityEvent event = single("message");
        assertThat(event.getType()).isEqualTo(EventType.THREAD_CREATED);
        assertThat(event.getEventId())
                .isEqualTo(EventIds.of(SourcePlatform.SLACK, COMMUNITY, "message", "C123ABC456/1355517523.000005"));
        assertThat(event.getThreadId()).isEqualTo("C123ABC456/1355517523.000005");
        assertThat(event.getChannel()).isEqualTo("C123ABC456");
        assertThat(event.getActorId()).isEqualTo("U123ABC456");
        assertThat(event.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1_355_517_523_000L));
    }

    @Test
    void shouldReplyInParentThreadWhenMessageHasThreadTs() {
        ActivityEvent reply = single("message.thread_reply");
        assertThat(reply.getType()).isEqualTo(EventType.REPLY_CREATED);
        assertThat(reply.getThreadId()).isEqualTo(single("message").getThreadId());
        assertThat(reply.getParentId()).isEqualTo("C123ABC456/1355517523.000005");
        assertThat(reply.getAttributes()).containsEntry("kind", "reply");
    }

    @Test
    void shouldKeepOriginalIdWhenMessageChanged() {
        ActivityEvent edited = single("message.message_changed");
        assertThat(edited.getEventId()).isEqualTo(single("message").getEventId());
        assertThat(edited.getAttributes()).containsEntry("edited", "true");
    }

    @Test
    void shouldMapMessageWhenChannelTypeIsAbsent() {
        ObjectNode payload = (ObjectNode) WebhookSamples.json("slack", "message");
        ((ObjectNode) payload.path("event")).remove("channel_type");

        List<ActivityEvent> events = mapper.map(null, payload, COMMUNITY, RECEIVED).events();

        assertThat(events).singleElement().isEqualTo(single("message"));
    }

    @Test
    void shouldLeaveSystemSubtypesUnmappedWhenChannelJoinMessage() {
        assertThat(map("message.channel_join").unmapped()).isEqualTo("slack:message.channel_join");
    }

    @Test
    void shouldMapReactionOnMessageWhenReactionAdded() {
        ActivityEvent event = single("reaction_added");
        assertThat(event.getType()).isEqualTo(EventType.REACTION_ADDED);
        assertThat(event.getActorId()).isEqualTo("U222BBB222");
        assertThat(event.getParentId()).isEqualTo("C123ABC456/1355517523.000005");
        assertThat(event.getAttributes()).containsEntry("reaction", "thumbsup");
    }

    @Test
    void shouldMapChannelMembershipWhenMemberJoinedOrLeft() {
        ActivityEvent joined = single("member_joined_channel");
        ActivityEvent left = single("member_left_channel");
        assertThat(joined.getType()).isEqualTo(EventType.MEMBER_JOINED);
        assertThat(left.getType()).isEqualTo(EventType.MEMBER_LEFT);
        assertThat(joined.getChannel()).isEqualTo("C123ABC456");
        assertThat(joined.getActorId()).isEqualTo("W123ABC456");
        assertThat(joined.getOccurredAt()).isEqualTo(Instant.ofEpochSecond(1_600_000_000L));
    }

    @Test
    void shouldMapWorkspaceJoinWhenTeamJoin() {
        ActivityEvent event = single("team_join");
        assertThat(event.getType()).isEqualTo(EventType.MEMBER_JOINED);
        assertThat(event.getAttributes()).containsEntry("scope", "workspace");
    }

    @Test
    void shouldGrantAdminRoleWhenUserChangeShowsAdmin() {
        ActivityEvent event = single("user_change");
        assertThat(event.getType()).isEqualTo(EventType.ROLE_GRANTED);
        assertThat(event.getAttributes()).containsEntry("role", "admin");
    }

    @Test
    void shouldMapMemberLeftWhenUserChangeShowsDeactivation() {
        ObjectNode payload = (ObjectNode) WebhookSamples.json("slack", "user_change");
        ((ObjectNode) payload.get("event").get("user")).put("deleted", true);
        ActivityEvent event = mapper.map(null, payload, COMMUNITY, RECEIVED).events().get(0);
        assertThat(event.getType()).isEqualTo(EventType.MEMBER_LEFT);
    }

    @Test
    void shouldReportUnmappedWhenEnvelopeIsNotEventCallback() {
        assertThat(map("url_verification").unmapped()).isEqualTo("slack:url_verification");
    }

    @Test
    void shouldThrowMalformedPayloadWhenTsIsNotEpochSeconds() {
        ObjectNode payload = (ObjectNode) WebhookSamples.json("slack", "message");
        ((ObjectNode) payload.get("event")).put("ts", "yesterday");
        assertThatThrownBy(() -> mapper.map(null, payload, COMMUNITY, RECEIVED))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("ts");
    }
}
