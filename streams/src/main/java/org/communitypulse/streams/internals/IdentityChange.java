package org.communitypulse.streams.internals;

import java.util.List;

/**
 * What the identity processor tells the engagement family after a link, split or erasure: these
 * identities may now resolve to another member (or, {@code erased}, must be forgotten), so every
 * period they contributed to is recomputed. Forwarded in memory between two nodes of one task.
 */
public record IdentityChange(String community, List<String> identities, boolean erased) {
    public IdentityChange {
        identities = List.copyOf(identities);
    }
}
