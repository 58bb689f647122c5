package org.communitypulse.ingest.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;

/**
 * Maps objects read from GitHub's API through {@link GitHubPayloadMapper}, so that a polled item yields exactly
 * the event (id, type, member, thread, time) of its webhook delivery.
 *
 * <p>A webhook payload embeds the same {@code issue}, {@code pull_request}, {@code comment} and {@code review}
 * objects as the REST API returns, beside the {@code repository}; this class builds that envelope around the REST
 * object. Where the REST object only links its parent (a comment's {@code issue_url}, a review comment's
 * {@code pull_request_url}), the parent's number is taken from the link; an issue comment is on a pull request
 * when its {@code html_url} says {@code /pull/}. Discussions come from GraphQL and are first turned into the
 * webhook's snake_case shape ({@link #discussionFromGraphql}).
 */
public final class GitHubRestItems {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final GitHubPayloadMapper mapper;

    public GitHubRestItems(GitHubPayloadMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** An element of {@code GET /repos/{o}/{r}/issues}: an issue, or a pull request when it has {@code pull_request}. */
    public MappingResult issue(JsonNode repository, JsonNode issue, String community, Instant readAt) {
        boolean pull = issue.hasNonNull("pull_request");
        ObjectNode payload = envelope("opened", repository);
        payload.set(pull ? "pull_request" : "issue", issue);
        return mapper.map(pull ? "pull_request" : "issues", payload, community, readAt);
    }

    /** An element of {@code GET /repos/{o}/{r}/issues/comments}. */
    public MappingResult issueComment(JsonNode repository, JsonNode comment, String community, Instant readAt) {
        ObjectNode issue = NODES.objectNode();
        issue.put("number", numberAfter(comment, "issue_url", "/issues/"));
        if (comment.path("html_url").asText("").contains("/pull/")) {
            issue.putObject("pull_request").put("html_url", comment.path("html_url").asText());
        }
        ObjectNode payload = envelope("created", repository);
        payload.set("issue", issue);
        payload.set("comment", comment);
        return mapper.map("issue_comment", payload, community, readAt);
    }

    /** An element of {@code GET /repos/{o}/{r}/pulls/comments}. */
    public MappingResult reviewComment(JsonNode repository, JsonNode comment, String community, Instant readAt) {
        ObjectNode payload = envelope("created", repository);
        payload.putObject("pull_request").put("number", numberAfter(comment, "pull_request_url", "/pulls/"));
        payload.set("comment", comment);
        return mapper.map("pull_request_review_comment", payload, community, readAt);
    }

    /**
     * An element of {@code GET /repos/{o}/{r}/pulls/{number}/reviews}; a pending review (not submitted, visible to
     * its author only) is no activity yet and maps to nothing, as it sends no webhook.
     */
    public MappingResult review(JsonNode repository, long pullNumber, JsonNode review, String community,
                                Instant readAt) {
        if ("PENDING".equalsIgnoreCase(review.path("state").asText()) || !review.hasNonNull("submitted_at")) {
            return MappingResult.unmapped("github:pull_request_review.pending");
        }
        ObjectNode payload = envelope("submitted", repository);
        payload.putObject("pull_request").put("number", pullNumber);
        payload.set("review", review);
        return mapper.map("pull_request_review", payload, community, readAt);
    }

    /** A discussion in webhook shape ({@link #discussionFromGraphql}). */
    public MappingResult discussion(JsonNode repository, JsonNode discussion, String community, Instant readAt) {
        ObjectNode payload = envelope("created", repository);
        payload.set("discussion", discussion);
        return mapper.map("discussion", payload, community, readAt);
    }

    /** A discussion comment in webhook shape ({@link #discussionCommentFromGraphql}). */
    public MappingResult discussionComment(JsonNode repository, JsonNode discussion, JsonNode comment,
                                           String community, Instant readAt) {
        ObjectNode payload = envelope("created", repository);
        payload.set("discussion", discussion);
        payload.set("comment", comment);
        return mapper.map("discussion_comment", payload, community, readAt);
    }

    /**
     * A GraphQL {@code Discussion} ({@code number createdAt updatedAt author { ... on User { databaseId login } }
     * category { isAnswerable name } labels { nodes { name } }}) in the webhook's shape.
     */
    public static ObjectNode discussionFromGraphql(JsonNode node) {
        ObjectNode discussion = NODES.objectNode();
        discussion.set("number", node.path("number"));
        discussion.set("created_at", node.path("createdAt"));
        discussion.set("updated_at", node.path("updatedAt"));
        discussion.set("user", user(node.path("author")));
        ObjectNode category = discussion.putObject("category");
        category.put("is_answerable", node.path("category").path("isAnswerable").asBoolean(false));
        if (node.path("category").path("name").isTextual()) {
            category.set("name", node.path("category").path("name"));
        }
        // GraphQL wraps connections in nodes; the webhook has the label objects themselves.
        JsonNode labels = node.path("labels").path("nodes");
        if (labels.isArray()) {
            discussion.set("labels", labels);
        }
        return discussion;
    }

    /** A GraphQL {@code DiscussionComment} ({@code databaseId createdAt author replyTo { databaseId }}). */
    public static ObjectNode discussionCommentFromGraphql(JsonNode node) {
        ObjectNode comment = NODES.objectNode();
        comment.set("id", node.path("databaseId"));
        comment.set("created_at", node.path("createdAt"));
        comment.set("updated_at", node.path("updatedAt"));
        comment.set("user", user(node.path("author")));
        JsonNode parent = node.path("replyTo").path("databaseId");
        if (!parent.isMissingNode() && !parent.isNull()) {
            comment.set("parent_id", parent);
        }
        return comment;
    }

    /** A GraphQL actor as the webhook's user; a deleted author (null) stays null and the mapper rejects it. */
    private static JsonNode user(JsonNode author) {
        if (!author.isObject() || !author.hasNonNull("databaseId")) {
            return NODES.nullNode();
        }
        ObjectNode user = NODES.objectNode();
        user.set("id", author.get("databaseId"));
        user.set("login", author.path("login"));
        return user;
    }

    private static ObjectNode envelope(String action, JsonNode repository) {
        ObjectNode payload = NODES.objectNode();
        payload.put("action", action);
        payload.set("repository", repository);
        return payload;
    }

    /** The number after {@code marker} in the link {@code field}, e.g. 1347 of {@code .../issues/1347}. */
    static long numberAfter(JsonNode item, String field, String marker) {
        String url = item.path(field).asText("");
        int at = url.lastIndexOf(marker);
        String tail = at < 0 ? "" : url.substring(at + marker.length());
        int end = 0;
        while (end < tail.length() && Character.isDigit(tail.charAt(end))) {
            end++;
        }
        if (end == 0) {
            throw new MalformedPayloadException("'" + field + "' must link " + marker + "<number>, was '" + url + "'");
        }
        return Long.parseLong(tail.substring(0, end));
    }
}
