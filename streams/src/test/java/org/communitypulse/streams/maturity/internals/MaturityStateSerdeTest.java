package org.communitypulse.streams.maturity.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.communitypulse.schemas.avro.HealthAlertLifecycle;
import org.communitypulse.schemas.avro.HealthAlertSnapshot;
import org.communitypulse.schemas.avro.HealthAlertStep;
import org.communitypulse.schemas.avro.MaturitySpan;
import org.communitypulse.schemas.avro.MaturityStateValue;
import org.communitypulse.schemas.avro.MaturityWeekState;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.common.MixedAvroStateSerde;
import org.communitypulse.streams.common.StateFormat;
import org.junit.jupiter.api.Test;

/** The maturity family's state values written as the stores write them and read back. */
class MaturityStateSerdeTest {

    private static final String CHANGELOG = "app-maturity-state-store-changelog";
    private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
    private final MixedAvroStateSerde<MaturityStateValue> state = MaturityProcessor.stateSerde("maturity-state-store",
            serdes.forValue(MaturityStateValue.class));

    private Object roundTrip(Object value) {
        byte[] bytes = state.serializer().serialize(CHANGELOG, value);
        return state.deserializer().deserialize(CHANGELOG, bytes);
    }

    @Test
    void shouldReadBackEqualWhenASpanIsWritten() {
        MaturitySpan span = new MaturitySpan(1_700_000_000_000L, 1_800_000_000_000L);

        Object stored = roundTrip(span);

        // Reads hand the bytes back: the processor decodes by the key's shape.
        assertThat(stored).isInstanceOf(byte[].class);
        assertThat(state.read(stored, MaturitySpan.class)).isEqualTo(span).isNotSameAs(span);
    }

    @Test
    void shouldReadBackEqualWhenAWeekIsWritten() {
        MaturityWeekState week = new MaturityWeekState(12L, 10L, 3L, 0b1010101,
                new ArrayList<>(List.of("DISCOURSE", "GITHUB", "SLACK")));

        assertThat(state.read(roundTrip(week), MaturityWeekState.class)).isEqualTo(week);
    }

    @Test
    void shouldKeepMarksAndMemberWeeksAsTheirBytesWhenWritten() {
        byte[] mark = new byte[0];
        byte[] latest = ByteBuffer.allocate(Long.BYTES).putLong(42L).array();

        assertThat(state.serializer().serialize(CHANGELOG, mark)).isSameAs(mark);
        assertThat((byte[]) roundTrip(latest)).isEqualTo(latest);
    }

    @Test
    void shouldReturnTheCachedObjectItselfWhenItIsAlreadyDecoded() {
        MaturitySpan span = new MaturitySpan(1L, 2L);

        assertThat(state.read(span, MaturitySpan.class)).isSameAs(span);
        assertThat(state.read(null, MaturitySpan.class)).isNull();
    }

    @Test
    void shouldFailNamingTheShapesWhenAKeyIsReadAsTheWrongKind() {
        Object stored = roundTrip(new MaturitySpan(1L, 2L));

        assertThatThrownBy(() -> state.read(stored, MaturityWeekState.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maturity-state-store").hasMessageContaining("MaturitySpan")
                .hasMessageContaining("MaturityWeekState");
    }

    @Test
    void shouldAskForAResetWhenTheStateStoreHoldsTheOldJson() {
        byte[] json = "{\"firstAt\":1,\"latestAt\":2}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> state.read(json, MaturitySpan.class))
                .isInstanceOf(StateFormat.StaleStateException.class)
                .hasMessageContaining("maturity-state-store").hasMessageContaining("JSON")
                .hasMessageContaining("Reset the application and reprocess")
                .hasMessageContaining("Upgrades and schema evolution");
    }

    private static HealthAlertLifecycle everyFieldSet() {
        HealthAlertStep now = new HealthAlertStep(20_000, "CRITICAL", 1, "FIRING 20000");
        List<HealthAlertSnapshot> before = new ArrayList<>(List.of(
                new HealthAlertSnapshot(19_993, new HealthAlertStep(null, null, 0, "RESOLVED 19951")),
                new HealthAlertSnapshot(20_000, new HealthAlertStep(null, null, 0, null)),
                new HealthAlertSnapshot(20_007, new HealthAlertStep(20_000, "WARNING", 0, "FIRING 20000"))));
        return new HealthAlertLifecycle(20_014, true, 20_021, 20_007, now, before);
    }

    @Test
    void shouldReadBackEqualWhenAHealthAlertLifecycleIsWritten() {
        Serde<HealthAlertLifecycle> serde = StateFormat.guarded("maturity-health-alert-store",
                serdes.forValue(HealthAlertLifecycle.class));
        HealthAlertLifecycle stored = everyFieldSet();

        HealthAlertLifecycle back = serde.deserializer().deserialize("changelog",
                serde.serializer().serialize("changelog", HealthAlerts.Lifecycle.of(stored).toAvro()));

        assertThat(back).isEqualTo(stored);
    }

    @Test
    void shouldWriteTheSnapshotsInWeekOrderWhenReadInAnyOrder() {
        HealthAlertLifecycle stored = everyFieldSet();
        List<HealthAlertSnapshot> shuffled = new ArrayList<>(stored.getBefore());
        java.util.Collections.reverse(shuffled);
        HealthAlertLifecycle unordered = HealthAlertLifecycle.newBuilder(stored).setBefore(shuffled).build();

        assertThat(HealthAlerts.Lifecycle.of(unordered).toAvro()).isEqualTo(stored);
    }

    @Test
    void shouldAskForAResetWhenTheLifecycleStoreHoldsTheOldJson() {
        Serde<HealthAlertLifecycle> serde = StateFormat.guarded("maturity-health-alert-store",
                serdes.forValue(HealthAlertLifecycle.class));
        byte[] json = "{\"next\":20000,\"started\":true}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> serde.deserializer().deserialize("changelog", json))
                .isInstanceOf(StateFormat.StaleStateException.class)
                .hasMessageContaining("maturity-health-alert-store")
                .hasMessageContaining("Reset the application and reprocess");
    }
}
