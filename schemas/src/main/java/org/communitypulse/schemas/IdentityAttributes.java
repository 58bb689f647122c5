package org.communitypulse.schemas;

/**
 * The {@code attributes} of the identity events (see {@code docs/identity.md}), shared by the producers
 * (importers, webhooks, {@code pulse identity}) and the identity processor.
 *
 * <ul>
 *   <li>{@code IDENTITY_OBSERVED} (actorId = the identity, source = its platform): any of {@link #USERNAME},
 *       {@link #DISPLAY_NAME}, {@link #EMAIL_HASH} with {@link #EMAIL_VERIFIED}, {@link #LINKED_ACCOUNT},
 *       {@link #MAPPING_ID};</li>
 *   <li>{@code IDENTITY_MERGED} and {@code IDENTITY_SPLIT} (actorId = one identity): {@link #OTHER_IDENTITY};</li>
 *   <li>{@code MEMBER_ERASED} (actorId = any identity of the member): nothing.</li>
 * </ul>
 */
public final class IdentityAttributes {

    /** Login or handle on the platform; weak evidence (a suggestion, never a link). */
    public static final String USERNAME = "username";
    /** Display name; weak evidence. */
    public static final String DISPLAY_NAME = "displayName";
    /**
     * Keyed hashes of the identity's emails (MemberPseudonymiser.emailHash), comma-separated. Never an email in
     * clear: producers hash before publishing.
     */
    public static final String EMAIL_HASH = "emailHash";
    /** {@code true} when the platform verified the emails of {@link #EMAIL_HASH}: then they link; else they suggest. */
    public static final String EMAIL_VERIFIED = "emailVerified";
    /** The identityId (actorId form) of an account the platform itself links to this one, e.g. a GitHub login field. */
    public static final String LINKED_ACCOUNT = "linkedAccount";
    /** A person id from an explicit mapping import: identities with the same one are one member. */
    public static final String MAPPING_ID = "mappingId";
    /** The second identity of a merge or split. */
    public static final String OTHER_IDENTITY = "otherIdentity";

    private IdentityAttributes() {
    }
}
