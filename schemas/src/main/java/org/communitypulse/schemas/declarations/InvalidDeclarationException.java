package org.communitypulse.schemas.declarations;

/** A declaration that cannot be accepted; the message names the attribute at fault, for a 400 or a dead letter. */
public final class InvalidDeclarationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidDeclarationException(String message) {
        super(message);
    }
}
