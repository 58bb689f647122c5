package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.communitypulse.streams.http.DashboardIT.reply;
import static org.communitypulse.streams.http.DashboardIT.thread;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.streams.PulseStreamsApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in headless Chromium (Debian's chromium and chromium-driver): the list shows the
 * communities, filters and sorts them, opens one, and its numbers and charts change after new events
 * are produced, pushed by server-sent events. Screenshots go to {@code target/} as test artifacts.
 */
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @RegisterExtension
    static final RealPlatform PLATFORM = browserPlatform();

    /** The broker and registry, for a test skipped without Debian's chromium and chromium-driver. */
    static RealPlatform browserPlatform() {
        return new RealPlatform(() -> Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Browser test skipped: " + CHROMIUM + " and " + CHROMEDRIVER + " are needed "
                        + "(apt-get install chromium chromium-driver; .ci/run installs them)");
    }

    @Test
    void shouldShowCommunitiesAndUpdateTheChartsWhenNewEventsArrive(@TempDir Path state, @TempDir Path profile)
            throws Exception {
        String prefix = "browser-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        Instant at = Instant.now().minusSeconds(900);
        List<ActivityEvent> events = new ArrayList<>();
        for (String c : List.of("alpha", "beta", "gamma")) {
            events.add(thread(c + "-t1", c, c + "-ann", at));
            // alpha's first response takes 12 minutes: the widest first-response axis labels ("12 min" and its
            // neighbours), once clipped to "1 min" at the chart's left edge.
            events.add(reply(c + "-r1", c, c + "-bob", c + "-t1", at.plusSeconds("alpha".equals(c) ? 720 : 30)));
        }
        // alpha keeps a register: a sponsor (ann, active: she started the thread; a grant alone is no activity),
        // and a Corporate User without the required training.
        events.add(DashboardIT.role("alpha-g1", "alpha", "alpha-ann", at.plusSeconds(40), "role", "sponsor"));
        events.add(DashboardIT.role("alpha-g2", "alpha", "alpha-carl", at.plusSeconds(41), "level", "corporate-user"));
        ChromeDriver browser = null;
        // No token configured, as with ./pulse run: the instance generates one and the browser logs in with it.
        try (PulseStreamsApp app = DashboardPipeline.start(PLATFORM.kafka(), PLATFORM.registry(), prefix, state, 2,
                false)) {
            int port = app.httpPort().orElseThrow();
            Path tokenFile = app.generatedTokenFile().orElseThrow();
            assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            app.awaitRunning(Duration.ofSeconds(90));
            DashboardPipeline.produce(PLATFORM.kafka(), app, events);
            // untilAsserted: a 503 while a rebalance (a loaded machine) moves the stores is retried, not fatal.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                    assertThat(DashboardPipeline.json(port, Dashboard.COMMUNITIES_PATH).path("communities")).hasSize(3));
            // The platform lists one item more than the pipeline has on alpha's first day, as many on beta's;
            // gamma is not reconciled.
            LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
            DashboardPipeline.observe(PLATFORM.kafka(), app, List.of(
                    DashboardPipeline.count("alpha", day, posts(events, "alpha", day) + 1),
                    DashboardPipeline.count("beta", day, posts(events, "beta", day))));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                JsonNode all = DashboardPipeline.json(port, Dashboard.COMMUNITIES_PATH);
                assertThat(DashboardPipeline.summary(all, "alpha").at("/reconciliation/missing").asLong()).isEqualTo(1);
                assertThat(DashboardPipeline.summary(all, "beta").has("reconciliation")).isTrue();
            });

            browser = chromium(profile);
            ChromeDriver page = browser;
            // Not logged in: the page sends the browser to the login form, which sets the session cookie.
            browser.get("http://127.0.0.1:" + port + "/");
            await().atMost(Duration.ofSeconds(10)).until(() -> page.getCurrentUrl().endsWith(AccessControl.LOGIN_PATH));
            page.findElement(By.id("token")).sendKeys("not-the-token-at-all");
            page.findElement(By.id("login")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> !page.findElements(By.id("login-error")).isEmpty());
            page.findElement(By.id("token")).sendKeys(HttpTokenFiles.read(tokenFile));
            long loadStart = System.nanoTime();
            page.findElement(By.id("login")).click();
            // The click only sends the form: the cookie comes with the answer.
            await().atMost(Duration.ofSeconds(20)).until(() -> page.manage().getCookieNamed(AccessControl.COOKIE) != null);
            assertThat(page.manage().getCookieNamed(AccessControl.COOKIE)).satisfies(cookie -> {
                assertThat(cookie).isNotNull();
                assertThat(cookie.isHttpOnly()).isTrue();
                assertThat(cookie.getSameSite()).isEqualTo("Strict");
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> rows(page, "id").size() == 3);
            long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;
            System.out.println("Page load to communities listed: " + loadMillis + " ms");
            assertThat(rows(page, "id")).containsExactly("alpha", "beta", "gamma");
            assertThat(rows(page, "health")).containsOnly("healthy");
            assertThat(page.findElements(By.cssSelector("#communities svg.spark"))).hasSize(3);
            assertThat(reconciliationCell(page, "alpha")).isEqualTo("none 1 missing");
            assertThat(reconciliationCell(page, "beta")).isEqualTo(day.toString());
            assertThat(reconciliationCell(page, "gamma")).isEqualTo("–");

            page.findElement(By.id("filter")).sendKeys("et");
            await().atMost(Duration.ofSeconds(5)).until(() -> rows(page, "id").equals(List.of("beta")));
            page.findElement(By.id("filter")).clear();
            page.executeScript("document.getElementById('filter').dispatchEvent(new Event('input'))");
            await().atMost(Duration.ofSeconds(5)).until(() -> rows(page, "id").size() == 3);
            page.findElement(By.cssSelector("th[data-sort='communityId']")).click();
            await().atMost(Duration.ofSeconds(5)).until(() -> rows(page, "id").equals(List.of("gamma", "beta", "alpha")));
            screenshot(page, "DashboardBrowserIT-communities.png");
            recordChartTexts(page);

            // Live updates re-render the list, so an element found a moment ago may be gone: find and click again.
            await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
                    .until(() -> {
                        page.findElement(By.cssSelector("#communities tbody tr[data-id='alpha'] td.name")).click();
                        return true;
                    });
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    "1".equals(text(page, "kpi-replies28d")) && page.findElements(By.cssSelector("#chart-activity canvas")).size() == 1);
            assertThat(text(page, "c-name")).isEqualTo("alpha");
            assertThat(text(page, "c-health")).startsWith("Healthy");
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    page.findElements(By.cssSelector("#role-coverage tbody tr[data-role]")).size() == 10);
            assertThat(page.findElement(By.cssSelector("#role-coverage tr[data-role='sponsor']")).getAttribute("class"))
                    .isEqualTo("filled");
            assertThat(page.findElement(By.cssSelector("#role-coverage tr[data-role='sponsor']")).getText())
                    .contains("alpha-ann");
            assertThat(page.findElement(By.cssSelector("#role-coverage tr[data-role='community-manager']"))
                    .getAttribute("class")).isEqualTo("vacant");
            // A vacant role says what it costs (roles.yaml consequence); a filled one does not.
            assertThat(page.findElement(By.cssSelector("#role-coverage tr[data-role='sponsor']"))
                    .findElements(By.cssSelector(".consequence"))).isEmpty();
            assertThat(page.findElement(By.cssSelector("#role-coverage tr[data-role='product-manager'] .consequence"))
                    .getText()).isEqualTo(org.communitypulse.streams.roles.RolesModel.defaults()
                    .consequence("product-manager"));
            assertThat(text(page, "roles-summary")).contains("6 of 7 required roles vacant");
            assertThat(text(page, "training-summary")).contains("0 of 1 Corporate Users trained");
            assertThat(text(page, "violations-count")).isEqualTo("(7)");
            assertThat(page.findElement(By.cssSelector("#open-violations tr[data-rule='corporate-user-untrained']"))
                    .getText()).contains("alpha-carl");
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    page.findElements(By.cssSelector("#reconciliation-gaps tbody tr[data-day='" + day + "']")).size() == 1);
            assertThat(text(page, "reconciliation-complete"))
                    .isEqualTo("Complete up to no day yet; missing 1 item(s) on day " + day);
            assertThat(page.findElement(By.cssSelector("#reconciliation-gaps tr[data-day='" + day + "']")).getText())
                    .contains("open").contains(" " + (posts(events, "alpha", day) + 1) + " "
                            + posts(events, "alpha", day) + " 1 ");
            page.executeScript("document.getElementById('reconciliation-card').scrollIntoView()");
            screenshot(page, "DashboardBrowserIT-alpha-reconciliation.png");
            page.executeScript("document.getElementById('roles-card').scrollIntoView()");
            screenshot(page, "DashboardBrowserIT-alpha-roles.png");
            // The maturity radar: one point per competency, and the table with each one's stage.
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    page.findElements(By.cssSelector("#radar svg.radar circle")).size() == 8);
            assertThat(page.findElements(By.cssSelector("#maturity-table tbody tr[data-competency]"))).hasSize(8);
            assertThat(text(page, "maturity-overall")).contains("stage");
            page.executeScript("document.getElementById('maturity-overall').scrollIntoView()");
            screenshot(page, "DashboardBrowserIT-alpha-maturity.png");
            page.executeScript("document.getElementById('chart-response').scrollIntoView()");
            screenshot(page, "DashboardBrowserIT-alpha-first-response.png");
            assertNoChartTextClipped(page);
            page.executeScript("window.scrollTo(0, 0)");
            String pointsBefore = page.findElement(By.id("chart-activity")).getAttribute("data-points");
            screenshot(page, "DashboardBrowserIT-alpha-before.png");

            long t0 = System.nanoTime();
            List<ActivityEvent> later = List.of(
                    reply("alpha-r2", "alpha", "alpha-cy", "alpha-t1", Instant.now().minusSeconds(5)),
                    reply("alpha-r3", "alpha", "alpha-dee", "alpha-t1", Instant.now().minusSeconds(4)));
            DashboardPipeline.produce(PLATFORM.kafka(), app, later);
            // DAU is the latest day's: four members, fewer when the test runs just after midnight UTC and the
            // first events (15 minutes ago) fell on the day before.
            LocalDate latest = LocalDate.ofInstant(later.get(1).getOccurredAt(), ZoneOffset.UTC);
            String dau = Long.toString(java.util.stream.Stream.concat(events.stream(), later.stream())
                    .filter(e -> e.getCommunityId().equals("alpha")
                            && (e.getType() == EventType.THREAD_CREATED || e.getType() == EventType.REPLY_CREATED)
                            && LocalDate.ofInstant(e.getOccurredAt(), ZoneOffset.UTC).equals(latest))
                    .map(ActivityEvent::getActorId).distinct().count());
            // Both replies may reach the page in one update or in two: wait for what both together show.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> "3".equals(text(page, "kpi-replies28d")) && dau.equals(text(page, "kpi-dau")));
            long updateMillis = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("Events produced -> page updated: " + updateMillis + " ms");
            assertThat(page.findElement(By.id("chart-activity")).getAttribute("data-points")).isNotEqualTo(pointsBefore);
            assertThat(page.findElements(By.cssSelector("#levels .levels-row"))).isNotEmpty();
            assertThat(page.findElement(By.id("live")).getAttribute("class")).contains("on");
            screenshot(page, "DashboardBrowserIT-alpha-after.png");
            assertNoChartTextClipped(page);
            assertThat(updateMillis).as("ms from produce to the page showing it").isLessThan(5_000);

            // Logging out drops the cookie: the next page request is sent to the login form again.
            page.findElement(By.id("logout")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> page.getCurrentUrl().endsWith(AccessControl.LOGIN_PATH));
            page.get("http://127.0.0.1:" + port + "/");
            await().atMost(Duration.ofSeconds(10)).until(() -> page.getCurrentUrl().endsWith(AccessControl.LOGIN_PATH));
        } finally {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    static ChromeDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** One data attribute of every listed row, read in one script (rows are re-rendered on live updates). */
    @SuppressWarnings("unchecked")
    private static List<String> rows(ChromeDriver page, String attribute) {
        return (List<String>) page.executeScript("return [...document.querySelectorAll("
                + "'#communities tbody tr[data-id]')].map(r => r.dataset[arguments[0]]);", attribute);
    }

    /**
     * From now on, records every text a chart draws on its canvas with the box it occupies (uPlot draws tick
     * labels on the canvas, not as elements): the measured glyph box at the drawing position and alignment,
     * through the canvas transform, in canvas pixels.
     */
    private static void recordChartTexts(ChromeDriver page) {
        page.executeScript("""
                window.chartTexts = [];
                const fillText = CanvasRenderingContext2D.prototype.fillText;
                CanvasRenderingContext2D.prototype.fillText = function (text, x, y, maxWidth) {
                  const chart = this.canvas.closest('[id^="chart-"]');
                  if (chart) {
                    const m = this.measureText(text), t = this.getTransform();
                    const a = t.transformPoint(new DOMPoint(x - m.actualBoundingBoxLeft, y));
                    const b = t.transformPoint(new DOMPoint(x + m.actualBoundingBoxRight, y));
                    window.chartTexts.push({ chart: chart.id, text: String(text), left: Math.min(a.x, b.x),
                      right: Math.max(a.x, b.x), canvasWidth: this.canvas.width });
                  }
                  return fillText.apply(this, arguments);
                };""");
    }

    /** No chart text (axis tick labels above all) drawn past its canvas's left or right edge. */
    @SuppressWarnings("unchecked")
    private static void assertNoChartTextClipped(ChromeDriver page) {
        List<Map<String, Object>> texts = (List<Map<String, Object>>) page.executeScript("return window.chartTexts;");
        List<String> clipped = texts.stream()
                .filter(t -> ((Number) t.get("left")).doubleValue() < 0
                        || ((Number) t.get("right")).doubleValue() > ((Number) t.get("canvasWidth")).doubleValue())
                .map(t -> t.get("chart") + ": '" + t.get("text") + "' from x=" + t.get("left") + " to "
                        + t.get("right") + " (canvas 0 to " + t.get("canvasWidth") + ")")
                .distinct().toList();
        List<String> responseLabels = texts.stream().filter(t -> "chart-response".equals(t.get("chart")))
                .map(t -> (String) t.get("text")).filter(t -> t.matches("[0-9.]+ (h|min|s)")).distinct().toList();
        System.out.println("First-response axis labels drawn: " + responseLabels);
        assertThat(responseLabels).as("first-response axis labels").contains("12 min");
        assertThat(responseLabels).as("first-response axis labels, all in one unit").allMatch(t -> t.endsWith(" min"));
        assertThat(clipped).as("chart texts drawn outside their canvas").isEmpty();
    }

    /** Threads and replies of {@code community} on {@code day} among {@code events}. */
    private static long posts(List<ActivityEvent> events, String community, LocalDate day) {
        return events.stream().filter(e -> e.getCommunityId().equals(community)
                && (e.getType() == org.communitypulse.schemas.avro.EventType.THREAD_CREATED
                || e.getType() == org.communitypulse.schemas.avro.EventType.REPLY_CREATED)
                && LocalDate.ofInstant(e.getOccurredAt(), ZoneOffset.UTC).equals(day)).count();
    }

    /** The list's "Complete up to" cell of {@code community}, read in one script (rows are re-rendered live). */
    private static String reconciliationCell(ChromeDriver page, String community) {
        return ((String) page.executeScript("return document.querySelector(\"#communities tbody tr[data-id='\" + "
                + "arguments[0] + \"'] td.reconciliation\").textContent;", community)).trim();
    }

    private static String text(ChromeDriver page, String id) {
        return page.findElement(By.id(id)).getText().trim();
    }

    /** Saves what the browser shows as {@code target/<name>}, a test artifact. */
    static void screenshot(ChromeDriver page, String name) throws Exception {
        File shot = page.getScreenshotAs(OutputType.FILE);
        Files.createDirectories(Path.of("target"));
        Files.copy(shot.toPath(), Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
    }
}
