package org.communitypulse.alerting;

import java.util.Locale;

/** The body shape a receiver expects. */
public enum ReceiverFormat {
    /** A Slack incoming-webhook message: {@code text} plus a coloured attachment with blocks. */
    SLACK,
    /** The alert's own fields as JSON, plus the delivery id. */
    JSON;

    /** Parses {@code slack} or {@code json} (any case). */
    public static ReceiverFormat parse(String text) {
        for (ReceiverFormat format : values()) {
            if (format.name().equalsIgnoreCase(text.trim())) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown receiver format '" + text + "' (slack or json)");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
