package org.communitypulse.alerting.internals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.communitypulse.alerting.ReceiverFormat;
import org.communitypulse.alerting.Route;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertSeverity;
import org.communitypulse.schemas.avro.AlertState;

/** The request bodies: Slack incoming-webhook messages and the generic JSON form. */
public final class AlertFormats {

    /** Header carrying the delivery id; receivers deduplicate by it. */
    public static final String DELIVERY_ID_HEADER = "X-Pulse-Delivery-Id";

    static final String COLOUR_FIRING_CRITICAL = "#E01E5A";
    static final String COLOUR_FIRING_WARNING = "#ECB22E";
    static final String COLOUR_RESOLVED = "#2EB67D";
    static final String COLOUR_UNKNOWN = "#616061";
    /** Slack allows 10 fields per section; two are taken by since and day. */
    static final int MAX_EVIDENCE_FIELDS = 8;
    /** Slack's limit on a section text is 3000 characters. */
    static final int MAX_TEXT = 2_900;

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertFormats() {
    }

    /** {@code <alertId>/<state>}: the same for every attempt and every re-send of one lifecycle step. */
    public static String deliveryId(Alert alert) {
        return alert.getAlertId() + "/" + alert.getState();
    }

    /** The body for {@code format}. */
    public static String body(ReceiverFormat format, Alert alert) {
        return body(format, alert, null);
    }

    /** The body for {@code format}, with the owner routing when the alert was routed ({@code route} not null). */
    public static String body(ReceiverFormat format, Alert alert, Route route) {
        ObjectNode node = switch (format) {
            case SLACK -> slack(alert);
            case JSON -> generic(alert);
        };
        if (route != null) {
            if (format == ReceiverFormat.JSON) {
                routing(node.putObject("routing"), route);
            } else {
                ObjectNode context = JSON.createObjectNode().put("type", "context");
                mrkdwn(context.putArray("elements").addObject(), truncate(escape(ownerLine(route))));
                ((ArrayNode) node.get("attachments").get(0).get("blocks")).add(context);
                if (route.isUnowned()) {
                    node.put("text", truncate(node.get("text").asText() + "\n" + escape(ownerLine(route))));
                }
            }
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    private static void routing(ObjectNode node, Route route) {
        node.put("unowned", route.isUnowned());
        if (route.isUnowned()) {
            node.put("reason", route.unowned());
        } else {
            node.put("role", route.role());
        }
        route.owners().forEach(node.putArray("owners")::add);
        route.vacantRoles().forEach(node.putArray("vacantRoles")::add);
        route.withoutChannel().forEach(node.putArray("rolesWithoutChannel")::add);
        node.put("note", ownerLine(route));
    }

    /** One line for people: who owns the alert, or that nobody does and why. */
    static String ownerLine(Route route) {
        String vacant = route.vacantRoles().isEmpty() ? "" : "; vacant: " + String.join(", ", route.vacantRoles());
        String unreachable = route.withoutChannel().isEmpty() ? ""
                : "; held without a channel: " + String.join(", ", route.withoutChannel());
        if (route.isUnowned()) {
            return "UNOWNED (" + route.unowned() + "): no owner role holder to tell" + vacant + unreachable;
        }
        return "Owner: " + route.role() + " " + String.join(", ", route.owners()) + vacant + unreachable;
    }

    /** Every field of the alert, dates as ISO days, evidence sorted by key, plus the delivery id. */
    static ObjectNode generic(Alert alert) {
        ObjectNode node = JSON.createObjectNode();
        node.put("deliveryId", deliveryId(alert));
        node.put("alertId", alert.getAlertId());
        node.put("communityId", alert.getCommunityId());
        node.put("condition", alert.getCondition().name());
        node.put("state", alert.getState().name());
        node.put("severity", alert.getSeverity().name());
        node.put("since", alert.getSince().toString());
        node.put("day", alert.getDay().toString());
        node.put("summary", alert.getSummary());
        ObjectNode evidence = node.putObject("evidence");
        new TreeMap<>(alert.getEvidence()).forEach(evidence::put);
        return node;
    }

    /**
     * A message with {@code text} (notification and fallback) and one attachment coloured by state and
     * severity, holding blocks: headline with summary, since/day and evidence fields, ids in a context line.
     */
    static ObjectNode slack(Alert alert) {
        String headline = emoji(alert) + " *" + alert.getState() + "* · " + alert.getSeverity().name().toLowerCase(Locale.ROOT)
                + " · *" + escape(alert.getCommunityId()) + "* · " + alert.getCondition();
        ObjectNode message = JSON.createObjectNode();
        message.put("text", truncate(headline + ": " + escape(alert.getSummary())));
        ArrayNode attachments = message.putArray("attachments");
        ObjectNode attachment = attachments.addObject();
        attachment.put("color", colour(alert));
        ArrayNode blocks = attachment.putArray("blocks");
        mrkdwn(blocks.addObject().put("type", "section").putObject("text"),
                truncate(headline + "\n" + escape(alert.getSummary())));
        ObjectNode facts = blocks.addObject().put("type", "section");
        ArrayNode fields = facts.putArray("fields");
        mrkdwn(fields.addObject(), "*Since*\n" + alert.getSince());
        mrkdwn(fields.addObject(), "*Day*\n" + alert.getDay());
        Map<String, String> evidence = new TreeMap<>(alert.getEvidence());
        int shown = 0;
        for (Map.Entry<String, String> e : evidence.entrySet()) {
            if (shown++ == MAX_EVIDENCE_FIELDS) {
                break;
            }
            mrkdwn(fields.addObject(), truncate("*" + escape(e.getKey()) + "*\n" + escape(e.getValue())));
        }
        String more = evidence.size() > MAX_EVIDENCE_FIELDS
                ? " · " + (evidence.size() - MAX_EVIDENCE_FIELDS) + " more evidence values" : "";
        ObjectNode context = blocks.addObject().put("type", "context");
        mrkdwn(context.putArray("elements").addObject(),
                truncate("alert `" + escape(alert.getAlertId()) + "` · delivery `" + escape(deliveryId(alert)) + "`"
                        + more));
        return message;
    }

    private static void mrkdwn(ObjectNode node, String text) {
        node.put("type", "mrkdwn").put("text", text);
    }

    static String colour(Alert alert) {
        if (alert.getState() == AlertState.RESOLVED) {
            return COLOUR_RESOLVED;
        }
        if (alert.getState() != AlertState.FIRING) {
            return COLOUR_UNKNOWN;
        }
        if (alert.getSeverity() == AlertSeverity.CRITICAL) {
            return COLOUR_FIRING_CRITICAL;
        }
        return alert.getSeverity() == AlertSeverity.WARNING ? COLOUR_FIRING_WARNING : COLOUR_UNKNOWN;
    }

    private static String emoji(Alert alert) {
        if (alert.getState() == AlertState.RESOLVED) {
            return ":large_green_circle:";
        }
        if (alert.getState() != AlertState.FIRING) {
            return ":white_circle:";
        }
        return alert.getSeverity() == AlertSeverity.CRITICAL ? ":red_circle:" : ":large_orange_circle:";
    }

    /** Slack mrkdwn treats these three as control characters (links, mentions): they must be entities. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String truncate(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }
}
