package org.communitypulse.ingest.discourse;

import static org.communitypulse.ingest.webhook.internals.Payloads.isoTime;
import static org.communitypulse.ingest.webhook.internals.Payloads.object;
import static org.communitypulse.ingest.webhook.internals.Payloads.optLong;
import static org.communitypulse.ingest.webhook.internals.Payloads.optNames;
import static org.communitypulse.ingest.webhook.internals.Payloads.optObject;
import static org.communitypulse.ingest.webhook.internals.Payloads.optText;
import static org.communitypulse.ingest.webhook.internals.Payloads.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.PayloadMapper;
import org.communitypulse.ingest.webhook.WebhookSource;
import org.communitypulse.ingest.webhook.internals.EventFactory;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * Discourse webhook payloads ({@code X-Discourse-Event} names the event; the body is {@code {"<type>": {...}}}).
 *
 * <p>Item kinds for event ids: {@code topic} (topic id; a topic's first post maps to the same event, so
 * {@code topic_created} and the first {@code post_created} are one event), {@code post}, {@code like}
 * ({@code <post>/<user>}), {@code user}, {@code user_left}, {@code group_user}, {@code trust_level},
 * {@code user_badge}, {@code flag}.
 * Edits ({@code topic_edited}, {@code post_edited}) map to the same event id as the creation, flagged
 * {@code edited=true}: the pipeline counts the item once, and an edit still delivers it when the creation
 * webhook was missed. Private messages are not community activity and stay unmapped.
 */
public final class DiscoursePayloadMapper implements PayloadMapper {

    /** Discourse's post_type for ordinary posts (others are whispers, small actions, moderator notes). */
    private static final long REGULAR_POST = 1;
    private static final String PRIVATE_MESSAGE = "private_message";

    private final EventFactory events;

    public DiscoursePayloadMapper(MemberPseudonymiser members) {
        this.events = new EventFactory(SourcePlatform.DISCOURSE, Objects.requireNonNull(members, "members"));
    }

    @Override
    public WebhookSource source() {
        return WebhookSource.DISCOURSE;
    }

    @Override
    public MappingResult map(String eventName, JsonNode payload, String communityId, Instant receivedAt) {
        if (payload == null || !payload.isObject()) {
            throw new MalformedPayloadException("payload must be a JSON object");
        }
        String event = eventName == null ? "" : eventName;
        return switch (event) {
            case "topic_created", "topic_edited" -> topic(object(payload, "topic"), event, communityId, receivedAt);
            case "post_created", "post_edited" -> post(object(payload, "post"), event, communityId, receivedAt);
            case "post_liked" -> like(object(payload, "like"), communityId, receivedAt);
            case "user_created" -> user(object(payload, "user"), EventType.MEMBER_JOINED, "user", communityId,
                    receivedAt);
            case "user_destroyed" -> destroyed(object(payload, "user"), communityId, receivedAt);
            case "user_added_to_group", "user_removed_from_group" ->
                    groupUser(object(payload, "group_user"), event, communityId, receivedAt);
            case "user_promoted" -> promoted(body(payload, "user_promoted"), communityId, receivedAt);
            case "user_badge_granted" -> badge(body(payload, "user_badge"), communityId, receivedAt);
            case "flag_created", "flag_agreed", "flag_disagreed", "flag_deferred" ->
                    flag(object(payload, "flag"), event, communityId, receivedAt);
            default -> MappingResult.unmapped("discourse:" + (event.isEmpty() ? "(no event)" : event));
        };
    }

    /** The wrapped object when Discourse wraps it, else the body itself (versions differ). */
    private static JsonNode body(JsonNode payload, String wrapper) {
        JsonNode wrapped = optObject(payload, wrapper);
        return wrapped != null ? wrapped : payload;
    }

    private MappingResult topic(JsonNode topic, String event, String community, Instant receivedAt) {
        if (PRIVATE_MESSAGE.equals(optText(topic, "archetype"))) {
            return MappingResult.unmapped("discourse:" + event + ".private_message");
        }
        String id = text(topic, "id");
        JsonNode createdBy = optObject(optObject(topic, "details"), "created_by");
        String actor = optText(topic, "user_id");
        if (actor == null) {
            actor = optText(createdBy, "id");
        }
        Map<String, String> attributes = new HashMap<>();
        if (event.endsWith("_edited")) {
            attributes.put("edited", "true");
        }
        placement(topic, attributes);
        return MappingResult.mapped(events.event(community, "topic", id, EventType.THREAD_CREATED, actor, id, null,
                isoTime(topic, "created_at", receivedAt), optText(topic, "category_id"), attributes));
    }

