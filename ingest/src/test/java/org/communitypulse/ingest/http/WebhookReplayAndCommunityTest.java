package org.communitypulse.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.communitypulse.ingest.webhook.WebhookSamples;
import org.communitypulse.ingest.webhook.WebhookSecretException;
import org.communitypulse.ingest.webhook.WebhookSource;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays keyed on what the platforms sign, and bodies bound to the community they were signed for, with the
 * default settings (no {@code pulse.webhooks.platform.secret.any.community}).
 */
class WebhookReplayAndCommunityTest {

    private static final String ACME_GITHUB = "acme-github-secret-0123456789";
    private static final String BETA_GITHUB = "beta-github-secret-0123456789";
    private static final String ACME_FORUM = "acme-forum-secret-0123456789";
    private static final String BETA_FORUM = "beta-forum-secret-0123456789";

    @TempDir
    Path secrets;

    private final RecordingPublisher publisher = new RecordingPublisher();

    private static WebhookServerConfig config(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put(WebhookServerConfig.PORT_CONFIG, 0);
        props.put(WebhookServerConfig.HOST_CONFIG, "127.0.0.1");
        props.putAll(extra);
        return new WebhookServerConfig(props);
    }

    private WebhookServer start(Map<String, Object> extra, Map<String, String> env) {
        return new WebhookServer(config(extra), env, publisher, Clock.systemUTC()).start();
    }

    private Path communitySecrets(String platform, Map<String, String> byCommunity) throws IOException {
        Path dir = Files.createDirectories(secrets.resolve(platform));
        for (Map.Entry<String, String> entry : byCommunity.entrySet()) {
            Files.writeString(dir.resolve(entry.getKey()), entry.getValue() + "\n", StandardCharsets.UTF_8);
        }
        return dir;
    }

