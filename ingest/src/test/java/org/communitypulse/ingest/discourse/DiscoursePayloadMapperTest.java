package org.communitypulse.ingest.discourse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.communitypulse.ingest.EventIds;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.WebhookSamples;
import org.communitypulse.ingest.webhook.WebhookSecret;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.Test;

class DiscoursePayloadMapperTest {

    private static final String COMMUNITY = "forum";
    private static final Instant RECEIVED = Instant.parse("2024-06-01T00:00:00Z");

    private final DiscoursePayloadMapper mapper = new DiscoursePayloadMapper(MemberPseudonymiser.none());

    private ActivityEvent single(String event) {
        MappingResult result = mapper.map(event, WebhookSamples.json("discourse", event), COMMUNITY, RECEIVED);
        assertThat(result.events()).hasSize(1);
        return result.events().get(0);
    }

    @Test
    void shouldMapTopicToThreadWithStableIdWhenTopicCreated() {
        ActivityEvent event = single("topic_created");
        assertThat(event.getType()).isEqualTo(EventType.THREAD_CREATED);
        assertThat(event.getEventId()).isEqualTo(EventIds.of(SourcePlatform.DISCOURSE, COMMUNITY, "topic", "1001"));
        assertThat(event.getSource()).isEqualTo(SourcePlatform.DISCOURSE);
        assertThat(event.getActorId()).isEqualTo("42");
        assertThat(event.getThreadId()).isEqualTo("1001");
        assertThat(event.getChannel()).isEqualTo("5");
        assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2024-05-02T09:15:31.152Z"));
        assertThat(event.getAttributes()).containsEntry("tags", "config,howto");
    }

    @Test
    void shouldGiveFirstPostTheTopicsEventIdWhenPostNumberIsOne() {
        ObjectNode payload = (ObjectNode) WebhookSamples.json("discourse", "post_created");
        ((ObjectNode) payload.get("post")).put("post_number", 1);
        ActivityEvent first = mapper.map("post_created", payload, COMMUNITY, RECEIVED).events().get(0);
        assertThat(first.getType()).isEqualTo(EventType.THREAD_CREATED);
        assertThat(first.getEventId()).isEqualTo(single("topic_created").getEventId());
    }

    @Test
    void shouldMapReplyWithKindWhenPostCreated() {
        ActivityEvent event = single("post_created");
        assertThat(event.getType()).isEqualTo(EventType.REPLY_CREATED);
        assertThat(event.getEventId()).isEqualTo(EventIds.of(SourcePlatform.DISCOURSE, COMMUNITY, "post", "5005"));
        assertThat(event.getActorId()).isEqualTo("43");
        assertThat(event.getThreadId()).isEqualTo("1001");
        assertThat(event.getParentId()).isEqualTo("1001");
        assertThat(event.getAttributes()).containsEntry("kind", "reply");
    }

    @Test
    void shouldKeepCreationIdAndMarkEditWhenPostEdited() {
        ActivityEvent edited = single("post_edited");
        assertThat(edited.getEventId()).isEqualTo(single("post_created").getEventId());
        assertThat(edited.getAttributes()).containsEntry("edited", "true");
    }

    @Test
    void shouldMapLikeToReactionOnThePostWhenPostLiked() {
        ActivityEvent event = single("post_liked");
        assertThat(event.getType()).isEqualTo(EventType.REACTION_ADDED);
        assertThat(event.getActorId()).isEqualTo("42");
        assertThat(event.getParentId()).isEqualTo("5005");
        assertThat(event.getThreadId()).isEqualTo("1001");
        assertThat(event.getAttributes()).containsEntry("reaction", "like");
        assertThat(event.getEventId()).isEqualTo(EventIds.of(SourcePlatform.DISCOURSE, COMMUNITY, "like", "5005/42"));
    }

    @Test
    void shouldMapMemberJoinedWhenUserCreated() {
        ActivityEvent event = single("user_created");
        assertThat(event.getType()).isEqualTo(EventType.MEMBER_JOINED);
        assertThat(event.getActorId()).isEqualTo("44");
        assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2024-05-03T08:00:00Z"));
    }

    @Test
    void shouldGrantGroupRoleWhenUserAddedToGroup() {
        ActivityEvent event = single("user_added_to_group");
        assertThat(event.getType()).isEqualTo(EventType.ROLE_GRANTED);
        assertThat(event.getActorId()).isEqualTo("44");
        assertThat(event.getAttributes()).containsEntry("role", "group:41");
    }

    @Test
    void shouldRevokeGroupRoleWithOtherIdWhenUserRemovedFromGroup() {
        MappingResult removed = mapper.map("user_removed_from_group",
                WebhookSamples.json("discourse", "user_added_to_group"), COMMUNITY, RECEIVED);
        ActivityEvent event = removed.events().get(0);
        assertThat(event.getType()).isEqualTo(EventType.ROLE_REVOKED);
        assertThat(event.getAttributes()).containsEntry("role", "group:41");
        assertThat(event.getEventId()).isNotEqualTo(single("user_added_to_group").getEventId());
    }

