package org.communitypulse.ingest.github;

import static org.communitypulse.ingest.webhook.internals.Payloads.flag;
import static org.communitypulse.ingest.webhook.internals.Payloads.isoTime;
import static org.communitypulse.ingest.webhook.internals.Payloads.object;
import static org.communitypulse.ingest.webhook.internals.Payloads.optNames;
import static org.communitypulse.ingest.webhook.internals.Payloads.optObject;
import static org.communitypulse.ingest.webhook.internals.Payloads.optText;
import static org.communitypulse.ingest.webhook.internals.Payloads.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.PayloadMapper;
import org.communitypulse.ingest.webhook.WebhookSource;
import org.communitypulse.ingest.webhook.internals.EventFactory;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * GitHub webhook payloads ({@code X-GitHub-Event} names the event, the body's {@code action} the change).
 *
 * <p>Issues, pull requests and discussions share one number sequence per repository, so a thread is
 * {@code <owner>/<repo>#<number>} for all three, and its event id uses item kind {@code thread} with
 * {@code <repository id>#<number>} (repository ids survive renames). Replies use the platform's comment or review
 * id. Edits map to the creation's event id, flagged {@code edited=true}. Member ids are GitHub's numeric user ids.
 */
public final class GitHubPayloadMapper implements PayloadMapper {

    private final EventFactory events;

    public GitHubPayloadMapper(MemberPseudonymiser members) {
        this.events = new EventFactory(SourcePlatform.GITHUB, Objects.requireNonNull(members, "members"));
    }

    @Override
    public WebhookSource source() {
        return WebhookSource.GITHUB;
    }

    @Override
    public MappingResult map(String eventName, JsonNode payload, String communityId, Instant receivedAt) {
        if (payload == null || !payload.isObject()) {
            throw new MalformedPayloadException("payload must be a JSON object");
        }
        String event = eventName == null || eventName.isEmpty() ? "(no event)" : eventName;
        String action = optText(payload, "action");
        String key = event + (action == null ? "" : "." + action);
        Context context = new Context(communityId, receivedAt, payload, key);
        return switch (key) {
            case "issues.opened", "issues.edited" -> thread(object(payload, "issue"), "issue", context);
            case "pull_request.opened", "pull_request.edited" ->
                    thread(object(payload, "pull_request"), "pull_request", context);
            case "discussion.created", "discussion.edited" ->
                    thread(object(payload, "discussion"), "discussion", context);
            case "issue_comment.created", "issue_comment.edited" -> issueComment(context);
            case "pull_request_review.submitted", "pull_request_review.edited" -> review(context);
            case "pull_request_review_comment.created", "pull_request_review_comment.edited" -> reviewComment(context);
            case "discussion_comment.created", "discussion_comment.edited" -> discussionComment(context);
            case "discussion.answered" -> answered(context);
            case "organization.member_added", "organization.member_removed" -> orgMember(context);
            case "membership.added", "membership.removed" -> teamMember(context);
            case "member.added", "member.removed" -> collaborator(context);
            default -> MappingResult.unmapped("github:" + key);
        };
    }

    private record Context(String community, Instant receivedAt, JsonNode payload, String key) {
        boolean edited() {
            return key.endsWith(".edited");
        }
    }

    private static String userId(JsonNode parent, String field) {
        return text(object(parent, field), "id");
    }

    private static JsonNode repository(Context context) {
        return object(context.payload(), "repository");
    }

    private static String threadId(JsonNode repository, JsonNode item) {
        return text(repository, "full_name") + "#" + text(item, "number");
    }

    private static String threadItem(JsonNode repository, JsonNode item) {
        return text(repository, "id") + "#" + text(item, "number");
    }

    private Map<String, String> attributes(Context context, String... pairs) {
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                attributes.put(pairs[i], pairs[i + 1]);
            }
        }
        if (context.edited()) {
            attributes.put("edited", "true");
        }
        return attributes;
    }

    /**
     * Where a thread is filed, for the programmed-content rules (docs/maturity.md): {@code labels} the names of
     * the issue's, pull request's or discussion's labels, comma-separated, and {@code discussion_category} a
     * discussion's category name.
     */
    private static Map<String, String> placed(Map<String, String> attributes, JsonNode item) {
        String labels = optNames(item, "labels");
        if (labels != null) {
            attributes.put("labels", labels);
        }
        return categorised(attributes, item);
    }

    /**
     * A discussion's category name. Discussion comments carry it too: the webhook and the poller's GraphQL
     * both embed the discussion's category, where the labels of a thread reach only some paths of its replies.
     */
    private static Map<String, String> categorised(Map<String, String> attributes, JsonNode item) {
        String category = optText(optObject(item, "category"), "name");
        if (category != null) {
            attributes.put("discussion_category", category);
        }
        return attributes;
    }

    private MappingResult thread(JsonNode item, String itemType, Context context) {
        JsonNode repository = repository(context);
        return MappingResult.mapped(events.event(context.community(), "thread", threadItem(repository, item),
                EventType.THREAD_CREATED, userId(item, "user"), threadId(repository, item), null,
                isoTime(item, "created_at", context.receivedAt()), text(repository, "full_name"),
                placed(attributes(context, "item", itemType), item)));
    }

    private MappingResult issueComment(Context context) {
        JsonNode repository = repository(context);
        JsonNode issue = object(context.payload(), "issue");
        JsonNode comment = object(context.payload(), "comment");
        String thread = threadId(repository, issue);
        // Comments on pull requests arrive as issue_comment too; the issue carries a pull_request link then.
        String on = optObject(issue, "pull_request") != null ? "pull_request" : "issue";
        return MappingResult.mapped(events.event(context.community(), "issue_comment", text(comment, "id"),
                EventType.REPLY_CREATED, userId(comment, "user"), thread, thread,
                isoTime(comment, "created_at", context.receivedAt()), text(repository, "full_name"),
                attributes(context, "kind", "comment", "item", on)));
    }

    private MappingResult review(Context context) {
        JsonNode repository = repository(context);
        JsonNode pull = object(context.payload(), "pull_request");
        JsonNode review = object(context.payload(), "review");
        String thread = threadId(repository, pull);
        String state = optText(review, "state");
        return MappingResult.mapped(events.event(context.community(), "pull_request_review", text(review, "id"),
                EventType.REPLY_CREATED, userId(review, "user"), thread, thread,
                isoTime(review, "submitted_at", context.receivedAt()), text(repository, "full_name"),
                attributes(context, "kind", "review", "item", "pull_request",
                        "state", state == null ? null : state.toLowerCase(Locale.ROOT))));
    }

    private MappingResult reviewComment(Context context) {
        JsonNode repository = repository(context);
        JsonNode pull = object(context.payload(), "pull_request");
        JsonNode comment = object(context.payload(), "comment");
        String thread = threadId(repository, pull);
        String parent = optText(comment, "in_reply_to_id");
        return MappingResult.mapped(events.event(context.community(), "pull_request_review_comment",
                text(comment, "id"), EventType.REPLY_CREATED, userId(comment, "user"), thread,
                parent != null ? parent : thread, isoTime(comment, "created_at", context.receivedAt()),
                text(repository, "full_name"), attributes(context, "kind", "review_comment", "item", "pull_request")));
    }

    private MappingResult discussionComment(Context context) {
        JsonNode repository = repository(context);
        JsonNode discussion = object(context.payload(), "discussion");
        JsonNode comment = object(context.payload(), "comment");
        String thread = threadId(repository, discussion);
        String parent = optText(comment, "parent_id");
        // In a Q&A category a top-level comment is a candidate answer; nested ones are remarks on it.
        boolean answer = parent == null && flag(optObject(discussion, "category"), "is_answerable");
        return MappingResult.mapped(events.event(context.community(), "discussion_comment", text(comment, "id"),
                EventType.REPLY_CREATED, userId(comment, "user"), thread, parent != null ? parent : thread,
                isoTime(comment, "created_at", context.receivedAt()), text(repository, "full_name"),
                categorised(attributes(context, "kind", answer ? "answer" : "comment", "item", "discussion"),
                        discussion)));
    }

    private MappingResult answered(Context context) {
        JsonNode repository = repository(context);
        JsonNode discussion = object(context.payload(), "discussion");
        JsonNode answer = object(context.payload(), "answer");
        String answerId = text(answer, "id");
        // The actor is who accepted (the sender), as with accepted answers elsewhere.
        return MappingResult.mapped(events.event(context.community(), "answer_accepted",
                text(discussion, "id") + "/" + answerId, EventType.ANSWER_ACCEPTED,
                userId(context.payload(), "sender"), threadId(repository, discussion), answerId,
                isoTime(discussion, "answer_chosen_at", context.receivedAt()), text(repository, "full_name"),
                attributes(context, "item", "discussion")));
    }

    private MappingResult orgMember(Context context) {
        JsonNode organization = object(context.payload(), "organization");
        JsonNode membership = object(context.payload(), "membership");
        String user = userId(membership, "user");
        boolean added = context.key().endsWith("member_added");
        String login = text(organization, "login");
        return MappingResult.mapped(events.event(context.community(), "org_member",
                (added ? "added/" : "removed/") + text(organization, "id") + "/" + user,
                added ? EventType.MEMBER_JOINED : EventType.MEMBER_LEFT, user, null, null, context.receivedAt(),
                login, Map.of("scope", "organization")));
    }

    private MappingResult teamMember(Context context) {
        JsonNode team = object(context.payload(), "team");
        String user = userId(context.payload(), "member");
        boolean added = context.key().endsWith(".added");
        // A deleted team arrives as {id, name, deleted}: no slug, but its id and name still say which role ended.
        String slug = optText(team, "slug");
        if (slug == null) {
            slug = text(team, "name");
        }
        JsonNode organization = optObject(context.payload(), "organization");
        return MappingResult.mapped(events.event(context.community(), "team_member",
                (added ? "added/" : "removed/") + text(team, "id") + "/" + user,
                added ? EventType.ROLE_GRANTED : EventType.ROLE_REVOKED, user, null, null, context.receivedAt(),
                optText(organization, "login"), Map.of("role", "team:" + slug)));
    }

    private MappingResult collaborator(Context context) {
        JsonNode repository = repository(context);
        String user = userId(context.payload(), "member");
        boolean added = context.key().endsWith(".added");
        String repo = text(repository, "full_name");
        return MappingResult.mapped(events.event(context.community(), "collaborator",
                (added ? "added/" : "removed/") + text(repository, "id") + "/" + user,
                added ? EventType.ROLE_GRANTED : EventType.ROLE_REVOKED, user, null, null, context.receivedAt(), repo,
                Map.of("role", "collaborator")));
    }
}
