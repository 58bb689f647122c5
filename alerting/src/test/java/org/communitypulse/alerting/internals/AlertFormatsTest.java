package org.communitypulse.alerting.internals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.communitypulse.alerting.ReceiverFormat;
import org.communitypulse.alerting.Route;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertSeverity;
import org.communitypulse.schemas.avro.AlertState;
import org.junit.jupiter.api.Test;

class AlertFormatsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Alert alert(AlertState state, AlertSeverity severity, String summary, Map<String, String> evidence) {
        return Alert.newBuilder().setAlertId("forum/NO_ACTIVITY/2026-03-02").setCommunityId("forum")
                .setCondition(AlertCondition.NO_ACTIVITY).setState(state).setSeverity(severity)
                .setSince(LocalDate.of(2026, 3, 2)).setDay(LocalDate.of(2026, 3, 4)).setSummary(summary)
                .setEvidence(evidence).build();
    }

    @Test
    void shouldWriteEveryAlertFieldAndTheDeliveryIdWhenFormatIsJson() throws Exception {
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("silentDays", "3");
        evidence.put("activityBefore", "12");
        JsonNode body = JSON.readTree(AlertFormats.body(ReceiverFormat.JSON,
                alert(AlertState.FIRING, AlertSeverity.CRITICAL, "No thread or reply for 3 days", evidence)));

        assertThat(body.get("deliveryId").asText()).isEqualTo("forum/NO_ACTIVITY/2026-03-02/FIRING");
        assertThat(body.get("alertId").asText()).isEqualTo("forum/NO_ACTIVITY/2026-03-02");
        assertThat(body.get("communityId").asText()).isEqualTo("forum");
        assertThat(body.get("condition").asText()).isEqualTo("NO_ACTIVITY");
        assertThat(body.get("state").asText()).isEqualTo("FIRING");
        assertThat(body.get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(body.get("since").asText()).isEqualTo("2026-03-02");
        assertThat(body.get("day").asText()).isEqualTo("2026-03-04");
        assertThat(body.get("summary").asText()).isEqualTo("No thread or reply for 3 days");
        assertThat(JSON.convertValue(body.get("evidence"), new TypeReference<Map<String, String>>() { }))
                .isEqualTo(Map.of("silentDays", "3", "activityBefore", "12"));
        // Sorted evidence keys: the same alert always gives the same bytes.
        assertThat(body.get("evidence").fieldNames()).toIterable().containsExactly("activityBefore", "silentDays");
    }

    @Test
    void shouldSendTextAndAColouredAttachmentWithBlocksWhenFormatIsSlack() throws Exception {
        JsonNode body = JSON.readTree(AlertFormats.body(ReceiverFormat.SLACK,
                alert(AlertState.FIRING, AlertSeverity.CRITICAL, "No thread or reply for 3 days",
                        Map.of("silentDays", "3"))));

        assertThat(body.get("text").asText()).contains("FIRING").contains("forum").contains("NO_ACTIVITY")
                .contains("No thread or reply for 3 days").startsWith(":red_circle:");
        JsonNode attachment = body.get("attachments").get(0);
        assertThat(attachment.get("color").asText()).isEqualTo(AlertFormats.COLOUR_FIRING_CRITICAL);
        JsonNode blocks = attachment.get("blocks");
        assertThat(blocks).hasSize(3);
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("section");
        assertThat(blocks.get(0).get("text").get("type").asText()).isEqualTo("mrkdwn");
        assertThat(blocks.get(1).get("fields")).extracting(f -> f.get("text").asText())
                .containsExactly("*Since*\n2026-03-02", "*Day*\n2026-03-04", "*silentDays*\n3");
        assertThat(blocks.get(2).get("type").asText()).isEqualTo("context");
        assertThat(blocks.get(2).get("elements").get(0).get("text").asText())
                .contains("forum/NO_ACTIVITY/2026-03-02/FIRING");
    }

    @Test
    void shouldColourByStateAndSeverityWhenFormatIsSlack() {
        assertThat(AlertFormats.colour(alert(AlertState.FIRING, AlertSeverity.WARNING, "s", Map.of())))
                .isEqualTo(AlertFormats.COLOUR_FIRING_WARNING);
        assertThat(AlertFormats.colour(alert(AlertState.RESOLVED, AlertSeverity.CRITICAL, "s", Map.of())))
                .isEqualTo(AlertFormats.COLOUR_RESOLVED);
        assertThat(AlertFormats.colour(alert(AlertState.UNKNOWN_STATE, AlertSeverity.CRITICAL, "s", Map.of())))
                .isEqualTo(AlertFormats.COLOUR_UNKNOWN);
        assertThat(AlertFormats.deliveryId(alert(AlertState.RESOLVED, AlertSeverity.CRITICAL, "s", Map.of())))
                .isEqualTo("forum/NO_ACTIVITY/2026-03-02/RESOLVED");
    }

    @Test
    void shouldEscapeSlackControlCharactersAndLimitFieldsWhenAlertTextIsHostile() throws Exception {
        Map<String, String> evidence = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            evidence.put("k" + (char) ('a' + i), "<@U123> & " + i);
        }
        JsonNode body = JSON.readTree(AlertFormats.body(ReceiverFormat.SLACK,
                alert(AlertState.FIRING, AlertSeverity.WARNING, "<!channel> ping & " + "x".repeat(5000), evidence)));

        String text = body.get("text").asText();
        assertThat(text).contains("&lt;!channel&gt; ping &amp; ").doesNotContain("<!channel>");
        assertThat(text.length()).isLessThanOrEqualTo(AlertFormats.MAX_TEXT);
        JsonNode blocks = body.get("attachments").get(0).get("blocks");
        assertThat(blocks.get(1).get("fields")).hasSize(2 + AlertFormats.MAX_EVIDENCE_FIELDS);
        assertThat(blocks.get(1).get("fields").get(2).get("text").asText()).isEqualTo("*ka*\n&lt;@U123&gt; &amp; 0");
        assertThat(blocks.get(2).get("elements").get(0).get("text").asText()).contains("4 more evidence values");
    }

    @Test
    void shouldFlagTheVacancyInTheTextAndALastContextLineWhenASlackAlertIsUnowned() throws Exception {
        Route unowned = new Route(new java.util.TreeSet<>(java.util.Set.of("fallback")), null, java.util.List.of(),
                java.util.List.of("community-manager", "account-manager", "sponsor"), java.util.List.of(), "vacant");
        JsonNode body = JSON.readTree(AlertFormats.body(ReceiverFormat.SLACK,
                alert(AlertState.FIRING, AlertSeverity.WARNING, "Backlog growing", Map.of()), unowned));

        assertThat(body.get("text").asText()).contains("Backlog growing")
                .endsWith("UNOWNED (vacant): no owner role holder to tell; vacant: community-manager, account-manager, "
                        + "sponsor");
        JsonNode blocks = body.get("attachments").get(0).get("blocks");
        assertThat(blocks).hasSize(4);
        assertThat(blocks.get(3).get("elements").get(0).get("text").asText()).startsWith("UNOWNED (vacant)");
    }

    @Test
    void shouldNameTheOwnerRoleAndHoldersWhenAnAlertWasRoutedToThem() throws Exception {
        Route owned = new Route(new java.util.TreeSet<>(java.util.Set.of("ann-chat")), "account-manager",
                java.util.List.of("ann"), java.util.List.of("community-manager"), java.util.List.of(), null);
        JsonNode json = JSON.readTree(AlertFormats.body(ReceiverFormat.JSON,
                alert(AlertState.FIRING, AlertSeverity.WARNING, "s", Map.of()), owned));
        JsonNode slack = JSON.readTree(AlertFormats.body(ReceiverFormat.SLACK,
                alert(AlertState.FIRING, AlertSeverity.WARNING, "s", Map.of()), owned));

        assertThat(json.get("routing").get("unowned").asBoolean()).isFalse();
        assertThat(json.get("routing").get("role").asText()).isEqualTo("account-manager");
        assertThat(json.get("routing").get("note").asText())
                .isEqualTo("Owner: account-manager ann; vacant: community-manager");
        // Owned alerts keep the notification line as it was; the owner is in the last context line.
        assertThat(slack.get("text").asText()).doesNotContain("Owner");
        assertThat(slack.get("attachments").get(0).get("blocks").get(3).get("elements").get(0).get("text").asText())
                .isEqualTo("Owner: account-manager ann; vacant: community-manager");
        assertThat(JSON.readTree(AlertFormats.body(ReceiverFormat.JSON,
                alert(AlertState.FIRING, AlertSeverity.WARNING, "s", Map.of()))).has("routing")).isFalse();
    }
}
