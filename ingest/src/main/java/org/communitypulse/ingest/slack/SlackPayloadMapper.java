package org.communitypulse.ingest.slack;

import static org.communitypulse.ingest.webhook.internals.Payloads.epochSeconds;
import static org.communitypulse.ingest.webhook.internals.Payloads.flag;
import static org.communitypulse.ingest.webhook.internals.Payloads.object;
import static org.communitypulse.ingest.webhook.internals.Payloads.optText;
import static org.communitypulse.ingest.webhook.internals.Payloads.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.PayloadMapper;
import org.communitypulse.ingest.webhook.WebhookSource;
import org.communitypulse.ingest.webhook.internals.EventFactory;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * Slack Events API payloads: the {@code event_callback} envelope with its inner {@code event}.
 *
 * <p>Messages are identified by {@code <channel>/<ts>} (Slack's own message key): a thread's id is its parent's,
 * so a reply's {@code threadId} equals the {@code threadId} of the message that started the thread. An edit
 * ({@code message_changed}) maps to the same event id as the original message, flagged {@code edited=true}.
 * Direct messages, bot messages and system subtypes are not community activity and stay unmapped.
 * Membership events without their own timestamp use the envelope's {@code event_id} (stable across Slack's
 * retries) in the item id and its {@code event_time} as time.
 */
public final class SlackPayloadMapper implements PayloadMapper {

    /** Message subtypes that are a person writing; everything else (joins, bots, deletions) is not. */
    private static final Set<String> AUTHORED_SUBTYPES = Set.of("thread_broadcast", "file_share", "me_message");
    private static final Set<String> PRIVATE_CHANNEL_TYPES = Set.of("im", "mpim");

    private final EventFactory events;

    public SlackPayloadMapper(MemberPseudonymiser members) {
        this.events = new EventFactory(SourcePlatform.SLACK, Objects.requireNonNull(members, "members"));
    }

    @Override
    public WebhookSource source() {
        return WebhookSource.SLACK;
    }

    @Override
    public MappingResult map(String eventName, JsonNode payload, String communityId, Instant receivedAt) {
        if (payload == null || !payload.isObject()) {
            throw new MalformedPayloadException("payload must be a JSON object");
        }
        String envelope = optText(payload, "type");
        if (!"event_callback".equals(envelope)) {
            return MappingResult.unmapped("slack:" + (envelope == null ? "(no type)" : envelope));
        }
        JsonNode event = object(payload, "event");
        Envelope context = new Envelope(communityId, text(payload, "event_id"),
                epochSeconds(optText(payload, "event_time"), "event_time", receivedAt));
        String type = text(event, "type");
        return switch (type) {
            case "message" -> message(event, context);
            case "reaction_added" -> reaction(event, context);
            case "member_joined_channel" -> channelMember(event, EventType.MEMBER_JOINED, "joined", context);
            case "member_left_channel" -> channelMember(event, EventType.MEMBER_LEFT, "left", context);
            case "team_join" -> teamJoin(object(event, "user"), context);
            case "user_change" -> userChange(object(event, "user"), context);
            default -> MappingResult.unmapped("slack:" + type);
        };
    }

    private record Envelope(String community, String eventId, Instant eventTime) {
    }

    private MappingResult message(JsonNode event, Envelope context) {
        String subtype = optText(event, "subtype");
        String channel = text(event, "channel");
        // Set.of refuses contains(null): messages read back from the history API carry no channel_type.
        String channelType = optText(event, "channel_type");
        if (channelType != null && PRIVATE_CHANNEL_TYPES.contains(channelType)) {
            return MappingResult.unmapped("slack:message.direct");
        }
        JsonNode message = event;
        boolean edited = false;
        if ("message_changed".equals(subtype)) {
            message = object(event, "message");
            edited = true;
            subtype = optText(message, "subtype");
        }
        if (subtype != null && !AUTHORED_SUBTYPES.contains(subtype)) {
            return MappingResult.unmapped("slack:message." + subtype);
        }
        String user = optText(message, "user");
        if (user == null || optText(message, "bot_id") != null) {
            return MappingResult.unmapped("slack:message.bot");
        }
        String ts = text(message, "ts");
        String threadTs = optText(message, "thread_ts");
        Instant at = epochSeconds(ts, "ts", context.eventTime());
        String id = channel + "/" + ts;
        Map<String, String> attributes = new HashMap<>();
        if (edited) {
            attributes.put("edited", "true");
        }
        String channelName = optText(event, "channel_name");
        if (channelName != null) {
            attributes.put("channel_name", channelName);
        }
        if (threadTs == null || threadTs.equals(ts)) {
            return MappingResult.mapped(events.event(context.community(), "message", id, EventType.THREAD_CREATED,
                    user, id, null, at, channel, attributes));
        }
        String thread = channel + "/" + threadTs;
        attributes.put("kind", "reply");
        return MappingResult.mapped(events.event(context.community(), "message", id, EventType.REPLY_CREATED, user,
                thread, thread, at, channel, attributes));
    }

    private MappingResult reaction(JsonNode event, Envelope context) {
        JsonNode item = object(event, "item");
        if (!"message".equals(optText(item, "type"))) {
            return MappingResult.unmapped("slack:reaction_added." + optText(item, "type"));
        }
        String user = text(event, "user");
        String reaction = text(event, "reaction");
        String channel = text(item, "channel");
        String message = channel + "/" + text(item, "ts");
        return MappingResult.mapped(events.event(context.community(), "reaction",
                message + "/" + user + "/" + reaction, EventType.REACTION_ADDED, user, null, message,
                epochSeconds(optText(event, "event_ts"), "event_ts", context.eventTime()), channel,
                Map.of("reaction", reaction)));
    }

    private MappingResult channelMember(JsonNode event, EventType type, String verb, Envelope context) {
        String user = text(event, "user");
        String channel = text(event, "channel");
        Instant at = epochSeconds(optText(event, "event_ts"), "event_ts", context.eventTime());
        return MappingResult.mapped(events.event(context.community(), "channel_member",
                verb + "/" + channel + "/" + user + "/" + context.eventId(), type, user, null, null, at, channel,
                Map.of("scope", "channel")));
    }

    private MappingResult teamJoin(JsonNode user, Envelope context) {
        String id = text(user, "id");
        return MappingResult.mapped(events.event(context.community(), "team_member", "joined/" + id,
                EventType.MEMBER_JOINED, id, null, null, context.eventTime(), null, Map.of("scope", "workspace")));
    }

    /**
     * Slack sends the whole profile, not what changed, so only states are mapped: a deactivated account is a
     * member who left; an admin or owner flag is a granted role, with an id per user and role so repeated
     * profile updates repeat the same event. Revocations cannot be seen without the previous state.
     */
    private MappingResult userChange(JsonNode user, Envelope context) {
        String id = text(user, "id");
        if (flag(user, "deleted")) {
            String updated = optText(user, "updated");
            return MappingResult.mapped(events.event(context.community(), "team_member",
                    "left/" + id + "/" + (updated == null ? context.eventId() : updated), EventType.MEMBER_LEFT, id,
                    null, null, context.eventTime(), null, Map.of("scope", "workspace")));
        }
        List<ActivityEvent> roles = new ArrayList<>();
        for (String role : List.of("owner", "admin")) {
            if (flag(user, "is_" + role)) {
                roles.add(events.event(context.community(), "role", id + "/" + role, EventType.ROLE_GRANTED, id,
                        null, null, context.eventTime(), null, Map.of("role", role)));
            }
        }
        return roles.isEmpty() ? MappingResult.unmapped("slack:user_change.profile") : MappingResult.mapped(roles);
    }
}
