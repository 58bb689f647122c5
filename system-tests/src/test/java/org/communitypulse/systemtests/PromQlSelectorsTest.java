package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.communitypulse.systemtests.PromQlSelectors.LabelMatcher;
import org.communitypulse.systemtests.PromQlSelectors.Selector;
import org.junit.jupiter.api.Test;

class PromQlSelectorsTest {

    @Test
    void shouldFindEverySelectorAndSkipFunctionsGroupingAndRangesWhenTheQueryNestsThem() {
        List<Selector> selectors = PromQlSelectors.extract("histogram_quantile(0.99, sum by (receiver, le) "
                + "(rate(pulse_alerts_delivery_latency_seconds_bucket{job=\"pulse-alerts\"}[$__rate_interval])))"
                + " / on (receiver) group_left (state) sum without (instance) (up offset 5m) or vector(0) > bool 1e3");

        assertThat(selectors).hasSize(2);
        assertThat(selectors.get(0).metric()).isEqualTo("pulse_alerts_delivery_latency_seconds_bucket");
        assertThat(selectors.get(0).matchers()).containsExactly(new LabelMatcher("job", "=", "pulse-alerts"));
        assertThat(selectors.get(1)).isEqualTo(new Selector("up", List.of()));
    }

    @Test
    void shouldTurnTemplateVariablesIntoAnyValueWhenTheyAppearInMatchers() {
        Selector selector = PromQlSelectors.extract("max(m{instance=~\"$instance\", community=\"c-${community}\","
                + " a!=\"[[x]]\", b!~\"x|y\"})").get(0);

        assertThat(selector.matchers()).containsExactly(new LabelMatcher("instance", "=~", ".*"),
                new LabelMatcher("community", "=~", "\\Qc-\\E.*"), new LabelMatcher("a", "!~", ".*"),
                new LabelMatcher("b", "!~", "x|y"));
        assertThat(selector.matches("m", Map.of("instance", "h:1", "community", "c-bikes", "b", "z"))).isFalse();
        Selector noA = PromQlSelectors.extract("m{community=\"c-$community\", b!~\"x|y\"}").get(0);
        assertThat(noA.matches("m", Map.of("community", "c-bikes", "b", "z"))).isTrue();
        assertThat(noA.matches("m", Map.of("community", "d-bikes", "b", "z"))).isFalse();
        assertThat(noA.matches("m", Map.of("community", "c-bikes", "b", "x"))).isFalse();
    }

    @Test
    void shouldMatchLikePrometheusWhenALabelIsMissingOrARegexIsPartial() {
        Selector selector = PromQlSelectors.extract("ALERTS{alertstate=\"firing\", instance=~\".*\", "
                + "alertname=~\"Pulse\", x!=\"1\"}").get(0);
        // Regexes are anchored: "Pulse" does not match "PulseIngestDown".
        assertThat(selector.matches("ALERTS", Map.of("alertstate", "firing", "alertname", "PulseIngestDown")))
                .isFalse();
        assertThat(selector.matches("ALERTS", Map.of("alertstate", "firing", "alertname", "Pulse"))).isTrue();
        assertThat(selector.matches("other", Map.of("alertstate", "firing", "alertname", "Pulse"))).isFalse();
        assertThat(PromQlSelectors.extract("{__name__=~\"pulse_.*\"}").get(0).matches("pulse_x", Map.of())).isTrue();
    }

    @Test
    void shouldRefuseMalformedQueriesWhenAMatcherIsBroken() {
        assertThatThrownBy(() -> PromQlSelectors.extract("m{job=pulse}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PromQlSelectors.extract("m{job=\"x\"")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PromQlSelectors.extract("rate(m[5m]) > $threshold"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
