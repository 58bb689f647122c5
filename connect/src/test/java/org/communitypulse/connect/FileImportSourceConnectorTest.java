package org.communitypulse.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;

class FileImportSourceConnectorTest {

    static Map<String, String> props(String paths) {
        Map<String, String> props = new HashMap<>();
        props.put(FileImportConfig.SOURCE_CONFIG, "CloudEvents");
        props.put(FileImportConfig.PATHS_CONFIG, paths);
        props.put(PulseConnectConfig.COMMUNITY_CONFIG, "makers");
        props.put(PulseConnectConfig.REGISTRY_URL_CONFIG, "http://localhost:8081");
        props.put(Converters.KEY_CONVERTER_CONFIG, PulseConnectConfig.KEY_CONVERTER);
        props.put(Converters.VALUE_CONVERTER_CONFIG, PulseConnectConfig.VALUE_CONVERTER);
        return props;
    }

    private static String error(Map<String, String> props, String key) {
        return new FileImportSourceConnector().validate(props).configValues().stream()
                .filter(v -> v.name().equals(key)).map(ConfigValue::errorMessages).findFirst().orElseThrow()
                .stream().findFirst().orElse(null);
    }

    @Test
    void shouldDealPathsRoundRobinToAtMostMaxTasksWhenStarted() {
        FileImportSourceConnector connector = new FileImportSourceConnector();
        connector.start(props("a.jsonl, b.jsonl,c.jsonl"));

        List<Map<String, String>> tasks = connector.taskConfigs(2);
        assertThat(tasks).hasSize(2);
        String a = Path.of("a.jsonl").toAbsolutePath().toString();
        String c = Path.of("c.jsonl").toAbsolutePath().toString();
        assertThat(tasks.get(0)).containsEntry(FileImportConfig.TASK_PATHS_CONFIG, a + "," + c);
        assertThat(FileImportConfig.forTask(tasks.get(1)).taskPaths())
                .containsExactly(Path.of("b.jsonl").toAbsolutePath());
        assertThat(connector.taskConfigs(10)).hasSize(3);
        assertThat(connector.exactlyOnceSupport(props("a"))).isEqualTo(ExactlyOnceSupport.SUPPORTED);
    }

    @Test
    void shouldReportBadValuesWhenValidated() {
        Map<String, String> props = props("a.jsonl");
        props.put(PulseConnectConfig.COMMUNITY_CONFIG, "a:b");
        props.put(FileImportConfig.SOURCE_CONFIG, "mastodon");
        props.put(PulseConnectConfig.REGISTRY_URL_CONFIG, "localhost:8081");
        props.put(FileImportConfig.MAX_EVENTS_PER_SECOND_CONFIG, "-1");

        assertThat(error(props, PulseConnectConfig.COMMUNITY_CONFIG)).contains("contain no ':'");
        assertThat(error(props, FileImportConfig.SOURCE_CONFIG)).containsIgnoringCase("stackexchange")
                .containsIgnoringCase("cloudevents");
        assertThat(error(props, PulseConnectConfig.REGISTRY_URL_CONFIG)).contains("http(s) URL");
        assertThat(error(props, FileImportConfig.MAX_EVENTS_PER_SECOND_CONFIG)).contains("at least 0");
        assertThat(error(props("a, a"), FileImportConfig.PATHS_CONFIG)).contains("listed twice");
    }

    @Test
    void shouldRefuseToStartWhenConvertersWouldReencodeValues() {
        Map<String, String> props = props("a.jsonl");
        props.put(Converters.VALUE_CONVERTER_CONFIG, "org.apache.kafka.connect.json.JsonConverter");
        assertThatThrownBy(() -> new FileImportSourceConnector().start(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("value.converter=org.apache.kafka.connect.converters.ByteArrayConverter");
        props.remove(Converters.VALUE_CONVERTER_CONFIG);
        assertThatThrownBy(() -> new FileImportSourceConnector().start(props)).isInstanceOf(ConfigException.class);
    }

    @Test
    void shouldRefuseBothPseudonymKeyAndFileWithoutShowingKey() {
        Map<String, String> props = props("a.jsonl");
        props.put(PulseConnectConfig.PSEUDONYM_KEY_CONFIG, "0123456789abcdef0123456789abcdef");
        props.put(PulseConnectConfig.PSEUDONYM_KEY_FILE_CONFIG, "/run/secrets/key");
        assertThatThrownBy(() -> new FileImportSourceConnector().start(props))
                .isInstanceOf(ConfigException.class).hasMessageContaining("set only one")
                .hasMessageNotContaining("0123456789abcdef");
    }

    @Test
    void shouldDocumentEveryKeyWhenConfigDefListed() {
        assertThat(FileImportConfig.CONFIG_DEF.configKeys().values())
                .allSatisfy(key -> assertThat(key.documentation).isNotBlank());
        assertThat(DiscoursePollerConfig.CONFIG_DEF.configKeys().values())
                .allSatisfy(key -> assertThat(key.documentation).isNotBlank());
    }
}
