package org.communitypulse.ingest.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
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

class GitHubPayloadMapperTest {

    private static final String COMMUNITY = "octo";
    private static final Instant RECEIVED = Instant.parse("2024-06-01T00:00:00Z");

    private final GitHubPayloadMapper mapper = new GitHubPayloadMapper(MemberPseudonymiser.none());

    private ActivityEvent single(String sample) {
        String event = sample.contains(".") ? sample.substring(0, sample.indexOf('.')) : sample;
        MappingResult result = mapper.map(event, WebhookSamples.json("github", sample), COMMUNITY, RECEIVED);
        assertThat(result.events()).hasSize(1);
        return result.events().get(0);
    }

    @Test
    void shouldStartThreadKeyedByRepositoryAndNumberWhenIssueOpened() {
        ActivityEvent event = single("issues.opened");
        assertThat(event.getType()).isEqualTo(EventType.THREAD_CREATED);
        assertThat(event.getEventId())
                .isEqualTo(EventIds.of(SourcePlatform.GITHUB, COMMUNITY, "thread", "186853002#1"));
        assertThat(event.getThreadId()).isEqualTo("Codertocat/Hello-World#1");
        assertThat(event.getChannel()).isEqualTo("Codertocat/Hello-World");
        assertThat(event.getActorId()).isEqualTo("21031067");
        assertThat(event.getAttributes()).containsEntry("item", "issue");
        assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2019-05-15T15:20:18Z"));
    }

    @Test
    void shouldKeepCreationIdWhenIssueEdited() {
        ObjectNode payload = (ObjectNode) WebhookSamples.json("github", "issues.opened");
        payload.put("action", "edited");
        ActivityEvent edited = mapper.map("issues", payload, COMMUNITY, RECEIVED).events().get(0);
        assertThat(edited.getEventId()).isEqualTo(single("issues.opened").getEventId());
        assertThat(edited.getAttributes()).containsEntry("edited", "true");
    }

    @Test
    void shouldReplyAsCommentInIssueThreadWhenIssueCommentCreated() {
        ActivityEvent event = single("issue_comment.created");
        assertThat(event.getType()).isEqualTo(EventType.REPLY_CREATED);
        assertThat(event.getThreadId()).isEqualTo("Codertocat/Hello-World#1");
        assertThat(event.getAttributes()).containsEntry("kind", "comment").containsEntry("item", "issue");
        assertThat(event.getEventId())
                .isEqualTo(EventIds.of(SourcePlatform.GITHUB, COMMUNITY, "issue_comment", "492700400"));
    }

    @Test
    void shouldStartThreadWhenPullRequestOpened() {
        ActivityEvent event = single("pull_request.opened");
        assertThat(event.getType()).isEqualTo(EventType.THREAD_CREATED);
        assertThat(event.getThreadId()).isEqualTo("Codertocat/Hello-World#2");
        assertThat(event.getAttributes()).containsEntry("item", "pull_request");
    }

    @Test
    void shouldReplyAsReviewWhenReviewSubmitted() {
        ActivityEvent event = single("pull_request_review.submitted");
        assertThat(event.getType()).isEqualTo(EventType.REPLY_CREATED);
        assertThat(event.getThreadId()).isEqualTo("Codertocat/Hello-World#2");
        assertThat(event.getAttributes()).containsEntry("kind", "review").containsEntry("state", "commented");
        assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2019-05-15T15:20:38Z"));
    }

    @Test
    void shouldStartThreadWhenDiscussionCreated() {
        ActivityEvent event = single("discussion.created");
        assertThat(event.getType()).isEqualTo(EventType.THREAD_CREATED);
        assertThat(event.getThreadId()).isEqualTo("octo-org/octo-repo#90");
        assertThat(event.getAttributes()).containsEntry("item", "discussion");
    }

