package org.communitypulse.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.communitypulse.ingest.http.internals.WebhookMetrics;
import org.communitypulse.ingest.webhook.WebhookSamples;
import org.communitypulse.ingest.webhook.WebhookSecretException;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The receiver over real HTTP with an in-memory publisher: responses, rejections, replay, metrics. */
class WebhookServerTest {

    private static final int MAX_BODY = 64 * 1024;

    private final RecordingPublisher publisher = new RecordingPublisher();
    private WebhookServer server;
    private WebhookClient client;

    private static WebhookServerConfig config(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put(WebhookServerConfig.PORT_CONFIG, 0);
        props.put(WebhookServerConfig.HOST_CONFIG, "127.0.0.1");
        props.put(WebhookServerConfig.MAX_BODY_BYTES_CONFIG, MAX_BODY);
        // The samples go to arbitrary path communities signed with the platform-wide secrets; the default rule
        // (a platform-wide secret signs only for its payload's community) is WebhookReplayAndCommunityTest's.
        props.put(WebhookServerConfig.ANY_COMMUNITY_CONFIG, true);
        props.put(WebhookServerConfig.communitiesConfig(org.communitypulse.ingest.webhook.WebhookSource.SLACK),
                "T123ABC456=workspace");
        props.putAll(extra);
        return new WebhookServerConfig(props);
    }

