package org.communitypulse.ingest.discourse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.WebhookSamples;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.junit.jupiter.api.Test;

/** What a poller makes of API items is what the webhook announcing them makes: the same events. */
class DiscourseItemsPollingTest {

    private static final Instant SEEN = Instant.parse("2024-05-04T12:00:00Z");
    private final MemberPseudonymiser members = MemberPseudonymiser.none();
    private final DiscourseItems items = new DiscourseItems(members);
    private final DiscoursePayloadMapper webhook = new DiscoursePayloadMapper(members);

    @Test
    void shouldMakeTheLikeOfThePostLikedWebhookFromAPostAndItsLiker() {
        JsonNode like = WebhookSamples.json("discourse", "post_liked").get("like");
        // /posts.json's post has more fields, /post_action_users.json's user fewer: only ids matter.
        ObjectNode post = like.get("post").deepCopy();
        post.put("cooked", "<p>x</p>").putArray("actions_summary").addObject().put("id", 2).put("count", 1);
        ObjectNode liker = ((ObjectNode) like.get("user").deepCopy()).put("avatar_template", "/a/{size}.png");

        ActivityEvent polled = items.like(post, liker, "forum", SEEN).events().get(0);
        ActivityEvent received = webhook.map("post_liked", WebhookSamples.json("discourse", "post_liked"), "forum",
                SEEN).events().get(0);

        assertThat(polled).isEqualTo(received);
        assertThat(polled.getType()).isEqualTo(EventType.REACTION_ADDED);
    }

    @Test
    void shouldMakeOnlyTheMemberJoinedOfTheUserCreatedWebhookFromAListedUser() {
        ObjectNode user = WebhookSamples.json("discourse", "user_created").get("user").deepCopy();
        // The admin list adds fields the webhook lacks; a trust level above 0 must not add a role event here.
        user.put("trust_level", 2).put("active", true).put("email", "carol@example.org");

        var polled = items.joined(user, "forum").events();
        ActivityEvent received = webhook.map("user_created", WebhookSamples.json("discourse", "user_created"),
                "forum", SEEN).events().get(0);

        assertThat(polled).containsExactly(received);
        assertThat(received.getType()).isEqualTo(EventType.MEMBER_JOINED);
    }
}
