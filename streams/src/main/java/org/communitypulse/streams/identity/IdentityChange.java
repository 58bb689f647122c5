package org.communitypulse.streams.identity;

import java.util.List;

/**
 * What the identity processor tells the engagement family after a link, split or erasure: these
 * identities may now resolve to another member (or, {@code erased}, must be forgotten), so every
 * period they contributed to is recomputed. Forwarded in memory between two nodes of one task.
 * {@code eventId} names the identity event behind it (null when not told), so outputs can cite it.
 */
public record IdentityChange(String community, List<String> identities, boolean erased, String eventId) {
    public IdentityChange {
        identities = List.copyOf(identities);
    }

    public IdentityChange(String community, List<String> identities, boolean erased) {
        this(community, identities, erased, null);
    }
}
