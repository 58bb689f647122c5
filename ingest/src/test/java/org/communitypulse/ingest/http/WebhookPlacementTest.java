package org.communitypulse.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.junit.jupiter.api.Test;

/**
 * Where a thread is filed (Discourse category and tags, GitHub labels and discussion category, Slack channel)
 * reaches the published event through the real signed webhook server, so the programmed-content rules apply to
 * live deliveries; each field dropped in turn still publishes the thread, only without it.
 */
class WebhookPlacementTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static WebhookCorpus.Payload corpus(String platform, String file) {
        return WebhookCorpus.of(platform).stream().filter(p -> p.file().equals(file)).findFirst().orElseThrow();
    }

    /** Sends the corpus payload as amended by {@code change} and returns the one event it published. */
    private static ActivityEvent deliver(WebhookCorpus.Payload payload, Consumer<ObjectNode> change, String what)
            throws Exception {
        ObjectNode body = (ObjectNode) payload.json();
        change.accept(body);
        try (SignedDeliveries deliveries = new SignedDeliveries()) {
            SignedDeliveries.Answer answer = deliveries.send(payload, JSON.writeValueAsBytes(body), what);
            assertThat(deliveries.failures).isEmpty();
            assertThat(answer.status()).as(what).isEqualTo(200);
            assertThat(answer.label()).as(what).isEqualTo("accepted");
            List<ActivityEvent> events = deliveries.events();
            assertThat(events).as(what).hasSize(1);
            return events.get(0);
        }
    }

    private static ObjectNode at(ObjectNode body, String field) {
        return (ObjectNode) body.get(field);
    }

    /** The payload as documented: a thread carrying {@code attribute=value}. */
    private static ActivityEvent documentedThread(WebhookCorpus.Payload payload, String attribute, String value)
            throws Exception {
        ActivityEvent thread = deliver(payload, body -> { }, "as documented");
        assertThat(thread.getType()).isEqualTo(EventType.THREAD_CREATED);
        assertThat(thread.getAttributes()).containsEntry(attribute, value);
        return thread;
    }

    /** Without {@code object.field} the delivery still publishes the same thread, only without {@code attribute}. */
    private static void assertStillMappedWithout(WebhookCorpus.Payload payload, String object, String field,
                                                 String attribute, ActivityEvent documented) throws Exception {
        ActivityEvent bare = deliver(payload, body -> at(body, object).remove(field), "without " + field);
        assertThat(bare.getType()).isEqualTo(EventType.THREAD_CREATED);
        assertThat(bare.getEventId()).isEqualTo(documented.getEventId());
        assertThat(bare.getAttributes()).doesNotContainKey(attribute);
    }

    @Test
    void shouldCarryCategoryIdAndTagsWhenDiscourseTopicCreated() throws Exception {
        WebhookCorpus.Payload topic = corpus("discourse", "topic_created.1.json");
        ActivityEvent tagged = deliver(topic, body -> {
            ArrayNode tags = at(body, "topic").putArray("tags");
            tags.add("AMA").add("office-hours");
        }, "with tags");
        assertThat(tagged.getType()).isEqualTo(EventType.THREAD_CREATED);
        assertThat(tagged.getChannel()).isEqualTo("109");
        assertThat(tagged.getAttributes()).containsEntry("tags", "AMA,office-hours");

        // As documented: an empty tag list, so no tags attribute.
        ActivityEvent documented = deliver(topic, body -> { }, "as documented");
        assertThat(documented.getChannel()).isEqualTo("109");
        assertThat(documented.getAttributes()).doesNotContainKeys("tags", "category");

        ActivityEvent bare = deliver(topic, body -> at(body, "topic").remove(List.of("tags", "category_id")),
                "without tags and category");
        assertThat(bare.getType()).isEqualTo(EventType.THREAD_CREATED);
        assertThat(bare.getEventId()).isEqualTo(documented.getEventId());
        assertThat(bare.getChannel()).isNull();
        assertThat(bare.getAttributes()).doesNotContainKeys("tags", "category");
    }

    @Test
    void shouldCarryCategorySlugWhenDiscourseOpeningPostCreated() throws Exception {
        WebhookCorpus.Payload post = corpus("discourse", "post_created.2.json");
        ActivityEvent opening = documentedThread(post, "category", "general");

        assertStillMappedWithout(post, "post", "category_slug", "category", opening);

        ActivityEvent reply = deliver(corpus("discourse", "post_created.1.json"), body -> { }, "a reply");
        assertThat(reply.getType()).isEqualTo(EventType.REPLY_CREATED);
        assertThat(reply.getAttributes()).containsEntry("category", "general").doesNotContainKey("tags");
    }

    @Test
    void shouldCarryLabelsWhenGitHubIssueOpened() throws Exception {
        WebhookCorpus.Payload issue = corpus("github", "issues.opened.1.json");
        ActivityEvent labelled = documentedThread(issue, "labels", "bug");
        assertThat(labelled.getAttributes()).doesNotContainKey("discussion_category");

        ActivityEvent two = deliver(issue, body -> at(body, "issue").withArray("labels").addObject()
                .put("name", "Office-Hours"), "two labels");
        assertThat(two.getAttributes()).containsEntry("labels", "bug,Office-Hours");

        assertStillMappedWithout(issue, "issue", "labels", "labels", labelled);

        ActivityEvent pull = deliver(corpus("github", "pull_request.opened.1.json"), body -> { },
                "pull request without labels");
        assertThat(pull.getAttributes()).containsEntry("item", "pull_request").doesNotContainKey("labels");
    }

    @Test
    void shouldCarryCategoryWhenGitHubDiscussionCreated() throws Exception {
        WebhookCorpus.Payload discussion = corpus("github", "discussion.created.1.json");
        ActivityEvent filed = documentedThread(discussion, "discussion_category", "General");
        assertStillMappedWithout(discussion, "discussion", "category", "discussion_category", filed);
    }

    @Test
    void shouldCarryChannelWhenSlackMessagePosted() throws Exception {
        WebhookCorpus.Payload message = corpus("slack", "Message.json");
        ActivityEvent thread = deliver(message, body -> {
            at(body, "event").remove("thread_ts");
            body.put("event_id", "EvPLACEMENT1");
        }, "a new thread");
        assertThat(thread.getType()).isEqualTo(EventType.THREAD_CREATED);
        assertThat(thread.getChannel()).isEqualTo("C0LAN2Q65");
        // The Events API names the channel by id only.
        assertThat(thread.getAttributes()).doesNotContainKey("channel_name");

        ActivityEvent reply = deliver(message, body -> body.put("event_id", "EvPLACEMENT2"), "a reply");
        assertThat(reply.getType()).isEqualTo(EventType.REPLY_CREATED);
        assertThat(reply.getChannel()).isEqualTo("C0LAN2Q65");
    }

    @Test
    void shouldSkipTagsOfOtherShapesWithoutRefusingTheTopic() throws Exception {
        ActivityEvent odd = deliver(corpus("discourse", "topic_created.1.json"), body -> {
            ArrayNode tags = at(body, "topic").putArray("tags");
            tags.add(3).addObject().put("name", "events");
            tags.addObject().put("id", 4);
            tags.add(" ");
        }, "tags of mixed shapes");
        assertThat(odd.getAttributes()).containsEntry("tags", "events");
    }
}
