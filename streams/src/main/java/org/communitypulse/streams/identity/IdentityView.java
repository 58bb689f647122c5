package org.communitypulse.streams.identity;

import java.util.Set;
import org.apache.kafka.streams.state.KeyValueStore;
import org.communitypulse.streams.identity.internals.IdentityStore;

/**
 * The identity family's state as other families read it: which communities link or erase identities, and a
 * {@link MemberResolver} per community. Only the identity node writes the store; readers open this view on the
 * store {@link IdentityTopology#IDENTITY_STORE} connected to their node.
 */
public final class IdentityView {

    private final IdentityStore store;

    private IdentityView(IdentityStore store) {
        this.store = store;
    }

    /** The view of the identity store as a processor's context hands it out. */
    public static IdentityView of(KeyValueStore<String, Object> store) {
        return new IdentityView(new IdentityStore(store));
    }

    /** Every community of this task with links or erasures (a prefix scan: once, when a task starts). */
    public Set<String> activeCommunities() {
        return store.activeCommunities();
    }

    IdentityStore store() {
        return store;
    }
}
