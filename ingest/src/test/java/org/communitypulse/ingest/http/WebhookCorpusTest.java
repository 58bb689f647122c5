package org.communitypulse.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every payload of the corpus (each event type the platforms document, mapped or not), signed and sent through
 * the real server: a genuine delivery is never refused and never fails, and nothing it carries is lost.
 */
class WebhookCorpusTest {

    @Test
    void shouldAcceptOrIgnoreWithAReasonEveryDocumentedPayloadWhenSignedAndPublishWhatItAccepts() {
        Map<String, Map<String, Integer>> perPlatform = new TreeMap<>();
        List<String> refused = new ArrayList<>();
        try (SignedDeliveries deliveries = new SignedDeliveries()) {
            for (String platform : WebhookCorpus.PLATFORMS) {
                List<WebhookCorpus.Payload> payloads = WebhookCorpus.of(platform);
                assertThat(payloads).as(platform + " corpus").hasSizeGreaterThanOrEqualTo(50);
                Map<String, Integer> labels = perPlatform.computeIfAbsent(platform, p -> new TreeMap<>());
                for (WebhookCorpus.Payload payload : payloads) {
                    SignedDeliveries.Answer answer = deliveries.send(payload, payload.body(), "as documented");
                    labels.merge(answer.status() + " " + answer.label(), 1, Integer::sum);
                    if (answer.status() != 200) {
                        refused.add(payload + " -> " + answer.status() + " " + answer.reason());
                    }
                }
            }
            System.out.printf("Webhook corpus: %d requests, %s, %d events published%n", deliveries.sent,
                    perPlatform, deliveries.published);
            assertThat(deliveries.failures).isEmpty();
            // A documented payload refused with a 4xx would be data lost: the platform does not resend it.
            assertThat(refused).isEmpty();
            for (String platform : WebhookCorpus.PLATFORMS) {
                assertThat(perPlatform.get(platform)).as(platform).containsKeys("200 accepted", "200 unmapped");
            }
        }
    }

    @Test
    void shouldPublishSlackMessageWhenSignedEventHasNoChannelTypeAtAll() throws Exception {
        // Slack leaves channel_type out of some message events; it once turned into a 500 (Set.of(..).contains(null)).
        WebhookCorpus.Payload message = WebhookCorpus.of("slack").stream()
                .filter(p -> p.file().equals("Message.json")).findFirst().orElseThrow();
        ObjectNode envelope = (ObjectNode) message.json();
        ((ObjectNode) envelope.get("event")).remove("channel_type");
        envelope.put("event_id", "EvNOCHANNELTYPE");
        try (SignedDeliveries deliveries = new SignedDeliveries()) {
            SignedDeliveries.Answer answer = deliveries.send(message,
                    new ObjectMapper().writeValueAsBytes(envelope), "without channel_type");
            assertThat(deliveries.failures).isEmpty();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.label()).isEqualTo("accepted");
            assertThat(deliveries.published).isEqualTo(1);
        }
    }
}
