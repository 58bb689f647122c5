package org.communitypulse.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentVariablesTest {

    private static final String SECRET = "s3cr3t-Pa55";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define("topic.prefix", Type.STRING, "", Importance.LOW, "prefix")
            .define("pulse.alerts.http-port", Type.INT, 1, Importance.LOW, "port")
            .define("registry.user.info", Type.PASSWORD, "", Importance.LOW, "credentials")
            .define("http.token", Type.PASSWORD, null, Importance.LOW, "token")
            .define("http.token.file", Type.STRING, "", Importance.LOW, "file holding the token");

    @TempDir
    Path dir;

    @Test
    void shouldNameEveryVariableOnceBehindThePulsePrefix() {
        assertThat(EnvironmentVariables.variable("topic.prefix")).isEqualTo("PULSE_TOPIC_PREFIX");
        assertThat(EnvironmentVariables.variable("pulse.alerts.http-port")).isEqualTo("PULSE_ALERTS_HTTP_PORT");
        assertThat(EnvironmentVariables.variable("streams.")).isEqualTo("PULSE_STREAMS_");
    }

    @Test
    void shouldReadTheDefinedKeysAndIgnoreEveryOtherVariable() {
        Map<String, String> settings = EnvironmentVariables.settings(DEFINITION, Map.of(
                "PULSE_TOPIC_PREFIX", "acme.", "PULSE_ALERTS_HTTP_PORT", "9000",
                "PULSE_TOPIC_PREFIX_X", "not a key", "TOPIC_PREFIX", "no prefix", "PULSE_PULSE_ALERTS_HTTP_PORT", "1",
                "PATH", "/bin"));

        assertThat(settings).containsExactly(Map.entry("pulse.alerts.http-port", "9000"),
                Map.entry("topic.prefix", "acme."));
    }

    @Test
    void shouldReadASecretFromTheFileItsFileVariableNames() throws Exception {
        Path file = Files.writeString(dir.resolve("user-info"), SECRET + "\n");

        assertThat(EnvironmentVariables.settings(DEFINITION, Map.of("PULSE_REGISTRY_USER_INFO_FILE", file.toString())))
                .containsExactly(Map.entry("registry.user.info", SECRET));
        assertThat(EnvironmentVariables.settings(DEFINITION, Map.of("PULSE_REGISTRY_USER_INFO", SECRET)))
                .containsExactly(Map.entry("registry.user.info", SECRET));
        // Only secrets have a file form: a plain key's _FILE variable names nothing.
        assertThat(EnvironmentVariables.settings(DEFINITION, Map.of("PULSE_TOPIC_PREFIX_FILE", file.toString())))
                .isEmpty();
    }

    @Test
    void shouldLeaveTheFileToItsOwnKeyWhenTheDefinitionHasOne() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), SECRET);

        assertThat(EnvironmentVariables.settings(DEFINITION, Map.of("PULSE_HTTP_TOKEN_FILE", file.toString())))
                .containsExactly(Map.entry("http.token.file", file.toString()));
    }

    @Test
    void shouldRefuseASecretGivenBothWaysWhicheverWouldHaveWon() throws Exception {
        Path file = Files.writeString(dir.resolve("user-info"), SECRET);

        assertThatThrownBy(() -> EnvironmentVariables.settings(DEFINITION, Map.of("PULSE_REGISTRY_USER_INFO", SECRET,
                "PULSE_REGISTRY_USER_INFO_FILE", file.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PULSE_REGISTRY_USER_INFO and PULSE_REGISTRY_USER_INFO_FILE")
                .hasMessageNotContaining(SECRET);
        // A blank variable is unset (a compose file's empty placeholder), so the file wins without a conflict.
        assertThat(EnvironmentVariables.secret("PULSE_REGISTRY_USER_INFO", Map.of("PULSE_REGISTRY_USER_INFO", " ",
                "PULSE_REGISTRY_USER_INFO_FILE", file.toString()))).contains(SECRET);
        assertThat(EnvironmentVariables.secret("PULSE_REGISTRY_USER_INFO", Map.of("PULSE_REGISTRY_USER_INFO", " ")))
                .isEmpty();
    }

    @Test
    void shouldNameTheVariableAndFileButNeverTheValueWhenTheFileIsUnusable() throws Exception {
        Path missing = dir.resolve("missing");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        Path latin1 = Files.write(dir.resolve("latin1"), new byte[] {'Z', 'q', (byte) 0xE9, 'X', 'v'});

        assertThatThrownBy(() -> secretFromFile(missing))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PULSE_TOKEN_FILE")
                .hasMessageContaining(missing.toString()).hasMessageContaining("NoSuchFileException");
        assertThatThrownBy(() -> secretFromFile(empty))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is empty");
        assertThatThrownBy(() -> secretFromFile(latin1))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PULSE_TOKEN_FILE")
                .hasMessageNotContaining("Zq");
    }

    private static String secretFromFile(Path file) {
        return EnvironmentVariables.secret("PULSE_TOKEN", Map.of("PULSE_TOKEN_FILE", file.toString())).orElseThrow();
    }

    @Test
    void shouldPassThroughPrefixedVariablesAsDottedKeys() {
        assertThat(EnvironmentVariables.passThrough("streams.", Map.of("PULSE_STREAMS_NUM_STREAM_THREADS", "2",
                "PULSE_STREAMS_", "no key", "PULSE_STATE_DIR", "/s")))
                .containsExactly(Map.entry("streams.num.stream.threads", "2"));
    }
}
