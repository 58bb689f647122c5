package org.communitypulse.streams.organisation;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TableJoined;
import org.apache.kafka.streams.state.KeyValueStore;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.CommunityHealth;
import org.communitypulse.schemas.avro.CommunityOrganisations;
import org.communitypulse.schemas.avro.CommunityRoleKey;
import org.communitypulse.schemas.avro.MaturityScorecard;
import org.communitypulse.schemas.avro.OrganisationCommunityHealth;
import org.communitypulse.schemas.avro.OrganisationCommunityRole;
import org.communitypulse.schemas.avro.OrganisationCommunityScore;
import org.communitypulse.schemas.avro.OrganisationCommunityStaff;
import org.communitypulse.schemas.avro.OrganisationCoverage;
import org.communitypulse.schemas.avro.OrganisationHealth;
import org.communitypulse.schemas.avro.OrganisationScorecard;
import org.communitypulse.schemas.avro.OrganisationStaffShare;
import org.communitypulse.schemas.avro.RoleCoverage;
import org.communitypulse.schemas.avro.StaffShare;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.organisation.internals.CommunityWeeks;
import org.communitypulse.streams.organisation.internals.CoverageRollup;
import org.communitypulse.streams.organisation.internals.HealthRollup;
import org.communitypulse.streams.organisation.internals.ScorecardRollup;
import org.communitypulse.streams.organisation.internals.StaffRollup;

/**
 * The organisation level: the communities' scorecards, health, role coverage and staff share rolled up to the
 * organisation each belongs to (see {@code docs/metrics.md#organisation-level}).
 *
 * <p>Input: the maturity and roles families' output topics, read as tables: {@code <prefix>maturity.scorecard} and
 * {@code <prefix>community.health} (each names the community's organisation), {@code <prefix>roles.coverage} (the
 * community's organisation is the one its latest scorecard names) and {@code <prefix>staff.share}.
 *
 * <p>Each roll-up regroups the table by organisation and week (or role) with an adder and a subtractor, so the
 * result is a function of the latest input records whatever their order: a re-emitted week replaces the
 * community's entry, a community that moves organisation is taken out of the first one. Outputs (compacted):
 * {@code <prefix>organisation.scorecard}, {@code .health}, {@code .staff.share} (key {@code OrganisationWeekKey})
 * and {@code <prefix>organisation.coverage} (key {@code OrganisationRoleKey}); an organisation-week left without
 * communities gets a tombstone.
 */
public final class OrganisationTopology {

    public static final String ORGANISATION = "organisation";
    /** Latest organisation scorecard per {@code organisationId NUL Monday}. */
    public static final String SCORECARD_STORE = "organisation-scorecard-store";
    public static final String HEALTH_STORE = "organisation-health-store";
    /** Latest organisation coverage per {@code organisationId NUL role}. */
    public static final String COVERAGE_STORE = "organisation-coverage-store";
    public static final String STAFF_SHARE_STORE = "organisation-staff-share-store";
    /** Every scored week's organisation per community, from which its current organisation is read. */
    public static final String COMMUNITY_WEEKS_STORE = "organisation-community-weeks-store";
    public static final String COMMUNITY_CURRENT_STORE = "organisation-community-current-store";

    private OrganisationTopology() {
    }

