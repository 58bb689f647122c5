package org.communitypulse.ingest.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Turns one platform payload (a webhook body, or the same object read from an export) into activity events.
 *
 * <p>Implementations are pure and thread-safe: no I/O, no clock (the caller passes {@code receivedAt}, used only
 * when the payload carries no time of its own). Event ids come from {@link org.communitypulse.ingest.EventIds}
 * with the platform's own item ids, so a redelivery, an edit notification or an import of the same item yields
 * the same event id.
 */
public interface PayloadMapper {

    /** The platform whose payloads this maps. */
    WebhookSource source();

    /**
     * Maps one payload.
     *
     * @param eventName   the platform's event name: Discourse {@code X-Discourse-Event}, GitHub
     *                    {@code X-GitHub-Event}; Slack ignores it (the envelope names the event)
     * @param payload     the parsed JSON body
     * @param communityId community the payload belongs to (no {@code ':'})
     * @param receivedAt  fallback time when the payload has none
     * @return mapped events, or {@link MappingResult#unmapped} for events the pipeline does not count
     * @throws MalformedPayloadException when a mapped event type lacks a field it needs
     */
    MappingResult map(String eventName, JsonNode payload, String communityId, Instant receivedAt);
}
