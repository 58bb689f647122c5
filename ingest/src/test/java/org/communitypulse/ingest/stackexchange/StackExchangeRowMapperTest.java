package org.communitypulse.ingest.stackexchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.communitypulse.ingest.EventIds;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StackExchangeRowMapperTest {

    private static final String COMMUNITY = "bicycles.meta";
    /** Questions 1 and 2; answer 3 belongs to 1, answer 8 to 2; anything else is unknown. */
    private static final Map<Integer, Integer> THREADS = Map.of(1, 1, 2, 2, 3, 1, 8, 2);

    /** Answer 3 was written by user 47 and question 1 by user 21; answer 8's author is deleted. */
    private static final Map<Integer, String> OWNERS = Map.of(1, "21", 3, "47");

    private final StackExchangeRowMapper mapper = new StackExchangeRowMapper(COMMUNITY,
            postId -> THREADS.getOrDefault(postId, -1), OWNERS::get);

    private RowOutcome map(DumpFile file, String line) {
        return mapper.mapLine(file, line);
    }

    private ActivityEvent event(DumpFile file, String line) throws Exception {
        RowOutcome outcome = map(file, line);
        assertThat(outcome).isInstanceOf(RowOutcome.Mapped.class);
        return ((RowOutcome.Mapped) outcome).event();
    }

    private static String id(String kind, String rowId) {
        return EventIds.of(SourcePlatform.STACK_EXCHANGE, COMMUNITY, kind, rowId);
    }

    @Test
    void shouldRejectALineThatIsNotOneRowElement() {
        assertThat(map(DumpFile.USERS, "<row Id=\"1\" CreationDate=\"2010-08-25T18:10:17.000\"")).isInstanceOf(
                RowOutcome.Rejected.class);
        assertThat(map(DumpFile.USERS, "<user Id=\"1\" />")).isEqualTo(
                new RowOutcome.Rejected("expected <row/> but found <user>"));
    }

    @Test
    void shouldMapUserToMemberJoinedWhenRowIsValid() throws Exception {
        ActivityEvent e = event(DumpFile.USERS, "<row Id=\"-1\" Reputation=\"1\" "
                + "CreationDate=\"2010-08-25T18:10:17.000\" DisplayName=\"Community\" />");
        assertThat(e.getType()).isEqualTo(EventType.MEMBER_JOINED);
        assertThat(e.getActorId()).isEqualTo("-1");
        assertThat(e.getOccurredAt()).isEqualTo(Instant.parse("2010-08-25T18:10:17Z"));
        assertThat(e.getEventId()).isEqualTo(id("user", "-1"));
        assertThat(e.getCommunityId()).isEqualTo(COMMUNITY);
        assertThat(e.getSource()).isEqualTo(SourcePlatform.STACK_EXCHANGE);
        assertThat(e.getThreadId()).isNull();
        assertThat(e.getAttributes()).isEmpty();
    }

    @Test
    void shouldMapQuestionToThreadCreatedWithTagsWhenOwnerIsKnown() throws Exception {
        ActivityEvent e = event(DumpFile.POSTS, "<row Id=\"1\" PostTypeId=\"1\" "
                + "CreationDate=\"2010-08-25T19:56:31.497\" Score=\"8\" OwnerUserId=\"21\" "
                + "Tags=\"&lt;discussion&gt;&lt;routes&gt;\" Title=\"t\" />");
        assertThat(e.getType()).isEqualTo(EventType.THREAD_CREATED);
        assertThat(e.getEventId()).isEqualTo(id("post", "1"));
        assertThat(e.getThreadId()).isEqualTo("1");
        assertThat(e.getParentId()).isNull();
        assertThat(e.getActorId()).isEqualTo("21");
        assertThat(e.getChannel()).isEqualTo("discussion");
        assertThat(e.getAttributes()).containsExactlyInAnyOrderEntriesOf(
                Map.of("tags", "discussion,routes", "score", "8"));
        // Milliseconds survive: the dump's times are UTC without a zone.
        assertThat(e.getOccurredAt().toEpochMilli())
                .isEqualTo(Instant.parse("2010-08-25T19:56:31.497Z").toEpochMilli());
    }

    @Test
    void shouldMapQuestionWithNullActorWhenOwnerIsMissing() throws Exception {
        ActivityEvent e = event(DumpFile.POSTS, "<row Id=\"2\" PostTypeId=\"1\" "
                + "CreationDate=\"2010-08-26T10:00:00.000\" Score=\"2\" Tags=\"|support|bug|\" />");
        assertThat(e.getActorId()).isNull();
        assertThat(e.getChannel()).isEqualTo("support");
        assertThat(e.getAttributes()).containsEntry("tags", "support,bug");
    }

    @Test
    void shouldLeaveChannelEmptyWhenQuestionHasNoTags() throws Exception {
        ActivityEvent e = event(DumpFile.POSTS, "<row Id=\"9\" PostTypeId=\"1\" "
                + "CreationDate=\"2010-08-26T10:00:00.000\" />");
        assertThat(e.getChannel()).isNull();
        assertThat(e.getAttributes()).isEmpty();
    }

    @Test
    void shouldMapAnswerToReplyOnItsQuestionWhenParentIsGiven() throws Exception {
        ActivityEvent e = event(DumpFile.POSTS, "<row Id=\"3\" PostTypeId=\"2\" ParentId=\"1\" "
                + "CreationDate=\"2010-08-25T20:00:00.000\" Score=\"3\" OwnerUserId=\"47\" />");
        assertThat(e.getType()).isEqualTo(EventType.REPLY_CREATED);
        assertThat(e.getThreadId()).isEqualTo("1");
        assertThat(e.getParentId()).isEqualTo("1");
        assertThat(e.getActorId()).isEqualTo("47");
        assertThat(e.getAttributes()).isEqualTo(Map.of("kind", "answer"));
        assertThat(e.getEventId()).isEqualTo(id("post", "3"));
    }

    @Test
    void shouldSkipPostWhenTypeIsNeitherQuestionNorAnswer() throws Exception {
        assertThat(map(DumpFile.POSTS, "<row Id=\"4\" PostTypeId=\"4\" CreationDate=\"2010-08-27T00:00:00.000\" />"))
                .isEqualTo(new RowOutcome.Skipped("post type 4"));
    }

    @Test
    void shouldGiveCommentOnQuestionThatQuestionAsThread() throws Exception {
        RowOutcome outcome = map(DumpFile.COMMENTS, "<row Id=\"10\" PostId=\"1\" Text=\"hi\" "
                + "CreationDate=\"2010-08-25T20:52:30.900\" UserId=\"47\" />");
        ActivityEvent e = ((RowOutcome.Mapped) outcome).event();
        assertThat(((RowOutcome.Mapped) outcome).note()).isNull();
        assertThat(e.getType()).isEqualTo(EventType.REPLY_CREATED);
        assertThat(e.getThreadId()).isEqualTo("1");
        assertThat(e.getParentId()).isEqualTo("1");
        assertThat(e.getActorId()).isEqualTo("47");
        assertThat(e.getAttributes()).isEqualTo(Map.of("kind", "comment"));
        assertThat(e.getEventId()).isEqualTo(id("comment", "10"));
    }

    @Test
    void shouldGiveCommentOnAnswerTheThreadOfItsQuestion() throws Exception {
        ActivityEvent e = event(DumpFile.COMMENTS, "<row Id=\"12\" PostId=\"8\" Text=\"hi\" "
                + "CreationDate=\"2010-08-28T02:00:00.000\" />");
        assertThat(e.getThreadId()).isEqualTo("2");
        assertThat(e.getParentId()).isEqualTo("8");
        assertThat(e.getActorId()).isNull();
    }

    @Test
    void shouldNoteUnknownThreadWhenPostIsNotInDump() throws Exception {
        RowOutcome outcome = map(DumpFile.COMMENTS, "<row Id=\"13\" PostId=\"999\" "
                + "CreationDate=\"2010-08-28T03:00:00.000\" UserId=\"5\" />");
        assertThat(outcome).isInstanceOf(RowOutcome.Mapped.class);
        assertThat(((RowOutcome.Mapped) outcome).note()).isEqualTo(StackExchangeRowMapper.NOTE_THREAD_UNKNOWN);
        assertThat(((RowOutcome.Mapped) outcome).event().getThreadId()).isNull();
        assertThat(((RowOutcome.Mapped) outcome).event().getParentId()).isEqualTo("999");
    }

    @Test
    void shouldMapUpvoteOnAnswerToReactionInQuestionThread() throws Exception {
        ActivityEvent e = event(DumpFile.VOTES,
                "<row Id=\"101\" PostId=\"3\" VoteTypeId=\"2\" CreationDate=\"2010-08-26T00:00:00.000\" />");
        assertThat(e.getType()).isEqualTo(EventType.REACTION_ADDED);
        assertThat(e.getParentId()).isEqualTo("3");
        assertThat(e.getThreadId()).isEqualTo("1");
        assertThat(e.getActorId()).isNull();
        assertThat(e.getAttributes()).isEqualTo(Map.of("reaction", "upvote"));
        assertThat(e.getEventId()).isEqualTo(id("vote", "101"));
        assertThat(e.getOccurredAt()).isEqualTo(Instant.parse("2010-08-26T00:00:00Z"));
    }

    @Test
    void shouldMapAcceptVoteToAnswerAcceptedOnAnswerInItsThread() throws Exception {
        ActivityEvent e = event(DumpFile.VOTES,
                "<row Id=\"102\" PostId=\"8\" VoteTypeId=\"1\" CreationDate=\"2010-08-29T00:00:00.000\" />");
        assertThat(e.getType()).isEqualTo(EventType.ANSWER_ACCEPTED);
        assertThat(e.getParentId()).isEqualTo("8");
        assertThat(e.getThreadId()).isEqualTo("2");
        assertThat(e.getEventId()).isEqualTo(id("vote", "102"));
    }

    @Test
    void shouldNameAnswerAuthorWhenAcceptedAnswerHasKnownOwner() throws Exception {
        ActivityEvent e = event(DumpFile.VOTES,
                "<row Id=\"107\" PostId=\"3\" VoteTypeId=\"1\" CreationDate=\"2010-08-29T00:00:00.000\" />");
        assertThat(e.getAttributes()).isEqualTo(Map.of(StackExchangeRowMapper.ANSWER_AUTHOR_ATTRIBUTE, "47"));
        // The voter is not the author: accept votes carry no UserId in dumps.
        assertThat(e.getActorId()).isNull();
        assertThat(e.getEventId()).isEqualTo(id("vote", "107"));
    }

    @Test
    void shouldOmitAnswerAuthorWhenOwnerIsDeletedOrPostUnknown() throws Exception {
        assertThat(event(DumpFile.VOTES,
                "<row Id=\"102\" PostId=\"8\" VoteTypeId=\"1\" CreationDate=\"2010-08-29T00:00:00.000\" />")
                .getAttributes()).isEmpty();
        assertThat(event(DumpFile.VOTES,
                "<row Id=\"108\" PostId=\"999\" VoteTypeId=\"1\" CreationDate=\"2010-08-29T00:00:00.000\" />")
                .getAttributes()).isEmpty();
    }

    @Test
    void shouldNotNameAuthorWhenVoteIsAnUpvoteOrMapperKnowsNoOwners() throws Exception {
        assertThat(event(DumpFile.VOTES,
                "<row Id=\"101\" PostId=\"3\" VoteTypeId=\"2\" CreationDate=\"2010-08-26T00:00:00.000\" />")
                .getAttributes()).doesNotContainKey(StackExchangeRowMapper.ANSWER_AUTHOR_ATTRIBUTE);
        StackExchangeRowMapper withoutOwners = new StackExchangeRowMapper(COMMUNITY, postId -> 1);
        RowOutcome outcome = withoutOwners.mapLine(DumpFile.VOTES,
                "<row Id=\"107\" PostId=\"3\" VoteTypeId=\"1\" CreationDate=\"2010-08-29T00:00:00.000\" />");
        assertThat(((RowOutcome.Mapped) outcome).event().getAttributes()).isEmpty();
    }

    @Test
    void shouldKeepVoterWhenDumpNamesOne() throws Exception {
        ActivityEvent e = event(DumpFile.VOTES, "<row Id=\"106\" PostId=\"1\" VoteTypeId=\"2\" UserId=\"77\" "
                + "CreationDate=\"2010-08-26T00:00:00.000\" />");
        assertThat(e.getActorId()).isEqualTo("77");
    }

    @Test
    void shouldSkipVoteWhenTypeIsNotUpvoteOrAccept() throws Exception {
        assertThat(map(DumpFile.VOTES,
                "<row Id=\"103\" PostId=\"3\" VoteTypeId=\"3\" CreationDate=\"2010-08-26T00:00:00.000\" />"))
                .isEqualTo(new RowOutcome.Skipped("vote type 3"));
    }

    @ParameterizedTest
    @CsvSource({"10,closed", "11,reopened", "12,deleted", "13,undeleted", "14,locked", "15,unlocked"})
    void shouldMapModerationHistoryToActionWhenTypeIsBetween10And15(int type, String action) throws Exception {
        ActivityEvent e = event(DumpFile.POST_HISTORY, "<row Id=\"201\" PostHistoryTypeId=\"" + type
                + "\" PostId=\"8\" CreationDate=\"2010-09-01T00:00:00.000\" UserId=\"-1\" Comment=\"101\" />");
        assertThat(e.getType()).isEqualTo(EventType.MODERATION_ACTION);
        assertThat(e.getAttributes()).isEqualTo(Map.of("action", action));
        assertThat(e.getActorId()).isEqualTo("-1");
        assertThat(e.getParentId()).isEqualTo("8");
        assertThat(e.getThreadId()).isEqualTo("2");
        assertThat(e.getEventId()).isEqualTo(id("posthistory", "201"));
    }

    @ParameterizedTest
    @CsvSource({"2", "5", "9", "16", "50"})
    void shouldSkipHistoryWhenTypeIsNotModeration(int type) throws Exception {
        assertThat(map(DumpFile.POST_HISTORY, "<row Id=\"200\" PostHistoryTypeId=\"" + type
                + "\" PostId=\"1\" CreationDate=\"2010-08-25T19:50:51.187\" UserId=\"21\" />"))
                .isEqualTo(new RowOutcome.Skipped("posthistory type " + type));
    }

    @Test
    void shouldMapBadgeToBadgeAwardedWhenRowIsValid() throws Exception {
        ActivityEvent e = event(DumpFile.BADGES, "<row Id=\"1\" UserId=\"2\" Name=\"Autobiographer\" "
                + "Date=\"2010-08-25T19:26:49.550\" Class=\"3\" TagBased=\"False\" />");
        assertThat(e.getType()).isEqualTo(EventType.BADGE_AWARDED);
        assertThat(e.getActorId()).isEqualTo("2");
        assertThat(e.getAttributes()).isEqualTo(Map.of("badge", "Autobiographer"));
        assertThat(e.getOccurredAt()).isEqualTo(Instant.parse("2010-08-25T19:26:49.550Z"));
        assertThat(e.getEventId()).isEqualTo(id("badge", "1"));
    }

    @Test
    void shouldRejectRowWhenRequiredAttributeIsMissingOrUnparsable() throws Exception {
        assertThat(map(DumpFile.USERS, "<row CreationDate=\"2010-08-25T18:10:17.000\" />"))
                .isEqualTo(new RowOutcome.Rejected("missing attribute Id"));
        assertThat(map(DumpFile.USERS, "<row Id=\"5\" CreationDate=\"yesterday\" />"))
                .isEqualTo(new RowOutcome.Rejected("attribute CreationDate is not a date-time: 'yesterday'"));
        assertThat(map(DumpFile.POSTS, "<row Id=\"5\" PostTypeId=\"2\" CreationDate=\"2010-08-27T00:00:00.000\" />"))
                .isEqualTo(new RowOutcome.Rejected("missing attribute ParentId"));
        assertThat(map(DumpFile.COMMENTS, "<row Id=\"14\" PostId=\"abc\" CreationDate=\"2010-08-28T03:00:00.000\" />"))
                .isEqualTo(new RowOutcome.Rejected("attribute PostId is not an integer: 'abc'"));
        assertThat(map(DumpFile.BADGES, "<row Id=\"3\" Name=\"Teacher\" Date=\"2010-08-25T19:26:49.550\" />"))
                .isEqualTo(new RowOutcome.Rejected("missing attribute UserId"));
        assertThat(map(DumpFile.VOTES, "<row Id=\"105\" PostId=\"1\" CreationDate=\"2010-08-26T00:00:00.000\" />"))
                .isEqualTo(new RowOutcome.Rejected("missing attribute VoteTypeId"));
    }

    @Test
    void shouldParseBothTagFormatsWhenGivenOldAndNewDumps() {
        assertThat(StackExchangeRowMapper.tags("<a><b-c>")).containsExactly("a", "b-c");
        assertThat(StackExchangeRowMapper.tags("|a|b-c|")).containsExactly("a", "b-c");
        assertThat(StackExchangeRowMapper.tags("")).isEmpty();
        assertThat(StackExchangeRowMapper.tags(null)).isEmpty();
    }
}