    @Test
    void shouldReplyAsAnswerWhenTopLevelCommentInAnswerableCategory() {
        ActivityEvent event = single("discussion_comment.created");
        assertThat(event.getType()).isEqualTo(EventType.REPLY_CREATED);
        assertThat(event.getAttributes()).containsEntry("kind", "answer");
        ObjectNode nested = (ObjectNode) WebhookSamples.json("github", "discussion_comment.created");
        ((ObjectNode) nested.get("comment")).put("parent_id", 1018);
        ActivityEvent remark = mapper.map("discussion_comment", nested, COMMUNITY, RECEIVED).events().get(0);
        assertThat(remark.getAttributes()).containsEntry("kind", "comment");
        assertThat(remark.getParentId()).isEqualTo("1018");
    }

    @Test
    void shouldAcceptAnswerWhenDiscussionAnswered() {
        ActivityEvent event = single("discussion.answered");
        assertThat(event.getType()).isEqualTo(EventType.ANSWER_ACCEPTED);
        assertThat(event.getParentId()).isEqualTo("1019");
        assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2021-03-14T20:21:47Z"));
    }

    @Test
    void shouldMapMembershipWhenOrganizationMemberAdded() {
        ActivityEvent event = single("organization.member_added");
        assertThat(event.getType()).isEqualTo(EventType.MEMBER_JOINED);
        assertThat(event.getActorId()).isEqualTo("39652351");
        assertThat(event.getChannel()).isEqualTo("Octocoders");
    }

    @Test
    void shouldGrantAndRevokeTeamRoleWhenMembershipChanges() {
        ActivityEvent granted = single("membership.added");
        assertThat(granted.getType()).isEqualTo(EventType.ROLE_GRANTED);
        assertThat(granted.getAttributes()).containsEntry("role", "team:contractors");
        ObjectNode payload = (ObjectNode) WebhookSamples.json("github", "membership.added");
        payload.put("action", "removed");
        ActivityEvent revoked = mapper.map("membership", payload, COMMUNITY, RECEIVED).events().get(0);
        assertThat(revoked.getType()).isEqualTo(EventType.ROLE_REVOKED);
        assertThat(revoked.getAttributes()).containsEntry("role", "team:contractors");
    }

    @Test
    void shouldRevokeTeamRoleWhenMembershipRemovedFromDeletedTeam() throws IOException {
        // GitHub's own example: a deleted team is sent as {id, name, deleted} without its slug.
        JsonNode payload;
        try (InputStream in = getClass().getResourceAsStream("/webhook-corpus/github/membership.removed.3.json")) {
            payload = new ObjectMapper().readTree(in);
        }
        ActivityEvent revoked = mapper.map("membership", payload, COMMUNITY, RECEIVED).events().get(0);
        assertThat(revoked.getType()).isEqualTo(EventType.ROLE_REVOKED);
        assertThat(revoked.getAttributes()).containsEntry("role", "team:github");
        assertThat(revoked.getEventId()).isEqualTo(EventIds.of(SourcePlatform.GITHUB, COMMUNITY, "team_member",
                "removed/3253328/21031067"));
    }

    @Test
    void shouldThrowMalformedPayloadWhenDateIsBeyondWhatAnEventCanHold() {
        // Java parses years up to 999999999, but an event's time is epoch milliseconds: such a date would make
        // the event unencodable at publication, after the mapper said it was fine.
        for (String date : List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z")) {
            ObjectNode payload = (ObjectNode) WebhookSamples.json("github", "issue_comment.created");
            ((ObjectNode) payload.get("comment")).put("created_at", date);
            assertThatThrownBy(() -> mapper.map("issue_comment", payload, COMMUNITY, RECEIVED))
                    .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("created_at");
        }
    }

    @Test
    void shouldReportUnmappedWhenPing() {
        MappingResult result = mapper.map("ping", WebhookSamples.json("github", "ping"), COMMUNITY, RECEIVED);
        assertThat(result.unmapped()).isEqualTo("github:ping");
    }

    @Test
    void shouldThrowMalformedPayloadWhenCommentLacksUser() {
        ObjectNode payload = (ObjectNode) WebhookSamples.json("github", "issue_comment.created");
        ((ObjectNode) payload.get("comment")).remove("user");
        assertThatThrownBy(() -> mapper.map("issue_comment", payload, COMMUNITY, RECEIVED))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("user");
    }
}
