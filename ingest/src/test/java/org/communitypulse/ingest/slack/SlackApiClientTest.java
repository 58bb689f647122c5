package org.communitypulse.ingest.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlackApiClientTest {

    private final FakeSlackWorkspace slack;
    private final List<Duration> waits = new ArrayList<>();

    SlackApiClientTest() throws Exception {
        slack = new FakeSlackWorkspace().channel("C1");
    }

    @AfterEach
    void close() {
        slack.close();
    }

    private SlackApiClient client(String token, int tier2, int tier3) {
        return new SlackApiClient(new SlackApiClient.Settings(slack.url(), token, Duration.ofSeconds(5), 3,
                Duration.ofMillis(10), Duration.ofMillis(40), tier2, tier3), wait -> {
                    waits.add(wait);
                    Thread.sleep(wait.toMillis());
                });
    }

    @Test
    void shouldFollowNextCursorWhenDocumentedHistoryPageHasMore() {
        slack.answerOnce("conversations.history", FakeSlackWorkspace.resource("conversations.history.json"));
        slack.post("C1", "U3", "1512085000.000100", "older, on the next page");

        List<JsonNode> messages = client(FakeSlackWorkspace.TOKEN, 1000, 1000)
                .pages("conversations.history", Map.of("channel", "C1", "limit", "2"), "messages");

        assertThat(messages).extracting(m -> m.path("ts").asText())
                .containsExactly("1512085950.000216", "1512104434.000490", "1512085000.000100");
        assertThat(slack.queries()).hasSize(2);
        assertThat(slack.queries().get(0)).doesNotContainKey("cursor");
        assertThat(slack.queries().get(1)).containsEntry("cursor", "bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz")
                .containsEntry("channel", "C1");
    }

    @Test
    void shouldWaitRetryAfterSecondsWhenAnswered429() {
        slack.limit("conversations.history", 1, Duration.ofSeconds(1));
        SlackApiClient api = client(FakeSlackWorkspace.TOKEN, 1000, 1000);

        api.call("conversations.history", Map.of("channel", "C1"));
        JsonNode second = api.call("conversations.history", Map.of("channel", "C1"));

        assertThat(second.path("ok").asBoolean()).isTrue();
        assertThat(slack.rateLimited()).isEqualTo(1);
        assertThat(slack.earlyRetries()).isZero();
        assertThat(api.rateLimited()).isEqualTo(1);
        assertThat(waits).contains(Duration.ofSeconds(1));
        assertThat(slack.calls("conversations.history")).isEqualTo(3);
    }

    @Test
    void shouldPaceEachMethodByItsTierWhenCalledInARow() {
        AtomicLong clock = new AtomicLong();
        List<Duration> paced = new ArrayList<>();
        SlackApiClient api = new SlackApiClient(SlackApiClient.Settings.of(slack.url(), FakeSlackWorkspace.TOKEN),
                wait -> {
                    paced.add(wait);
                    clock.addAndGet(wait.toNanos());
                }, clock::get);

        for (int i = 0; i < 3; i++) {
            api.call("conversations.history", Map.of("channel", "C1"));
        }
        api.call("users.list", Map.of());
        api.call("users.list", Map.of());

        // Tier 3: 50 a minute = 1.2 s apart; Tier 2: 20 a minute = 3 s apart, each method on its own clock.
        assertThat(paced).containsExactly(Duration.ofMillis(1200), Duration.ofMillis(1200), Duration.ofSeconds(3));
        assertThat(api.paced()).isEqualTo(3);
    }

    @Test
    void shouldFailFatallyNamingTheFixWhenBotIsNotInChannel() {
        slack.answerOnce("conversations.history", FakeSlackWorkspace.resource("error.not_in_channel.json"));
        SlackApiClient api = client(FakeSlackWorkspace.TOKEN, 1000, 1000);

        assertThatThrownBy(() -> api.call("conversations.history", Map.of("channel", "C1")))
                .isInstanceOfSatisfying(SlackApiException.class, e -> {
                    assertThat(e.error()).isEqualTo("not_in_channel");
                    assertThat(e.fatal()).isTrue();
                    assertThat(e.getMessage()).contains("/invite");
                });
        assertThat(slack.calls("conversations.history")).isEqualTo(1);
    }

    @Test
    void shouldFailFatallyWithoutShowingTheTokenWhenTokenIsRefused() {
        SlackApiClient api = client("xoxb-wrong-secret-token", 1000, 1000);

        assertThatThrownBy(() -> api.call("users.list", Map.of()))
                .isInstanceOfSatisfying(SlackApiException.class, e -> {
                    assertThat(e.error()).isEqualTo("invalid_auth");
                    assertThat(e.fatal()).isTrue();
                    assertThat(e.getMessage()).doesNotContain("xoxb-wrong-secret-token");
                });
        assertThat(SlackApiClient.Settings.of(slack.url(), "xoxb-wrong-secret-token").toString())
                .doesNotContain("xoxb-wrong");
    }

    @Test
    void shouldReportUnknownChannelAsFatalAndRateLimitAsRetriableWhenRetriesRunOut() {
        SlackApiClient api = client(FakeSlackWorkspace.TOKEN, 1000, 1000);
        assertThatThrownBy(() -> api.call("conversations.history", Map.of("channel", "C404")))
                .isInstanceOfSatisfying(SlackApiException.class, e -> assertThat(e.fatal()).isTrue());

        SlackApiClient impatient = new SlackApiClient(new SlackApiClient.Settings(slack.url(),
                FakeSlackWorkspace.TOKEN, Duration.ofSeconds(5), 0, Duration.ofMillis(10), Duration.ofMillis(10),
                1000, 1000), waits::add);
        slack.limit("users.list", 0, Duration.ofSeconds(30));
        assertThatThrownBy(() -> impatient.call("users.list", Map.of()))
                .isInstanceOfSatisfying(SlackApiException.class, e -> {
                    assertThat(e.error()).isEqualTo("ratelimited");
                    assertThat(e.fatal()).isFalse();
                });
    }
}
