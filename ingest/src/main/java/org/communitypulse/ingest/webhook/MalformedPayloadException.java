package org.communitypulse.ingest.webhook;

/**
 * A payload of an event kind that is mapped lacks a field the mapping needs, or has one of the wrong type.
 * The message names the field, never its value (payloads may hold personal data).
 */
public class MalformedPayloadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedPayloadException(String message) {
        super(message);
    }
}
