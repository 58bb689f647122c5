package org.communitypulse.ingest.slack;

import java.util.Set;
import org.communitypulse.ingest.ImportException;

/**
 * A Slack Web API call that failed: the message names the method and what to check (never the token, which
 * travels in a header). {@link #error()} is Slack's {@code error} code ({@code ok:false}) or {@code http_<status>};
 * {@link #fatal()} tells a setting that must be fixed (token, scope, channel) from an outage worth retrying later.
 */
public final class SlackApiException extends ImportException {

    private static final long serialVersionUID = 1L;

    /** Errors that repeat until someone changes the token, its scopes or the channel list. */
    private static final Set<String> FATAL = Set.of("invalid_auth", "not_authed", "account_inactive",
            "token_revoked", "token_expired", "no_permission", "missing_scope", "not_allowed_token_type",
            "not_in_channel", "channel_not_found", "ekm_access_denied", "enterprise_is_restricted",
            "invalid_arguments", "http_401", "http_403", "http_404");

    private final String error;

    public SlackApiException(String error, String message) {
        super(message);
        this.error = error;
    }

    public SlackApiException(String error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** Slack's error code, {@code http_<status>} for an HTTP failure, {@code io} when no answer came. */
    public String error() {
        return error;
    }

    /** True when retrying cannot help: the token, its scopes or a channel id must be fixed. */
    public boolean fatal() {
        return FATAL.contains(error);
    }

    /** What to check for a known error code. */
    static String hint(String error) {
        return switch (error) {
            case "invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive" ->
                    "Slack refused the bot token: check the token (xoxb-...) and that the app is still installed";
            case "missing_scope", "no_permission", "not_allowed_token_type" ->
                    "the token lacks a scope: the app needs channels:history (groups:history for private channels) "
                            + "and users:read";
            case "not_in_channel" -> "the bot is not a member of the channel: invite it (/invite @app)";
            case "channel_not_found" -> "no such channel for this token: check the channel id (C0123...)";
            case "ratelimited" -> "still rate limited after every retry";
            default -> "unexpected answer";
        };
    }
}