    /**
     * Where a topic sits, for the programmed-content rules (docs/maturity.md): {@code category} is the category's
     * slug where the payload gives it ({@code category_slug}: post webhooks; the event's channel is always the
     * category id) and {@code tags} the topic's tags, comma-separated (topic webhooks and the topic JSON).
     */
    private static void placement(JsonNode item, Map<String, String> attributes) {
        putIfPresent(attributes, "category", optText(item, "category_slug"));
        putIfPresent(attributes, "tags", optNames(item, "tags"));
    }

    private static void putIfPresent(Map<String, String> attributes, String name, String value) {
        if (value != null) {
            attributes.put(name, value);
        }
    }

    private MappingResult post(JsonNode post, String event, String community, Instant receivedAt) {
        long type = optLong(post, "post_type", REGULAR_POST);
        if (type != REGULAR_POST) {
            return MappingResult.unmapped("discourse:" + event + ".post_type_" + type);
        }
        if (PRIVATE_MESSAGE.equals(optText(post, "topic_archetype"))) {
            return MappingResult.unmapped("discourse:" + event + ".private_message");
        }
        String topicId = text(post, "topic_id");
        String actor = optText(post, "user_id");
        Instant at = isoTime(post, "created_at", receivedAt);
        String category = optText(post, "category_id");
        Map<String, String> attributes = new HashMap<>();
        if (event.endsWith("_edited")) {
            attributes.put("edited", "true");
        }
        if (optLong(post, "post_number", -1) == 1) {
            // The opening post is the topic itself: same id as topic_created.
            placement(post, attributes);
            return MappingResult.mapped(events.event(community, "topic", topicId, EventType.THREAD_CREATED, actor,
                    topicId, null, at, category, attributes));
        }
        String postId = text(post, "id");
        attributes.put("kind", "reply");
        putIfPresent(attributes, "category", optText(post, "category_slug"));
        String replyTo = optText(post, "reply_to_post_number");
        if (replyTo != null) {
            attributes.put("reply_to_post_number", replyTo);
        }
        return MappingResult.mapped(events.event(community, "post", postId, EventType.REPLY_CREATED, actor, topicId,
                topicId, at, category, attributes));
    }

    private MappingResult like(JsonNode like, String community, Instant receivedAt) {
        JsonNode post = object(like, "post");
        JsonNode user = object(like, "user");
        String postId = text(post, "id");
        String userId = text(user, "id");
        return MappingResult.mapped(events.event(community, "like", postId + "/" + userId,
                EventType.REACTION_ADDED, userId, optText(post, "topic_id"), postId, receivedAt,
                optText(post, "category_id"), Map.of("reaction", "like")));
    }

    private MappingResult user(JsonNode user, EventType type, String kind, String community, Instant receivedAt) {
        String id = text(user, "id");
        Instant at = type == EventType.MEMBER_JOINED ? isoTime(user, "created_at", receivedAt) : receivedAt;
        return MappingResult.mapped(events.event(community, kind, id, type, id, null, null, at, null, Map.of()));
    }

    /**
     * A deleted account is an erasure request (docs/identity.md): the member is forgotten, not only marked as
     * gone. Scoped to the forum's community: Discourse user ids are per forum, so the same pseudonym in another
     * community is another person. The delivery is signed, so it is an authorised source; the publisher writes
     * it to the erasures topic. Its event id is stable per account, so a redelivery is the same request.
     */
    private MappingResult destroyed(JsonNode user, String community, Instant receivedAt) {
        String id = text(user, "id");
        ActivityEvent erasure = events.event(community, "user_destroyed", id,
                EventType.MEMBER_ERASED, id, null, null, receivedAt, null, Map.of());
        return MappingResult.mapped(erasure);
    }

