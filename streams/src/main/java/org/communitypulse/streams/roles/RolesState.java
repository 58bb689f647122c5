package org.communitypulse.streams.roles;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.communitypulse.streams.roles.internals.RolesProcessor;

/**
 * Everything the roles family knows about one community, stored as one JSON value per community.
 * The full role and training history is kept (not a running summary) so that every output can be
 * recomputed from the set of events, whatever order they arrived in.
 *
 * <p>Maps are insertion-ordered, as Jackson reads them back: the roles store keeps this object between
 * commits and reads it from JSON after an eviction or a restart, and iteration order (acknowledged policies,
 * resolved violations) must not depend on which.
 *
 * <p>Mutable with public fields: it is a serialisation shape, only changed by {@link RolesProcessor}
 * and {@link RolesEvaluator} (the maturity processor reads a {@link #sharedHistory()}).
 */
public final class RolesState {

    /** One ROLE_GRANTED or ROLE_REVOKED. {@code kind} is {@code role} or {@code level}; account may be null. */
    public record Change(String eventId, String member, String kind, String id, String account, boolean granted,
                         long at) {
    }

    /** One TRAINING_COMPLETED; {@code score} as reported ({@code attributes.score}), null when none. */
    public record Completion(String eventId, String member, String course, long at, Double score) {

        public Completion(String eventId, String member, String course, long at) {
            this(eventId, member, course, at, null);
        }
    }

    /**
     * One {@code training-requirement} declaration (EVIDENCE_DECLARED): {@code course} required of the role or level
     * {@code appliesTo} from {@code at}, through the UTC day {@code validUntil} (epoch day, null: no end), valid for
     * {@code validDays} (null: the default); a later one of the same {@code subject} supersedes it.
     */
    public record DeclaredRequirement(String eventId, String subject, String course, String appliesTo,
                                      Integer validDays, long at, Long validUntil, boolean withdrawn) {
    }

    /** The community's clock, kept in the activity store and filled in before use. */
    @JsonIgnore
    public long firstEventAt = Long.MAX_VALUE;
    @JsonIgnore
    public long latestEventAt = Long.MIN_VALUE;
    public List<Change> changes = new ArrayList<>();
    public List<Completion> completions = new ArrayList<>();
    public List<DeclaredRequirement> declaredRequirements = new ArrayList<>();
    /** member -> policy -> acknowledged at (latest). */
    public Map<String, Map<String, Long>> acknowledgements = new LinkedHashMap<>();
    /** Role holders' latest occurredAt in the community, from the activity store, filled in before evaluation. */
    @JsonIgnore
    public Map<String, Long> lastActive = new HashMap<>();

    /**
     * What was last emitted, so only changes are forwarded: role -> fingerprint. (Members' records keep theirs in
     * the roles processor's activity store, one entry per member.)
     */
    public Map<String, String> emittedCoverage = new LinkedHashMap<>();
    /** violation key (rule NUL subject) -> openedAt of the open violation. */
    public Map<String, Long> openViolations = new LinkedHashMap<>();
    public String emittedTraining;
    /** Placeholders handed out to erased holders so far (their role history is kept anonymously). */
    public long erasedHolders;

    /** Firing role alerts: condition name to the epoch day it held since. */
    public Map<String, Integer> openAlerts = new LinkedHashMap<>();
    /** Condition name to consecutive days it held (closed) or recovered (open): the hysteresis. */
    public Map<String, Integer> alertStreaks = new LinkedHashMap<>();

    /**
     * A state sharing this one's stored fields, with its own clock and activity (unset): for a reader of the
     * roles store's cached object (the maturity processor), whose clock and activity must not leak into what the
     * roles processor sees. The shared collections must not be changed through it.
     */
    public RolesState sharedHistory() {
        RolesState copy = new RolesState();
        copy.changes = changes;
        copy.completions = completions;
        copy.declaredRequirements = declaredRequirements;
        copy.acknowledgements = acknowledgements;
        copy.emittedCoverage = emittedCoverage;
        copy.openViolations = openViolations;
        copy.emittedTraining = emittedTraining;
        copy.erasedHolders = erasedHolders;
        copy.openAlerts = openAlerts;
        copy.alertStreaks = alertStreaks;
        return copy;
    }
}
