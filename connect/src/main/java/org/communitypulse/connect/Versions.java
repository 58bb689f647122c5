package org.communitypulse.connect;

/** The version the connectors report to Connect: the jar's, or "dev" when run from classes. */
final class Versions {

    static final String VERSION = version();

    private Versions() {
    }

    private static String version() {
        String version = Versions.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
