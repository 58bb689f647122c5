package org.communitypulse.ingest.discourse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.identity.IdentityObservations;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * Maps items of the Discourse REST API (a post of a {@code /t/{id}.json} topic, a user of
 * {@code /admin/users/list/{flag}.json}) by wrapping them as the webhook that announces them and handing them to
 * {@link DiscoursePayloadMapper}. Saved files ({@link DiscourseExportImporter}), the live API
 * ({@link DiscourseApiImporter}) and the Kafka Connect poller all go through here, so one item has one event id
 * however it arrives.
 */
public final class DiscourseItems {

    /** Discourse's automatic group ids ({@code Group::AUTO_GROUPS}). */
    static final int ADMINS_GROUP = 1;
    static final int MODERATORS_GROUP = 2;

    private final DiscoursePayloadMapper mapper;
    private final MemberPseudonymiser members;

    public DiscourseItems(MemberPseudonymiser members) {
        this.mapper = new DiscoursePayloadMapper(Objects.requireNonNull(members, "members"));
        this.members = members;
    }

    /**
     * One post of a topic, as {@code post_created}: post 1 is the topic ({@code THREAD_CREATED}, same id as
     * {@code topic_created}), others replies; whispers, small actions and private messages are unmapped.
     *
     * @param topic the topic object ({@code /t/{id}.json}); its category, archetype and id fill what the post lacks,
     *              its tags go on the opening post
     * @throws MalformedPayloadException when the post lacks what the mapping needs, prefixed with the post id
     */
    public MappingResult post(JsonNode topic, JsonNode post, String communityId) {
        if (post == null || !post.isObject()) {
            throw new MalformedPayloadException("post is not an object");
        }
        ObjectNode payload = post.deepCopy();
        // The webhook's post carries its topic's category and archetype; the topic JSON holds them once.
        if (!payload.has("category_id") && topic.has("category_id")) {
            payload.set("category_id", topic.get("category_id"));
        }
        // Tags live on the topic only; the opening post (the topic's event) carries them as topic_created does.
        if (!payload.has("tags") && topic.has("tags") && post.path("post_number").asLong() == 1) {
            payload.set("tags", topic.get("tags"));
        }
        if (!payload.has("topic_archetype") && topic.has("archetype")) {
            payload.set("topic_archetype", topic.get("archetype"));
        }
        if (!payload.has("topic_id") && topic.has("id")) {
            payload.set("topic_id", topic.get("id"));
        }
        try {
            return mapper.map("post_created", wrap("post", payload), communityId, null);
        } catch (MalformedPayloadException e) {
            throw new MalformedPayloadException("post " + post.path("id").asText("?") + ": " + e.getMessage());
        }
    }

    /**
     * One like of a post, as {@code post_liked}: {@code REACTION_ADDED} with the webhook's id
     * ({@code like:<post>/<user>}). Discourse's lists of likers ({@code /post_action_users.json}) do not date a
     * like, nor does the webhook: both use the time it was seen.
     *
     * @param post  the liked post (its id, topic_id and category_id are used)
     * @param liker the user who liked it ({@code id})
     * @param seen  when the like was read
     * @throws MalformedPayloadException when the post or the user lacks an id
     */
    public MappingResult like(JsonNode post, JsonNode liker, String communityId, Instant seen) {
        ObjectNode like = JsonNodeFactory.instance.objectNode();
        ObjectNode likedPost = JsonNodeFactory.instance.objectNode();
        for (String field : new String[] {"id", "topic_id", "category_id"}) {
            if (post != null && post.has(field)) {
                likedPost.set(field, post.get(field));
            }
        }
        like.set("post", likedPost);
        like.set("user", liker == null ? JsonNodeFactory.instance.objectNode() : liker);
        return mapper.map("post_liked", wrap("like", like), communityId, seen);
    }

    /**
     * A user as {@code user_created} announces it: {@code MEMBER_JOINED} at {@code created_at}, nothing more,
     * so a poller that closes a webhook gap publishes exactly what the webhook would have (the trust level, groups
     * and identity evidence of {@link #user} are dated when read, which a poller would repeat every restart).
     *
     * @throws MalformedPayloadException when the user lacks an id
     */
    public MappingResult joined(JsonNode user, String communityId) {
        if (user == null || !user.isObject()) {
            throw new MalformedPayloadException("expected a user object");
        }
        return mapper.map("user_created", wrap("user", user), communityId, null);
    }

    /**
     * One user of an admin user list: {@code MEMBER_JOINED} at {@code created_at}, its trust level above 0 a
     * {@code ROLE_GRANTED trust_level_N}, its admin/moderator flag a membership of the automatic group, and
     * an {@code IDENTITY_OBSERVED} with its username, name and keyed email hash (see docs/identity.md).
     *
     * @param asOf    when the list was read: the time of the role events, which the list does not date
     * @param summary told of emails left out because no pseudonymisation key is set
     * @throws MalformedPayloadException when the user lacks an id or a valid date
     */
    public MappingResult user(JsonNode user, String communityId, Instant asOf, ImportSummary.Builder summary) {
        if (user == null || !user.isObject()) {
            throw new MalformedPayloadException("expected a user object");
        }
        List<ActivityEvent> events = new ArrayList<>(
                mapper.map("user_created", wrap("user", user), communityId, null).events());
        if (user.path("trust_level").canConvertToLong() && user.path("trust_level").asLong() > 0) {
            ObjectNode promoted = JsonNodeFactory.instance.objectNode();
            promoted.set("id", user.get("id"));
            promoted.set("trust_level", user.get("trust_level"));
            events.addAll(mapper.map("user_promoted", wrap("user_promoted", promoted), communityId, asOf).events());
        }
        for (int group : new int[] {ADMINS_GROUP, MODERATORS_GROUP}) {
            String flag = group == ADMINS_GROUP ? "admin" : "moderator";
            if (user.path(flag).asBoolean(false)) {
                ObjectNode membership = JsonNodeFactory.instance.objectNode();
                membership.set("user_id", user.get("id"));
                membership.put("group_id", group);
                membership.put("group_name", flag + "s");
                events.addAll(mapper.map("user_added_to_group", wrap("group_user", membership), communityId, asOf)
                        .events());
            }
        }
        // Evidence for identity resolution: Discourse activates an account once its email is confirmed.
        Instant seen = events.isEmpty() ? asOf : events.get(0).getOccurredAt();
        IdentityObservations.observed(SourcePlatform.DISCOURSE, members, communityId,
                new IdentityObservations.Profile(user.path("id").asText(null), textOrNull(user, "username"),
                        textOrNull(user, "name"), textOrNull(user, "email"), user.path("active").asBoolean(false)),
                seen, summary).ifPresent(events::add);
        return MappingResult.mapped(events);
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
    }

    private static ObjectNode wrap(String field, JsonNode body) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.set(field, body);
        return payload;
    }
}
