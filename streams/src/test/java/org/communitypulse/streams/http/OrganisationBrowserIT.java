package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.communitypulse.streams.http.DashboardIT.reply;
import static org.communitypulse.streams.http.DashboardIT.role;
import static org.communitypulse.streams.http.DashboardIT.thread;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.declarations.Declaration;
import org.communitypulse.streams.PulseStreamsApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The organisation view and a competency's evidence in headless Chromium: two communities declared part of one
 * organisation and a third of none, a register with a vacant required role, a goal, a policy and a staff
 * headcount declared. The landing page lists the organisation first (its stages, health, staff share and
 * communities) and still reaches the community without one; the organisation page shows its scorecard, the
 * vacant roles with what their vacancy means and the staff share per week; a community page shows each
 * competency's evidence with the declarations it rests on and what is missing for the next stage. Declared
 * text is user input: markup in it is shown as text and a non-http(s) evidence reference is never a link.
 * Screenshots in {@code target/OrganisationBrowserIT-*.png}.
 */
class OrganisationBrowserIT {

    private static final String ORG = "acme";
    private static final String FORUM = "acme-forum";
    private static final String CHAT = "acme-chat";
    private static final String SOLO = "solo";
    private static final String GOAL_EVIDENCE = "https://wiki.example.org/community/goals?year=2026&q=1";
    private static final String DECLARER = "<img src=x onerror=\"window.pwned=1\">Ann Lee";
    private static final String POLICY_EVIDENCE = "javascript:window.pwned=2";

    @RegisterExtension
    static final RealPlatform PLATFORM = DashboardBrowserIT.browserPlatform();

