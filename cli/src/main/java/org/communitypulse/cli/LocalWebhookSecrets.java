package org.communitypulse.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.communitypulse.ingest.http.WebhookServerConfig;
import org.communitypulse.ingest.webhook.WebhookSource;

/**
 * Signing secrets for {@code pulse run}'s webhook receiver when the environment gives none for a
 * platform: a random secret per platform in {@code <dir>/<platform>.secret}, created once (owner-only)
 * and kept, so a second run and the platform's configuration go on matching. The values are never printed.
 */
final class LocalWebhookSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalWebhookSecrets() {
    }

    /** The secret file of {@code source} in {@code dir}. */
    static Path file(Path dir, WebhookSource source) {
        return dir.resolve(source.name().toLowerCase(Locale.ROOT) + ".secret");
    }

    /**
     * Webhook server settings naming a secret file for every platform whose secret the environment does
     * not set ({@code PULSE_<PLATFORM>_SECRET} or {@code _FILE}), creating missing files.
     */
    static Map<String, Object> settings(Path dir, Map<String, String> environment) throws IOException {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (WebhookSource source : WebhookSource.values()) {
            if (environment.containsKey(source.secretVariable()) || environment.containsKey(source.secretFileVariable())) {
                continue;
            }
            Path file = file(dir, source);
            if (!Files.exists(file)) {
                Files.createDirectories(dir);
                byte[] secret = new byte[32];
                RANDOM.nextBytes(secret);
                Files.writeString(file, HexFormat.of().formatHex(secret) + "\n", StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system (Windows): the data directory's own permissions apply.
                }
            }
            settings.put(WebhookServerConfig.secretFileConfig(source), file.toAbsolutePath().toString());
        }
        return settings;
    }
}
