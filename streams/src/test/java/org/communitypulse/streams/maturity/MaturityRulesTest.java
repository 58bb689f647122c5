package org.communitypulse.streams.maturity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.streams.PulseStreamsConfig;
import org.junit.jupiter.api.Test;

class MaturityRulesTest {

    private static MaturityRules parse(String yaml) throws Exception {
        return MaturityRules.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    private static final String HEALTH = """
            health:
              weights: {engagement: 1}
              thriving_min_score: 75
              healthy_min_score: 50
              at_risk_min_score: 25
              thriving_min_wau: 10
            """;

    @Test
    void shouldLoadEightCompetenciesWhenUsingTheShippedFile() {
        MaturityRules config = MaturityRules.defaults();
        assertThat(config.competencies()).extracting(MaturityRules.Competency::id).containsExactly("strategy",
                "leadership", "culture", "community-management", "content-programming", "policy-governance", "tools",
                "measurement");
        assertThat(config.stageName(1)).isEqualTo("Hierarchy");
        assertThat(config.stageName(4)).isEqualTo("Network");
        assertThat(config.health().weight(MaturityRules.RESPONSE)).isEqualTo(0.3);
        assertThat(new PulseStreamsConfig(java.util.Map.of(PulseStreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "x:1",
                PulseStreamsConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://x")).maturityRules()).isEqualTo(config);
    }

    @Test
    void shouldRefuseTheFileWhenASignalIsUnknown() {
        assertThatThrownBy(() -> parse("""
                stages: [a, b, c, d]
                competencies:
                  - id: culture
                    signals:
                      - signal: peer_share
                        thresholds: [0.3, 0.5, 0.7]
                """ + HEALTH)).isInstanceOf(ConfigException.class).hasMessageContaining("peer_share")
                .hasMessageContaining("not a known signal");
    }

    @Test
    void shouldRefuseTheFileWhenThresholdsAreOutOfOrder() {
        assertThatThrownBy(() -> parse("""
                stages: [a, b, c, d]
                competencies:
                  - id: culture
                    signals:
                      - signal: peer_reply_share_28d
                        thresholds: [0.5, 0.3, 0.7]
                """ + HEALTH)).isInstanceOf(ConfigException.class).hasMessageContaining("must not decrease");
    }

    @Test
    void shouldRefuseTheFileWhenAKeyIsMisspelt() {
        assertThatThrownBy(() -> parse("""
                stages: [a, b, c, d]
                competencies:
                  - id: culture
                    signals:
                      - signal: peer_reply_share_28d
                        treshold: [0.3, 0.5, 0.7]
                """ + HEALTH)).isInstanceOf(ConfigException.class).hasMessageContaining("treshold");
    }

    @Test
    void shouldUseACommunitysOwnGoalsWhenItHasThem() throws Exception {
        MaturityRules config = parse("""
                stages: [a, b, c, d]
                competencies:
                  - id: strategy
                    signals:
                      - signal: goal_attainment
                        thresholds: [0.5, 0.75, 0.95]
                goals:
                  default: {wau: 10}
                  communities:
                    acme: {mau: 100}
                """ + HEALTH);
        assertThat(config.goals().of("acme")).containsOnlyKeys("mau");
        assertThat(config.goals().of("other")).containsOnlyKeys("wau");
        assertThatThrownBy(() -> parse("""
                stages: [a, b, c, d]
                competencies:
                  - id: strategy
                    signals:
                      - signal: goal_attainment
                        thresholds: [0.5, 0.75, 0.95]
                goals:
                  default: {happiness: 10}
                """ + HEALTH)).isInstanceOf(ConfigException.class).hasMessageContaining("happiness");
    }
}
