package org.communitypulse.streams.identity;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.communitypulse.streams.identity.internals.IdentityStore;

/**
 * Platform identity to member id, for one community, as the engagement family reads it: identities never
 * linked are their own member (and a community with no link at all costs one lookup per resolver). The
 * answers are cached, so create one per event or per emission.
 */
public final class MemberResolver {

    /** For the engagement state without identity resolution (the store is not wired in). */
    public static final MemberResolver NONE = new MemberResolver(null, null, false);

    private final IdentityStore store;
    private final String community;
    private final boolean active;
    private final Map<String, String> members = new HashMap<>();
    private final Map<String, List<String>> identities = new HashMap<>();
    private final Map<String, Boolean> erased = new HashMap<>();

    private MemberResolver(IdentityStore store, String community, boolean active) {
        this.store = store;
        this.community = community;
        this.active = active;
    }

    public static MemberResolver of(IdentityView view, String community) {
        return view == null ? NONE : new MemberResolver(view.store(), community, view.store().active(community));
    }

    /** When the caller already knows whether the community has any link or erasure (no lookup). */
    public static MemberResolver of(IdentityView view, String community, boolean active) {
        return view == null || !active ? NONE : new MemberResolver(view.store(), community, true);
    }

    /** Whether any identity of the community is linked or erased; if not, every method is the identity. */
    public boolean active() {
        return active;
    }

    public String memberOf(String identity) {
        if (!active || identity == null) {
            return identity;
        }
        return members.computeIfAbsent(identity, id -> {
            IdentityStore.IdentityEntry entry = store.identity(community, id);
            return entry == null || entry.member() == null ? id : entry.member();
        });
    }

    /** The identities of a member, ascending; just the member itself when it has no links. */
    public List<String> identitiesOf(String member) {
        if (!active) {
            return List.of(member);
        }
        return identities.computeIfAbsent(member, m -> {
            IdentityStore.Group group = store.group(community, m);
            return group == null ? List.of(m) : List.copyOf(group.identities());
        });
    }

    /** The identities linked to this one, itself included. */
    public List<String> linkedTo(String identity) {
        return identitiesOf(memberOf(identity));
    }

    public boolean erased(String identity) {
        if (!active || identity == null) {
            return false;
        }
        return erased.computeIfAbsent(identity, id -> {
            IdentityStore.IdentityEntry entry = store.identity(community, id);
            return entry != null && entry.erased();
        });
    }
}
