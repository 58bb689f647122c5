package org.communitypulse.ingest.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.communitypulse.ingest.github.GitHubCatchUp.Item;
import org.communitypulse.ingest.github.GitHubCatchUp.Position;
import org.communitypulse.ingest.github.GitHubCatchUp.Stream;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.junit.jupiter.api.Test;

class GitHubCatchUpTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String COMMUNITY = "octo";

    private final GitHubPayloadMapper mapper = new GitHubPayloadMapper(MemberPseudonymiser.none());

    private GitHubCatchUp catchUp(FakeGitHub github) {
        return new GitHubCatchUp(new GitHubApiClient(GitHubApiClient.Settings.of(github.url(), FakeGitHub.TOKEN)),
                new GitHubRestItems(mapper), Clock.systemUTC(), true);
    }

    private static List<String> published(GitHubCatchUp.Read read) {
        return read.items().stream().filter(item -> !item.counted() && !item.isRejected())
                .flatMap(item -> item.mapping().events().stream()).map(ActivityEvent::getEventId).toList();
    }

    private List<String> webhookIds(List<FakeGitHub.Delivery> deliveries) {
        return deliveries.stream().map(d -> mapper.map(d.event(), d.payload(), COMMUNITY, Instant.now()).events()
                .get(0).getEventId()).toList();
    }

    @Test
    void shouldPublishEveryItemOnceWithWebhookIdsWhenReadAgainAfterPosition() throws Exception {
        try (FakeGitHub github = new FakeGitHub(1000, 60_000, 2)) {
            List<FakeGitHub.Delivery> first = List.of(github.open(false, 7, T0), github.open(true, 8, T0),
                    github.comment(1, 9, T0.plusSeconds(5)), github.review(2, 9, T0.plusSeconds(6)),
                    github.reviewComment(2, 7, T0.plusSeconds(7)));
            GitHubCatchUp catchUp = catchUp(github);
            GitHubCatchUp.Read read = catchUp.read(FakeGitHub.FULL_NAME, Position.startingAt(Instant.EPOCH), false,
                    COMMUNITY);
            assertThat(published(read)).containsExactlyInAnyOrderElementsOf(webhookIds(first));

            // Nothing new: nothing published; two items share the newest instant and neither comes back.
            GitHubCatchUp.Read again = catchUp.read(FakeGitHub.FULL_NAME, read.position(), false, COMMUNITY);
            assertThat(published(again)).isEmpty();

            // A new comment at the very instant of the last one is not lost to the equal timestamp.
            FakeGitHub.Delivery same = github.comment(1, 8, T0.plusSeconds(5));
            GitHubCatchUp.Read third = catchUp.read(FakeGitHub.FULL_NAME, again.position(), false, COMMUNITY);
            assertThat(published(third)).contains(webhookIds(List.of(same)).get(0));
        }
    }

    @Test
    void shouldRestartFromOffsetWhenPositionStored() throws Exception {
        try (FakeGitHub github = new FakeGitHub(1000, 60_000, 10)) {
            github.open(false, 7, T0);
            github.open(false, 8, T0);
            GitHubCatchUp catchUp = catchUp(github);
            GitHubCatchUp.Read read = catchUp.read(FakeGitHub.FULL_NAME, Position.startingAt(Instant.EPOCH), false,
                    COMMUNITY);
            Item firstIssue = read.items().get(0);
            Map<String, Object> offset = firstIssue.after().toOffset();
            Position restored = Position.fromOffset(offset, Instant.EPOCH);
            assertThat(restored).isEqualTo(firstIssue.after());
            assertThat(restored.cursor(Stream.ISSUES).seen()).containsExactly("1");

            GitHubCatchUp.Read resumed = catchUp.read(FakeGitHub.FULL_NAME, restored, false, COMMUNITY);
            assertThat(resumed.items()).filteredOn(item -> !item.counted()).extracting(Item::key)
                    .containsExactly("2");
        }
    }

    @Test
    void shouldReturnEarlierItemsOfCursorDayAsCountedWhenRecounting() throws Exception {
        try (FakeGitHub github = new FakeGitHub(1000, 60_000, 10)) {
            github.open(false, 7, T0.minusSeconds(86_400));
            github.open(false, 7, T0);
            github.comment(2, 8, T0.plusSeconds(60));
            GitHubCatchUp catchUp = catchUp(github);
            GitHubCatchUp.Read read = catchUp.read(FakeGitHub.FULL_NAME, Position.startingAt(Instant.EPOCH), false,
                    COMMUNITY);
            assertThat(GitHubCatchUp.countsFrom(read.position())).isEqualTo(LocalDate.of(2026, 12, 1));

            GitHubCatchUp.Read recount = catchUp.read(FakeGitHub.FULL_NAME, read.position(), true, COMMUNITY);
            // Issue 2 and its comment are listed again for counting only; issue 1 (the day before) is not.
            assertThat(recount.items()).filteredOn(Item::counted).extracting(Item::key)
                    .containsExactlyInAnyOrder("2", read.items().get(2).key());
            assertThat(recount.items()).filteredOn(item -> !item.counted()).isEmpty();

            // A new comment moves its issue: both are new, the older comment stays counted only.
            github.comment(2, 9, T0.plusSeconds(120));
            GitHubCatchUp.Read next = catchUp.read(FakeGitHub.FULL_NAME, read.position(), true, COMMUNITY);
            assertThat(next.items()).filteredOn(Item::counted).extracting(Item::key)
                    .containsExactly(read.items().get(2).key());
            assertThat(next.items()).filteredOn(item -> !item.counted()).hasSize(2);
        }
    }

    @Test
    void shouldGiveWebhookIdsWhenDiscussionsAndCommentsReadThroughGraphql() throws Exception {
        try (FakeGitHub github = new FakeGitHub(1000, 60_000, 2)) {
            FakeGitHub.Delivery qa = github.discuss(7, T0, true);
            int number = qa.payload().get("discussion").get("number").asInt();
            FakeGitHub.Delivery answer = github.discussionComment(number, null, 8, T0.plusSeconds(60));
            long answerId = answer.payload().get("comment").get("id").asLong();
            FakeGitHub.Delivery reply = github.discussionComment(number, answerId, 7, T0.plusSeconds(120));
            FakeGitHub.Delivery other = github.discuss(9, T0.plusSeconds(30), false);
            FakeGitHub.Delivery older = github.discuss(9, T0.minusSeconds(30), false);
            GitHubCatchUp catchUp = catchUp(github);
            GitHubCatchUp.Read read = catchUp.read(FakeGitHub.FULL_NAME, Position.startingAt(Instant.EPOCH), false,
                    COMMUNITY);
            assertThat(published(read)).containsExactlyInAnyOrderElementsOf(
                    webhookIds(List.of(qa, answer, reply, other, older)));
            List<ActivityEvent> events = read.items().stream().flatMap(i -> i.mapping().events().stream()).toList();
            assertThat(events).filteredOn(e -> e.getEventId().equals(webhookIds(List.of(answer)).get(0)))
                    .singleElement().satisfies(e -> assertThat(e.getAttributes()).containsEntry("kind", "answer"));

            // Pages of 2, newest update first: the read stops at the cursor; a new reply moves its discussion.
            assertThat(published(catchUp.read(FakeGitHub.FULL_NAME, read.position(), false, COMMUNITY))).isEmpty();
            FakeGitHub.Delivery late = github.discussionComment(number, answerId, 9, T0.plusSeconds(600));
            assertThat(published(catchUp.read(FakeGitHub.FULL_NAME, read.position(), false, COMMUNITY)))
                    .contains(webhookIds(List.of(late)).get(0)).hasSize(4);
        }
    }

    @Test
    void shouldRecountOnlyItemsCreatedSinceWindowStartWithWebhookIdsWhenOlderOnesWereUpdated() throws Exception {
        try (FakeGitHub github = new FakeGitHub(1000, 60_000, 2)) {
            Instant from = Instant.parse("2026-12-02T00:00:00Z");
            github.open(false, 7, from.minusSeconds(60));
            github.open(true, 8, from.minusSeconds(30));
            // Created in the window: a comment and a review on the older items (which moves them into `since`),
            // a new issue, a discussion and its comment.
            List<FakeGitHub.Delivery> inWindow = List.of(github.comment(1, 9, from),
                    github.review(2, 7, from.plusSeconds(3_600)), github.open(false, 9, from.plusSeconds(90_000)));
            FakeGitHub.Delivery discussion = github.discuss(8, from.plusSeconds(100_000), false);
            FakeGitHub.Delivery answer = github.discussionComment(
                    discussion.payload().get("discussion").get("number").asInt(), null, 7,
                    from.plusSeconds(100_060));
            github.edit(1, from.plusSeconds(110_000));

            GitHubCatchUp.Recount recount = catchUp(github).recount(FakeGitHub.FULL_NAME, from, COMMUNITY);
            List<String> expected = webhookIds(inWindow);
            assertThat(recount.days()).containsOnlyKeys(LocalDate.parse("2026-12-02"), LocalDate.parse("2026-12-03"));
            assertThat(recount.days().get(LocalDate.parse("2026-12-02")))
                    .containsExactlyInAnyOrder(expected.get(0), expected.get(1));
            assertThat(recount.days().get(LocalDate.parse("2026-12-03"))).containsExactlyInAnyOrder(expected.get(2),
                    webhookIds(List.of(discussion)).get(0), webhookIds(List.of(answer)).get(0));
            assertThat(github.requests()).filteredOn(r -> r.pathAndQuery().contains("since="))
                    .hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(r -> assertThat(r.pathAndQuery()).contains("since=" + from));
        }
    }
}
