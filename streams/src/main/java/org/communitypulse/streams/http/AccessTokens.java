package org.communitypulse.streams.http;

import io.javalin.security.RouteRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The bearer tokens of the dashboard and API: a read token and an admin token (either may be absent, not both).
 * Only SHA-256 digests are kept for comparison, compared in constant time, so neither the token's content nor
 * its length leaks through timing; the strongest one is kept as the credential this instance presents to its
 * peers when it forwards a request.
 */
public final class AccessTokens {

    /** What a credential allows; also the Javalin route role of routes that need more than reading. */
    public enum Scope implements RouteRole {
        /** The dashboard and aggregate figures. */
        READ,
        /** Everything READ allows plus per-member personal data (member ids, role holders, violation evidence). */
        ADMIN
    }

    /** Shortest token accepted: a guessable token would defeat the point. */
    public static final int MIN_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] read;
    private final byte[] admin;
    private final String peerCredential;

    private AccessTokens(String read, String admin) {
        this.read = read == null ? null : digest(read);
        this.admin = admin == null ? null : digest(admin);
        this.peerCredential = admin != null ? admin : read;
    }

    /**
     * @param read  the read-only token, or null
     * @param admin the admin token, or null
     * @throws IllegalArgumentException when both are null, one is shorter than {@value #MIN_LENGTH} characters or
     *                                  has white space, or both are the same
     */
    public static AccessTokens of(String read, String admin) {
        if (read == null && admin == null) {
            throw new IllegalArgumentException("no token: give a read token, an admin token or both");
        }
        check("read", read);
        check("admin", admin);
        if (read != null && read.equals(admin)) {
            throw new IllegalArgumentException("the read and admin tokens must differ");
        }
        return new AccessTokens(read, admin);
    }

    /** A new random token: 32 bytes from {@link SecureRandom}, URL-safe Base64 (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void check(String name, String token) {
        if (token == null) {
            return;
        }
        if (token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the " + name + " token is shorter than " + MIN_LENGTH + " characters");
        }
        if (token.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("the " + name + " token contains white space or control characters");
        }
    }

    /** The scope {@code presented} grants; empty when it is neither token. Every comparison is made, always. */
    public Optional<Scope> scopeOf(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] candidate = digest(presented);
        boolean isAdmin = admin != null && MessageDigest.isEqual(admin, candidate);
        boolean isRead = read != null && MessageDigest.isEqual(read, candidate);
        return isAdmin ? Optional.of(Scope.ADMIN) : isRead ? Optional.of(Scope.READ) : Optional.empty();
    }

    /** The token this instance presents to another instance it forwards a request to (admin if there is one). */
    String peerCredential() {
        return peerCredential;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    @Override
    public String toString() {
        return "AccessTokens[read=" + (read != null) + ", admin=" + (admin != null) + "]";
    }
}
