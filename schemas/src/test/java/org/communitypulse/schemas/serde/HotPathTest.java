package org.communitypulse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serde;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.junit.jupiter.api.Test;

/** After the first record of a schema, serialising and deserialising does not ask the registry again. */
class HotPathTest {

    @Test
    void shouldCallRegistryOncePerSchemaWhenManyRecordsFlow() {
        CountingClient registry = new CountingClient(new InMemorySchemaRegistryClient());
        Serde<ActivityEvent> serde = new AvroSerdes(registry, true).forValue(ActivityEvent.class);

        for (int i = 0; i < 500; i++) {
            ActivityEvent event = Fixtures.fullEvent();
            event.setEventId("e-" + i);
            byte[] bytes = serde.serializer().serialize("hot-path", event);
            assertThat(serde.deserializer().deserialize("hot-path", bytes).getEventId()).isEqualTo("e-" + i);
        }

        assertThat(registry.registers.get()).isEqualTo(1);
        // One fetch for the first record's writer schema, then the cached resolved reader.
        assertThat(registry.fetches.get()).isEqualTo(1);
    }

    /** Counts calls on the way to a real registry. */
    private static final class CountingClient implements SchemaRegistryClient {
        private final SchemaRegistryClient delegate;
        final AtomicInteger registers = new AtomicInteger();
        final AtomicInteger fetches = new AtomicInteger();

        CountingClient(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public int register(String subject, Schema schema) {
            registers.incrementAndGet();
            return delegate.register(subject, schema);
        }

        @Override
        public int getId(String subject, Schema schema) {
            return delegate.getId(subject, schema);
        }

        @Override
        public Schema getById(int id) {
            fetches.incrementAndGet();
            return delegate.getById(id);
        }

        @Override
        public void setCompatibility(String subject, String level) {
            delegate.setCompatibility(subject, level);
        }

        @Override
        public boolean isCompatible(String subject, Schema schema) {
            return delegate.isCompatible(subject, schema);
        }
    }
}
