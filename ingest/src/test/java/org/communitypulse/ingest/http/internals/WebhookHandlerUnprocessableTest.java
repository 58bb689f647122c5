package org.communitypulse.ingest.http.internals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.communitypulse.ingest.http.EventPublisher;
import org.communitypulse.ingest.webhook.DeliveryReplayGuard;
import org.communitypulse.ingest.webhook.GitHubSignatureVerifier;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.ingest.webhook.PayloadMapper;
import org.communitypulse.ingest.webhook.WebhookSecret;
import org.communitypulse.ingest.webhook.WebhookSource;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.Test;

/**
 * A signed delivery that meets a bug (a mapper or the event encoding throwing something unexpected) is answered
 * 422 "unprocessable" and counted, never 500: platforms retry 5xx (the bug repeats) and Slack disables endpoints
 * that keep failing. The delivery id is released, so the platform's redelivery after a fix is processed.
 */
class WebhookHandlerUnprocessableTest {

    private static final String SECRET = "unprocessable-test-secret-0123";
    private static final byte[] BODY = "{\"action\":\"opened\"}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");

    private final WebhookMetrics metrics = new WebhookMetrics();
    private final List<ActivityEvent> published = new ArrayList<>();
    private final AtomicBoolean publisherBreaks = new AtomicBoolean();
    private final DeliveryReplayGuard replayGuard = new DeliveryReplayGuard();

    private WebhookHandler handler(PayloadMapper mapper) {
        EventPublisher publisher = new EventPublisher() {
            @Override
            public void publish(List<ActivityEvent> events) {
                if (publisherBreaks.get()) {
                    // What encoding an event with an out-of-range time used to throw inside the producer.
                    throw new ArithmeticException("long overflow");
                }
                published.addAll(events);
            }

            @Override
            public boolean ready() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        PlatformEndpoint endpoint = new PlatformEndpoint(WebhookSource.GITHUB,
                new GitHubSignatureVerifier(WebhookSecret.of(SECRET)), mapper, Map.of(), "octo");
        return new WebhookHandler(Map.of(WebhookSource.GITHUB, endpoint), replayGuard, publisher,
                metrics, Clock.fixed(NOW, ZoneOffset.UTC), 64 * 1024, 5);
    }

    private static PayloadMapper mapper(Runnable behaviour) {
        return new PayloadMapper() {
            @Override
            public WebhookSource source() {
                return WebhookSource.GITHUB;
            }

            @Override
            public MappingResult map(String eventName, JsonNode payload, String communityId, Instant receivedAt) {
                behaviour.run();
                return MappingResult.mapped(new ActivityEvent("id-1", communityId, SourcePlatform.GITHUB,
                        EventType.THREAD_CREATED, "1", null, null, receivedAt, null, Map.of()));
            }
        };
    }

    private static WebhookHandler.Request signed(String delivery) {
        Map<String, List<String>> headers = Map.of("X-GitHub-Event", List.of("issues"),
                "X-GitHub-Delivery", List.of(delivery), "X-Hub-Signature-256", List.of("sha256=" + hmac(BODY)));
        return new WebhookHandler.Request() {
            @Override
            public long contentLength() {
                return BODY.length;
            }

            @Override
            public InputStream body() {
                return new ByteArrayInputStream(BODY);
            }

            @Override
            public Map<String, List<String>> headers() {
                return headers;
            }
        };
    }

    private static String hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldAnswerUnprocessableNot500AndCountItWhenMapperThrowsUnexpectedly() {
        WebhookHandler handler = handler(mapper(() -> {
            throw new NullPointerException("a mapper bug");
        }));

        Reply reply = handler.handle("github", null, signed("d-1"));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.reason()).isEqualTo("unprocessable");
        assertThat(reply.body()).containsEntry("reason", "unprocessable").containsKey("message");
        assertThat(metrics.count(WebhookMetrics.REJECTS, "platform", "github", "reason", "unprocessable"))
                .isEqualTo(1.0);
    }

    @Test
    void shouldAnswerUnprocessableNot500WhenPublicationThrowsUnexpectedlyAndAcceptTheRedeliveryAfterwards() {
        WebhookHandler handler = handler(mapper(() -> { }));
        publisherBreaks.set(true);
        Reply broken = handler.handle("github", null, signed("d-2"));
        assertThat(broken.status()).isEqualTo(422);
        assertThat(broken.reason()).isEqualTo("unprocessable");
        assertThat(published).isEmpty();

        publisherBreaks.set(false);
        Reply again = handler.handle("github", null, signed("d-2"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(published).hasSize(1);
    }
}
