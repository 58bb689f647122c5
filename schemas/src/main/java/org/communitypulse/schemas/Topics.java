package org.communitypulse.schemas;

import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertAction;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.CohortRetention;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.CommunityHealth;
import org.communitypulse.schemas.avro.CommunityRoleKey;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.Identity;
import org.communitypulse.schemas.avro.IdentityKey;
import org.communitypulse.schemas.avro.IdentitySuggestion;
import org.communitypulse.schemas.avro.IdentitySuggestionKey;
import org.communitypulse.schemas.avro.MaturityScorecard;
import org.communitypulse.schemas.avro.MemberEngagement;
import org.communitypulse.schemas.avro.MemberKey;
import org.communitypulse.schemas.avro.MemberRoles;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.avro.PolicyViolation;
import org.communitypulse.schemas.avro.Reconciliation;
import org.communitypulse.schemas.avro.RoleCoverage;
import org.communitypulse.schemas.avro.StaffShare;
import org.communitypulse.schemas.avro.TrailingEngagement;
import org.communitypulse.schemas.avro.TrainingMetrics;
import org.communitypulse.schemas.avro.ViolationKey;
import org.communitypulse.schemas.serde.AvroSerdes;

/**
 * Every topic of the pipeline, named under one prefix and bound to its serdes.
 *
 * <p>An instance, not statics: tests give each run its own prefix (unique topics per test) and
 * its own registry client, and two pipelines can live in one JVM.
 */
public final class Topics {

    /** Prefix used when none is configured. */
    public static final String DEFAULT_PREFIX = "pulse.";

    private final String prefix;
    private final Topic<String, ActivityEvent> activity;
    private final Topic<byte[], byte[]> activityDeadLetters;
    private final Topic<String, ActivityEvent> activityLate;
    private final Topic<String, ActivityEvent> erasures;
    private final Topic<CommunityDayKey, DailyEngagement> dailyEngagement;
    private final Topic<CommunityDayKey, TrailingEngagement> trailingEngagement;
    private final Topic<CommunityDayKey, CohortRetention> retention;
    private final Topic<MemberKey, MemberEngagement> memberLevels;
    private final Topic<AlertKey, Alert> alerts;
    private final Topic<String, AlertAction> alertActions;
    private final Topic<MemberKey, MemberRoles> memberRoles;
    private final Topic<CommunityRoleKey, RoleCoverage> roleCoverage;
    private final Topic<ViolationKey, PolicyViolation> policyViolations;
    private final Topic<String, TrainingMetrics> trainingMetrics;
    private final Topic<IdentityKey, Identity> identities;
    private final Topic<IdentitySuggestionKey, IdentitySuggestion> identitySuggestions;
    private final Topic<CommunityDayKey, MaturityScorecard> maturityScorecard;
    private final Topic<CommunityDayKey, CommunityHealth> communityHealth;
    private final Topic<CommunityDayKey, StaffShare> staffShare;
    private final Topic<CommunityDayKey, PlatformDayCount> platformCounts;
    private final Topic<CommunityDayKey, Reconciliation> reconciliation;
    private final Topic<String, String> webhookDeliveries;