    @Test
    void shouldGrantNewTrustLevelWhenUserPromoted() {
        ActivityEvent up = single("user_promoted");
        assertThat(up.getType()).isEqualTo(EventType.ROLE_GRANTED);
        assertThat(up.getActorId()).isEqualTo("44");
        assertThat(up.getAttributes()).containsEntry("role", "trust_level_2");
        assertThat(up.getEventId())
                .isEqualTo(EventIds.of(SourcePlatform.DISCOURSE, COMMUNITY, "trust_level", "44/granted/2"));
    }

    @Test
    void shouldRevokeOldTrustLevelWhenLegacyBodyShowsDemotion() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.putObject("user_promoted").put("user_id", 44).put("old_trust_level", 3).put("new_trust_level", 1);
        ActivityEvent down = mapper.map("user_promoted", payload, COMMUNITY, RECEIVED).events().get(0);
        assertThat(down.getType()).isEqualTo(EventType.ROLE_REVOKED);
        assertThat(down.getAttributes()).containsEntry("role", "trust_level_3");
    }

    @Test
    void shouldAwardBadgeWhenUserBadgeGranted() {
        ActivityEvent event = single("user_badge_granted");
        assertThat(event.getType()).isEqualTo(EventType.BADGE_AWARDED);
        assertThat(event.getActorId()).isEqualTo("44");
        assertThat(event.getAttributes()).containsEntry("badge", "Welcome").containsEntry("badge_id", "3");
        assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2024-05-06T09:30:00Z"));
    }

    @Test
    void shouldMapModerationActionWhenFlagCreated() {
        ActivityEvent event = single("flag_created");
        assertThat(event.getType()).isEqualTo(EventType.MODERATION_ACTION);
        assertThat(event.getActorId()).isEqualTo("45");
        assertThat(event.getAttributes()).containsEntry("action", "flag_created").containsEntry("flag_type", "spam");
        assertThat(event.getParentId()).isEqualTo("5005");
    }

    @Test
    void shouldReportUnmappedWhenEventIsNotCounted() {
        MappingResult result = mapper.map("category_created", WebhookSamples.json("discourse", "category_created"),
                COMMUNITY, RECEIVED);
        assertThat(result.isUnmapped()).isTrue();
        assertThat(result.unmapped()).isEqualTo("discourse:category_created");
    }

    @Test
    void shouldLeavePrivateMessagesUnmappedWhenArchetypeIsPrivate() {
        ObjectNode payload = (ObjectNode) WebhookSamples.json("discourse", "post_created");
        ((ObjectNode) payload.get("post")).put("topic_archetype", "private_message");
        assertThat(mapper.map("post_created", payload, COMMUNITY, RECEIVED).isUnmapped()).isTrue();
    }

    @Test
    void shouldThrowMalformedPayloadWhenMappedEventLacksField() {
        ObjectNode payload = (ObjectNode) WebhookSamples.json("discourse", "post_created");
        ((ObjectNode) payload.get("post")).remove("topic_id");
        assertThatThrownBy(() -> mapper.map("post_created", payload, COMMUNITY, RECEIVED))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("topic_id");
        assertThatThrownBy(() -> mapper.map("post_created", payload.textNode("x"), COMMUNITY, RECEIVED))
                .isInstanceOf(MalformedPayloadException.class);
    }

    @Test
    void shouldThrowMalformedPayloadWhenDateIsBeyondWhatAnEventCanHold() {
        ObjectNode payload = (ObjectNode) WebhookSamples.json("discourse", "topic_created");
        ((ObjectNode) payload.get("topic")).put("created_at", "+999999999-12-31T23:59:59Z");
        assertThatThrownBy(() -> mapper.map("topic_created", payload, COMMUNITY, RECEIVED))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("created_at");
    }

    @Test
    void shouldHashActorButKeepEventIdWhenPseudonymised() {
        DiscoursePayloadMapper hashed = new DiscoursePayloadMapper(
                MemberPseudonymiser.keyed(WebhookSecret.of("pseudonym-key-0123456789")));
        ActivityEvent plain = single("post_created");
        ActivityEvent pseudo = hashed.map("post_created", WebhookSamples.json("discourse", "post_created"), COMMUNITY,
                RECEIVED).events().get(0);
        assertThat(pseudo.getEventId()).isEqualTo(plain.getEventId());
        assertThat(pseudo.getActorId()).startsWith("m-").hasSize(24).isNotEqualTo("43");
        ActivityEvent again = hashed.map("post_edited", WebhookSamples.json("discourse", "post_edited"), COMMUNITY,
                RECEIVED).events().get(0);
        assertThat(again.getActorId()).isEqualTo(pseudo.getActorId());
    }
}
