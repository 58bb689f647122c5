package org.communitypulse.ingest.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.communitypulse.ingest.internals.Sleeper;
import org.junit.jupiter.api.Test;

class GitHubApiClientTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final List<Duration> waits = new ArrayList<>();
    private final Sleeper recording = wait -> {
        waits.add(wait);
        Thread.sleep(wait.toMillis());
    };

    private GitHubApiClient client(FakeGitHub github) {
        return new GitHubApiClient(GitHubApiClient.Settings.of(github.url(), FakeGitHub.TOKEN), recording,
                Clock.systemUTC());
    }

    @Test
    void shouldFollowLinkHeaderWhenListSpansPages() throws Exception {
        try (FakeGitHub github = new FakeGitHub(1000, 60_000, 2)) {
            for (int i = 0; i < 5; i++) {
                github.open(false, 7, T0.plusSeconds(i));
            }
            List<JsonNode> issues = client(github).getAll("/repos/" + FakeGitHub.FULL_NAME
                    + "/issues?state=all&sort=updated&direction=asc&per_page=100");
            assertThat(issues).extracting(issue -> issue.get("number").asInt()).containsExactly(1, 2, 3, 4, 5);
            assertThat(github.requests()).hasSize(3);
        }
    }

    @Test
    void shouldAnswerFromCacheWhenNotModified() throws Exception {
        try (FakeGitHub github = new FakeGitHub(1000, 60_000, 10)) {
            github.open(false, 7, T0);
            GitHubApiClient api = client(github);
            String path = "/repos/" + FakeGitHub.FULL_NAME + "/issues?state=all";
            GitHubApiClient.Page first = api.get(path);
            GitHubApiClient.Page again = api.get(path);
            assertThat(first.notModified()).isFalse();
            assertThat(again.notModified()).isTrue();
            assertThat(again.body()).isEqualTo(first.body());
            assertThat(github.notModified()).isEqualTo(1);
            assertThat(api.notModified()).isEqualTo(1);

            github.open(false, 8, T0.plusSeconds(1));
            assertThat(api.get(path).body()).hasSize(2);
        }
    }

    @Test
    void shouldWaitForResetWhenRemainingReachesZero() throws Exception {
        try (FakeGitHub github = new FakeGitHub(3, 1_500, 1)) {
            for (int i = 0; i < 7; i++) {
                github.open(false, 7, T0.plusSeconds(i));
            }
            GitHubApiClient api = client(github);
            List<JsonNode> issues = api.getAll("/repos/" + FakeGitHub.FULL_NAME + "/issues?per_page=1");
            assertThat(issues).hasSize(7);
            assertThat(github.overLimit()).isZero();
            assertThat(api.rateLimitWaits()).isGreaterThanOrEqualTo(2);
            assertThat(waits).anySatisfy(wait -> assertThat(wait).isGreaterThan(Duration.ofMillis(250)));
        }
    }

    @Test
    void shouldWaitRetryAfterWhenSecondaryLimitHit() throws Exception {
        try (FakeGitHub github = new FakeGitHub(1000, 60_000, 10)) {
            github.open(false, 7, T0);
            github.secondaryLimitNext(1);
            GitHubApiClient api = client(github);
            assertThat(api.getAll("/repos/" + FakeGitHub.FULL_NAME + "/issues")).hasSize(1);
            List<FakeGitHub.Request> requests = github.requests();
            assertThat(requests).extracting(FakeGitHub.Request::status).containsExactly(403, 200);
            assertThat(Duration.between(requests.get(0).at(), requests.get(1).at()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(waits).containsExactly(Duration.ofSeconds(1));
            assertThat(api.rateLimitWaits()).isEqualTo(1);
        }
    }

    @Test
    void shouldFailWithoutShowingTokenWhenRefused() throws Exception {
        try (FakeGitHub github = new FakeGitHub(1000, 60_000, 10)) {
            String wrong = "ghp_wrong0123456789abcdefghijklmnopqrs";
            GitHubApiClient api = new GitHubApiClient(GitHubApiClient.Settings.of(github.url(), wrong));
            assertThatThrownBy(() -> api.get("/repos/" + FakeGitHub.FULL_NAME))
                    .isInstanceOfSatisfying(GitHubApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.isFatal()).isTrue();
                    })
                    .hasMessageContaining("refused the token").hasMessageNotContaining(wrong);
            assertThat(GitHubApiClient.Settings.of(github.url(), wrong).toString()).doesNotContain(wrong);
        }
    }

    @Test
    void shouldNameGraphqlEndpointBesideRestBase() {
        assertThat(new GitHubApiClient(GitHubApiClient.Settings.of(GitHubApiClient.PUBLIC_API, "t")).graphqlUrl())
                .isEqualTo("https://api.github.com/graphql");
        assertThat(new GitHubApiClient(GitHubApiClient.Settings.of(java.net.URI.create(
                "https://github.example.org/api/v3/"), "t")).graphqlUrl())
                .isEqualTo("https://github.example.org/api/graphql");
    }
}
