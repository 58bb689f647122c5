package org.communitypulse.ingest.stackexchange;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.communitypulse.ingest.EventIds;
import org.communitypulse.ingest.internals.XmlRowParser;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * Turns one row of a Stack Exchange dump (its attributes) into an {@link ActivityEvent}, a skip or a
 * rejection. Pure: no I/O, no Kafka; the only outside knowledge is which question a post belongs to
 * and who wrote it.
 *
 * <p>Mapping (ids are kept as the dump gives them, e.g. {@code "123"}; times are UTC):
 * <ul>
 *   <li>Users row: MEMBER_JOINED by {@code Id} at {@code CreationDate};</li>
 *   <li>Posts, question ({@code PostTypeId=1}): THREAD_CREATED, thread = {@code Id}, actor =
 *       {@code OwnerUserId}, channel = first tag, attributes {@code tags} (comma-separated) and
 *       {@code score};</li>
 *   <li>Posts, answer ({@code PostTypeId=2}): REPLY_CREATED, thread = parent = {@code ParentId},
 *       {@code kind=answer}; other post types (wikis, excerpts...) are skipped;</li>
 *   <li>Comments: REPLY_CREATED, parent = {@code PostId}, thread = that post's question,
 *       {@code kind=comment};</li>
 *   <li>Votes: upvote ({@code VoteTypeId=2}) is REACTION_ADDED with {@code reaction=upvote}; accept
 *       ({@code VoteTypeId=1}) is ANSWER_ACCEPTED on the answer, with {@code answerAuthorId} = the
 *       answer's {@code OwnerUserId} when known (omitted for a deleted or unknown author), so metrics
 *       can tell whose answers get accepted; other vote types are skipped;</li>
 *   <li>PostHistory types 10-15 are MODERATION_ACTION with {@code action=closed|reopened|deleted|
 *       undeleted|locked|unlocked}; other history types are skipped;</li>
 *   <li>Badges: BADGE_AWARDED to {@code UserId} with {@code badge=Name}.</li>
 * </ul>
 * Absent optional ids (deleted users, anonymous votes) become null actors. A post not in Posts.xml
 * (e.g. deleted) gives a null thread and a note, not a rejection.
 */
public final class StackExchangeRowMapper {

    /** Knows which question each post belongs to. */
    @FunctionalInterface
    public interface ThreadLookup {
        /** The question id of a post (its own id for a question), or -1 if the post is unknown. */
        int threadOf(int postId);

        /** A lookup that knows no post. */
        ThreadLookup NONE = postId -> -1;
    }

    /** Knows who wrote each post. */
    @FunctionalInterface
    public interface OwnerLookup {
        /** The {@code OwnerUserId} of a post as the dump writes it, or null if the post or its owner is unknown. */
        String ownerOf(int postId);

        /** A lookup that knows no owner. */
        OwnerLookup NONE = postId -> null;
    }

    /** Attribute of ANSWER_ACCEPTED events naming the accepted answer's author. */
    public static final String ANSWER_AUTHOR_ATTRIBUTE = "answerAuthorId";

    /** Note attached to events whose post is not in Posts.xml. */
    public static final String NOTE_THREAD_UNKNOWN = "thread unknown (post not in Posts.xml)";

    private static final String[] MODERATION_ACTIONS = {
        "closed", "reopened", "deleted", "undeleted", "locked", "unlocked"};
    private static final int FIRST_MODERATION_TYPE = 10;

    private final String communityId;
    private final ThreadLookup threads;
    private final OwnerLookup owners;
    private final XmlRowParser parser = new XmlRowParser();

    /**
     * A mapper that knows no post owners: accepted answers get no {@code answerAuthorId}.
     *
     * @param communityId community the events belong to (also part of their ids)
     * @param threads     post -> question lookup, built from Posts.xml
     */
    public StackExchangeRowMapper(String communityId, ThreadLookup threads) {
        this(communityId, threads, OwnerLookup.NONE);
    }

