package org.communitypulse.ingest.github;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;

/**
 * Reads what changed in one repository since a {@link Position}: issues and pull requests, their comments, pull
 * request reviews and review comments, discussions and their comments, each list by ascending {@code updated_at}
 * with GitHub's {@code since} filter, and maps every item with {@link GitHubRestItems} (so with the webhook's event
 * ids).
 *
 * <p>A position holds, per list, the newest {@code updated_at} read and the items updated at exactly that instant:
 * {@code since} includes that instant, so the next read skips those items yet loses none that share it. Reviews
 * have no {@code since}: they are read for each pull request the issues list returns (a submitted review updates
 * its pull request). Discussions come from GraphQL, newest update first, until one older than the position.
 *
 * <p>A poller needs every item of a day to count it, not only the new ones: a {@code recount} read (the first of a
 * task) starts each list at the beginning of its cursor's UTC day and returns the items before the cursor as
 * {@link Item#counted() counted only}.
 */
public final class GitHubCatchUp {

    /** The lists read for a repository; the name is the offset key prefix. */
    public enum Stream {
        ISSUES("issues"), ISSUE_COMMENTS("issue_comments"), REVIEW_COMMENTS("review_comments"),
        DISCUSSIONS("discussions");

        private final String key;

        Stream(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** Up to where one list was read: its newest update, and the items updated at exactly then. */
    public record Cursor(Instant since, Set<String> seen) {

        public static final Cursor START = new Cursor(Instant.EPOCH, Set.of());

        public Cursor {
            Objects.requireNonNull(since, "since");
            seen = Set.copyOf(seen);
        }

        boolean isNew(Instant updated, String key) {
            return updated.isAfter(since) || updated.equals(since) && !seen.contains(key);
        }

        Cursor after(Instant updated, String key) {
            if (updated.isAfter(since)) {
                return new Cursor(updated, Set.of(key));
            }
            if (updated.equals(since)) {
                Set<String> more = new TreeSet<>(seen);
                more.add(key);
                return new Cursor(since, more);
            }
            return this;
        }
    }

    /** Where a repository was read up to, list by list; stored as a Connect offset by {@link #toOffset()}. */
    public record Position(Map<Stream, Cursor> cursors) {

        public Position {
            cursors = Map.copyOf(cursors);
        }

        /** Every list from {@code start} on ({@link Instant#EPOCH}: the whole history). */
        public static Position startingAt(Instant start) {
            Map<Stream, Cursor> cursors = new HashMap<>();
            for (Stream stream : Stream.values()) {
                cursors.put(stream, new Cursor(start, Set.of()));
            }
            return new Position(cursors);
        }

        public Cursor cursor(Stream stream) {
            return cursors.getOrDefault(stream, Cursor.START);
        }

        Position with(Stream stream, Cursor cursor) {
            Map<Stream, Cursor> next = new HashMap<>(cursors);
            next.put(stream, cursor);
            return new Position(next);
        }

        /** The oldest cursor: everything updated before it has been read. */
        public Instant completeThrough() {
            return cursors.values().stream().map(Cursor::since).min(Comparator.naturalOrder())
                    .orElse(Instant.EPOCH);
        }

        /** As a Connect offset: {@code <list>.since} (ISO instant) and {@code <list>.seen} (comma-separated). */
        public Map<String, Object> toOffset() {
            Map<String, Object> offset = new HashMap<>();
            for (Stream stream : Stream.values()) {
                Cursor cursor = cursor(stream);
                offset.put(stream.key() + ".since", cursor.since().toString());
                offset.put(stream.key() + ".seen", String.join(",", cursor.seen()));
            }
            return offset;
        }

        /** The position of a {@link #toOffset()} map; lists it does not name start at {@code start}. */
        public static Position fromOffset(Map<String, ?> offset, Instant start) {
            Position position = startingAt(start);
            if (offset == null) {
                return position;
            }
            for (Stream stream : Stream.values()) {
                Object since = offset.get(stream.key() + ".since");
                if (since == null) {
                    continue;
                }
                try {
                    Object seen = offset.get(stream.key() + ".seen");
                    Set<String> keys = new TreeSet<>();
                    if (seen != null && !seen.toString().isEmpty()) {
                        keys.addAll(List.of(seen.toString().split(",")));
                    }
                    position = position.with(stream, new Cursor(Instant.parse(since.toString()), keys));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("offset " + stream.key() + ".since is not an instant: "
                            + since, e);
                }
            }
            return position;
        }
    }

    /**
     * One item read: its mapping (or the reason it was rejected), the position after it, and whether it was
     * read for counting only (updated before the position: published before).
     */
    public record Item(Stream stream, String key, MappingResult mapping, String rejected, Position after,
                       boolean counted) {

        public boolean isRejected() {
            return rejected != null;
        }
    }

    /** A repository read: its items in publishing order and the position after all of them. */
    public record Read(String repository, List<Item> items, Position position) {
    }

    static final String DISCUSSIONS_QUERY = """
            query($owner: String!, $name: String!, $after: String) {
              repository(owner: $owner, name: $name) {
                discussions(first: 50, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}) {
                  pageInfo { hasNextPage endCursor }
                  nodes {
                    number createdAt updatedAt
                    author { ... on User { databaseId login } }
                    category { isAnswerable name }
                    labels(first: 20) { nodes { name } }
                    comments(first: 100) {
                      nodes {
                        databaseId createdAt updatedAt
                        author { ... on User { databaseId login } }
                        replies(first: 100) {
                          nodes {
                            databaseId createdAt updatedAt
                            author { ... on User { databaseId login } }
                            replyTo { databaseId }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }""";

    private final GitHubApiClient api;
    private final GitHubRestItems items;
    private final Clock clock;
    private final boolean discussions;
    private final Map<String, JsonNode> repositories = new HashMap<>();

    public GitHubCatchUp(GitHubApiClient api, GitHubRestItems items, Clock clock, boolean discussions) {
        this.api = Objects.requireNonNull(api, "api");
        this.items = Objects.requireNonNull(items, "items");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.discussions = discussions;
    }

    /**
     * The repositories of the configured names: {@code owner/repo} as given, an organisation (or user) name as
     * every repository it owns, in a stable order.
     */
    public List<String> repositories(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : names) {
            String trimmed = name.trim();
            if (trimmed.contains("/")) {
                out.add(trimmed);
                continue;
            }
            List<JsonNode> owned;
            try {
                owned = api.getAll("/orgs/" + encode(trimmed) + "/repos?type=all&per_page=100");
            } catch (GitHubApiException e) {
                if (e.status() != 404) {
                    throw e;
                }
                owned = api.getAll("/users/" + encode(trimmed) + "/repos?type=all&per_page=100");
            }
            owned.stream().map(repo -> repo.path("full_name").asText()).filter(full -> !full.isEmpty()).sorted()
                    .forEach(out::add);
        }
        return List.copyOf(out);
    }

