package org.communitypulse.ingest.http.internals;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer of the receiver.
 *
 * @param status HTTP status
 * @param outcome metrics outcome
 * @param reason reject reason tag ({@code null} unless refused or duplicate)
 * @param body JSON body fields
 */
public record Reply(int status, Outcome outcome, String reason, Map<String, Object> body) {

    public static Reply of(int status, Outcome outcome, String reason, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", outcome.label());
        if (reason != null) {
            body.put("reason", reason);
        }
        if (message != null) {
            body.put("message", message);
        }
        return new Reply(status, outcome, reason, body);
    }

    public static Reply rejected(int status, String reason, String message) {
        return of(status, Outcome.REJECTED, reason, message);
    }
}