    public Topics(String prefix, AvroSerdes serdes) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        Serde<String> communityKey = Serdes.String();
        // Dead letters keep the producer's exact bytes: they may be unreadable by any schema.
        Serde<byte[]> raw = Serdes.ByteArray();
        this.activity = new Topic<>(prefix + "activity", communityKey, serdes.forValue(ActivityEvent.class));
        this.activityDeadLetters = new Topic<>(prefix + "activity.dlq", raw, raw);
        this.activityLate = new Topic<>(prefix + "activity.late", communityKey, serdes.forValue(ActivityEvent.class));
        this.erasures = new Topic<>(prefix + "erasures", Serdes.String(), serdes.forValue(ActivityEvent.class));
        this.dailyEngagement = new Topic<>(prefix + "engagement.daily",
                serdes.forKey(CommunityDayKey.class), serdes.forValue(DailyEngagement.class));
        this.trailingEngagement = new Topic<>(prefix + "engagement.trailing",
                serdes.forKey(CommunityDayKey.class), serdes.forValue(TrailingEngagement.class));
        this.retention = new Topic<>(prefix + "engagement.retention",
                serdes.forKey(CommunityDayKey.class), serdes.forValue(CohortRetention.class));
        this.memberLevels = new Topic<>(prefix + "members.levels",
                serdes.forKey(MemberKey.class), serdes.forValue(MemberEngagement.class));
        this.alerts = new Topic<>(prefix + "alerts", serdes.forKey(AlertKey.class), serdes.forValue(Alert.class));
        this.alertActions = new Topic<>(prefix + "alerts.actions", communityKey, serdes.forValue(AlertAction.class));
        this.memberRoles = new Topic<>(prefix + "members.roles",
                serdes.forKey(MemberKey.class), serdes.forValue(MemberRoles.class));
        this.roleCoverage = new Topic<>(prefix + "roles.coverage",
                serdes.forKey(CommunityRoleKey.class), serdes.forValue(RoleCoverage.class));
        this.policyViolations = new Topic<>(prefix + "policy.violations",
                serdes.forKey(ViolationKey.class), serdes.forValue(PolicyViolation.class));
        this.trainingMetrics = new Topic<>(prefix + "training.metrics", communityKey,
                serdes.forValue(TrainingMetrics.class));
        this.identities = new Topic<>(prefix + "identities", serdes.forKey(IdentityKey.class),
                serdes.forValue(Identity.class));
        this.identitySuggestions = new Topic<>(prefix + "identities.suggestions",
                serdes.forKey(IdentitySuggestionKey.class), serdes.forValue(IdentitySuggestion.class));
        this.maturityScorecard = new Topic<>(prefix + "maturity.scorecard",
                serdes.forKey(CommunityDayKey.class), serdes.forValue(MaturityScorecard.class));
        this.communityHealth = new Topic<>(prefix + "community.health",
                serdes.forKey(CommunityDayKey.class), serdes.forValue(CommunityHealth.class));
        this.staffShare = new Topic<>(prefix + "staff.share",
                serdes.forKey(CommunityDayKey.class), serdes.forValue(StaffShare.class));
        this.platformCounts = new Topic<>(prefix + "platform.counts",
                serdes.forKey(CommunityDayKey.class), serdes.forValue(PlatformDayCount.class));
        this.reconciliation = new Topic<>(prefix + "reconciliation",
                serdes.forKey(CommunityDayKey.class), serdes.forValue(Reconciliation.class));
        this.webhookDeliveries = new Topic<>(prefix + "webhooks.deliveries", Serdes.String(), Serdes.String());
    }

    public String prefix() {
        return prefix;
    }

    /** Input: activity events from every connector, keyed by community id. */
    public Topic<String, ActivityEvent> activity() {
        return activity;
    }

    /** Activity records that failed validation, as received, with the reason in headers. */
    public Topic<byte[], byte[]> activityDeadLetters() {
        return activityDeadLetters;
    }

    /** Valid events that arrived after the lateness horizon of their period had closed. */
    public Topic<String, ActivityEvent> activityLate() {
        return activityLate;
    }

    /**
     * Control input: erasure requests ({@code MEMBER_ERASED}), written only by operators' tools and the signed
     * Discourse webhook (grant producers of the activity topic no write access here). Keyed by the request's
     * event id, never by the person; each request is written to every partition, so every task forgets the
     * person in every community it holds (see docs/identity.md).
     */
    public Topic<String, ActivityEvent> erasures() {
        return erasures;
    }

    /** Output: engagement per community and UTC day. */
    public Topic<CommunityDayKey, DailyEngagement> dailyEngagement() {
        return dailyEngagement;
    }

    /** Output: 7- and 28-day windows ending on each day, one record per calendar day. */
    public Topic<CommunityDayKey, TrailingEngagement> trailingEngagement() {
        return trailingEngagement;
    }

    /** Output: retention of each weekly cohort of first-time contributors (key day = the cohort's Monday). */
    public Topic<CommunityDayKey, CohortRetention> retention() {
        return retention;
    }

    /** Output: every contributing member's engagement level (compacted). */
    public Topic<MemberKey, MemberEngagement> memberLevels() {
        return memberLevels;
    }

    /** Output: alert lifecycle (FIRING, RESOLVED) per community and condition. */
    public Topic<AlertKey, Alert> alerts() {
        return alerts;
    }

    /**
     * Control input: acknowledgements and snoozes of alerts, written by the dashboard's API (admin scope), keyed
     * by community id like the activity topic, so the task holding a community also holds its actions.
     */
    public Topic<String, AlertAction> alertActions() {
        return alertActions;
    }

    /** Output: current roles, level, accounts and valid trainings of every member with any (compacted). */
    public Topic<MemberKey, MemberRoles> memberRoles() {
        return memberRoles;
    }

    /** Output: holders, active holders and vacancy of every configured role per community (compacted). */
    public Topic<CommunityRoleKey, RoleCoverage> roleCoverage() {
        return roleCoverage;
    }

    /** Output: policy-violation lifecycle (OPENED, RESOLVED) per community, rule and subject. */
    public Topic<ViolationKey, PolicyViolation> policyViolations() {
        return policyViolations;
    }

    /** Output: training metrics per community (compacted). */
    public Topic<String, TrainingMetrics> trainingMetrics() {
        return trainingMetrics;
    }

    /** Output: every platform identity with its member id and the reason and time of each link (compacted). */
    public Topic<IdentityKey, Identity> identities() {
        return identities;
    }

    /** Output: pairs of identities that look like one person on weak evidence, for a person to accept (compacted). */
    public Topic<IdentitySuggestionKey, IdentitySuggestion> identitySuggestions() {
        return identitySuggestions;
    }

    /** Output: the eight-competency maturity scorecard per community and ISO week (key day = Monday; compacted). */
    public Topic<CommunityDayKey, MaturityScorecard> maturityScorecard() {
        return maturityScorecard;
    }

    /** Output: health score, state and components per community and ISO week (key day = Monday; compacted). */
    public Topic<CommunityDayKey, CommunityHealth> communityHealth() {
        return communityHealth;
    }

    /** Output: declared staff headcount, Corporate Users, their share and its 4-week trend per community and ISO week (compacted). */
    public Topic<CommunityDayKey, StaffShare> staffShare() {
        return staffShare;
    }

    /**
     * The metric topics: each holds the latest value per key, so they are compacted. The reconciliation is one
     * (latest per community and day); the platform counts are an input, kept as written.
     */
    public List<String> metricNames() {
        return List.of(dailyEngagement.name(), trailingEngagement.name(), retention.name(), memberLevels.name(),
                memberRoles.name(), roleCoverage.name(), trainingMetrics.name(), identities.name(),
                identitySuggestions.name(), maturityScorecard.name(), communityHealth.name(), staffShare.name(), reconciliation.name());
    }

    /**
     * The metric records the pipeline computes from activity (engagement, alerts, roles, maturity), which a replay
     * writes out and a caught-up pipeline has settled: {@link #metricNames()} without the identities and the
     * reconciliation, with the alerts and policy violations (lifecycle events, not compacted).
     */
    public List<Topic<?, ?>> metricTopics() {
        return List.of(dailyEngagement, trailingEngagement, retention, memberLevels, alerts, memberRoles, roleCoverage,
                policyViolations, trainingMetrics, maturityScorecard, communityHealth, staffShare);
    }

    /**
     * Input of reconciliation: per community and day, what a platform's API says (written by the pollers beside
     * their activity events).
     */
    public Topic<CommunityDayKey, PlatformDayCount> platformCounts() {
        return platformCounts;
    }

    /** Per community and day, the platform's count against the pipeline's, and any gap. */
    public Topic<CommunityDayKey, Reconciliation> reconciliation() {
        return reconciliation;
    }

    /**
     * The webhook receivers' delivery ledger: key {@code <PLATFORM>:<digest of the signed content>}, value
     * {@code claimed|accepted|released <claim id>} (UTF-8 strings), kept for the replay horizon. Every receiver
     * instance writes and reads it, so a replayed delivery is recognised by all of them and after a restart.
     */
    public Topic<String, String> webhookDeliveries() {
        return webhookDeliveries;
    }

    /** Every topic the pipeline reads or writes, input first. */
    public List<Topic<?, ?>> all() {
        return List.of(activity, activityDeadLetters, activityLate, erasures, dailyEngagement, trailingEngagement, retention,
                memberLevels, alerts, alertActions, memberRoles, roleCoverage, policyViolations, trainingMetrics, identities,
                identitySuggestions, maturityScorecard, communityHealth, staffShare, platformCounts, reconciliation,
                webhookDeliveries);
    }

    /** Names of every topic the pipeline reads or writes, for creating them up front. */
    public List<String> names() {
        return all().stream().map(Topic::name).toList();
    }
}
