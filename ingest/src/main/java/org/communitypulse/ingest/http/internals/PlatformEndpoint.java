package org.communitypulse.ingest.http.internals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.communitypulse.ingest.webhook.PayloadMapper;
import org.communitypulse.ingest.webhook.SignatureVerifier;
import org.communitypulse.ingest.webhook.WebhookSource;
import org.communitypulse.ingest.webhook.internals.HeaderLookup;
import org.communitypulse.ingest.webhook.internals.Payloads;

/**
 * What the receiver needs per platform: its verifiers, its mapper, where it names the event and how a request is
 * assigned a community.
 *
 * <p>Secrets bind communities: a community's own secret ({@code communityVerifiers}) signs for that community
 * only; the platform-wide one ({@code platformVerifier}, may be {@code null}) only for the community its signed
 * payload maps to ({@link #signedCommunity}), unless {@code anyCommunity} (single-tenant set-ups).
 */
public record PlatformEndpoint(WebhookSource source, SignatureVerifier platformVerifier,
                               Function<String, Optional<SignatureVerifier>> communityVerifiers, PayloadMapper mapper,
                               Map<String, String> communities, String defaultCommunity, boolean anyCommunity) {

    /** An endpoint with a platform-wide secret only (tests, embedders without per-community secrets). */
    public PlatformEndpoint(WebhookSource source, SignatureVerifier verifier, PayloadMapper mapper,
                            Map<String, String> communities, String defaultCommunity) {
        this(source, verifier, community -> Optional.empty(), mapper, communities, defaultCommunity, false);
    }

    /** Header naming the event, or {@code null} when the body does (Slack). */
    public String eventHeader() {
        return switch (source) {
            case DISCOURSE -> "X-Discourse-Event";
            case GITHUB -> "X-GitHub-Event";
            case SLACK -> null;
        };
    }

    /** The verifier of {@code community}'s own secret, if it has one. */
    public Optional<SignatureVerifier> communityVerifier(String community) {
        return community == null ? Optional.empty() : communityVerifiers.apply(community);
    }

    /**
     * The community named by what the platform does not sign (Discourse's {@code X-Discourse-Instance} header),
     * used only to pick that community's own secret; {@code null} for the other platforms.
     */
    public String headerCommunity(Map<String, String> headers) throws HeaderLookup.AmbiguousHeaderException {
        if (source != WebhookSource.DISCOURSE) {
            return null;
        }
        String instance = stripSlash(HeaderLookup.find(headers, "X-Discourse-Instance"));
        return instance == null ? null : communities.get(instance);
    }

    /**
     * The community a body signed with the platform-wide secret belongs to: the one its signed payload maps to
     * (GitHub's repository or organization, Slack's {@code team_id}), else the default community; {@code null}
     * when neither. Discourse signs nothing that names the forum, so it only has the default (or, with
     * {@code anyCommunity}, the instance-header mapping).
     */
    public String signedCommunity(Map<String, String> headers, JsonNode payload)
            throws HeaderLookup.AmbiguousHeaderException {
        if (source == WebhookSource.DISCOURSE) {
            String mapped = anyCommunity ? headerCommunity(headers) : null;
            return mapped != null ? mapped : defaultCommunity;
        }
        for (String key : payloadKeys(payload)) {
            if (key != null && communities.containsKey(key)) {
                return communities.get(key);
            }
        }
        return defaultCommunity;
    }

    private String[] payloadKeys(JsonNode payload) {
        return switch (source) {
            case SLACK -> new String[] {Payloads.optText(payload, "team_id")};
            case GITHUB -> {
                JsonNode repository = Payloads.optObject(payload, "repository");
                yield new String[] {Payloads.optText(repository, "full_name"),
                        Payloads.optText(Payloads.optObject(payload, "organization"), "login"),
                        Payloads.optText(Payloads.optObject(repository, "owner"), "login")};
            }
            case DISCOURSE -> new String[0];
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
