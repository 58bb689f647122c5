package org.communitypulse.ingest.http.internals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.communitypulse.ingest.webhook.PayloadMapper;
import org.communitypulse.ingest.webhook.SignatureVerifier;
import org.communitypulse.ingest.webhook.WebhookSource;
import org.communitypulse.ingest.webhook.internals.HeaderLookup;
import org.communitypulse.ingest.webhook.internals.Payloads;

/**
 * What the receiver needs per platform: its verifier, its mapper, where it names the event and how a request
 * without a community in its path is assigned one.
 */
public record PlatformEndpoint(WebhookSource source, SignatureVerifier verifier, PayloadMapper mapper,
                               Map<String, String> communities, String defaultCommunity) {

    /** Header naming the event, or {@code null} when the body does (Slack). */
    public String eventHeader() {
        return switch (source) {
            case DISCOURSE -> "X-Discourse-Event";
            case GITHUB -> "X-GitHub-Event";
            case SLACK -> null;
        };
    }

    /** Community for a request whose path names none; {@code null} when unknown. */
    public String resolveCommunity(Map<String, String> headers, JsonNode payload)
            throws HeaderLookup.AmbiguousHeaderException {
        for (String key : keys(headers, payload)) {
            if (key != null && communities.containsKey(key)) {
                return communities.get(key);
            }
        }
        return defaultCommunity;
    }

    private String[] keys(Map<String, String> headers, JsonNode payload) throws HeaderLookup.AmbiguousHeaderException {
        return switch (source) {
            case DISCOURSE -> new String[] {stripSlash(HeaderLookup.find(headers, "X-Discourse-Instance"))};
            case SLACK -> new String[] {Payloads.optText(payload, "team_id")};
            case GITHUB -> {
                JsonNode repository = Payloads.optObject(payload, "repository");
                yield new String[] {Payloads.optText(repository, "full_name"),
                        Payloads.optText(Payloads.optObject(payload, "organization"), "login"),
                        Payloads.optText(Payloads.optObject(repository, "owner"), "login")};
            }
        };
    }

    private static String stripSlash(String url) {
        if (url == null) {
            return null;
        }
        String stripped = HeaderLookup.stripOws(url);
        return stripped.endsWith("/") ? stripped.substring(0, stripped.length() - 1) : stripped;
    }
}
