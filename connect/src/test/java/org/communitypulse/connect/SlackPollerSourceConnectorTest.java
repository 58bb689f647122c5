package org.communitypulse.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.communitypulse.ingest.slack.FakeSlackWorkspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlackPollerSourceConnectorTest {

    static Map<String, String> props(String url) {
        Map<String, String> props = new HashMap<>();
        props.put(PulseConnectConfig.COMMUNITY_CONFIG, "workspace");
        props.put(PulseConnectConfig.REGISTRY_URL_CONFIG, "http://127.0.0.1:1");
        props.put(SlackPollerConfig.API_URL_CONFIG, url);
        props.put(SlackPollerConfig.TOKEN_CONFIG, FakeSlackWorkspace.TOKEN);
        props.put(SlackPollerConfig.CHANNELS_CONFIG, "C0ONE, C0TWO");
        props.put(Converters.KEY_CONVERTER_CONFIG, PulseConnectConfig.POLLER_KEY_CONVERTER);
        props.put(Converters.VALUE_CONVERTER_CONFIG, PulseConnectConfig.VALUE_CONVERTER);
        return props;
    }

    private static String error(Map<String, String> props, String key) {
        return new SlackPollerSourceConnector().validate(props).configValues().stream()
                .filter(v -> v.name().equals(key)).map(ConfigValue::errorMessages).findFirst().orElseThrow()
                .stream().findFirst().orElse(null);
    }

    @Test
    void shouldRunOneTaskForAllChannelsWhenStarted() {
        SlackPollerSourceConnector connector = new SlackPollerSourceConnector();
        connector.start(props("https://slack.com/api/"));

        assertThat(connector.taskConfigs(5)).singleElement()
                .satisfies(p -> assertThat(new SlackPollerConfig(p).channels()).containsExactly("C0ONE", "C0TWO"));
        assertThat(connector.taskClass()).isEqualTo(SlackPollerSourceTask.class);
    }

    @Test
    void shouldBeListedForServiceLoadingWhenThePluginIsScanned() {
        assertThat(java.util.ServiceLoader.load(org.apache.kafka.connect.source.SourceConnector.class).stream()
                .map(java.util.ServiceLoader.Provider::type)).contains(SlackPollerSourceConnector.class);
    }

    @Test
    void shouldReportBadValuesWhenValidated() {
        Map<String, String> props = props("slack.com/api");
        props.put(SlackPollerConfig.CHANNELS_CONFIG, "#general");
        props.put(SlackPollerConfig.TIER3_CONFIG, "0");
        props.put(SlackPollerConfig.THREAD_WINDOW_HOURS_CONFIG, "-1");

        assertThat(error(props, SlackPollerConfig.API_URL_CONFIG)).contains("http(s)://host");
        assertThat(error(props, SlackPollerConfig.CHANNELS_CONFIG)).contains("not a Slack channel id");
        assertThat(error(props, SlackPollerConfig.TIER3_CONFIG)).contains("at least 1");
        assertThat(error(props, SlackPollerConfig.THREAD_WINDOW_HOURS_CONFIG)).contains("at least 0");
    }

    @Test
    void shouldRequireExactlyOneTokenWithoutShowingItWhenStarted(@TempDir Path dir) throws Exception {
        Map<String, String> none = props("https://slack.com/api/");
        none.remove(SlackPollerConfig.TOKEN_CONFIG);
        assertThatThrownBy(() -> new SlackPollerSourceConnector().start(none)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(SlackPollerConfig.TOKEN_FILE_CONFIG);

        Path file = Files.writeString(dir.resolve("token"), FakeSlackWorkspace.TOKEN + "\n");
        Map<String, String> both = props("https://slack.com/api/");
        both.put(SlackPollerConfig.TOKEN_FILE_CONFIG, file.toString());
        assertThatThrownBy(() -> new SlackPollerSourceConnector().start(both))
                .isInstanceOf(ConfigException.class).message().doesNotContain(FakeSlackWorkspace.TOKEN);

        Map<String, String> fromFile = props("https://slack.com/api/");
        fromFile.remove(SlackPollerConfig.TOKEN_CONFIG);
        fromFile.put(SlackPollerConfig.TOKEN_FILE_CONFIG, file.toString());
        assertThat(new SlackPollerConfig(fromFile).apiSettings().token()).isEqualTo(FakeSlackWorkspace.TOKEN);
        assertThat(new SlackPollerConfig(fromFile).apiSettings().toString()).doesNotContain(FakeSlackWorkspace.TOKEN);
    }

    @Test
    void shouldRequireBytesKeysWhenStarted() {
        Map<String, String> props = props("https://slack.com/api/");
        props.put(Converters.KEY_CONVERTER_CONFIG, PulseConnectConfig.KEY_CONVERTER);

        assertThatThrownBy(() -> new SlackPollerSourceConnector().start(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("key.converter=" + PulseConnectConfig.POLLER_KEY_CONVERTER);
    }

    @Test
    void shouldFailTheTaskNamingTheFixWhenTheBotIsNotInAChannel() throws Exception {
        try (FakeSlackWorkspace slack = new FakeSlackWorkspace().channel("C0ONE").kickedFrom("C0TWO")) {
            SlackPollerSourceTask task = started(props(slack.url().toString()));
            try {
                assertThatThrownBy(task::poll).isInstanceOf(ConnectException.class)
                        .hasMessageContaining("not_in_channel").hasMessageContaining("/invite");
            } finally {
                task.stop();
            }
        }
    }

    @Test
    void shouldKeepTheTaskAliveAndTryAgainLaterWhenStillRateLimited() throws Exception {
        try (FakeSlackWorkspace slack = new FakeSlackWorkspace().channel("C0ONE").channel("C0TWO")) {
            slack.limit("conversations.history", 0, Duration.ofSeconds(30));
            Map<String, String> props = props(slack.url().toString());
            props.put(SlackPollerConfig.MAX_RETRIES_CONFIG, "0");
            SlackPollerSourceTask task = started(props);
            try {
                assertThat(task.poll()).isNull();
                assertThat(task.lastFailure()).get().asString().contains("ratelimited");
                assertThat(slack.calls("conversations.history")).isEqualTo(1);
            } finally {
                task.stop();
            }
        }
    }

    private static SlackPollerSourceTask started(Map<String, String> props) {
        SlackPollerSourceTask task = new SlackPollerSourceTask();
        return PollerTasks.started(task, props);
    }
}
