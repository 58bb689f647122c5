package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus alert rules (deploy/prometheus/alerts.yml) stay operable: each links to its own runbook
 * section in docs/operations.md, has a firing and a not-firing promtool test (alerts.test.yml; promtool
 * itself runs them in .ci/run), is listed in the doc's table of rules, and Alertmanager's inhibition names
 * exactly the pipeline-down rules and the community rules.
 */
class AlertRulesTest {

    private static final Path ROOT = Path.of("..");
    private static final Path RULES = ROOT.resolve("deploy/prometheus/alerts.yml");
    private static final Path RULE_TESTS = ROOT.resolve("deploy/prometheus/alerts.test.yml");
    private static final Path PROMETHEUS = ROOT.resolve("deploy/prometheus/prometheus.yml");
    private static final Path ALERTMANAGER = ROOT.resolve("deploy/alertmanager/alertmanager.yml");
    private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
    private static final String OPERATIONS = "docs/operations.md";
    private static final String COMMUNITY_GROUP = "pulse-community-alerts";
    private static final Set<String> PIPELINE_DOWN = Set.of("PulseStreamsInstanceDown", "PulseStreamsNotRunning");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void shouldLinkEveryRuleToItsOwnRunbookSectionWhenTheDocHasOne() throws IOException {
        Set<String> anchors = headingAnchors(Files.readString(ROOT.resolve(OPERATIONS)));
        Map<String, Rule> rules = rules();
        assertThat(rules).as("rules in " + RULES).isNotEmpty();
        Set<String> used = new TreeSet<>();
        rules.values().forEach(rule -> {
            String url = rule.annotations().path("runbook_url").asText("");
            assertThat(url).as(rule.name() + " runbook_url").startsWith(OPERATIONS + "#");
            String anchor = url.substring(url.indexOf('#') + 1);
            assertThat(anchors).as(rule.name() + ": heading for #" + anchor + " in " + OPERATIONS).contains(anchor);
            assertThat(used.add(anchor)).as(rule.name() + ": a runbook section of its own, not #" + anchor).isTrue();
        });
    }

    @Test
    void shouldTestEveryRuleFiringAndNotFiringWhenPromtoolRunsTheTests() throws IOException {
        Set<String> firing = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (JsonNode test : YAML.readTree(RULE_TESTS.toFile()).path("tests")) {
            for (JsonNode evaluation : test.path("alert_rule_test")) {
                String name = evaluation.path("alertname").asText();
                (evaluation.path("exp_alerts").isEmpty() ? silent : firing).add(name);
            }
        }
        Set<String> names = rules().keySet();
        assertThat(firing).as("rules with a firing case in " + RULE_TESTS).containsAll(names);
        assertThat(silent).as("rules with a not-firing case in " + RULE_TESTS).containsAll(names);
        assertThat(names).as("every tested alert is a rule").containsAll(firing).containsAll(silent);
    }

    @Test
    void shouldListEveryRuleInTheOperationsDocWhenRulesChange() throws IOException {
        // Rows of the rules table: | `PulseSomething` | ...
        Matcher row = Pattern.compile("(?m)^\\| \\[?`(Pulse[A-Za-z]+)`").matcher(Files.readString(ROOT.resolve(OPERATIONS)));
        Set<String> listed = new TreeSet<>();
        while (row.find()) {
            listed.add(row.group(1));
        }
        assertThat(listed).as("alert rules listed in " + OPERATIONS).isEqualTo(new TreeSet<>(rules().keySet()));
    }

    @Test
    void shouldInhibitExactlyTheCommunityRulesWhileThePipelineIsDown() throws IOException {
        JsonNode inhibitRules = YAML.readTree(ALERTMANAGER.toFile()).path("inhibit_rules");
        assertThat(inhibitRules).as("inhibit_rules in " + ALERTMANAGER).hasSize(1);
        JsonNode rule = inhibitRules.get(0);
        Set<String> community = new TreeSet<>();
        rules().values().stream().filter(r -> r.group().equals(COMMUNITY_GROUP)).forEach(r -> community.add(r.name()));
        assertThat(community).as("rules of group " + COMMUNITY_GROUP).isNotEmpty();
        assertThat(rules().keySet()).containsAll(PIPELINE_DOWN);
        assertThat(alertNames(rule.path("source_matchers"))).as("inhibition sources").isEqualTo(PIPELINE_DOWN);
        assertThat(alertNames(rule.path("target_matchers"))).as("inhibition targets").isEqualTo(community);
    }

    @Test
    void shouldSendAlertsToTheComposeAlertmanagerWhenPrometheusFires() throws IOException {
        JsonNode targets = YAML.readTree(PROMETHEUS.toFile())
                .path("alerting").path("alertmanagers").path(0).path("static_configs").path(0).path("targets");
        assertThat(targets).as("alerting targets in " + PROMETHEUS).hasSize(1);
        String host = targets.get(0).asText().split(":")[0];
        assertThat(YAML.readTree(COMPOSE.toFile()).path("services").has(host))
                .as("service " + host + " in " + COMPOSE).isTrue();
    }

    private record Rule(String group, String name, JsonNode annotations) {}

    private static Map<String, Rule> rules() throws IOException {
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    Rule previous = rules.put(rule.path("alert").asText(),
                            new Rule(group.path("name").asText(), rule.path("alert").asText(), rule.path("annotations")));
                    assertThat(previous).as("alert name used twice: " + rule.path("alert").asText()).isNull();
                }
            }
        }
        return rules;
    }

    /** The alert names of matchers of the form {@code alertname=~"A|B"} or {@code alertname="A"}. */
    private static Set<String> alertNames(JsonNode matchers) {
        Pattern matcher = Pattern.compile("alertname=~?\"([A-Za-z|]+)\"");
        Set<String> names = new TreeSet<>();
        for (JsonNode node : matchers) {
            Matcher m = matcher.matcher(node.asText().replace(" ", ""));
            assertThat(m.matches()).as("matcher " + node.asText()).isTrue();
            names.addAll(List.of(m.group(1).split("\\|")));
        }
        return names;
    }

    /** GitHub's anchors of the Markdown headings outside fenced code: lower case, punctuation dropped, spaces to dashes. */
    static Set<String> headingAnchors(String markdown) {
        Set<String> anchors = new TreeSet<>();
        boolean fenced = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced && line.matches("#{1,6} .*")) {
                String text = line.replaceFirst("^#+ ", "").trim();
                anchors.add(text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    @Test
    void shouldMakeAnchorsLikeGitHubWhenHeadingsHavePunctuation() {
        assertThat(headingAnchors("# Operations\n```sh\n# not a heading\n```\n### Pointing the host CLI at the compose stack\n"
                + "#### PulseStreamsNotRunning\n"))
                .containsExactlyInAnyOrder("operations", "pointing-the-host-cli-at-the-compose-stack",
                        "pulsestreamsnotrunning");
        assertThat(new ArrayList<>(headingAnchors("## Health, metrics and alerts"))).containsExactly("health-metrics-and-alerts");
    }
}
