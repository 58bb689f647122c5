package org.communitypulse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version {@code pulse --version} prints: the build's, from {@code pulse-version.properties} (filtered
 * by Maven), else the jar manifest's {@code Implementation-Version}.
 */
final class PulseVersion implements IVersionProvider {

    static final String RESOURCE = "/pulse-version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"Community Pulse " + version(),
                "Java ${java.version} (${java.vendor}), ${os.name} ${os.arch}"};
    }

    static String version() {
        try (InputStream in = PulseVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                Properties props = new Properties();
                props.load(in);
                String version = props.getProperty("version", "");
                if (!version.isBlank() && !version.contains("${")) {
                    return version;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + RESOURCE, e);
        }
        String manifest = PulseVersion.class.getPackage().getImplementationVersion();
        return manifest != null ? manifest : "unknown";
    }
}