    @Test
    void shouldShowTheOrganisationFirstAndEachCompetencysEvidenceAndWhatIsMissing(@TempDir Path state,
                                                                                   @TempDir Path profile)
            throws Exception {
        String prefix = "org-browser-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        Instant at = Instant.now().minusSeconds(900);
        Instant today = at.truncatedTo(ChronoUnit.DAYS);
        List<ActivityEvent> events = new ArrayList<>();
        for (String c : List.of(FORUM, CHAT, SOLO)) {
            events.add(thread(c + "-t1", c, c + "-ann", at));
            events.add(reply(c + "-r1", c, c + "-bob", c + "-t1", at.plusSeconds(60)));
        }
        for (String c : List.of(FORUM, CHAT)) {
            events.add(declare(c, today, Map.of("declaration", "organisation", "organisation", ORG, "name", "Acme Corp",
                    "evidence", "https://intranet.example.org/org-chart", "declared_by", "ops")));
        }
        // The organisation's staff: 4, declared once; one Corporate User (below) makes the share 25%.
        events.add(declare(FORUM, today, Map.of("declaration", "headcount", "staff", "4",
                "evidence", "hr-report-2026-12", "declared_by", "hr")));
        // The register: the forum has a sponsor and a Corporate User, the chat a sponsor; neither has a community
        // manager. The forum declares a goal whose declarer carries markup and a policy whose evidence is a script URL.
        events.add(role(FORUM + "-g1", FORUM, FORUM + "-sue", at.plusSeconds(70), "role", "sponsor"));
        events.add(role(FORUM + "-g2", FORUM, FORUM + "-carl", at.plusSeconds(71), "level", "corporate-user"));
        events.add(role(CHAT + "-g1", CHAT, CHAT + "-sue", at.plusSeconds(72), "role", "sponsor"));
        events.add(declare(FORUM, today, Map.of("declaration", "goal", "signal", "wau", "target", "50",
                "evidence", GOAL_EVIDENCE, "declared_by", DECLARER)));
        events.add(declare(FORUM, today, Map.of("declaration", "policy", "policy", "community-guidelines",
                "evidence", POLICY_EVIDENCE, "declared_by", "legal")));

        ChromeDriver browser = null;
        try (PulseStreamsApp app = DashboardPipeline.start(PLATFORM.kafka(), PLATFORM.registry(), prefix, state, 2)) {
            int port = app.httpPort().orElseThrow();
            app.awaitRunning(Duration.ofSeconds(90));
            DashboardPipeline.produce(PLATFORM.kafka(), app, events);
            // untilAsserted: a 503 while a rebalance (a loaded machine) moves the stores is retried, not fatal.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(DashboardPipeline.json(port, "/api/organisations").path("organisations")).hasSize(1));

            browser = DashboardBrowserIT.chromium(profile);
            ChromeDriver page = browser;
            // The admin scope: the community's role coverage (holders are per-member data) shows the consequence.
            page.get("http://127.0.0.1:" + port + AccessControl.LOGIN_PATH + "?token=" + TestTokens.ADMIN);
            // Live updates re-render the page: each group of assertions holds on one rendering, read again if need be.
            assertSoon(() -> {
                WebElement org = page.findElement(By.cssSelector("#organisations tbody tr[data-organisation='" + ORG + "']"));
                // The declared name, not the id.
                assertThat(org.findElement(By.cssSelector("td.name")).getText()).isEqualTo("Acme Corp");
                assertThat(org.getText()).contains(FORUM, CHAT).doesNotContain(SOLO);
                assertThat(org.findElement(By.cssSelector("td.stage")).getText()).matches("[1-4] .+");
                assertThat(org.findElements(By.cssSelector("td.competency-stages .chip"))).hasSize(8);
                assertThat(org.findElement(By.cssSelector("td.staff-share")).getText()).startsWith("25%");
                assertThat(text(page, "#communities tbody tr[data-id='" + FORUM + "'] td.organisation")).isEqualTo(ORG);
                assertThat(text(page, "#communities tbody tr[data-id='" + SOLO + "'] td.organisation")).isEmpty();
                assertThat(text(page, "#unassigned")).isEqualTo("Communities without an organisation: " + SOLO);
            });
            DashboardBrowserIT.screenshot(page, "OrganisationBrowserIT-landing.png");

            // The organisation page.
            clickWhenStable(page, "#organisations tbody tr[data-organisation='" + ORG + "'] td.name a");
            assertSoon(() -> {
                assertThat(page.findElements(By.cssSelector("#o-scorecard tbody tr[data-competency]"))).hasSize(8);
                assertThat(text(page, "#o-name")).isEqualTo("Acme Corp");
                assertThat(page.findElements(By.cssSelector("#o-scorecard-head th.community"))).extracting(WebElement::getText)
                        .containsExactlyInAnyOrder(FORUM, CHAT);
                assertThat(text(page, "#o-overall")).containsPattern("stage [1-4]");
                WebElement manager = page.findElement(By.cssSelector("#o-coverage tr[data-role='community-manager']"));
                assertThat(manager.getAttribute("class")).isEqualTo("vacant");
                assertThat(manager.getText()).contains(FORUM, CHAT);
                assertThat(manager.findElement(By.cssSelector("td.consequence")).getText()).isNotBlank();
                assertThat(page.findElements(By.cssSelector("#o-staff tbody tr[data-week]"))).isNotEmpty();
                assertThat(text(page, "#o-staff tbody tr[data-week] td.share")).isEqualTo("25%");
                assertThat(text(page, "#o-staff-trend")).contains("25%");
            });
            DashboardBrowserIT.screenshot(page, "OrganisationBrowserIT-organisation.png");
            page.executeScript("document.getElementById('o-coverage').scrollIntoView()");
            DashboardBrowserIT.screenshot(page, "OrganisationBrowserIT-organisation-coverage.png");

            // A community of the organisation: each competency's evidence and what holds it below the next stage.
            clickWhenStable(page, "#o-summary a[data-id='" + FORUM + "']");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    page.findElements(By.cssSelector("#maturity-table tbody tr[data-competency]")).size() == 8);
            assertSoon(() -> {
                assertThat(page.findElement(By.id("c-organisation")).getText()).contains("Acme Corp");
                assertThat(page.findElement(By.id("c-organisation")).getAttribute("href")).endsWith("#/o/" + ORG);
                WebElement strategy = page.findElement(By.cssSelector("#maturity-table tr[data-competency='strategy']"));
                WebElement goal = strategy.findElement(By.cssSelector(".declaration[data-kind='goal']"));
                assertThat(goal.findElement(By.cssSelector("a.evidence-link")).getAttribute("href")).isEqualTo(GOAL_EVIDENCE);
                assertThat(goal.findElement(By.cssSelector(".declared-by")).getText()).isEqualTo(DECLARER);
                assertThat(strategy.findElements(By.cssSelector(".signal .description"))).isNotEmpty();
                assertThat(strategy.findElement(By.cssSelector(".signal .thresholds")).getText()).contains("stage 2");
                // A goal of 50 weekly active members with two: its attainment holds Strategy below the next stage.
                assertThat(strategy.findElement(By.cssSelector("td.missing .next-stage")).getText()).startsWith("For stage ");
                assertThat(strategy.findElement(By.cssSelector("td.missing .missing-item[data-signal='goal_attainment']"))
                        .getText()).contains("goal_attainment").hasSizeGreaterThan(" (goal_attainment)".length());
                // The policy's script URL is shown as text, never as a link; the declarer's markup never ran.
                WebElement policy = page.findElement(By.cssSelector(
                        "#maturity-table tr[data-competency='policy-governance'] .declaration[data-kind='policy']"));
                assertThat(policy.findElement(By.cssSelector(".evidence-ref")).getText()).isEqualTo(POLICY_EVIDENCE);
                assertThat(page.findElements(By.cssSelector("a[href^='javascript'], #maturity-table img"))).isEmpty();
                assertThat(((JavascriptExecutor) page).executeScript("return window.pwned === undefined")).isEqualTo(true);
            });
            page.executeScript("document.getElementById('maturity-table').scrollIntoView()");
            DashboardBrowserIT.screenshot(page, "OrganisationBrowserIT-community-evidence.png");
            assertSoon(() -> {
                WebElement vacant = page.findElement(By.cssSelector("#role-coverage tr[data-role='community-manager']"));
                assertThat(vacant.getAttribute("class")).isEqualTo("vacant");
                assertThat(vacant.findElement(By.cssSelector(".consequence")).getText()).isNotBlank();
            });
            page.executeScript("document.getElementById('roles-card').scrollIntoView()");
            DashboardBrowserIT.screenshot(page, "OrganisationBrowserIT-community-roles.png");

            // The community of no organisation is reached from the landing page.
            page.get("http://127.0.0.1:" + port + "/#/");
            clickWhenStable(page, "#unassigned a[data-id='" + SOLO + "']");
            await().atMost(Duration.ofSeconds(20)).until(() -> SOLO.equals(text(page, "#c-name")));
        } finally {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    /** {@code assertions} hold within 30 s, on one rendering of the page (read again while an element is replaced). */
    private static void assertSoon(org.awaitility.core.ThrowingRunnable assertions) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .untilAsserted(assertions);
    }

    /** A declaration's event, as the CLI and the register import publish it. */
    private static ActivityEvent declare(String community, Instant effective, Map<String, String> attributes) {
        Declaration declaration = Declaration.of(community, effective, attributes);
        return declaration.toEvent("declaration-" + UUID.nameUUIDFromBytes(declaration.canonical().getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), SourcePlatform.OTHER);
    }

    /** Clicks {@code selector}'s element, finding it again when a live update re-rendered it meanwhile. */
    private static void clickWhenStable(ChromeDriver page, String selector) {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptionsMatching(e -> e instanceof StaleElementReferenceException
                || e instanceof NoSuchElementException).until(() -> {
                    page.findElement(By.cssSelector(selector)).click();
                    return true;
                });
    }

    private static String text(ChromeDriver page, String selector) {
        return page.findElement(By.cssSelector(selector)).getText().trim();
    }
}