    /** Adds the organisation roll-ups to {@code builder}, which must build the topology writing their inputs. */
    public static void addTo(StreamsBuilder builder, Topics topics, AvroSerdes serdes) {
        KTable<CommunityDayKey, MaturityScorecard> scorecards = table(builder, topics.maturityScorecard(), "scorecard");
        KTable<CommunityDayKey, CommunityHealth> health = table(builder, topics.communityHealth(), "health");
        KTable<CommunityDayKey, StaffShare> staff = table(builder, topics.staffShare(), "staff-share");

        KTable<String, OrganisationScorecard> orgScorecards = scorecards
                .filter((k, v) -> v.getOrganisationId() != null, Named.as(name("scorecard-with-organisation")))
                .groupBy((k, v) -> KeyValue.pair(OrganisationViews.weekKey(v.getOrganisationId(), v.getPeriodStart()),
                        ScorecardRollup.entry(v)), Grouped.with(name("scorecard-by-week"), Serdes.String(),
                        serdes.forValue(OrganisationCommunityScore.class)))
                .aggregate(() -> null, ScorecardRollup::add, ScorecardRollup::remove, Named.as(name("scorecard-rollup")),
                        store(SCORECARD_STORE, serdes.forValue(OrganisationScorecard.class)));
        write(orgScorecards, topics.organisationScorecard(), "scorecard", true);

        KTable<String, OrganisationHealth> orgHealth = health
                .filter((k, v) -> v.getOrganisationId() != null, Named.as(name("health-with-organisation")))
                .groupBy((k, v) -> KeyValue.pair(OrganisationViews.weekKey(v.getOrganisationId(), v.getPeriodStart()),
                        HealthRollup.entry(v)), Grouped.with(name("health-by-week"), Serdes.String(),
                        serdes.forValue(OrganisationCommunityHealth.class)))
                .aggregate(() -> null, HealthRollup::add, HealthRollup::remove, Named.as(name("health-rollup")),
                        store(HEALTH_STORE, serdes.forValue(OrganisationHealth.class)));
        write(orgHealth, topics.organisationHealth(), "health", true);

        KTable<String, OrganisationStaffShare> orgStaff = staff
                .filter((k, v) -> v.getOrganisationId() != null, Named.as(name("staff-share-with-organisation")))
                .groupBy((k, v) -> KeyValue.pair(OrganisationViews.weekKey(v.getOrganisationId(), v.getPeriodStart()),
                        StaffRollup.entry(v)), Grouped.with(name("staff-share-by-week"), Serdes.String(),
                        serdes.forValue(OrganisationCommunityStaff.class)))
                .aggregate(() -> null, StaffRollup::add, StaffRollup::remove, Named.as(name("staff-share-rollup")),
                        store(STAFF_SHARE_STORE, serdes.forValue(OrganisationStaffShare.class)));
        write(orgStaff, topics.organisationStaffShare(), "staff-share", true);

        // Coverage records name no organisation: a community's is the one its latest scorecard names.
        KTable<String, String> current = scorecards
                .groupBy((k, v) -> KeyValue.pair(v.getCommunityId(), CommunityWeeks.of(v)),
                        Grouped.with(name("community-weeks-by-community"), Serdes.String(),
                                serdes.forValue(CommunityOrganisations.class)))
                .aggregate(() -> null, CommunityWeeks::add, CommunityWeeks::remove, Named.as(name("community-weeks")),
                        store(COMMUNITY_WEEKS_STORE, serdes.forValue(CommunityOrganisations.class)))
                .mapValues(CommunityWeeks::current, Named.as(name("community-current")),
                        store(COMMUNITY_CURRENT_STORE, Serdes.String()));
        KTable<CommunityRoleKey, RoleCoverage> coverage = table(builder, topics.roleCoverage(), "coverage");
        KTable<String, OrganisationCoverage> orgCoverage = coverage
                .join(current, RoleCoverage::getCommunityId, CoverageRollup::entry,
                        TableJoined.as(name("coverage-organisation-join")),
                        Materialized.<CommunityRoleKey, OrganisationCommunityRole, KeyValueStore<Bytes, byte[]>>as(
                                name("coverage-with-organisation-store"))
                                .withKeySerde(topics.roleCoverage().keySerde())
                                .withValueSerde(serdes.forValue(OrganisationCommunityRole.class)))
                .groupBy((k, v) -> KeyValue.pair(OrganisationViews.roleKey(v.getOrganisationId(), v.getRole()), v),
                        Grouped.with(name("coverage-by-role"), Serdes.String(),
                                serdes.forValue(OrganisationCommunityRole.class)))
                .aggregate(() -> null, CoverageRollup::add, CoverageRollup::remove, Named.as(name("coverage-rollup")),
                        store(COVERAGE_STORE, serdes.forValue(OrganisationCoverage.class)));
        write(orgCoverage, topics.organisationCoverage(), "coverage", false);
    }

    private static String name(String suffix) {
        return ORGANISATION + "-" + suffix;
    }

    /** An input topic as a table, its store named after it. */
    private static <K, V> KTable<K, V> table(StreamsBuilder builder, Topic<K, V> topic, String what) {
        return builder.table(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde())
                        .withName(name(what + "-source")),
                Materialized.<K, V, KeyValueStore<Bytes, byte[]>>as(name(what + "-input-store"))
                        .withKeySerde(topic.keySerde()).withValueSerde(topic.valueSerde()));
    }

    private static <V> Materialized<String, V, KeyValueStore<Bytes, byte[]>> store(String name, Serde<V> values) {
        return Materialized.<String, V, KeyValueStore<Bytes, byte[]>>as(name).withKeySerde(Serdes.String())
                .withValueSerde(values);
    }

    /** The table's changes to {@code topic}, keyed by the topic's Avro key instead of the store's string. */
    @SuppressWarnings("unchecked")
    private static <K, V> void write(KTable<String, V> table, Topic<K, V> topic, String what, boolean weekly) {
        table.toStream(Named.as(name(what + "-changes")))
                .map((k, v) -> KeyValue.pair((K) (weekly ? OrganisationViews.topicWeekKey(k)
                        : OrganisationViews.topicRoleKey(k)), v), Named.as(name(what + "-topic-key")))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde()).withName(name(what + "-sink")));
    }
}
