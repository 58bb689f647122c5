package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.streams.http.AccessTokens;
import org.communitypulse.streams.http.HttpSettings;
import org.communitypulse.streams.http.HttpTokenFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP server's settings: bind host, tokens from values, files or the environment, and the generated token. */
class PulseStreamsConfigHttpTest {

    private static final String READ = "read-token-0123456789abcdef";
    private static final String ADMIN = "admin-token-0123456789abcdef";

    @TempDir
    Path dir;

    private static PulseStreamsConfig config(Map<String, ?> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put(PulseStreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        props.put(PulseStreamsConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://localhost:8081");
        props.putAll(extra);
        return new PulseStreamsConfig(props);
    }

    @Test
    void shouldBindLoopbackWithAuthenticationWhenNothingIsSet() {
        PulseStreamsConfig config = config(Map.of());
        HttpSettings settings = config.httpSettings(7070, Optional.empty());
        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(config.httpAuthEnabled()).isTrue();
        assertThat(config.httpTokens()).isEmpty();
        assertThat(settings.corsOrigins()).isEmpty();
        assertThat(settings.metricsPublic()).isTrue();
        assertThat(settings.maxSseClients()).isEqualTo(HttpSettings.DEFAULT_MAX_SSE_CLIENTS);
    }

    @Test
    void shouldReadTokensFromFilesNamedInTheEnvironment() throws Exception {
        Path admin = Files.writeString(dir.resolve("admin"), ADMIN + "\n");
        Map<String, String> env = Map.of("PULSE_HTTP_ADMIN_TOKEN_FILE", admin.toString(), "PULSE_HTTP_READ_TOKEN", READ,
                "PULSE_HTTP_HOST", "0.0.0.0", "PULSE_HTTP_ALLOWED_HOSTS", "pulse.example.org,proxy",
                "PULSE_HTTP_CORS_ALLOWED_ORIGINS", "https://app.example.org");
        PulseStreamsConfig config = config(PulseStreamsConfig.fromEnvironment(env));
        AccessTokens tokens = config.httpTokens().orElseThrow();
        assertThat(tokens.scopeOf(ADMIN)).contains(AccessTokens.Scope.ADMIN);
        assertThat(tokens.scopeOf(READ)).contains(AccessTokens.Scope.READ);
        HttpSettings settings = config.httpSettings(7070, Optional.of(tokens));
        assertThat(settings.host()).isEqualTo("0.0.0.0");
        assertThat(settings.allowedHosts()).containsExactlyInAnyOrder("pulse.example.org", "proxy");
        assertThat(settings.corsOrigins()).isEqualTo(List.of("https://app.example.org"));
        // The token itself is never shown by the configuration.
        assertThat(config.toString()).doesNotContain(READ).doesNotContain(ADMIN);
        assertThat(config.values().toString()).doesNotContain(READ);
    }

    @Test
    void shouldRefuseATokenGivenTwiceOrTooShortOrUnreadable() {
        assertThatThrownBy(() -> config(Map.of(PulseStreamsConfig.HTTP_ADMIN_TOKEN_CONFIG, ADMIN,
                PulseStreamsConfig.HTTP_ADMIN_TOKEN_FILE_CONFIG, "/some/file")).httpTokens())
                .isInstanceOf(ConfigException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> config(Map.of(PulseStreamsConfig.HTTP_READ_TOKEN_CONFIG, "short")).httpTokens())
                .isInstanceOf(ConfigException.class).hasMessageContaining("shorter");
        assertThatThrownBy(() -> config(Map.of(PulseStreamsConfig.HTTP_READ_TOKEN_FILE_CONFIG,
                dir.resolve("missing").toString())).httpTokens())
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot be read");
    }

    @Test
    void shouldGenerateTheAdminTokenOnceReadableByTheOwnerOnly() throws Exception {
        Path file = HttpTokenFiles.generatedAdminToken(dir.resolve("state"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String token = HttpTokenFiles.read(file);
        assertThat(token).hasSizeGreaterThanOrEqualTo(43);
        assertThat(AccessTokens.of(null, token).scopeOf(token)).contains(AccessTokens.Scope.ADMIN);
        // Kept across restarts: a browser's cookie stays valid.
        assertThat(HttpTokenFiles.read(HttpTokenFiles.generatedAdminToken(dir.resolve("state")))).isEqualTo(token);
    }
}
