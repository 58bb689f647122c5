package org.communitypulse.ingest.github;

import static org.communitypulse.ingest.webhook.internals.Payloads.object;
import static org.communitypulse.ingest.webhook.internals.Payloads.isoTime;
import static org.communitypulse.ingest.webhook.internals.Payloads.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.importing.FileImporter;
import org.communitypulse.ingest.importing.internals.ImportRun;
import org.communitypulse.ingest.importing.internals.JsonLines;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;

/**
 * Imports GitHub events as JSON lines in the Events API shape, as GH Archive stores them (plain or gzip):
 * {@code {"id","type":"IssuesEvent","actor":{...},"repo":{"id","name"},"payload":{...},"created_at"}}.
 *
 * <p>Each line is turned into the webhook payload it corresponds to ({@code repo} becomes {@code repository}
 * with {@code full_name}, {@code actor} becomes {@code sender}, the type becomes the webhook event name) and
 * mapped by {@link GitHubPayloadMapper}, so an item imported here and received by webhook is one event id.
 * The Events API says {@code created} where the review webhook says {@code submitted}; that is translated.
 * Event types the pipeline does not count (stars, forks, pushes, closes) are skipped and counted by kind.
 */
public final class GitHubArchiveImporter implements FileImporter {

    /** Events API type -> webhook event name. Types not listed are skipped as {@code github:<Type>}. */
    private static final Map<String, String> WEBHOOK_NAMES = Map.ofEntries(
            Map.entry("IssuesEvent", "issues"),
            Map.entry("IssueCommentEvent", "issue_comment"),
            Map.entry("PullRequestEvent", "pull_request"),
            Map.entry("PullRequestReviewEvent", "pull_request_review"),
            Map.entry("PullRequestReviewCommentEvent", "pull_request_review_comment"),
            Map.entry("DiscussionEvent", "discussion"),
            Map.entry("DiscussionCommentEvent", "discussion_comment"),
            Map.entry("MemberEvent", "member"),
            Map.entry("WatchEvent", "watch"),
            Map.entry("ForkEvent", "fork"));

    private final GitHubPayloadMapper mapper;

    public GitHubArchiveImporter(MemberPseudonymiser members) {
        this.mapper = new GitHubPayloadMapper(Objects.requireNonNull(members, "members"));
    }

    @Override
    public ImportSummary run(Path input, String communityId, EventSink sink, ProgressListener progress) {
        if (!Files.isRegularFile(input)) {
            throw new ImportException("No GitHub events file at " + input);
        }
        ImportRun run = new ImportRun(communityId, sink, progress, JsonLines.size(input));
        String file = input.getFileName().toString();
        JsonLines.read(input, run, (line, event) -> run.mapRow(file, line, () -> map(event, communityId)));
        return run.finish();
    }

    /** Maps one Events API object, as the webhook of the same item would be mapped. */
    MappingResult map(JsonNode event, String communityId) {
        String type = text(event, "type");
        String name = WEBHOOK_NAMES.get(type);
        if (name == null) {
            return MappingResult.unmapped("github:" + type);
        }
        Instant at = isoTime(event, "created_at", null);
        if (at == null) {
            throw new MalformedPayloadException("event needs 'created_at'");
        }
        return mapper.map(name, toWebhookPayload(event, name), communityId, at);
    }

    static ObjectNode toWebhookPayload(JsonNode event, String webhookName) {
        JsonNode repo = object(event, "repo");
        // The line's tree is ours and used once: amend it in place rather than copy it.
        ObjectNode payload = (ObjectNode) object(event, "payload");
        ObjectNode repository = JsonNodeFactory.instance.objectNode();
        repository.set("id", repo.get("id"));
        repository.set("full_name", repo.get("name"));
        payload.set("repository", repository);
        payload.set("sender", event.get("actor"));
        if ("pull_request_review".equals(webhookName) && "created".equals(payload.path("action").asText())) {
            payload.put("action", "submitted");
        }
        return payload;
    }
}
