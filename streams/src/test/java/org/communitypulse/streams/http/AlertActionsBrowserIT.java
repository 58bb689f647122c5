package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.communitypulse.streams.PulseStreamsApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The community view's Acknowledge and Snooze 24 h buttons in a real browser: an admin session acts and sees the
 * state; a read session sees the alerts with that state, without their summaries and without the buttons.
 */
class AlertActionsBrowserIT {

    @RegisterExtension
    static final RealPlatform PLATFORM = new RealPlatform(
            () -> Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver")),
            "Browser test skipped: /usr/bin/chromium and /usr/bin/chromedriver are needed");

    @Test
    void shouldAcknowledgeAndSnoozeFromTheCommunityViewWhenLoggedInAsAdmin(@TempDir Path state, @TempDir Path profile)
            throws Exception {
        String prefix = "actb-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        Instant january = Instant.parse("2026-01-05T10:00:00Z");
        ChromeDriver browser = null;
        try (PulseStreamsApp app = DashboardPipeline.start(PLATFORM.kafka(), PLATFORM.registry(), prefix, state, 2)) {
            int port = app.httpPort().orElseThrow();
            app.awaitRunning(Duration.ofSeconds(90));
            DashboardPipeline.produce(PLATFORM.kafka(), app, List.of(
                    DashboardIT.thread("q1", "quiet", "dan", january),
                    DashboardIT.reply("q2", "quiet", "eve", "q1", january.plusSeconds(600))));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).ignoreExceptions().until(() ->
                    DashboardPipeline.json(port, Dashboard.COMMUNITIES_PATH + "/quiet/alerts").toString()
                            .contains("\"FIRING\""));

            browser = DashboardBrowserIT.chromium(profile);
            ChromeDriver page = browser;
            String base = "http://127.0.0.1:" + port;
            page.get(base + AccessControl.LOGIN_PATH + "?token=" + TestTokens.ADMIN);
            page.get(base + "/#/c/quiet");
            By acknowledge = By.cssSelector("#alerts button[data-action='acknowledge'][data-condition='NO_ACTIVITY']");
            await().atMost(Duration.ofSeconds(20)).until(() -> !page.findElements(acknowledge).isEmpty());
            // The list re-renders on every live update: a button found just before one is gone, so find and click again.
            await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
                    .untilAsserted(() -> page.findElement(acknowledge).click());
            await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
                    .until(() -> page.findElement(By.id("alerts")).getText().contains("acknowledged by scope:admin"));
            assertThat(page.findElements(acknowledge)).as("no second acknowledgement of the same alert").isEmpty();

            By snooze = By.cssSelector("#alerts button[data-action='snooze'][data-condition='NO_ACTIVITY']");
            await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
                    .untilAsserted(() -> page.findElement(snooze).click());
            await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
                    .until(() -> page.findElement(By.id("alerts")).getText().contains("snoozed until"));
            assertThat(page.findElements(By.cssSelector("#alerts button[data-action='unsnooze']"))).isNotEmpty();

            String summary = DashboardPipeline.json(port, Dashboard.COMMUNITIES_PATH + "/quiet/alerts").path("alerts")
                    .get(0).path("summary").asText();
            assertThat(summary).isNotEmpty();

            // The read scope sees the alerts and who acknowledged or snoozed them, but neither their summaries and
            // evidence (role alerts name members) nor the buttons.
            page.manage().deleteAllCookies();
            page.get(base + AccessControl.LOGIN_PATH + "?token=" + TestTokens.READ);
            page.get(base + "/#/c/quiet");
            await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
                    .until(() -> {
                        String alerts = page.findElement(By.id("alerts")).getText();
                        return alerts.contains("NO_ACTIVITY") && alerts.contains("acknowledged by scope:admin at 20")
                                && alerts.contains("snoozed until 20");
                    });
            assertThat(page.findElement(By.id("alerts")).getText()).doesNotContain(summary).doesNotContain("admin token");
            assertThat(page.findElements(By.cssSelector("#alerts button"))).isEmpty();
        } finally {
            if (browser != null) {
                browser.quit();
            }
        }
    }
}
