package org.communitypulse.ingest.http.internals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookMetricsTest {

    @Test
    void shouldBoundUnmappedKindsWhenEventNamesAreArbitrary() {
        WebhookMetrics metrics = new WebhookMetrics();
        for (int i = 0; i < WebhookMetrics.MAX_UNMAPPED_KINDS + 50; i++) {
            metrics.unmapped("github", "github:event" + i);
        }
        metrics.unmapped("github", "github:bad kind\u0000");
        metrics.unmapped("github", "github:event0");
        assertThat(metrics.registry().find(WebhookMetrics.UNMAPPED).counters())
                .hasSize(WebhookMetrics.MAX_UNMAPPED_KINDS + 1);
        assertThat(metrics.count(WebhookMetrics.UNMAPPED, "kind", WebhookMetrics.OTHER_KIND)).isEqualTo(51);
        assertThat(metrics.count(WebhookMetrics.UNMAPPED, "kind", "github:event0")).isEqualTo(2);
        metrics.close();
    }
}
