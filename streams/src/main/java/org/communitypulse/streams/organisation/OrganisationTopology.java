package org.communitypulse.streams.organisation;

import java.time.LocalDate;
import java.util.function.Function;
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
import org.communitypulse.schemas.avro.OrganisationWeekKey;
import org.communitypulse.schemas.avro.RoleCoverage;
import org.communitypulse.schemas.avro.StaffShare;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.organisation.internals.CommunityWeeks;
import org.communitypulse.streams.organisation.internals.CoverageRollup;
import org.communitypulse.streams.organisation.internals.HealthRollup;
import org.communitypulse.streams.organisation.internals.Rollup;
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
        weekly(scorecards, "scorecard", MaturityScorecard::getOrganisationId, MaturityScorecard::getPeriodStart,
                ScorecardRollup::entry, serdes.forValue(OrganisationCommunityScore.class), ScorecardRollup.ROLLUP,
                SCORECARD_STORE, serdes.forValue(OrganisationScorecard.class), topics.organisationScorecard());
        weekly(table(builder, topics.communityHealth(), "health"), "health", CommunityHealth::getOrganisationId,
                CommunityHealth::getPeriodStart, HealthRollup::entry, serdes.forValue(OrganisationCommunityHealth.class),
                HealthRollup.ROLLUP, HEALTH_STORE, serdes.forValue(OrganisationHealth.class),
                topics.organisationHealth());
        weekly(table(builder, topics.staffShare(), "staff-share"), "staff-share", StaffShare::getOrganisationId,
                StaffShare::getPeriodStart, StaffRollup::entry, serdes.forValue(OrganisationCommunityStaff.class),
                StaffRollup.ROLLUP, STAFF_SHARE_STORE, serdes.forValue(OrganisationStaffShare.class),
                topics.organisationStaffShare());

        // Coverage records name no organisation: a community's is the one its latest scorecard names.
        KTable<String, String> current = scorecards
                .groupBy((k, v) -> KeyValue.pair(v.getCommunityId(), CommunityWeeks.of(v)),
                        Grouped.with(name("community-weeks-by-community"), Serdes.String(),
                                serdes.forValue(CommunityOrganisations.class)))
                .aggregate(() -> null, CommunityWeeks::add, CommunityWeeks::remove, Named.as(name("community-weeks")),
                        store(COMMUNITY_WEEKS_STORE, serdes.forValue(CommunityOrganisations.class)))
                .mapValues(CommunityWeeks::current, Named.as(name("community-current")),
                        store(COMMUNITY_CURRENT_STORE, Serdes.String()));
        // Kept without the holders' member ids: an erasure then has nothing to remove here.
        Topic<CommunityRoleKey, RoleCoverage> input = topics.roleCoverage();
        Serde<OrganisationCommunityRole> rows = serdes.forValue(OrganisationCommunityRole.class);
        KTable<CommunityRoleKey, OrganisationCommunityRole> coverage = builder.stream(input.name(),
                        Consumed.with(input.keySerde(), input.valueSerde()).withName(name("coverage-source")))
                .mapValues(CoverageRollup::row, Named.as(name("coverage-row")))
                .toTable(Named.as(name("coverage-table")),
                        Materialized.<CommunityRoleKey, OrganisationCommunityRole, KeyValueStore<Bytes, byte[]>>as(
                                name("coverage-input-store")).withKeySerde(input.keySerde()).withValueSerde(rows));
        KTable<String, OrganisationCoverage> orgCoverage = coverage
                .join(current, OrganisationCommunityRole::getCommunityId, CoverageRollup::entry,
                        TableJoined.as(name("coverage-organisation-join")),
                        Materialized.<CommunityRoleKey, OrganisationCommunityRole, KeyValueStore<Bytes, byte[]>>as(
                                name("coverage-with-organisation-store"))
                                .withKeySerde(input.keySerde()).withValueSerde(rows))
                .groupBy((k, v) -> KeyValue.pair(OrganisationViews.roleKey(v.getOrganisationId(), v.getRole()), v),
                        Grouped.with(name("coverage-by-role"), Serdes.String(), rows))
                .aggregate(() -> null, CoverageRollup.ROLLUP::add, CoverageRollup.ROLLUP::remove,
                        Named.as(name("coverage-rollup")), store(COVERAGE_STORE,
                                serdes.forValue(OrganisationCoverage.class)));
        write(orgCoverage, topics.organisationCoverage(), "coverage", false);
    }

    /**
     * One weekly roll-up: the community records naming an organisation, regrouped by {@code organisation NUL Monday}
     * as their {@code entry}, folded with {@code rollup} into {@code store} and written to {@code output}.
     */
    private static <I, E, R> void weekly(KTable<CommunityDayKey, I> input, String what,
                                         Function<I, String> organisation, Function<I, LocalDate> week,
                                         Function<I, E> entry, Serde<E> entries, Rollup<E, R> rollup, String store,
                                         Serde<R> records, Topic<OrganisationWeekKey, R> output) {
        KTable<String, R> rolled = input
                .filter((k, v) -> organisation.apply(v) != null, Named.as(name(what + "-with-organisation")))
                .groupBy((k, v) -> KeyValue.pair(OrganisationViews.weekKey(organisation.apply(v), week.apply(v)),
                        entry.apply(v)), Grouped.with(name(what + "-by-week"), Serdes.String(), entries))
                .aggregate(() -> null, rollup::add, rollup::remove, Named.as(name(what + "-rollup")),
                        store(store, records));
        write(rolled, output, what, true);
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