    private static Map<String, String> github(String secret, String event, byte[] body, String delivery) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-GitHub-Event", event);
        headers.put("X-GitHub-Delivery", delivery);
        headers.put("X-Hub-Signature-256", "sha256=" + WebhookClient.hmacHex(secret, body));
        return headers;
    }

    private static Map<String, String> discourse(String secret, String instance, byte[] body, String eventId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Discourse-Event", "post_created");
        headers.put("X-Discourse-Event-Id", eventId);
        headers.put("X-Discourse-Instance", instance);
        headers.put("X-Discourse-Event-Signature", "sha256=" + WebhookClient.hmacHex(secret, body));
        return headers;
    }

    @Test
    void shouldPublishNothingWhenACapturedDeliveryIsReplayedUnderANewDeliveryId() {
        byte[] body = WebhookSamples.bytes("github", "issue_comment.created");
        byte[] post = WebhookSamples.bytes("discourse", "post_created");
        try (WebhookServer server = start(Map.of(WebhookServerConfig.DEFAULT_COMMUNITY_CONFIG, "octo"),
                WebhookClient.environment())) {
            WebhookClient client = new WebhookClient(server.port());
            assertThat(client.post("/webhooks/github/octo", WebhookClient.githubHeaders("issue_comment", body, "d-1"),
                    body).statusCode()).isEqualTo(200);
            assertThat(client.post("/webhooks/discourse", WebhookClient.discourseHeaders("post_created", post, "7"),
                    post).statusCode()).isEqualTo(200);
            int published = publisher.events.size();

            HttpResponse<String> github = client.post("/webhooks/github/octo",
                    WebhookClient.githubHeaders("issue_comment", body, "d-2-forged"), body);
            HttpResponse<String> renamed = client.post("/webhooks/github/octo",
                    WebhookClient.githubHeaders("pull_request_review_comment", body, "d-3-forged"), body);
            HttpResponse<String> forum = client.post("/webhooks/discourse",
                    WebhookClient.discourseHeaders("post_edited", post, "8-forged"), post);

            for (HttpResponse<String> replay : java.util.List.of(github, renamed, forum)) {
                assertThat(replay.statusCode()).isEqualTo(200);
                assertThat(replay.body()).contains("\"status\":\"duplicate\"", "replayed_delivery");
            }
            assertThat(publisher.events).hasSize(published);
        }
    }

    @Test
    void shouldRefuseABodySignedWithOneCommunitysSecretAtAnotherCommunitysUrl() throws IOException {
        Path dir = communitySecrets("github", Map.of("acme", ACME_GITHUB, "beta", BETA_GITHUB));
        byte[] body = WebhookSamples.bytes("github", "issues.opened");
        try (WebhookServer server = start(Map.of(WebhookServerConfig.secretsDirConfig(WebhookSource.GITHUB),
                dir.toString()), Map.of())) {
            WebhookClient client = new WebhookClient(server.port());
            Map<String, String> signedForAcme = github(ACME_GITHUB, "issues", body, "d-1");

            HttpResponse<String> moved = client.post("/webhooks/github/beta", signedForAcme, body);
            assertThat(moved.statusCode()).isEqualTo(401);
            assertThat(moved.body()).contains("bad_signature");
            assertThat(client.post("/webhooks/github/nobody", signedForAcme, body).statusCode()).isEqualTo(404);
            assertThat(publisher.events).isEmpty();

            HttpResponse<String> home = client.post("/webhooks/github/acme", signedForAcme, body);
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(publisher.events).extracting(ActivityEvent::getCommunityId).containsOnly("acme");
            // Without a path, only a platform-wide secret could sign: there is none.
            assertThat(client.post("/webhooks/github", signedForAcme, body).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void shouldAcceptAPlatformWideSignatureOnlyForTheCommunityItsSignedPayloadMapsTo() {
        byte[] body = WebhookSamples.bytes("github", "issues.opened");
        try (WebhookServer server = start(Map.of(WebhookServerConfig.communitiesConfig(WebhookSource.GITHUB),
                "Codertocat/Hello-World=hello"), WebhookClient.environment())) {
            WebhookClient client = new WebhookClient(server.port());

            HttpResponse<String> elsewhere = client.post("/webhooks/github/other",
                    WebhookClient.githubHeaders("issues", body, "d-1"), body);
            assertThat(elsewhere.statusCode()).isEqualTo(403);
            assertThat(elsewhere.body()).contains("community_not_signed");
            assertThat(publisher.events).isEmpty();

            assertThat(client.post("/webhooks/github/hello", WebhookClient.githubHeaders("issues", body, "d-2"), body)
                    .statusCode()).isEqualTo(200);
            assertThat(client.post("/webhooks/github", WebhookClient.githubHeaders("issues", body, "d-3"), body)
                    .body()).contains("duplicate");
            assertThat(publisher.events).extracting(ActivityEvent::getCommunityId).containsOnly("hello");
        }
    }

    @Test
    void shouldPickTheDiscourseSecretByTheForumHeaderSoASwappedHeaderFailsTheSignature() throws IOException {
        Path dir = communitySecrets("discourse", Map.of("acme", ACME_FORUM, "beta", BETA_FORUM));
        byte[] post = WebhookSamples.bytes("discourse", "post_created");
        Map<String, Object> settings = Map.of(
                WebhookServerConfig.secretsDirConfig(WebhookSource.DISCOURSE), dir.toString(),
                WebhookServerConfig.communitiesConfig(WebhookSource.DISCOURSE),
                "https://acme.example=acme,https://beta.example=beta");
        try (WebhookServer server = start(settings, Map.of())) {
            WebhookClient client = new WebhookClient(server.port());

            HttpResponse<String> swapped = client.post("/webhooks/discourse",
                    discourse(ACME_FORUM, "https://beta.example", post, "1"), post);
            assertThat(swapped.statusCode()).isEqualTo(401);

            assertThat(client.post("/webhooks/discourse", discourse(ACME_FORUM, "https://acme.example", post, "2"),
                    post).statusCode()).isEqualTo(200);
            assertThat(publisher.events).extracting(ActivityEvent::getCommunityId).containsOnly("acme");
        }
    }

    @Test
    void shouldRefuseToStartWhenTheUnsignedForumHeaderWouldPickTheCommunityOfAPlatformWideSecret() {
        Map<String, Object> settings = Map.of(WebhookServerConfig.communitiesConfig(WebhookSource.DISCOURSE),
                "https://acme.example=acme,https://beta.example=beta");
        assertThatThrownBy(() -> new WebhookServer(config(settings), WebhookClient.environment(), publisher,
                Clock.systemUTC())).isInstanceOf(WebhookSecretException.class)
                .hasMessageContaining("PULSE_DISCOURSE_SECRETS_DIR").hasMessageContaining("'acme'");
    }

    @Test
    void shouldLetAPlatformWideSecretSignForAnyPathCommunityOnlyWhenOptedIn() {
        byte[] post = WebhookSamples.bytes("discourse", "post_created");
        try (WebhookServer server = start(Map.of(WebhookServerConfig.ANY_COMMUNITY_CONFIG, true),
                WebhookClient.environment())) {
            WebhookClient client = new WebhookClient(server.port());
            assertThat(client.post("/webhooks/discourse/sandbox",
                    WebhookClient.discourseHeaders("post_created", post, "1"), post).statusCode()).isEqualTo(200);
        }
        try (WebhookServer server = start(Map.of(), WebhookClient.environment())) {
            WebhookClient client = new WebhookClient(server.port());
            assertThat(client.post("/webhooks/discourse/sandbox",
                    WebhookClient.discourseHeaders("post_created", post, "1"), post).statusCode()).isEqualTo(403);
        }
    }
}
