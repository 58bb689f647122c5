package org.communitypulse.ingest.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The recorded GitHub answers of {@code src/test/resources/github-poll} (sources in its README). */
public final class GitHubPollFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GitHubPollFixtures() {
    }

    public static JsonNode json(String path) {
        try (InputStream in = GitHubPollFixtures.class.getResourceAsStream("/github-poll/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode webhook(String eventAndAction) {
        return json("webhooks/" + eventAndAction + ".json");
    }

    public static JsonNode rest(String name) {
        return json("rest/" + name + ".json");
    }
}
