package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.alerting.AlertDeliveryConfig;
import org.communitypulse.alerting.ReceiverFormat;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AlertsCommandTest {

    private static ConnectionOptions connection() {
        ConnectionOptions connection = new ConnectionOptions();
        connection.bootstrapServers = "kafka:9092";
        connection.registryUrl = "mock://alerts-command-test";
        connection.topic.prefix = "pulse.";
        return connection;
    }

    @Test
    void shouldTakeReceiversFromTheEnvironmentAndSplitClientPropertiesWhenNoOptionOverrides() {
        AlertsCommand.Settings settings = AlertsCommand.settings(connection(), List.of(), null, null,
                Map.of("pulse.alerts.backoff.max.ms", "9000", "security.protocol", "SSL"),
                Map.of("PULSE_ALERTS_RECEIVERS", "ops=slack:env:SLACK_URL", "SLACK_URL", "https://hooks.example/x"));

        assertThat(settings.delivery().getList(AlertDeliveryConfig.RECEIVERS_CONFIG)).containsExactly("ops=slack:env:SLACK_URL");
        assertThat(settings.delivery().receivers(Map.of("SLACK_URL", "https://hooks.example/x")).get(0).format())
                .isEqualTo(ReceiverFormat.SLACK);
        assertThat(settings.delivery().backoffMax().toMillis()).isEqualTo(9000);
        assertThat(settings.delivery().httpPort()).isEqualTo(AlertDeliveryConfig.HTTP_PORT_DEFAULT);
        assertThat(settings.clients()).containsOnly(Map.entry("security.protocol", "SSL"),
                Map.entry("bootstrap.servers", "kafka:9092"));
    }

    @Test
    void shouldPreferOptionsOverTheEnvironmentWhenBothAreGiven() {
        AlertsCommand.Settings settings = AlertsCommand.settings(connection(),
                List.of("audit=json:http://audit/alerts", "chat=slack:file:/run/secrets/slack"), null, 0, Map.of(),
                Map.of("PULSE_ALERTS_RECEIVERS", "ops=slack:env:SLACK_URL", "PULSE_ALERTS_HTTP_PORT", "9999"));

        assertThat(settings.delivery().getList(AlertDeliveryConfig.RECEIVERS_CONFIG))
                .containsExactly("audit=json:http://audit/alerts", "chat=slack:file:/run/secrets/slack");
        assertThat(settings.delivery().httpPort()).isZero();
    }

    @Test
    void shouldServeOnLoopbackUnlessHostIsGivenWhenDelivering() {
        AlertsCommand.Deliver deliver = new AlertsCommand.Deliver();
        new CommandLine(deliver).parseArgs();
        String fromEnvironment = System.getenv("PULSE_ALERTS_HTTP_HOST");
        assertThat(AlertsCommand.settings(connection(), List.of(), deliver.host, null, Map.of(), Map.of())
                .delivery().httpHost()).isEqualTo(fromEnvironment == null ? "127.0.0.1" : fromEnvironment);

        new CommandLine(deliver).parseArgs("--host", "0.0.0.0");
        assertThat(AlertsCommand.settings(connection(), List.of(), deliver.host, null, Map.of(),
                Map.of("PULSE_ALERTS_HTTP_HOST", "10.1.2.3")).delivery().httpHost()).isEqualTo("0.0.0.0");
    }

    @Test
    void shouldFailClearlyWhenAnAlertSettingIsUnknownOrInvalid() {
        assertThatThrownBy(() -> AlertsCommand.settings(connection(), List.of(), null, null,
                Map.of("pulse.alerts.typo", "1"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pulse.alerts.typo");
        assertThatThrownBy(() -> AlertsCommand.settings(connection(), List.of("ops=teams:http://x/y"), null, null,
                Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ops");
    }

    @Test
    void shouldListTheDeliverSubcommandWhenHelpRequested() {
        StringWriter out = new StringWriter();
        CommandLine cli = PulseCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.execute("alerts", "deliver", "--help");
        assertThat(out.toString()).contains("--receiver").contains("PULSE_ALERTS_RECEIVERS").contains("--port");
        StringWriter top = new StringWriter();
        cli.setOut(new PrintWriter(top));
        cli.execute("--help");
        assertThat(top.toString()).contains("alerts");
    }

    @Test
    void shouldTurnRoutingOptionsIntoRoutingSettingsOverTheEnvironmentWhenGiven() {
        AlertsCommand.Deliver deliver = new AlertsCommand.Deliver();
        new CommandLine(deliver).parseArgs("--owner", "ann=chat", "--owner", "acme/bob=ops", "--default-receiver", "ops",
                "--owner-roles", "sponsor,community-manager");
        AlertsCommand.Settings settings = AlertsCommand.settings(connection(),
                List.of("ops=json:http://ops/alerts", "chat=json:http://chat/alerts"), null, null, Map.of(),
                Map.of("PULSE_ALERTS_ROUTING_OWNERS", "zed=ops"), deliver.routing());

        var routing = settings.delivery().routing(settings.delivery().receivers(Map.of())).orElseThrow();
        assertThat(routing.channels()).isEqualTo(Map.of("ann", "chat", "acme/bob", "ops"));
        assertThat(routing.defaultReceiver()).isEqualTo("ops");
        assertThat(routing.roles()).containsExactly("sponsor", "community-manager");
    }
}