    /**
     * @param communityId community the events belong to (also part of their ids)
     * @param threads     post -> question lookup, built from Posts.xml
     * @param owners      post -> owner lookup, built from Posts.xml
     */
    public StackExchangeRowMapper(String communityId, ThreadLookup threads, OwnerLookup owners) {
        this.communityId = Objects.requireNonNull(communityId, "communityId");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.owners = Objects.requireNonNull(owners, "owners");
        // Fail now rather than on the first row if the id cannot be part of event ids.
        EventIds.of(SourcePlatform.STACK_EXCHANGE, communityId, "check", "0");
    }

    /**
     * Maps one line of the given file as the dump writes it ({@code <row A="..." />}), parsed as the importer
     * parses it; a line that is not one well-formed {@code row} element is a rejection.
     */
    public RowOutcome mapLine(DumpFile file, String line) {
        try {
            return map(file, parser.parse(line));
        } catch (XmlRowParser.MalformedRowException e) {
            return new RowOutcome.Rejected(e.getMessage());
        }
    }

    /** Maps one row of the given file. */
    public RowOutcome map(DumpFile file, Map<String, String> row) {
        try {
            String id = required(row, "Id");
            return switch (file) {
                case USERS -> mapped(event(file, id, EventType.MEMBER_JOINED, id, null, null,
                        time(row, "CreationDate"), null, Map.of()), null);
                case POSTS -> post(id, row);
                case COMMENTS -> comment(id, row);
                case VOTES -> vote(id, row);
                case POST_HISTORY -> history(id, row);
                case BADGES -> mapped(event(file, id, EventType.BADGE_AWARDED, required(row, "UserId"), null,
                        null, time(row, "Date"), null, Map.of("badge", required(row, "Name"))), null);
            };
        } catch (BadRowException e) {
            return new RowOutcome.Rejected(e.getMessage());
        }
    }

    private RowOutcome post(String id, Map<String, String> row) throws BadRowException {
        int type = integer(row, "PostTypeId");
        if (type == 1) {
            int postId = integer(row, "Id");
            List<String> tags = tags(row.get("Tags"));
            Map<String, String> attributes = new HashMap<>();
            if (!tags.isEmpty()) {
                attributes.put("tags", String.join(",", tags));
            }
            String score = optional(row, "Score");
            if (score != null) {
                attributes.put("score", score);
            }
            return mapped(event(DumpFile.POSTS, id, EventType.THREAD_CREATED, optional(row, "OwnerUserId"),
                    Integer.toString(postId), null, time(row, "CreationDate"),
                    tags.isEmpty() ? null : tags.get(0), attributes), null);
        }
        if (type == 2) {
            integer(row, "Id");
            String parent = Integer.toString(integer(row, "ParentId"));
            return mapped(event(DumpFile.POSTS, id, EventType.REPLY_CREATED, optional(row, "OwnerUserId"),
                    parent, parent, time(row, "CreationDate"), null, Map.of("kind", "answer")), null);
        }
        return new RowOutcome.Skipped("post type " + type);
    }

    private RowOutcome comment(String id, Map<String, String> row) throws BadRowException {
        int postId = integer(row, "PostId");
        int thread = threads.threadOf(postId);
        return mappedInThread(event(DumpFile.COMMENTS, id, EventType.REPLY_CREATED, optional(row, "UserId"),
                threadId(thread), Integer.toString(postId), time(row, "CreationDate"), null,
                Map.of("kind", "comment")), thread);
    }

