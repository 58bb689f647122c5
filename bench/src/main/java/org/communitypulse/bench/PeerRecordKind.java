package org.communitypulse.bench;

import java.util.List;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.CohortRetention;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.TrailingEngagement;

/**
 * The metric records the batch peer recomputes and compares with the pipeline's: where the pipeline writes
 * them, which SQL resource recomputes them into which table, and which fields are compared (every field of
 * the Avro schema but the key's and {@code updatedAt}, a wall-clock stamp).
 */
public enum PeerRecordKind {
    DAILY("daily", "daily", "daily-engagement.sql", DailyEngagement.getClassSchema(), "day", Topics::dailyEngagement),
    TRAILING("trailing", "trailing_engagement", "trailing-engagement.sql", TrailingEngagement.getClassSchema(), "day",
            Topics::trailingEngagement),
    RETENTION("retention", "cohort_retention", "cohort-retention.sql", CohortRetention.getClassSchema(), "cohortWeek",
            Topics::retention);

    private static final String COMMUNITY = "communityId";
    private static final String UPDATED_AT = "updatedAt";

    /** The kind's name in the results and the log. */
    public final String label;
    /** The peer's table of this kind ({@code trailing} alone is a keyword in PostgreSQL). */
    final String table;
    final String sqlResource;
    /** The field holding the key's day (a Monday for retention), as the peer's column of that name. */
    final String dayField;
    private final Function<Topics, Topic<CommunityDayKey, ? extends SpecificRecord>> topic;
    /** Fields compared, in schema order. */
    public final List<String> fields;

    PeerRecordKind(String label, String table, String sqlResource, Schema schema, String dayField,
                   Function<Topics, Topic<CommunityDayKey, ? extends SpecificRecord>> topic) {
        this.label = label;
        this.table = table;
        this.sqlResource = sqlResource;
        this.dayField = dayField;
        this.topic = topic;
        this.fields = schema.getFields().stream().map(Schema.Field::name)
                .filter(f -> !f.equals(COMMUNITY) && !f.equals(dayField) && !f.equals(UPDATED_AT)).toList();
    }

    /** The pipeline's output topic of this kind. */
    Topic<CommunityDayKey, ? extends SpecificRecord> topic(Topics topics) {
        return topic.apply(topics);
    }
}
