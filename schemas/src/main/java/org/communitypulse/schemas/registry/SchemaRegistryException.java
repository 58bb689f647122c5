package org.communitypulse.schemas.registry;

/**
 * A schema registry refused a request or could not be reached.
 *
 * <p>Carries the HTTP status and the Confluent {@code error_code} from the response body (for
 * example 404/40403 "schema not found", 409/409 "incompatible schema"), so callers can react to
 * the precise cause; both are {@link #NO_STATUS} when the registry never answered.
 */
public class SchemaRegistryException extends RuntimeException {

    /** Status and error code of a request that got no HTTP answer (connection refused, timeout). */
    public static final int NO_STATUS = -1;

    /** Confluent error code: subject not found. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent error code: version not found. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Confluent error code: schema (by id, or under a subject) not found. */
    public static final int SCHEMA_NOT_FOUND = 40403;

    private final int status;
    private final int errorCode;
    private final String registryMessage;

    public SchemaRegistryException(String message, int status, int errorCode, String registryMessage,
                                   Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
        this.registryMessage = registryMessage;
    }

    public SchemaRegistryException(String message, int status, int errorCode, String registryMessage) {
        this(message, status, errorCode, registryMessage, null);
    }

    /** HTTP status of the answer, or {@link #NO_STATUS}. */
    public int status() {
        return status;
    }

    /** Confluent {@code error_code} of the answer (the status itself when the body had none), or {@link #NO_STATUS}. */
    public int errorCode() {
        return errorCode;
    }

    /** The registry's own {@code message}, or null when it sent none. */
    public String registryMessage() {
        return registryMessage;
    }

    /** True when the registry answered 404: unknown subject, version or schema. */
    public boolean isNotFound() {
        return status == 404;
    }
}
