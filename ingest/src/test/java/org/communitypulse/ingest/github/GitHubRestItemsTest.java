package org.communitypulse.ingest.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.communitypulse.ingest.EventIds;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.Test;

/**
 * A polled item gives exactly the event of its webhook delivery: the webhook path maps a documented delivery, the
 * poll path maps only what the API lists for it (the embedded object, the repository), and the two must be equal.
 */
class GitHubRestItemsTest {

    private static final String COMMUNITY = "octo";
    /** Webhook and poll arrive at different times: occurredAt must come from the item, not from arrival. */
    private static final Instant DELIVERED = Instant.parse("2024-06-01T00:00:00Z");
    private static final Instant POLLED = Instant.parse("2024-06-02T12:00:00Z");

    private final GitHubPayloadMapper mapper = new GitHubPayloadMapper(MemberPseudonymiser.fromKey("k".repeat(32), "key", null, "file"));
    private final GitHubRestItems items = new GitHubRestItems(mapper);

    private ActivityEvent delivered(String event, JsonNode payload) {
        MappingResult result = mapper.map(event, payload, COMMUNITY, DELIVERED);
        assertThat(result.events()).hasSize(1);
        return result.events().get(0);
    }

    private static ActivityEvent polled(MappingResult result) {
        assertThat(result.events()).hasSize(1);
        return result.events().get(0);
    }

    @Test
    void shouldGiveWebhookEventWhenIssueListed() {
        JsonNode delivery = GitHubPollFixtures.webhook("issues.opened");
        ActivityEvent polled = polled(items.issue(delivery.get("repository"), delivery.get("issue"), COMMUNITY,
                POLLED));
        assertThat(polled).isEqualTo(delivered("issues", delivery));
        assertThat(polled.getEventId()).isEqualTo(EventIds.of(SourcePlatform.GITHUB, COMMUNITY, "thread",
                "186853002#1"));
        // The labels the programmed-content rules read arrive by both paths.
        assertThat(polled.getAttributes()).containsEntry("labels", "bug");
    }

    @Test
    void shouldGiveWebhookEventWhenPullRequestListedAmongIssues() {
        JsonNode delivery = GitHubPollFixtures.webhook("pull_request.opened");
        JsonNode pull = delivery.get("pull_request");
        // GET /issues lists a pull request in the issue shape: its number, user and times, and a pull_request link.
        ObjectNode listed = ((ObjectNode) pull.deepCopy()).retain("id", "node_id", "number", "title", "user", "state",
                "created_at", "updated_at", "author_association");
        listed.putObject("pull_request").put("url", pull.get("url").asText()).put("html_url",
                pull.get("html_url").asText());
        ActivityEvent polled = polled(items.issue(delivery.get("repository"), listed, COMMUNITY, POLLED));
        assertThat(polled).isEqualTo(delivered("pull_request", delivery));
        assertThat(polled.getAttributes()).containsEntry("item", "pull_request");
    }

    @Test
    void shouldGiveWebhookEventWhenIssueCommentListed() {
        JsonNode delivery = GitHubPollFixtures.webhook("issue_comment.created");
        ActivityEvent polled = polled(items.issueComment(delivery.get("repository"), delivery.get("comment"),
                COMMUNITY, POLLED));
        assertThat(polled).isEqualTo(delivered("issue_comment", delivery));
        assertThat(polled.getThreadId()).isEqualTo("Codertocat/Hello-World#1");
        assertThat(polled.getAttributes()).containsEntry("item", "issue");
    }

    @Test
    void shouldTellPullRequestCommentFromHtmlUrlWhenIssueCommentListed() {
        ObjectNode delivery = GitHubPollFixtures.webhook("issue_comment.created").deepCopy();
        ObjectNode comment = (ObjectNode) delivery.get("comment");
        comment.put("html_url", "https://github.com/Codertocat/Hello-World/pull/1#issuecomment-492700400");
        ((ObjectNode) delivery.get("issue")).putObject("pull_request")
                .put("html_url", "https://github.com/Codertocat/Hello-World/pull/1");
        ActivityEvent polled = polled(items.issueComment(delivery.get("repository"), comment, COMMUNITY, POLLED));
        assertThat(polled).isEqualTo(delivered("issue_comment", delivery));
        assertThat(polled.getAttributes()).containsEntry("item", "pull_request");
    }

    @Test
    void shouldGiveWebhookEventWhenReviewListed() {
        JsonNode delivery = GitHubPollFixtures.webhook("pull_request_review.submitted");
        ActivityEvent polled = polled(items.review(delivery.get("repository"),
                delivery.get("pull_request").get("number").asLong(), delivery.get("review"), COMMUNITY, POLLED));
        assertThat(polled).isEqualTo(delivered("pull_request_review", delivery));
    }