    /**
     * Everything in {@code repository} updated since {@code from}; with {@code recount}, also the items updated
     * earlier on the UTC day of each list's cursor, for counting (see {@link #countsFrom}).
     *
     * @throws GitHubApiException when a list cannot be read
     */
    public Read read(String repository, Position from, boolean recount, String community) {
        JsonNode repo = repositories.computeIfAbsent(repository, name -> api.get("/repos/" + name).body());
        Instant readAt = clock.instant();
        List<Item> out = new ArrayList<>();
        Position position = from;
        String base = "/repos/" + repository;

        List<JsonNode> issues = list(base + "/issues?state=all&sort=updated&direction=asc&per_page=100",
                from.cursor(Stream.ISSUES).since(), recount);
        for (JsonNode issue : issues) {
            String key = issue.path("number").asText();
            List<Item> reviews = new ArrayList<>();
            if (issue.hasNonNull("pull_request")) {
                long number = issue.path("number").asLong();
                for (JsonNode review : api.getAll(base + "/pulls/" + number + "/reviews?per_page=100")) {
                    reviews.add(mapped(Stream.ISSUES, "review/" + review.path("id").asText(),
                            () -> items.review(repo, number, review, community, readAt), null, false));
                }
            }
            position = add(out, Stream.ISSUES, key, issue, position,
                    () -> items.issue(repo, issue, community, readAt), reviews);
        }
        for (JsonNode comment : list(base + "/issues/comments?sort=updated&direction=asc&per_page=100",
                from.cursor(Stream.ISSUE_COMMENTS).since(), recount)) {
            position = add(out, Stream.ISSUE_COMMENTS, comment.path("id").asText(), comment, position,
                    () -> items.issueComment(repo, comment, community, readAt), List.of());
        }
        for (JsonNode comment : list(base + "/pulls/comments?sort=updated&direction=asc&per_page=100",
                from.cursor(Stream.REVIEW_COMMENTS).since(), recount)) {
            position = add(out, Stream.REVIEW_COMMENTS, comment.path("id").asText(), comment, position,
                    () -> items.reviewComment(repo, comment, community, readAt), List.of());
        }
        if (discussions) {
            position = readDiscussions(repository, repo, from, recount, community, readAt, out, position);
        }
        return new Read(repository, out, position);
    }

