package org.communitypulse.ingest.discourse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.importing.FileImporter;
import org.communitypulse.ingest.importing.internals.ImportRun;
import org.communitypulse.ingest.internals.CountingInputStream;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * Imports saved Discourse API responses from a folder (searched recursively, {@code *.json} in name order):
 * <ul>
 *   <li>topics, {@code /t/{id}.json}: an object with {@code post_stream.posts}; each post is mapped as the
 *       {@code post_created} webhook would be (post 1 is the topic, same id as {@code topic_created});</li>
 *   <li>user lists, {@code /admin/users/list/{flag}.json}: an array of users (or an object with {@code users});
 *       each is a {@code user_created} (joined at {@code created_at}), its trust level a {@code user_promoted},
 *       and its admin/moderator flag a membership of Discourse's automatic {@code admins}/{@code moderators}
 *       group. A list says only the state when it was saved, so those role events carry the file's
 *       modification time.</li>
 * </ul>
 * User lists are streamed element by element; a topic file is read whole (Discourse pages post streams, so one
 * file holds at most a page of posts). Likes are counted per post in the API without who liked, so they are
 * not imported. Other JSON files are skipped and counted; a malformed file is rejected with its line.
 */
public final class DiscourseExportImporter implements FileImporter {

    private final DiscourseItems items;
    private final ObjectMapper json = new ObjectMapper();

    public DiscourseExportImporter(MemberPseudonymiser members) {
        this.items = new DiscourseItems(Objects.requireNonNull(members, "members"));
    }

    @Override
    public ImportSummary run(Path input, String communityId, EventSink sink, ProgressListener progress) {
        if (!Files.isDirectory(input)) {
            throw new ImportException("Not a folder of saved Discourse API JSON: " + input);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(input)) {
            files = walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new ImportException("Could not list " + input + ": " + e.getMessage(), e);
        }
        long total = 0;
        for (Path file : files) {
            total += size(file);
        }
        ImportRun run = new ImportRun(communityId, sink, progress, total);
        for (Path file : files) {
            readFile(input.relativize(file).toString().replace('\\', '/'), file, communityId, run);
        }
        return run.finish();
    }

    private void readFile(String name, Path file, String communityId, ImportRun run) {
        long rows = 0;
        try (CountingInputStream in = new CountingInputStream(Files.newInputStream(file));
             JsonParser parser = json.getFactory().createParser((InputStream) in)) {
            try {
                JsonToken first = parser.nextToken();
                if (first == JsonToken.START_ARRAY) {
                    rows = users(parser, name, communityId, run, asOf(file), in);
                } else if (first == JsonToken.START_OBJECT) {
                    JsonNode root = parser.readValueAsTree();
                    if (root.has("post_stream")) {
                        rows = topic(root, name, communityId, run);
                    } else if (root.path("users").isArray() && !root.has("directory_items")) {
                        rows = usersOf(root.get("users"), name, communityId, run, asOf(file));
                    } else {
                        run.summary().skipped("discourse:file neither topic nor user list");
                    }
                } else {
                    run.reject(name, parser.currentLocation().getLineNr(), "not a JSON object or array");
                }
            } catch (JsonProcessingException e) {
                run.reject(name, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                        "not valid JSON (truncated file?): " + e.getOriginalMessage());
            }
            run.fileDone(name, rows, in.count());
        } catch (IOException e) {
            throw new ImportException("Could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private long topic(JsonNode topic, String name, String communityId, ImportRun run) {
        JsonNode posts = topic.path("post_stream").path("posts");
        if (!posts.isArray()) {
            run.reject(name, 1, "post_stream.posts must be an array");
            return 0;
        }
        long rows = 0;
        for (JsonNode post : posts) {
            rows++;
            if (!post.isObject()) {
                run.reject(name, 1, "post " + rows + " of post_stream is not an object");
                continue;
            }
            run.mapRow(name, 1, () -> items.post(topic, post, communityId));
        }
        return rows;
    }

    private long users(JsonParser parser, String name, String communityId, ImportRun run, Instant asOf,
                       CountingInputStream in) throws IOException {
        long rows = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                run.reject(name, parser.currentLocation().getLineNr(), "array not closed (truncated file?)");
                break;
            }
            long line = parser.currentLocation().getLineNr();
            JsonNode user = parser.readValueAsTree();
            rows++;
            user(user, name, line, communityId, run, asOf);
            run.row(name, rows, in.count());
        }
        return rows;
    }

    private long usersOf(JsonNode users, String name, String communityId, ImportRun run, Instant asOf) {
        long rows = 0;
        for (JsonNode user : users) {
            rows++;
            user(user, name, 1, communityId, run, asOf);
        }
        return rows;
    }

    private void user(JsonNode user, String name, long line, String communityId, ImportRun run, Instant asOf) {
        run.mapRow(name, line, () -> items.user(user, communityId, asOf, run.summary()));
    }

    private static Instant asOf(Path file) throws IOException {
        return Files.getLastModifiedTime(file).toInstant();
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new ImportException("Could not read " + path + ": " + e.getMessage(), e);
        }
    }
}