    @BeforeEach
    void start() {
        server = new WebhookServer(config(Map.of()), WebhookClient.environment(), publisher, Clock.systemUTC())
                .start();
        client = new WebhookClient(server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private double count(String name, String... tags) {
        return server.meterRegistry().find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** Requests answered: the latency timer counts them (there is no separate request counter). */
    private long requests(String... tags) {
        return server.meterRegistry().find(WebhookMetrics.LATENCY).tags(tags).timers().stream()
                .mapToLong(t -> t.count()).sum();
    }

    @Test
    void shouldPublishAndAnswer200WhenGitHubRequestIsSigned() {
        HttpResponse<String> response = client.github("/webhooks/github/octo", "issues",
                WebhookSamples.bytes("github", "issues.opened"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"accepted\"");
        assertThat(publisher.events).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo(EventType.THREAD_CREATED);
            assertThat(e.getCommunityId()).isEqualTo("octo");
            assertThat(response.body()).contains(e.getEventId());
        });
        assertThat(count(WebhookMetrics.PUBLISHED, "platform", "github")).isEqualTo(1);
        assertThat(requests("platform", "github", "outcome", "accepted")).isEqualTo(1);
    }

    @Test
    void shouldResolveCommunityFromPlatformKeyWhenPathHasNone() {
        HttpResponse<String> response = client.slack("/webhooks/slack", WebhookSamples.bytes("slack", "message"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(publisher.events).singleElement()
                .satisfies(e -> assertThat(e.getCommunityId()).isEqualTo("workspace"));
    }

    @Test
    void shouldAnswer422WhenNoCommunityCanBeResolved() {
        HttpResponse<String> response = client.github("/webhooks/github", "issues",
                WebhookSamples.bytes("github", "issues.opened"));
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("unknown_community");
        assertThat(publisher.events).isEmpty();
    }

    @Test
    void shouldEchoChallengeWhenSlackUrlVerification() {
        HttpResponse<String> response = client.slack("/webhooks/slack",
                WebhookSamples.bytes("slack", "url_verification"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo("{\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\"}");
        assertThat(publisher.events).isEmpty();
    }

    @Test
    void shouldRefuseUnsignedChallengeWhenSlackSignatureMissing() {
        byte[] body = WebhookSamples.bytes("slack", "url_verification");
        HttpResponse<String> response = client.post("/webhooks/slack", Map.of(), body);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).doesNotContain("3eZbrw1a");
    }

    @Test
    void shouldAcknowledgeAndCountWhenEventIsUnmapped() {
        HttpResponse<String> response = client.github("/webhooks/github/octo", "ping",
                WebhookSamples.bytes("github", "ping"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"unmapped\"");
        assertThat(publisher.events).isEmpty();
        assertThat(count(WebhookMetrics.UNMAPPED, "platform", "github", "kind", "github:ping")).isEqualTo(1);
    }

    @Test
    void shouldRejectWith401WhenSignatureIsBadMissingOrStale() {
        byte[] body = WebhookSamples.bytes("discourse", "post_created");
        Map<String, String> bad = new LinkedHashMap<>(WebhookClient.discourseHeaders("post_created", body, "1"));
        bad.put("X-Discourse-Event-Signature", "sha256=" + "0".repeat(64));
        assertThat(client.post("/webhooks/discourse/forum", bad, body).body()).contains("bad_signature");
        Map<String, String> missing = new LinkedHashMap<>(WebhookClient.discourseHeaders("post_created", body, "2"));
        missing.remove("X-Discourse-Event-Signature");
        HttpResponse<String> noSignature = client.post("/webhooks/discourse/forum", missing, body);
        assertThat(noSignature.statusCode()).isEqualTo(401);
        assertThat(noSignature.body()).contains("missing_signature");
        byte[] slack = WebhookSamples.bytes("slack", "message");
        HttpResponse<String> stale = client.post("/webhooks/slack", WebhookClient.slackHeaders(slack,
                Instant.now().getEpochSecond() - 301), slack);
        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(stale.body()).contains("stale_timestamp");
        byte[] tampered = WebhookSamples.bytes("github", "issues.opened");
        Map<String, String> signedOther = WebhookClient.githubHeaders("issues", "{}".getBytes(StandardCharsets.UTF_8),
                "3");
        assertThat(client.post("/webhooks/github/octo", signedOther, tampered).statusCode()).isEqualTo(401);
        assertThat(publisher.events).isEmpty();
        assertThat(count(WebhookMetrics.REJECTS, "reason", "bad_signature")).isEqualTo(2);
        assertThat(count(WebhookMetrics.REJECTS, "reason", "missing_signature")).isEqualTo(1);
        assertThat(count(WebhookMetrics.REJECTS, "reason", "stale_timestamp")).isEqualTo(1);
    }

    @Test
    void shouldPublishOnceAndAnswerDuplicateWhenDeliveryReplayed() {
        byte[] body = WebhookSamples.bytes("github", "issue_comment.created");
        Map<String, String> headers = WebhookClient.githubHeaders("issue_comment", body, UUID.randomUUID().toString());
        HttpResponse<String> first = client.post("/webhooks/github/octo", headers, body);
        HttpResponse<String> replay = client.post("/webhooks/github/octo", headers, body);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("\"status\":\"duplicate\"");
        assertThat(publisher.events).hasSize(1);
        assertThat(count(WebhookMetrics.REJECTS, "reason", "replayed_delivery")).isEqualTo(1);
    }

    @Test
    void shouldPublishOnceWhenSlackRetriesSameEventWithNewSignature() {
        byte[] body = WebhookSamples.bytes("slack", "reaction_added");
        long now = Instant.now().getEpochSecond();
        Map<String, String> retry = new LinkedHashMap<>(WebhookClient.slackHeaders(body, now - 1));
        retry.put("X-Slack-Retry-Num", "1");
        assertThat(client.post("/webhooks/slack", WebhookClient.slackHeaders(body, now), body).statusCode())
                .isEqualTo(200);
        HttpResponse<String> again = client.post("/webhooks/slack", retry, body);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("duplicate");
        assertThat(publisher.events).hasSize(1);
    }

    @Test
    void shouldAnswer413WhenBodyExceedsCap() {
        byte[] body = new byte[MAX_BODY + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        HttpResponse<String> response = client.github("/webhooks/github/octo", "issues", body);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(count(WebhookMetrics.REJECTS, "reason", "body_too_large")).isEqualTo(1);
    }

    @Test
    void shouldAnswer400WhenSignedBodyIsMalformedJsonOrPayload() {
        byte[] broken = "{\"action\":\"opened\",".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> json = client.github("/webhooks/github/octo", "issues", broken);
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(json.body()).contains("malformed_json");
        byte[] trailing = "{} {}".getBytes(StandardCharsets.UTF_8);
        assertThat(client.github("/webhooks/github/octo", "issues", trailing).statusCode()).isEqualTo(400);
        byte[] noIssue = "{\"action\":\"opened\",\"repository\":{\"id\":1,\"full_name\":\"a/b\"}}"
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> payload = client.github("/webhooks/github/octo", "issues", noIssue);
        assertThat(payload.statusCode()).isEqualTo(400);
        assertThat(payload.body()).contains("malformed_payload").contains("issue");
        assertThat(publisher.events).isEmpty();
    }

    @Test
    void shouldRejectWhenSignatureHeaderRepeatedWithDifferentValues() {
        byte[] body = WebhookSamples.bytes("github", "issues.opened");
        HttpResponse<String> response = client.post("/webhooks/github/octo", Map.of(), body);
        assertThat(response.statusCode()).isEqualTo(401);
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + server.port() + "/webhooks/github/octo"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        WebhookClient.githubHeaders("issues", body, "dup-1").forEach(request::header);
        request.header("X-Hub-Signature-256", "sha256=" + "1".repeat(64));
        try {
            HttpResponse<String> duplicate = java.net.http.HttpClient.newHttpClient()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(duplicate.statusCode()).isIn(400, 401);
            assertThat(duplicate.body()).contains("duplicate_header");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(publisher.events).isEmpty();
    }

    @Test
    void shouldAnswer503WithRetryAfterAndAcceptRetryWhenKafkaComesBack() {
        byte[] body = WebhookSamples.bytes("discourse", "post_created");
        Map<String, String> headers = WebhookClient.discourseHeaders("post_created", body, "42");
        publisher.down.set(true);
        HttpResponse<String> refused = client.post("/webhooks/discourse/forum", headers, body);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("30");
        assertThat(client.get("/ready").statusCode()).isEqualTo(503);
        publisher.down.set(false);
        HttpResponse<String> retried = client.post("/webhooks/discourse/forum", headers, body);
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(retried.body()).contains("accepted");
        assertThat(publisher.events).hasSize(1);
        assertThat(requests("outcome", "unavailable")).isEqualTo(1);
    }

    @Test
    void shouldAskCopyToRetryAndKeepItRetryableWhenSameDeliveryIsStillPublishing() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean failFirst = new AtomicBoolean(true);
        RecordingPublisher recorded = new RecordingPublisher();
        EventPublisher slow = new EventPublisher() {
            @Override
            public void publish(java.util.List<ActivityEvent> events) throws PublishException {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (failFirst.getAndSet(false)) {
                    throw new PublishException("slow broker gave up (test)", null);
                }
                recorded.publish(events);
            }

            @Override
            public boolean ready() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        byte[] body = WebhookSamples.bytes("slack", "message");
        long now = Instant.now().getEpochSecond();
        try (WebhookServer blocking = new WebhookServer(config(Map.of()), WebhookClient.environment(), slow,
                Clock.systemUTC()).start()) {
            WebhookClient other = new WebhookClient(blocking.port());
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() ->
                    other.post("/webhooks/slack", WebhookClient.slackHeaders(body, now), body));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            // Slack's retry of the same event while the first attempt is still waiting for Kafka.
            HttpResponse<String> copy = other.post("/webhooks/slack", WebhookClient.slackHeaders(body, now - 1), body);
            assertThat(copy.statusCode()).isEqualTo(503);
            assertThat(copy.body()).contains("delivery_in_progress");
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
            HttpResponse<String> retry = other.post("/webhooks/slack", WebhookClient.slackHeaders(body, now - 2), body);
            assertThat(retry.statusCode()).isEqualTo(200);
            assertThat(retry.body()).contains("accepted");
        }
        assertThat(recorded.events).hasSize(1);
    }

    @Test
    void shouldAnswer404WhenPlatformUnknownOrNotConfigured() {
        assertThat(client.post("/webhooks/myspace/x", Map.of(), new byte[0]).statusCode()).isEqualTo(404);
        try (WebhookServer githubOnly = new WebhookServer(config(Map.of()),
                Map.of("PULSE_GITHUB_SECRET", WebhookClient.GITHUB_SECRET), new RecordingPublisher(),
                Clock.systemUTC()).start()) {
            WebhookClient other = new WebhookClient(githubOnly.port());
            HttpResponse<String> response = other.slack("/webhooks/slack", WebhookSamples.bytes("slack", "message"));
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).contains("not_configured");
        }
    }

    @Test
    void shouldRefuseToStartWhenNoSecretConfigured() {
        assertThatThrownBy(() -> new WebhookServer(config(Map.of()), Map.of(), new RecordingPublisher(),
                Clock.systemUTC())).isInstanceOf(WebhookSecretException.class).hasMessageContaining("PULSE_");
    }

    @Test
    void shouldPseudonymiseMembersWhenKeyConfigured() {
        Map<String, String> env = new HashMap<>(WebhookClient.environment());
        env.put(WebhookServerConfig.PSEUDONYM_KEY_ENV, WebhookClient.PSEUDONYM_KEY);
        RecordingPublisher recorded = new RecordingPublisher();
        try (WebhookServer hashed = new WebhookServer(config(Map.of()), env, recorded, Clock.systemUTC()).start()) {
            assertThat(hashed.pseudonymised()).isTrue();
            new WebhookClient(hashed.port()).github("/webhooks/github/octo", "issues",
                    WebhookSamples.bytes("github", "issues.opened"));
            ActivityEvent event = recorded.events.get(0);
            assertThat(event.getActorId()).startsWith("m-").isNotEqualTo("21031067");
        }
        try (WebhookServer optedOut = new WebhookServer(config(Map.of(WebhookServerConfig.PSEUDONYMISE_CONFIG,
                false)), env, new RecordingPublisher(), Clock.systemUTC())) {
            assertThat(optedOut.pseudonymised()).isFalse();
        }
        assertThat(server.pseudonymised()).isFalse();
    }

    @Test
    void shouldRefuseToStartWhenPseudonymisationIsSwitchedOnWithoutAKey() {
        // Asked for explicitly, it never falls back to ids in clear.
        assertThatThrownBy(() -> new WebhookServer(config(Map.of(WebhookServerConfig.PSEUDONYMISE_CONFIG, true)),
                WebhookClient.environment(), new RecordingPublisher(), Clock.systemUTC()))
                .isInstanceOf(WebhookSecretException.class)
                .hasMessageContaining(WebhookServerConfig.PSEUDONYMISE_CONFIG + "=true")
                .hasMessageContaining(WebhookServerConfig.PSEUDONYM_KEY_ENV);
        Map<String, String> env = new HashMap<>(WebhookClient.environment());
        env.put(WebhookServerConfig.PSEUDONYMISE_ENV, "true");
        assertThatThrownBy(() -> new WebhookServer(config(Map.of()), env, new RecordingPublisher(), Clock.systemUTC()))
                .isInstanceOf(WebhookSecretException.class).hasMessageContaining("PULSE_PSEUDONYMISE=true");
    }

    @Test
    void shouldServeHealthAndPrometheusMetrics() {
        client.github("/webhooks/github/octo", "issues", WebhookSamples.bytes("github", "issues.opened"));
        assertThat(client.get("/health").statusCode()).isEqualTo(200);
        assertThat(client.get("/ready").statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = client.get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("pulse_webhook_latency_seconds_count{outcome=\"accepted\",platform=\"github\"} 1")
                .doesNotContain("pulse_webhook_requests_total")
                .contains("pulse_webhook_events_published_total");
    }
}
