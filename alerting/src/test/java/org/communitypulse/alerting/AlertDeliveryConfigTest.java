package org.communitypulse.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertDeliveryConfigTest {

    private static final String SECRET_URL = "https://hooks.slack.com/services/T000/B000/s3cr3tT0k3n";

    @Test
    void shouldResolveUrlsFromLiteralEnvironmentAndFileWhenReceiversAreListed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("slack-url"), SECRET_URL + "\n");
        AlertDeliveryConfig config = new AlertDeliveryConfig(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG,
                "audit=json:http://audit:8080/alerts, ops=slack:env:SLACK_URL, team=SLACK:file:" + file));

        assertThat(config.receivers(Map.of("SLACK_URL", SECRET_URL))).containsExactly(
                new Receiver("audit", ReceiverFormat.JSON, URI.create("http://audit:8080/alerts")),
                new Receiver("ops", ReceiverFormat.SLACK, URI.create(SECRET_URL)),
                new Receiver("team", ReceiverFormat.SLACK, URI.create(SECRET_URL)));
        assertThat(config.groupId(config.receivers(Map.of("SLACK_URL", SECRET_URL)).get(1))).isEqualTo("pulse-alerts-ops");
    }

    @Test
    void shouldNeverShowTheUrlWhenAReceiverIsPrintedOrMisconfigured() {
        Receiver receiver = new Receiver("ops", ReceiverFormat.SLACK, URI.create(SECRET_URL));
        assertThat(receiver.toString()).contains("ops").contains("hooks.slack.com").doesNotContain("s3cr3t");

        assertThatThrownBy(() -> new AlertDeliveryConfig(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG,
                "ops=teams:" + SECRET_URL)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ops").hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> new AlertDeliveryConfig(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG,
                "Bad Name=slack:" + SECRET_URL)))
                .isInstanceOf(ConfigException.class).hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> new AlertDeliveryConfig(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG,
                "hooks.slack.com/services/T000/B000/s3cr3tT0k3n")))
                .isInstanceOf(ConfigException.class).hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> new AlertDeliveryConfig(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG,
                "ops=slack:ftp://x/s3cr3t")))
                .isInstanceOf(ConfigException.class).hasMessageNotContaining("s3cr3t");
    }

    @Test
    void shouldFailClearlyWhenASecretSourceIsMissingOrANameRepeats() {
        AlertDeliveryConfig config = new AlertDeliveryConfig(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG,
                "ops=slack:env:SLACK_URL"));
        assertThatThrownBy(() -> config.receivers(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("SLACK_URL");
        AlertDeliveryConfig fromFile = new AlertDeliveryConfig(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG,
                "ops=slack:file:/nonexistent/slack-url"));
        assertThatThrownBy(() -> fromFile.receivers(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("/nonexistent/slack-url");
        assertThatThrownBy(() -> new AlertDeliveryConfig(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG,
                "ops=json:http://a/x,ops=slack:http://b/y")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> new AlertDeliveryConfig(Map.of(AlertDeliveryConfig.BACKOFF_INITIAL_MS_CONFIG, "5000",
                AlertDeliveryConfig.BACKOFF_MAX_MS_CONFIG, "1000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(AlertDeliveryConfig.BACKOFF_MAX_MS_CONFIG);
    }

    @Test
    void shouldReadSettingsFromPulseVariablesWhenEnvironmentHoldsThem() {
        Map<String, String> settings = AlertDeliveryConfig.fromEnvironment(Map.of(
                "PULSE_ALERTS_RECEIVERS", "ops=slack:env:SLACK_URL", "PULSE_ALERTS_BACKOFF_MAX_MS", "5000",
                "PULSE_ALERTS_GROUP_ID_PREFIX", "team-a-", "PULSE_OTHER", "x"));
        assertThat(settings).containsOnly(Map.entry(AlertDeliveryConfig.RECEIVERS_CONFIG, "ops=slack:env:SLACK_URL"),
                Map.entry(AlertDeliveryConfig.BACKOFF_MAX_MS_CONFIG, "5000"),
                Map.entry(AlertDeliveryConfig.GROUP_ID_PREFIX_CONFIG, "team-a-"));
        AlertDeliveryConfig config = new AlertDeliveryConfig(settings);
        assertThat(config.backoffMax().toMillis()).isEqualTo(5000);
        assertThat(config.groupIdPrefix()).isEqualTo("team-a-");
        assertThat(config.groupId(config.receivers(Map.of("SLACK_URL", "https://hooks.example/x")).get(0)))
                .isEqualTo("team-a-ops");
    }

    @Test
    void shouldReadOwnerChannelsFromTheListAndTheFileWhenRoutingIsConfigured(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("owners"), "# who hears first\n\nbob = bob-chat\nacme/eve=ops\n");
        AlertDeliveryConfig config = new AlertDeliveryConfig(Map.of(
                AlertDeliveryConfig.RECEIVERS_CONFIG, "ops=slack:env:SLACK_URL,bob-chat=json:http://bob:1/h",
                AlertDeliveryConfig.ROUTING_OWNERS_CONFIG, "ann=ops",
                AlertDeliveryConfig.ROUTING_OWNERS_FILE_CONFIG, file.toString(),
                AlertDeliveryConfig.ROUTING_DEFAULT_RECEIVER_CONFIG, "ops",
                AlertDeliveryConfig.ROUTING_ROLES_CONFIG, "Sponsor, community-manager"));

        OwnerRouting routing = config.routing(config.receivers(Map.of("SLACK_URL", SECRET_URL))).orElseThrow();

        assertThat(routing.channels()).isEqualTo(Map.of("ann", "ops", "bob", "bob-chat", "acme/eve", "ops"));
        assertThat(routing.roles()).containsExactly("sponsor", "community-manager");
        assertThat(routing.defaultReceiver()).isEqualTo("ops");
    }

    @Test
    void shouldRouteNothingByDefaultAndOrderTheRolesAsDocumentedWhenNothingIsSet() {
        AlertDeliveryConfig config = new AlertDeliveryConfig(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG,
                "ops=json:http://ops:1/h"));
        assertThat(config.routing(config.receivers(Map.of()))).isEmpty();
        assertThat(config.getList(AlertDeliveryConfig.ROUTING_ROLES_CONFIG))
                .containsExactly("community-manager", "account-manager", "sponsor");
    }

    @Test
    void shouldRefuseRoutingThatNamesAnUnknownReceiverOrHasNoDefault(@TempDir Path dir) {
        String receivers = "ops=json:http://ops:1/h";
        assertThatThrownBy(() -> routing(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG, receivers,
                AlertDeliveryConfig.ROUTING_OWNERS_CONFIG, "ann=ops")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(AlertDeliveryConfig.ROUTING_DEFAULT_RECEIVER_CONFIG);
        assertThatThrownBy(() -> routing(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG, receivers,
                AlertDeliveryConfig.ROUTING_DEFAULT_RECEIVER_CONFIG, "nope")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nope is not a receiver");
        assertThatThrownBy(() -> routing(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG, receivers,
                AlertDeliveryConfig.ROUTING_DEFAULT_RECEIVER_CONFIG, "ops",
                AlertDeliveryConfig.ROUTING_OWNERS_CONFIG, "ann=chat")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("member ann: chat is not a receiver");
        assertThatThrownBy(() -> routing(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG, receivers,
                AlertDeliveryConfig.ROUTING_DEFAULT_RECEIVER_CONFIG, "ops",
                AlertDeliveryConfig.ROUTING_OWNERS_CONFIG, "ann=ops,ann=ops")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> routing(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG, receivers,
                AlertDeliveryConfig.ROUTING_DEFAULT_RECEIVER_CONFIG, "ops",
                AlertDeliveryConfig.ROUTING_OWNERS_CONFIG, "ann")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("<member>=<receiver>");
        assertThatThrownBy(() -> routing(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG, receivers,
                AlertDeliveryConfig.ROUTING_DEFAULT_RECEIVER_CONFIG, "ops",
                AlertDeliveryConfig.ROUTING_OWNERS_FILE_CONFIG, dir.resolve("missing").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read file");
        assertThatThrownBy(() -> new AlertDeliveryConfig(Map.of(AlertDeliveryConfig.ROUTING_ROLES_CONFIG, "")))
                .isInstanceOf(ConfigException.class);
    }

    private static java.util.Optional<OwnerRouting> routing(Map<String, Object> settings) {
        AlertDeliveryConfig config = new AlertDeliveryConfig(settings);
        return config.routing(config.receivers(Map.of()));
    }
}
