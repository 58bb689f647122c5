package org.communitypulse.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubPollerSourceConnectorTest {

    private static final String TOKEN = "ghp_unit0123456789abcdefghijklmnopqrstu";

    static Map<String, String> props() {
        Map<String, String> props = new HashMap<>();
        props.put(GitHubPollerConfig.REPOSITORIES_CONFIG, "octo-org, octocat/Hello-World");
        props.put(GitHubPollerConfig.TOKEN_CONFIG, TOKEN);
        props.put(PulseConnectConfig.COMMUNITY_CONFIG, "octo");
        props.put(PulseConnectConfig.REGISTRY_URL_CONFIG, "http://localhost:8081");
        props.put(Converters.KEY_CONVERTER_CONFIG, PulseConnectConfig.POLLER_KEY_CONVERTER);
        props.put(Converters.VALUE_CONVERTER_CONFIG, PulseConnectConfig.VALUE_CONVERTER);
        return props;
    }

    private static String error(Map<String, String> props, String key) {
        return new GitHubPollerSourceConnector().validate(props).configValues().stream()
                .filter(v -> v.name().equals(key)).map(ConfigValue::errorMessages).findFirst().orElseThrow()
                .stream().findFirst().orElse(null);
    }

    @Test
    void shouldRunOneTaskWithDefaultsWhenStarted() {
        GitHubPollerSourceConnector connector = new GitHubPollerSourceConnector();
        connector.start(props());
        assertThat(connector.taskConfigs(4)).hasSize(1);
        GitHubPollerConfig config = new GitHubPollerConfig(connector.taskConfigs(4).get(0));
        assertThat(config.repositories()).containsExactly("octo-org", "octocat/Hello-World");
        assertThat(config.url()).hasToString("https://api.github.com");
        assertThat(config.startSince()).isEqualTo(Instant.EPOCH);
        assertThat(config.discussions()).isTrue();
        assertThat(config.apiSettings().token()).isEqualTo(TOKEN);
    }

    @Test
    void shouldReportBadValuesWhenValidated() {
        Map<String, String> props = props();
        props.put(GitHubPollerConfig.REPOSITORIES_CONFIG, "octo-org/repo/extra");
        props.put(GitHubPollerConfig.URL_CONFIG, "api.github.com");
        props.put(GitHubPollerConfig.START_SINCE_CONFIG, "last week");
        assertThat(error(props, GitHubPollerConfig.REPOSITORIES_CONFIG)).contains("owner/repo");
        assertThat(error(props, GitHubPollerConfig.URL_CONFIG)).contains("http(s)://host");
        assertThat(error(props, GitHubPollerConfig.START_SINCE_CONFIG)).contains("2026-01-31");
    }

    @Test
    void shouldReadSinceAsDayOrInstant() {
        Map<String, String> props = props();
        props.put(GitHubPollerConfig.START_SINCE_CONFIG, "2026-11-01");
        assertThat(new GitHubPollerConfig(props).startSince()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        props.put(GitHubPollerConfig.START_SINCE_CONFIG, "2026-11-01T12:30:00Z");
        assertThat(new GitHubPollerConfig(props).startSince()).isEqualTo(Instant.parse("2026-11-01T12:30:00Z"));
    }

    @Test
    void shouldReadTokenFromFileAndNeverShowItWhenMisconfigured(@TempDir Path dir) throws Exception {
        Map<String, String> props = props();
        Path file = dir.resolve("token");
        Files.writeString(file, TOKEN + "\n");
        props.put(GitHubPollerConfig.TOKEN_FILE_CONFIG, file.toString());
        assertThatThrownBy(() -> new GitHubPollerSourceConnector().start(props))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not both").hasMessageNotContaining(TOKEN);

        props.remove(GitHubPollerConfig.TOKEN_CONFIG);
        assertThat(new GitHubPollerConfig(props).apiSettings().token()).isEqualTo(TOKEN);

        props.remove(GitHubPollerConfig.TOKEN_FILE_CONFIG);
        assertThatThrownBy(() -> new GitHubPollerSourceConnector().start(props))
                .isInstanceOf(ConfigException.class).hasMessageContaining("token is required");
    }

    @Test
    void shouldRequireByteArrayKeysWhenStarted() {
        Map<String, String> props = props();
        props.put(Converters.KEY_CONVERTER_CONFIG, PulseConnectConfig.KEY_CONVERTER);
        assertThatThrownBy(() -> new GitHubPollerSourceConnector().start(props))
                .hasMessageContaining(PulseConnectConfig.POLLER_KEY_CONVERTER);
        assertThat(List.of(new GitHubPollerSourceConnector().config().names().toArray()))
                .contains(GitHubPollerConfig.TOKEN_CONFIG, GitHubPollerConfig.REPOSITORIES_CONFIG);
    }
}
