package org.communitypulse.ingest.identity;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.communitypulse.ingest.EventIds;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.schemas.IdentityAttributes;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * What an importer learns about a platform user (user lists), as one {@code IDENTITY_OBSERVED} event for
 * identity resolution (docs/identity.md). The user id is pseudonymised and the email keyed-hashed with the
 * importer's {@link MemberPseudonymiser}; without a key the email is left out and counted as a note.
 */
public final class IdentityObservations {

    /** Summary note counted for each email left out for want of a key. */
    public static final String EMAIL_WITHOUT_KEY = "identity: email left out (no PULSE_PSEUDONYM_KEY)";

    /** A platform user's profile; any field but the id may be null. */
    public record Profile(String userId, String username, String displayName, String email, boolean emailVerified) {
    }

    private IdentityObservations() {
    }

    /** The observation, or empty when the profile says nothing usable (no id, no time, nothing observed). */
    public static Optional<ActivityEvent> observed(SourcePlatform source, MemberPseudonymiser members,
                                                   String communityId, Profile profile, Instant at,
                                                   ImportSummary.Builder summary) {
        if (blank(profile.userId()) || at == null) {
            return Optional.empty();
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        // With a key, names travel as keyed hashes: still comparable for suggestions, readable by nobody.
        put(attributes, IdentityAttributes.USERNAME, blank(profile.username()) ? null
                : members.name(profile.username().trim()));
        put(attributes, IdentityAttributes.DISPLAY_NAME, blank(profile.displayName()) ? null
                : members.name(profile.displayName().trim()));
        if (!blank(profile.email()) && profile.email().contains("@")) {
            if (members.enabled()) {
                attributes.put(IdentityAttributes.EMAIL_HASH, members.emailHash(profile.email()));
                attributes.put(IdentityAttributes.EMAIL_VERIFIED, Boolean.toString(profile.emailVerified()));
            } else {
                summary.note(EMAIL_WITHOUT_KEY);
            }
        }
        if (attributes.isEmpty()) {
            return Optional.empty();
        }
        String identity = members.apply(source, profile.userId());
        // Stable over what was observed: the same profile imported twice is one event, a changed one a new one.
        String item = profile.userId() + '|' + attributes;
        return Optional.of(ActivityEvent.newBuilder()
                .setEventId(EventIds.of(source, communityId, "identity", item)).setCommunityId(communityId)
                .setSource(source).setType(EventType.IDENTITY_OBSERVED).setActorId(identity).setOccurredAt(at)
                .setAttributes(attributes).build());
    }

    private static void put(Map<String, String> attributes, String key, String value) {
        if (!blank(value)) {
            attributes.put(key, value.trim());
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
