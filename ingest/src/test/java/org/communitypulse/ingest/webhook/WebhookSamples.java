package org.communitypulse.ingest.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The documented example payloads under src/test/resources/webhooks/<platform>/. */
public final class WebhookSamples {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookSamples() {
    }

    /** Raw bytes of {@code webhooks/<platform>/<name>.json}. */
    public static byte[] bytes(String platform, String name) {
        String path = "/webhooks/" + platform + "/" + name + ".json";
        try (InputStream in = WebhookSamples.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parsed sample. */
    public static JsonNode json(String platform, String name) {
        try {
            return JSON.readTree(bytes(platform, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
