package org.communitypulse.schemas.serde.internals;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Avro (1.12.2 on) instantiates a class named by a schema only if it is trusted, because a schema from a
 * registry could otherwise name any class on the classpath. The records we read are the ones generated from
 * this project's schemas, so their package is added to whatever the JVM trusts already (Avro's defaults and the
 * {@code org.apache.avro.SERIALIZABLE_*} system properties), and nothing else.
 */
final class TrustedClasses {

    static final String GENERATED_PACKAGE = "org.communitypulse.schemas.avro";

    private static final ClassSecurityPredicate GENERATED = type -> GENERATED_PACKAGE.equals(type.getPackageName());

    private static boolean installed;

    private TrustedClasses() {
    }

    static synchronized void install() {
        if (!installed) {
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                    GENERATED));
            installed = true;
        }
    }
}