    /** What a full recount of a repository found: per UTC day, the event ids of its threads and replies. */
    public record Recount(String repository, SortedMap<LocalDate, Set<String>> days, int items) {
    }

    /**
     * The threads and replies of {@code repository} created at or after {@code from}, per UTC day, with no cursor:
     * the same window read twice gives the same counts. It is {@link #read} from a position at {@code from} on
     * every list (GitHub's {@code since} keeps what was updated since then, so what was created since then too),
     * each item mapped as the catch-up maps it and counted when {@link #dayCounted} says so; items created before
     * {@code from} but updated since are dropped by their event's time. Ids, not numbers: an item listed twice
     * (a pull request's reviews read again) counts once, as the catch-up's counts do.
     *
     * @throws GitHubApiException when a list cannot be read
     */
    public Recount recount(String repository, Instant from, String community) {
        Read read = read(repository, Position.startingAt(from), false, community);
        SortedMap<LocalDate, Set<String>> days = new TreeMap<>();
        for (Item item : read.items()) {
            if (item.isRejected()) {
                continue; // the catch-up rejects it as well: no event, not counted there either
            }
            for (ActivityEvent event : item.mapping().events()) {
                if (dayCounted(event) && !event.getOccurredAt().isBefore(from)) {
                    days.computeIfAbsent(LocalDate.ofInstant(event.getOccurredAt(), ZoneOffset.UTC),
                            day -> new TreeSet<>()).add(event.getEventId());
                }
            }
        }
        return new Recount(repository, days, read.items().size());
    }

    /**
     * Whether a platform day count counts {@code event}: the threads and replies (THREAD_CREATED, REPLY_CREATED),
     * the events the pipeline's own count is of. The one decision of the catch-up's counts and the recount's.
     */
    public static boolean dayCounted(ActivityEvent event) {
        return event.getType() == EventType.THREAD_CREATED || event.getType() == EventType.REPLY_CREATED;
    }

    /** A list since the cursor (its day's start to recount), in ascending {@code updated_at}. */
    private List<JsonNode> list(String path, Instant since, boolean recount) {
        Instant from = recount ? startOfDay(since) : since;
        String url = from.equals(Instant.EPOCH) ? path : path + "&since=" + from;
        List<JsonNode> all = new ArrayList<>(api.getAll(url));
        // GitHub already sorts so; sorting again keeps the cursor right should a page boundary shift under edits.
        all.sort(Comparator.comparing(GitHubCatchUp::updatedAt));
        return all;
    }

