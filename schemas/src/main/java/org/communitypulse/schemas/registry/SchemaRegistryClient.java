package org.communitypulse.schemas.registry;

import java.io.Closeable;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST protocol that the serdes need.
 *
 * <p>Implementations cache in both directions (schema to id per subject, id to schema), so a
 * serde asks the network once per schema, not once per record. Failures surface as
 * {@link SchemaRegistryException} with the registry's HTTP status and error code.
 */
public interface SchemaRegistryClient extends Closeable {

    /** Registers {@code schema} under {@code subject} (or finds it there) and returns its global id. */
    int register(String subject, Schema schema);

    /** Looks up the id of an already registered schema without registering it. */
    int getId(String subject, Schema schema);

    /** Fetches the schema with global id {@code id}. */
    Schema getById(int id);

    /** Sets the compatibility level (e.g. {@code BACKWARD}) of {@code subject}, or globally when null. */
    void setCompatibility(String subject, String level);

    /** Asks whether {@code schema} is compatible with the latest version under {@code subject}. */
    boolean isCompatible(String subject, Schema schema);

    @Override
    default void close() {
    }
}
