package org.communitypulse.alerting;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One webhook that gets every alert. The URL may be a secret (a Slack incoming-webhook URL is its own
 * credential), so {@link #toString()} shows only scheme, host and port.
 *
 * @param name   short id: names the receiver's consumer group and tags its metrics
 * @param format the body shape
 * @param url    where alerts are POSTed
 */
public record Receiver(String name, ReceiverFormat format, URI url) {

    /** Receiver names become part of a consumer group id and a metric tag. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

    public Receiver {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(url, "url");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("receiver name '" + name + "' must match " + NAME.pattern());
        }
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || url.getHost() == null) {
            throw new IllegalArgumentException("receiver " + name + ": the URL must be an absolute http(s) URL");
        }
    }

    /** {@code scheme://host[:port]}: what may appear in logs. */
    public String redactedUrl() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/…";
    }

    @Override
    public String toString() {
        return name + " (" + format.label() + " -> " + redactedUrl() + ")";
    }
}
