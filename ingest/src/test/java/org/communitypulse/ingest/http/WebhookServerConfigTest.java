package org.communitypulse.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.ingest.webhook.WebhookSource;
import org.junit.jupiter.api.Test;

class WebhookServerConfigTest {

    @Test
    void shouldUseDocumentedDefaultsWhenNothingGiven() {
        WebhookServerConfig config = new WebhookServerConfig(Map.of());
        assertThat(config.port()).isEqualTo(WebhookServerConfig.PORT_DEFAULT);
        assertThat(config.maxBodyBytes()).isEqualTo(2 * 1024 * 1024);
        assertThat(config.publishTimeoutMs()).isEqualTo(5_000);
        assertThat(config.slackToleranceSeconds()).isEqualTo(300);
        assertThat(config.pseudonymise()).isTrue();
        assertThat(config.defaultCommunity()).isNull();
        assertThat(config.communities(WebhookSource.GITHUB)).isEmpty();
    }

    @Test
    void shouldParseCommunityMapWhenPairsGiven() {
        WebhookServerConfig config = new WebhookServerConfig(Map.of(
                WebhookServerConfig.communitiesConfig(WebhookSource.GITHUB), "octo-org/octo-repo=octo, acme=acme-oss",
                WebhookServerConfig.communitiesConfig(WebhookSource.DISCOURSE), "https://forum.example.org=forum"));
        assertThat(config.communities(WebhookSource.GITHUB))
                .containsOnly(Map.entry("octo-org/octo-repo", "octo"), Map.entry("acme", "acme-oss"));
        assertThat(config.communities(WebhookSource.DISCOURSE))
                .containsOnly(Map.entry("https://forum.example.org", "forum"));
    }

    @Test
    void shouldRejectBadValuesWhenValidating() {
        assertThatThrownBy(() -> new WebhookServerConfig(Map.of(WebhookServerConfig.PORT_CONFIG, 70_000)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(WebhookServerConfig.PORT_CONFIG);
        assertThatThrownBy(() -> new WebhookServerConfig(Map.of(WebhookServerConfig.MAX_BODY_BYTES_CONFIG, 10)))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> new WebhookServerConfig(Map.of(
                WebhookServerConfig.communitiesConfig(WebhookSource.SLACK), "T1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("<key>=<community>");
        assertThatThrownBy(() -> new WebhookServerConfig(Map.of(
                WebhookServerConfig.communitiesConfig(WebhookSource.SLACK), "T1=a:b")))
                .isInstanceOf(ConfigException.class);
    }
}