    @Test
    void shouldGiveWebhookEventWhenReviewCommentListed() {
        JsonNode delivery = GitHubPollFixtures.webhook("pull_request_review_comment.created");
        ActivityEvent polled = polled(items.reviewComment(delivery.get("repository"), delivery.get("comment"),
                COMMUNITY, POLLED));
        assertThat(polled).isEqualTo(delivered("pull_request_review_comment", delivery));
        assertThat(polled.getType()).isEqualTo(EventType.REPLY_CREATED);
    }

    @Test
    void shouldGiveWebhookEventsWhenDiscussionAndCommentReadThroughGraphql() {
        JsonNode node = GitHubPollFixtures.json("graphql/discussions.json").at("/data/repository/discussions/nodes/0");
        JsonNode created = GitHubPollFixtures.webhook("discussion.created");
        ObjectNode discussion = GitHubRestItems.discussionFromGraphql(node);
        ActivityEvent thread = polled(items.discussion(created.get("repository"), discussion, COMMUNITY, POLLED));
        assertThat(thread).isEqualTo(delivered("discussion", created));
        assertThat(thread.getAttributes()).containsEntry("discussion_category", "General")
                .doesNotContainKey("labels");

        JsonNode commented = GitHubPollFixtures.webhook("discussion_comment.created");
        JsonNode comment = GitHubRestItems.discussionCommentFromGraphql(node.at("/comments/nodes/0"));
        assertThat(polled(items.discussionComment(commented.get("repository"), discussion, comment, COMMUNITY,
                POLLED))).isEqualTo(delivered("discussion_comment", commented));
        assertThat(delivered("discussion_comment", commented).getAttributes())
                .containsEntry("discussion_category", "General");
    }

    /** The other direction: GitHub's documented REST answers, wrapped as their webhook would carry them. */
    @Test
    void shouldGiveSameEventsWhenDocumentedRestAnswersArriveAsWebhooks() {
        JsonNode repository = GitHubPollFixtures.rest("repository");
        JsonNode issue = GitHubPollFixtures.rest("issues").get(0);
        ObjectNode pullDelivery = webhook("opened", repository);
        pullDelivery.set("pull_request", issue);
        ActivityEvent thread = polled(items.issue(repository, issue, COMMUNITY, POLLED));
        assertThat(thread).isEqualTo(delivered("pull_request", pullDelivery));
        assertThat(thread.getEventId()).isEqualTo(EventIds.of(SourcePlatform.GITHUB, COMMUNITY, "thread",
                "1296269#1347"));
        assertThat(thread.getAttributes()).containsEntry("labels", "bug");

        JsonNode comment = GitHubPollFixtures.rest("issues-comments").get(0);
        ObjectNode commentDelivery = webhook("created", repository);
        commentDelivery.putObject("issue").put("number", 1347);
        commentDelivery.set("comment", comment);
        ActivityEvent reply = polled(items.issueComment(repository, comment, COMMUNITY, POLLED));
        assertThat(reply).isEqualTo(delivered("issue_comment", commentDelivery));
        assertThat(reply.getThreadId()).isEqualTo("octocat/Hello-World#1347");

        JsonNode reviewComment = GitHubPollFixtures.rest("pulls-comments").get(0);
        ObjectNode reviewCommentDelivery = webhook("created", repository);
        reviewCommentDelivery.putObject("pull_request").put("number", 1);
        reviewCommentDelivery.set("comment", reviewComment);
        assertThat(polled(items.reviewComment(repository, reviewComment, COMMUNITY, POLLED)))
                .isEqualTo(delivered("pull_request_review_comment", reviewCommentDelivery));

        JsonNode review = GitHubPollFixtures.rest("pulls-1-reviews").get(0);
        ObjectNode reviewDelivery = webhook("submitted", repository);
        reviewDelivery.putObject("pull_request").put("number", 12);
        reviewDelivery.set("review", review);
        ActivityEvent approved = polled(items.review(repository, 12, review, COMMUNITY, POLLED));
        assertThat(approved).isEqualTo(delivered("pull_request_review", reviewDelivery));
        assertThat(approved.getAttributes()).containsEntry("state", "approved");
    }

    @Test
    void shouldSkipPendingReviewWhenNotSubmitted() {
        ObjectNode review = GitHubPollFixtures.rest("pulls-1-reviews").get(0).deepCopy();
        review.put("state", "PENDING");
        review.remove("submitted_at");
        assertThat(items.review(GitHubPollFixtures.rest("repository"), 12, review, COMMUNITY, POLLED).isUnmapped())
                .isTrue();
    }

    @Test
    void shouldRejectCommentWhenIssueLinkMissing() {
        ObjectNode comment = GitHubPollFixtures.rest("issues-comments").get(0).deepCopy();
        comment.put("issue_url", "https://api.github.com/repos/octocat/Hello-World");
        assertThatThrownBy(() -> items.issueComment(GitHubPollFixtures.rest("repository"), comment, COMMUNITY,
                POLLED)).isInstanceOf(MalformedPayloadException.class).hasMessageContaining("issue_url");
    }

    private static ObjectNode webhook(String action, JsonNode repository) {
        ObjectNode payload = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        payload.put("action", action);
        payload.set("repository", repository);
        return payload;
    }
}
