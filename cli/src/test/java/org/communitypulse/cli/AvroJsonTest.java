package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.communitypulse.schemas.avro.CohortRetention;
import org.junit.jupiter.api.Test;

/** The JSON a replay writes: readable logical types, plain unions, omitted wall-clock fields. */
class AvroJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static CohortRetention retention() {
        return new CohortRetention("c1", LocalDate.of(2011, 3, 7), 21L, 6L, 6 / 21.0, true,
                Instant.parse("2024-05-06T07:08:09.123Z"));
    }

    @Test
    void shouldRenderDayAsIsoDateAndTimestampAsIsoInstantWhenGivenASpecificRecord() throws Exception {
        String json = JSON.writeValueAsString(new AvroJson(Set.of()).toJson(retention()));

        assertThat(json).isEqualTo("{\"communityId\":\"c1\",\"cohortWeek\":\"2011-03-07\",\"cohortSize\":21,"
                + "\"retained\":6,\"retainedShare\":0.2857142857142857,\"complete\":true,"
                + "\"updatedAt\":\"2024-05-06T07:08:09.123Z\"}");
    }

    @Test
    void shouldLeaveOutTheNamedFieldsWhenAskedTo() {
        var node = new AvroJson(ReplayRunner.WALL_CLOCK_FIELDS).toJson(retention());

        assertThat(node.has("updatedAt")).isFalse();
        assertThat(node.get("cohortSize").asLong()).isEqualTo(21);
    }

    @Test
    void shouldRenderRawLogicalValuesUnwrappedUnionsAndSortedMapsWhenGivenAGenericRecord() throws Exception {
        Schema schema = new Schema.Parser().parse("""
                {"type": "record", "name": "R", "fields": [
                  {"name": "day", "type": {"type": "int", "logicalType": "date"}},
                  {"name": "at", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}]},
                  {"name": "either", "type": ["null", "string", "long"]},
                  {"name": "none", "type": ["null", "string"]},
                  {"name": "tags", "type": {"type": "map", "values": "int"}},
                  {"name": "ids", "type": {"type": "array", "items": "string"}}
                ]}""");
        GenericRecord r = new GenericData.Record(schema);
        r.put("day", (int) LocalDate.of(2011, 3, 4).toEpochDay());
        r.put("at", Instant.parse("2020-01-02T03:04:05Z").toEpochMilli());
        r.put("either", 7L);
        r.put("none", null);
        r.put("tags", Map.of("z", 1, "a", 2));
        r.put("ids", List.of("x", "y"));

        String json = JSON.writeValueAsString(new AvroJson(Set.of()).toJson(r));

        assertThat(json).isEqualTo("{\"day\":\"2011-03-04\",\"at\":\"2020-01-02T03:04:05Z\",\"either\":7,"
                + "\"none\":null,\"tags\":{\"a\":2,\"z\":1},\"ids\":[\"x\",\"y\"]}");
    }

    @Test
    void shouldRenderPlainKeysAsTextWhenTheyAreNotAvro() {
        assertThat(new AvroJson(Set.of()).toJson("community-1").asText()).isEqualTo("community-1");
    }
}
