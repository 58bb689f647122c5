package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.ingest.http.WebhookServerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WebhooksCommandTest {

    @Test
    void shouldSplitServerSettingsFromProducerPropertiesWhenGivenExtraConfig() {
        WebhooksCommand.Settings settings = WebhooksCommand.settings(9001, "127.0.0.1", "forum",
                Map.of("pulse.webhooks.max.body.bytes", "4096", "security.protocol", "SSL"));
        assertThat(settings.server().port()).isEqualTo(9001);
        assertThat(settings.server().host()).isEqualTo("127.0.0.1");
        assertThat(settings.server().defaultCommunity()).isEqualTo("forum");
        assertThat(settings.server().maxBodyBytes()).isEqualTo(4096);
        assertThat(settings.producer()).containsOnly(Map.entry("security.protocol", "SSL"));
    }

    @Test
    void shouldListenOnLoopbackUnlessHostIsGivenWhenParsingOptions() {
        String fromEnvironment = System.getenv("PULSE_WEBHOOKS_HOST");
        String expected = fromEnvironment == null ? "127.0.0.1" : fromEnvironment;
        WebhooksCommand webhooks = new WebhooksCommand();
        new CommandLine(webhooks).parseArgs();
        assertThat(webhooks.host).isEqualTo(expected);
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs();
        assertThat(run.webhookHost).isEqualTo(expected);

        new CommandLine(webhooks).parseArgs("--host", "0.0.0.0");
        assertThat(WebhooksCommand.settings(8080, webhooks.host, null, Map.of()).server().host()).isEqualTo("0.0.0.0");
        new CommandLine(run).parseArgs("--webhook-host", "0.0.0.0");
        assertThat(run.webhookHost).isEqualTo("0.0.0.0");
    }

    @Test
    void shouldFailClearlyWhenWebhookSettingIsUnknownOrInvalid() {
        assertThatThrownBy(() -> WebhooksCommand.settings(1, "h", null, Map.of("pulse.webhooks.typo", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pulse.webhooks.typo");
        assertThatThrownBy(() -> WebhooksCommand.settings(1, "h", "bad:community", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining(WebhookServerConfig.DEFAULT_COMMUNITY_CONFIG);
    }

    @Test
    void shouldListWebhooksSubcommandWhenHelpRequested() {
        StringWriter out = new StringWriter();
        CommandLine cli = PulseCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.execute("webhooks", "--help");
        assertThat(out.toString()).contains("--port").contains("PULSE_GITHUB_SECRET").contains("--community");
    }
}