    private MappingResult groupUser(JsonNode groupUser, String event, String community, Instant receivedAt) {
        String userId = text(groupUser, "user_id");
        String groupId = text(groupUser, "group_id");
        boolean added = "user_added_to_group".equals(event);
        // The membership row id is new for every re-join, so leave/re-join cycles stay distinct events.
        String membership = optText(groupUser, "id");
        String item = (added ? "added/" : "removed/") + groupId + "/" + userId
                + (membership == null ? "" : "/" + membership);
        String group = optText(groupUser, "group_name");
        Map<String, String> attributes = new HashMap<>();
        attributes.put("role", "group:" + (group != null ? group : groupId));
        attributes.put("group_id", groupId);
        Instant at = added ? isoTime(groupUser, "created_at", receivedAt) : receivedAt;
        return MappingResult.mapped(events.event(community, "group_user", item,
                added ? EventType.ROLE_GRANTED : EventType.ROLE_REVOKED, userId, null, null, at, null, attributes));
    }

    /**
     * Discourse sends only promotions, with the user object (its {@code trust_level} is the new level). Bodies
     * carrying {@code user_id}, {@code old_trust_level} and {@code new_trust_level} (older releases, automation
     * plugins) are understood too, including demotions.
     */
    private MappingResult promoted(JsonNode change, String community, Instant receivedAt) {
        if (change.has("old_trust_level") || change.has("new_trust_level")) {
            String userId = text(change, "user_id");
            long oldLevel = optLong(change, "old_trust_level", -1);
            long newLevel = optLong(change, "new_trust_level", -1);
            if (oldLevel < 0 || newLevel < 0) {
                throw new MalformedPayloadException("user_promoted needs integer old_trust_level and new_trust_level");
            }
            if (oldLevel == newLevel) {
                return MappingResult.unmapped("discourse:user_promoted.unchanged");
            }
            return trustLevel(community, userId, newLevel > oldLevel, Math.max(oldLevel, newLevel), receivedAt);
        }
        long level = optLong(change, "trust_level", -1);
        if (level < 0) {
            throw new MalformedPayloadException("user_promoted needs an integer trust_level");
        }
        return trustLevel(community, text(change, "id"), true, level, receivedAt);
    }

    private MappingResult trustLevel(String community, String userId, boolean granted, long level,
                                     Instant receivedAt) {
        return MappingResult.mapped(events.event(community, "trust_level",
                userId + (granted ? "/granted/" : "/revoked/") + level,
                granted ? EventType.ROLE_GRANTED : EventType.ROLE_REVOKED, userId, null, null, receivedAt, null,
                Map.of("role", "trust_level_" + level)));
    }

    private MappingResult badge(JsonNode userBadge, String community, Instant receivedAt) {
        String id = text(userBadge, "id");
        String userId = optText(userBadge, "user_id");
        if (userId == null) {
            userId = text(object(userBadge, "user"), "id");
        }
        JsonNode badge = optObject(userBadge, "badge");
        String badgeId = optText(userBadge, "badge_id");
        if (badgeId == null) {
            badgeId = optText(badge, "id");
        }
        Map<String, String> attributes = new HashMap<>();
        String name = optText(badge, "name");
        if (name != null || badgeId != null) {
            attributes.put("badge", name != null ? name : badgeId);
        }
        if (badgeId != null) {
            attributes.put("badge_id", badgeId);
        }
        return MappingResult.mapped(events.event(community, "user_badge", id, EventType.BADGE_AWARDED, userId, null,
                null, isoTime(userBadge, "granted_at", receivedAt), null, attributes));
    }

    private MappingResult flag(JsonNode flag, String event, String community, Instant receivedAt) {
        String id = text(flag, "id");
        JsonNode post = optObject(flag, "post");
        boolean created = "flag_created".equals(event);
        JsonNode by = optObject(flag, created ? "created_by" : "resolved_by");
        Map<String, String> attributes = new HashMap<>();
        attributes.put("action", event);
        String flagType = optText(flag, "flag_type");
        if (flagType != null) {
            attributes.put("flag_type", flagType);
        }
        Instant at = isoTime(flag, created ? "created_at" : "resolved_at", receivedAt);
        return MappingResult.mapped(events.event(community, "flag", id + "/" + event, EventType.MODERATION_ACTION,
                optText(by, "id"), optText(post, "topic_id"), optText(post, "id"), at, optText(post, "category_id"),
                attributes));
    }
}