    private RowOutcome vote(String id, Map<String, String> row) throws BadRowException {
        int type = integer(row, "VoteTypeId");
        if (type != 1 && type != 2) {
            return new RowOutcome.Skipped("vote type " + type);
        }
        int postId = integer(row, "PostId");
        EventType eventType;
        Map<String, String> attributes;
        if (type == 2) {
            eventType = EventType.REACTION_ADDED;
            attributes = Map.of("reaction", "upvote");
        } else {
            eventType = EventType.ANSWER_ACCEPTED;
            String author = owners.ownerOf(postId);
            attributes = author == null ? Map.of() : Map.of(ANSWER_AUTHOR_ATTRIBUTE, author);
        }
        int thread = threads.threadOf(postId);
        return mappedInThread(event(DumpFile.VOTES, id, eventType, optional(row, "UserId"), threadId(thread),
                Integer.toString(postId), time(row, "CreationDate"), null, attributes), thread);
    }

    private RowOutcome history(String id, Map<String, String> row) throws BadRowException {
        int type = integer(row, "PostHistoryTypeId");
        int action = type - FIRST_MODERATION_TYPE;
        if (action < 0 || action >= MODERATION_ACTIONS.length) {
            return new RowOutcome.Skipped("posthistory type " + type);
        }
        int postId = integer(row, "PostId");
        int thread = threads.threadOf(postId);
        return mappedInThread(event(DumpFile.POST_HISTORY, id, EventType.MODERATION_ACTION, optional(row, "UserId"),
                threadId(thread), Integer.toString(postId), time(row, "CreationDate"), null,
                Map.of("action", MODERATION_ACTIONS[action])), thread);
    }

    private static RowOutcome mappedInThread(ActivityEvent event, int thread) {
        return new RowOutcome.Mapped(event, thread < 0 ? NOTE_THREAD_UNKNOWN : null);
    }

    private static RowOutcome mapped(ActivityEvent event, String note) {
        return new RowOutcome.Mapped(event, note);
    }

    private static String threadId(int thread) {
        return thread < 0 ? null : Integer.toString(thread);
    }

    private ActivityEvent event(DumpFile file, String rowId, EventType type, String actor, String thread,
                                String parent, Instant occurredAt, String channel, Map<String, String> attributes) {
        String eventId = EventIds.of(SourcePlatform.STACK_EXCHANGE, communityId, file.itemKind(), rowId);
        // The all-arguments constructor: the generated builder deep-copies defaults on every call.
        return new ActivityEvent(eventId, communityId, SourcePlatform.STACK_EXCHANGE, type, actor, thread, parent,
                occurredAt, channel, attributes);
    }

    /** Tags as the dump writes them: {@code <a><b>} (older dumps) or {@code |a|b|} (2024 and later). */
    static List<String> tags(String value) {
        List<String> tags = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return tags;
        }
        String body = value.strip();
        String[] parts = body.startsWith("<")
                ? body.substring(1, body.endsWith(">") ? body.length() - 1 : body.length()).split("><")
                : body.split("\\|");
        for (String part : parts) {
            if (!part.isBlank()) {
                tags.add(part.strip());
            }
        }
        return tags;
    }

    private static String required(Map<String, String> row, String name) throws BadRowException {
        String value = optional(row, name);
        if (value == null) {
            throw new BadRowException("missing attribute " + name);
        }
        return value;
    }

    private static String optional(Map<String, String> row, String name) {
        String value = row.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static int integer(Map<String, String> row, String name) throws BadRowException {
        String value = required(row, name);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadRowException("attribute " + name + " is not an integer: " + quote(value));
        }
    }

    private static Instant time(Map<String, String> row, String name) throws BadRowException {
        String value = required(row, name);
        try {
            // Dumps write UTC without a zone, e.g. 2010-08-25T19:56:31.497; accept an explicit Z too.
            return value.endsWith("Z") ? Instant.parse(value) : LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new BadRowException("attribute " + name + " is not a date-time: " + quote(value));
        }
    }

    private static String quote(String value) {
        // Reports name the bad value, but a runaway attribute must not flood them.
        return "'" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'";
    }

    /** A row that cannot be mapped; cheap, as it is part of normal flow on dirty input. */
    private static final class BadRowException extends Exception {
        private static final long serialVersionUID = 1L;

        BadRowException(String message) {
            super(message, null, false, false);
        }
    }
}
