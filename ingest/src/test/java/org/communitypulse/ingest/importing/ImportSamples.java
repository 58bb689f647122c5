package org.communitypulse.ingest.importing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The hand-written export samples under {@code src/test/resources/import}. */
public final class ImportSamples {

    private ImportSamples() {
    }

    public static Path path(String source, String name) {
        URL url = ImportSamples.class.getResource("/import/" + source + "/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no sample import/" + source + "/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
