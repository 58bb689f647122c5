package org.communitypulse.embedded;

import java.util.Locale;

/** How {@link KafkaClusters#start()} picks the kind of broker. */
public enum KafkaMode {
    /** Always the in-process KRaft broker. */
    EMBEDDED,
    /** Always Testcontainers; fails when Docker is not reachable. */
    TESTCONTAINERS,
    /** Testcontainers when it is on the classpath and Docker answers quickly, else in-process. */
    AUTO;

    /** Parses {@code embedded|testcontainers|auto}, ignoring case and surrounding blanks. */
    public static KafkaMode parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
