package org.communitypulse.streams.roles;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.communitypulse.schemas.avro.RoleLineChange;
import org.communitypulse.schemas.avro.RolesHistory;
import org.communitypulse.schemas.avro.TrainingCompletion;
import org.communitypulse.schemas.avro.TrainingRequirementDeclaration;

/**
 * One community's stored {@link RolesHistory} (the roles store's value) together with what is never stored:
 * the community's clock, kept in the roles activity store, and its role holders' latest activity, both filled
 * in by whoever evaluates it.
 *
 * <p>The roles store keeps its records as objects between commits, so a reader in another family (the maturity
 * processor) gets the very record the roles processor changes. Each wraps it in a {@code RolesState} of its own:
 * the history is shared, the clock and activity are not, so neither leaks into what the other sees. The history
 * must not be changed through a reader's wrapper.
 *
 * <p>The maps of a history read back from the store are unordered: callers sort wherever an output depends on the
 * order of their keys.
 */
public final class RolesState {

    private final RolesHistory history;
    /** The history's acknowledgements, or those made by an instant (see {@link #acknowledgedBy}). */
    private final Map<String, Map<String, Long>> acknowledgements;
    private final Map<String, Long> lastActive;
    private long firstEventAt = Long.MAX_VALUE;
    private long latestEventAt = Long.MIN_VALUE;

    private RolesState(RolesHistory history, Map<String, Map<String, Long>> acknowledgements,
                       Map<String, Long> lastActive) {
        this.history = history;
        this.acknowledgements = acknowledgements;
        this.lastActive = lastActive;
    }

    /** {@code history} with an unset clock and no activity. */
    public static RolesState of(RolesHistory history) {
        return new RolesState(history, history.getAcknowledgements(), new HashMap<>());
    }

    /** A community without any role history yet. */
    public static RolesHistory emptyHistory() {
        return new RolesHistory(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new HashMap<>(),
                new HashMap<>(), new HashMap<>(), null, 0L, new HashMap<>(), new HashMap<>());
    }

    /** The stored part: what the roles store writes down. */
    public RolesHistory history() {
        return history;
    }

    /** Grants and revocations, in arrival order. */
    public List<RoleLineChange> changes() {
        return history.getChanges();
    }

    public List<TrainingCompletion> completions() {
        return history.getCompletions();
    }

    public List<TrainingRequirementDeclaration> declaredRequirements() {
        return history.getDeclaredRequirements();
    }

    /** Member to policy to acknowledged at (latest). */
    public Map<String, Map<String, Long>> acknowledgements() {
        return acknowledgements;
    }

    /** Role to the fingerprint of its last emitted coverage. */
    public Map<String, String> emittedCoverage() {
        return history.getEmittedCoverage();
    }

    /** Violation key (rule NUL subject) to the openedAt of the open violation. */
    public Map<String, Long> openViolations() {
        return history.getOpenViolations();
    }

    /** Firing role alerts: condition name to the epoch day it held since. */
    public Map<String, Integer> openAlerts() {
        return history.getOpenAlerts();
    }

    /** Condition name to consecutive days it held (closed) or recovered (open). */
    public Map<String, Integer> alertStreaks() {
        return history.getAlertStreaks();
    }

    /** The next placeholder number for an erased holder. */
    public long nextErasedHolder() {
        long next = history.getErasedHolders();
        history.setErasedHolders(next + 1);
        return next;
    }

    /** The community's first event time, Long.MAX_VALUE while unset. */
    public long firstEventAt() {
        return firstEventAt;
    }

    /** The community's latest event time, Long.MIN_VALUE while unset. */
    public long latestEventAt() {
        return latestEventAt;
    }

    public void clock(long firstEventAt, long latestEventAt) {
        this.firstEventAt = firstEventAt;
        this.latestEventAt = latestEventAt;
    }

    /** Role holders' latest activity time (mutable; filled in before evaluation). */
    public Map<String, Long> lastActive() {
        return lastActive;
    }

    /** This history and clock with {@code lastActive} as the holders' activity: to judge a past day. */
    public RolesState withActivity(Map<String, Long> lastActive) {
        return view(acknowledgements, lastActive);
    }

    /**
     * This state as seen at {@code asOf} by a reader who evaluates past periods: acknowledgements made after it are
     * left out (each counts from its member's latest acknowledgement of the policy). The other parts are shared.
     */
    public RolesState acknowledgedBy(long asOf) {
        Map<String, Map<String, Long>> byThen = new TreeMap<>();
        acknowledgements.forEach((member, policies) -> policies.forEach((policy, at) -> {
            if (at <= asOf) {
                byThen.computeIfAbsent(member, m -> new TreeMap<>()).put(policy, at);
            }
        }));
        return view(byThen, lastActive);
    }

    /** The same history and clock with other acknowledgements and activity. */
    private RolesState view(Map<String, Map<String, Long>> acknowledgements, Map<String, Long> lastActive) {
        RolesState view = new RolesState(history, acknowledgements, lastActive);
        view.clock(firstEventAt, latestEventAt);
        return view;
    }
}
