package org.communitypulse.ingest.http.internals;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.communitypulse.ingest.http.EventPublisher;
import org.communitypulse.ingest.http.WebhookServerConfig;
import org.communitypulse.ingest.webhook.DeliveryDigest;
import org.communitypulse.ingest.webhook.DeliveryLedger;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.ingest.webhook.SignatureVerifier;
import org.communitypulse.ingest.webhook.Verification;
import org.communitypulse.ingest.webhook.WebhookSource;
import org.communitypulse.ingest.webhook.internals.HeaderLookup;
import org.communitypulse.ingest.webhook.internals.Payloads;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One webhook request, in the order that keeps every guarantee: size cap, signature (before anything is
 * parsed; with the community's own secret when it has one), JSON, Slack challenge, community (a platform-wide
 * secret only signs for the community its payload maps to), replay claim, mapping, publication. The replay key is
 * the digest of what the platform signed ({@link DeliveryDigest}); the ledger keeps it only once its events are
 * acknowledged (or it was unmapped); any failure after the claim releases it, so the platform's retry is not
 * mistaken for a replay.
 */
public final class WebhookHandler {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookHandler.class);

    private final Map<WebhookSource, PlatformEndpoint> endpoints;
    private final DeliveryLedger ledger;
    private final EventPublisher publisher;
    private final WebhookMetrics metrics;
    private final Clock clock;
    private final int maxBodyBytes;
    private final int retryAfterSeconds;
    private final ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public WebhookHandler(Map<WebhookSource, PlatformEndpoint> endpoints, DeliveryLedger ledger,
                          EventPublisher publisher, WebhookMetrics metrics, Clock clock, int maxBodyBytes,
                          int retryAfterSeconds) {
        this.endpoints = new EnumMap<>(endpoints);
        this.ledger = ledger;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** What the transport hands over: nothing here depends on the HTTP library. */
    public interface Request {
        /** Declared Content-Length, or -1. */
        long contentLength();

        InputStream body() throws IOException;

        /** Header name to all its values. */
        Map<String, List<String>> headers();
    }

    /** Handles one request; never throws. {@code community} is the path segment or {@code null}. */
    public Reply handle(String platform, String community, Request request) {
        long started = System.nanoTime();
        WebhookSource source = parseSource(platform);
        String tag = source == null ? "unknown" : source.name().toLowerCase(Locale.ROOT);
        Reply reply;
        try {
            reply = process(source, community, request);
        } catch (RuntimeException | Error e) {
            LOG.error("Webhook request for {} failed unexpectedly", tag, e);
            reply = Reply.of(500, Outcome.ERROR, "internal_error", "internal error");
        }
        if (reply.reason() != null) {
            metrics.reject(tag, reply.reason());
        }
        metrics.request(tag, reply.outcome(), System.nanoTime() - started);
        if (reply.outcome() == Outcome.UNAVAILABLE) {
            Map<String, Object> body = new LinkedHashMap<>(reply.body());
            body.put("retryAfterSeconds", retryAfterSeconds);
            reply = new Reply(reply.status(), reply.outcome(), reply.reason(), body);
        }
        return reply;
    }

    /** Seconds for the Retry-After header of 503 answers. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    private static WebhookSource parseSource(String platform) {
        if (platform == null) {
            return null;
        }
        for (WebhookSource source : WebhookSource.values()) {
            if (source.name().equalsIgnoreCase(platform)) {
                return source;
            }
        }
        return null;
    }

    private Reply process(WebhookSource source, String pathCommunity, Request request) {
        if (source == null) {
            return Reply.rejected(404, "unknown_platform", "no such webhook endpoint");
        }
        PlatformEndpoint endpoint = endpoints.get(source);
        if (endpoint == null) {
            return Reply.rejected(404, "not_configured", "no signing secret configured for " + source);
        }
        if (pathCommunity == null && endpoint.platformVerifier() == null && source != WebhookSource.DISCOURSE) {
            return Reply.rejected(404, "not_configured", "only per-community secrets are configured for " + source
                    + ": post to /webhooks/" + source.name().toLowerCase(Locale.ROOT) + "/<community>");
        }
        if (pathCommunity != null && !WebhookServerConfig.COMMUNITY_ID.matcher(pathCommunity).matches()) {
            return Reply.rejected(400, "invalid_community", "community ids match "
                    + WebhookServerConfig.COMMUNITY_ID.pattern());
        }
        if (request.contentLength() > maxBodyBytes) {
            return Reply.rejected(413, "body_too_large", "body larger than " + maxBodyBytes + " bytes");
        }
        byte[] body;
        try {
            body = readBounded(request.body());
        } catch (BodyTimeoutException e) {
            return Reply.rejected(408, "body_timeout", "request body arrived too slowly");
        } catch (IOException e) {
            return Reply.rejected(400, "unreadable_body", "could not read the request body");
        }
        if (body == null) {
            return Reply.rejected(413, "body_too_large", "body larger than " + maxBodyBytes + " bytes");
        }
        Map<String, String> headers = flatten(request.headers());
        Instant now = clock.instant();
        String namedCommunity;
        try {
            namedCommunity = pathCommunity != null ? pathCommunity : endpoint.headerCommunity(headers);
        } catch (HeaderLookup.AmbiguousHeaderException e) {
            return Reply.rejected(400, "duplicate_header", e.getMessage());
        }
        // A community's own secret binds the body to that community; otherwise the platform-wide secret.
        Optional<SignatureVerifier> own = endpoint.communityVerifier(namedCommunity);
        SignatureVerifier verifier = own.orElse(endpoint.platformVerifier());
        if (verifier == null) {
            return Reply.rejected(404, "not_configured", "no signing secret configured for this " + source
                    + " community");
        }
        Verification signature = verifier.verify(headers, body, now);
        if (signature.rejected()) {
            return Reply.rejected(401, signature.reason().name().toLowerCase(Locale.ROOT), signature.message());
        }
        JsonNode payload;
        try {
            payload = json.readTree(body);
        } catch (IOException | RuntimeException e) {
            payload = null;
        }
        if (payload == null || payload.isMissingNode()) {
            return Reply.rejected(400, "malformed_json", "body is not one JSON document");
        }
        if (source == WebhookSource.SLACK && "url_verification".equals(Payloads.optText(payload, "type"))) {
            return challenge(payload);
        }
        String eventName;
        String community;
        String signedCommunity;
        try {
            eventName = endpoint.eventHeader() == null ? null : HeaderLookup.find(headers, endpoint.eventHeader());
            signedCommunity = own.isPresent() ? namedCommunity : endpoint.signedCommunity(headers, payload);
        } catch (HeaderLookup.AmbiguousHeaderException e) {
            return Reply.rejected(400, "duplicate_header", e.getMessage());
        }
        if (own.isPresent() || pathCommunity == null) {
            community = signedCommunity;
        } else if (endpoint.anyCommunity() || pathCommunity.equals(signedCommunity)) {
            community = pathCommunity;
        } else {
            return Reply.rejected(403, "community_not_signed", "this body is signed with the platform-wide "
                    + source + " secret, which signs only for the community its payload maps to; give this "
                    + "community its own secret (" + source.secretsDirVariable() + ", see docs/webhooks.md)");
        }
        if (community == null) {
            return Reply.rejected(422, "unknown_community", "no community in the path and none configured for "
                    + "this " + source + " sender");
        }
        return deliver(endpoint, DeliveryDigest.key(verifier, headers, body), payload,
                eventName == null ? null : HeaderLookup.stripOws(eventName), community, now);
    }

    private Reply challenge(JsonNode payload) {
        String challenge = Payloads.optText(payload, "challenge");
        if (challenge == null || challenge.length() > 1024) {
            return Reply.rejected(400, "malformed_payload", "url_verification needs a challenge string");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("challenge", challenge);
        return new Reply(200, Outcome.CHALLENGE, null, body);
    }

    private Reply deliver(PlatformEndpoint endpoint, String digestKey, JsonNode payload, String eventName,
                          String community, Instant now) {
        WebhookSource source = endpoint.source();
        // Slack retries carry a new timestamp and signature (so a new digest) but the same envelope event_id.
        String slackEventId = source == WebhookSource.SLACK ? Payloads.optText(payload, "event_id") : null;
        List<String> keys = new ArrayList<>(2);
        keys.add(digestKey);
        if (slackEventId != null && !slackEventId.isEmpty() && slackEventId.length() <= 256) {
            keys.add("SLACK-EVENT:" + community + ":" + slackEventId);
        }
        List<DeliveryLedger.Ticket> owned = new ArrayList<>(keys.size());
        boolean keep = false;
        try {
            for (String key : keys) {
                DeliveryLedger.Ticket ticket = ledger.claim(key, now);
                switch (ticket.claim()) {
                    case OWNED -> owned.add(ticket);
                    // A platform retrying after a lost answer must see success, or it keeps retrying.
                    case DUPLICATE -> {
                        return Reply.of(200, Outcome.DUPLICATE, "replayed_delivery",
                                "delivery already accepted; nothing published again");
                    }
                    // While a delivery is being published, a copy must neither publish again nor be told
                    // "duplicate": if the first attempt then fails, the platform would believe the copy succeeded.
                    case IN_PROGRESS -> {
                        return Reply.of(503, Outcome.UNAVAILABLE, "delivery_in_progress",
                                "the same delivery is being processed; retry later");
                    }
                    default -> throw new IllegalStateException("unknown claim " + ticket.claim());
                }
            }
            MappingResult result;
            try {
                result = endpoint.mapper().map(eventName, payload, community, now);
            } catch (MalformedPayloadException e) {
                return Reply.rejected(400, "malformed_payload", e.getMessage());
            } catch (RuntimeException e) {
                return unprocessable(source, "mapping", e);
            }
            if (result.isUnmapped()) {
                keep = true;
                metrics.unmapped(source.name().toLowerCase(Locale.ROOT), result.unmapped());
                return Reply.of(200, Outcome.UNMAPPED, null, "acknowledged; " + result.unmapped() + " is not mapped");
            }
            try {
                publisher.publish(result.events());
            } catch (EventPublisher.PublishException e) {
                LOG.warn("Kafka unavailable, answering 503 for a {} delivery: {}", source, e.getMessage());
                return Reply.of(503, Outcome.UNAVAILABLE, null, "Kafka is unavailable; retry later");
            } catch (RuntimeException e) {
                // Not Kafka being away (that is a PublishException) but an event that cannot be encoded.
                return unprocessable(source, "publication", e);
            }
            keep = true;
            List<String> ids = new ArrayList<>();
            for (ActivityEvent event : result.events()) {
                metrics.published(source.name().toLowerCase(Locale.ROOT), event.getType().name());
                ids.add(event.getEventId());
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", Outcome.ACCEPTED.label());
            body.put("eventIds", ids);
            return new Reply(200, Outcome.ACCEPTED, null, body);
        } catch (DeliveryLedger.LedgerUnavailableException e) {
            LOG.warn("Delivery ledger unavailable, answering 503 for a {} delivery: {}", source, e.getMessage());
            return Reply.of(503, Outcome.UNAVAILABLE, null, "the delivery ledger is unavailable; retry later");
        } finally {
            Instant done = clock.instant();
            for (DeliveryLedger.Ticket ticket : owned) {
                if (keep) {
                    ledger.accepted(ticket, done);
                } else {
                    ledger.release(ticket, done);
                }
            }
        }
    }

    /**
     * A signed delivery that hit a bug. Not 500: platforms retry 5xx and the same payload meets the same bug, and
     * Slack disables endpoints that keep failing. 422 plus the {@code unprocessable} reject metric tells the
     * operators; the delivery id is released, so a redelivery after the fix is processed. Only the exception's
     * class and throwing frame are logged: its message may quote payload data.
     */
    private static Reply unprocessable(WebhookSource source, String stage, RuntimeException e) {
        StackTraceElement[] frames = e.getStackTrace();
        LOG.error("A signed {} delivery failed in {} with {} at {}; answered 422 unprocessable", source, stage,
                e.getClass().getName(), frames.length == 0 ? "(no frame)" : frames[0]);
        return Reply.rejected(422, "unprocessable", "the delivery could not be processed; it was counted for "
                + "the operators and may be redelivered once they fixed the cause");
    }

    /** The body, or {@code null} when it exceeds the cap (read at most cap + 1 bytes). */
    private byte[] readBounded(InputStream in) throws IOException {
        byte[] buffer = new byte[Math.min(maxBodyBytes + 1, 64 * 1024)];
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                if (buffer.length > maxBodyBytes) {
                    return null;
                }
                buffer = Arrays.copyOf(buffer, Math.min(maxBodyBytes + 1, buffer.length * 2));
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                return Arrays.copyOf(buffer, length);
            }
            length += read;
        }
    }

    /**
     * One value per header name. A name repeated with different values is kept ambiguous for
     * {@link HeaderLookup} (which ignores surrounding whitespace in names) by storing the extra values under the
     * name plus trailing spaces, so the verifiers reject it instead of silently picking one.
     */
    static Map<String, String> flatten(Map<String, List<String>> headers) {
        Map<String, String> flat = new HashMap<>();
        headers.forEach((name, values) -> {
            List<String> distinct = values == null ? Collections.emptyList() : values.stream().distinct().toList();
            for (int i = 0; i < distinct.size(); i++) {
                flat.put(name + " ".repeat(i), distinct.get(i));
            }
        });
        return flat;
    }
}