    private Position add(List<Item> out, Stream stream, String key, JsonNode node, Position position,
                         Supplier<MappingResult> mapping, List<Item> children) {
        Cursor cursor = position.cursor(stream);
        Instant updated = updatedAt(node);
        boolean counted = !cursor.isNew(updated, key);
        Position after = counted ? position : position.with(stream, cursor.after(updated, key));
        out.add(mapped(stream, key, mapping, after, counted));
        for (Item child : children) {
            out.add(new Item(child.stream(), child.key(), child.mapping(), child.rejected(), after, counted));
        }
        return after;
    }

    private static Item mapped(Stream stream, String key, Supplier<MappingResult> mapping, Position after,
                               boolean counted) {
        try {
            return new Item(stream, key, mapping.get(), null, after, counted);
        } catch (MalformedPayloadException | IllegalArgumentException e) {
            return new Item(stream, key, null, e.getMessage(), after, counted);
        }
    }

    private Position readDiscussions(String repository, JsonNode repo, Position from, boolean recount,
                                     String community, Instant readAt, List<Item> out, Position position) {
        Cursor cursor = from.cursor(Stream.DISCUSSIONS);
        Instant oldest = recount ? startOfDay(cursor.since()) : cursor.since();
        String[] owner = repository.split("/", 2);
        List<JsonNode> updated = new ArrayList<>();
        String after = null;
        boolean more = true;
        while (more) {
            Map<String, Object> variables = new HashMap<>();
            variables.put("owner", owner[0]);
            variables.put("name", owner[1]);
            variables.put("after", after);
            JsonNode page = api.graphql(DISCUSSIONS_QUERY, variables).path("repository").path("discussions");
            for (JsonNode node : page.path("nodes")) {
                if (updatedAt(node).isBefore(oldest)) {
                    more = false;
                    break;
                }
                updated.add(node);
            }
            more = more && page.path("pageInfo").path("hasNextPage").asBoolean(false);
            after = page.path("pageInfo").path("endCursor").asText(null);
        }
        updated.sort(Comparator.comparing(GitHubCatchUp::updatedAt));
        for (JsonNode node : updated) {
            JsonNode discussion = GitHubRestItems.discussionFromGraphql(node);
            List<Item> comments = new ArrayList<>();
            for (JsonNode top : node.path("comments").path("nodes")) {
                comments.add(mapped(Stream.DISCUSSIONS, "comment/" + top.path("databaseId").asText(),
                        () -> items.discussionComment(repo, discussion,
                                GitHubRestItems.discussionCommentFromGraphql(top), community, readAt), null, false));
                for (JsonNode reply : top.path("replies").path("nodes")) {
                    comments.add(mapped(Stream.DISCUSSIONS, "comment/" + reply.path("databaseId").asText(),
                            () -> items.discussionComment(repo, discussion,
                                    GitHubRestItems.discussionCommentFromGraphql(reply), community, readAt),
                            null, false));
                }
            }
            position = add(out, Stream.DISCUSSIONS, node.path("number").asText(), node, position,
                    () -> items.discussion(repo, discussion, community, readAt), comments);
        }
        return position;
    }

    /**
     * The first UTC day whose items a {@code recount} read of {@code from} returns in full: the latest of the
     * lists' cursor days (an item created on a day has been updated since that day's start).
     */
    public static LocalDate countsFrom(Position from) {
        return from.cursors().values().stream().map(cursor -> LocalDate.ofInstant(cursor.since(), ZoneOffset.UTC))
                .max(Comparator.naturalOrder()).orElse(LocalDate.EPOCH);
    }

    static Instant startOfDay(Instant instant) {
        return instant.truncatedTo(ChronoUnit.DAYS);
    }

    /** {@code updated_at} (REST) or {@code updatedAt} (GraphQL); an item without one sorts first. */
    static Instant updatedAt(JsonNode node) {
        String value = node.hasNonNull("updated_at") ? node.get("updated_at").asText()
                : node.path("updatedAt").asText("");
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
