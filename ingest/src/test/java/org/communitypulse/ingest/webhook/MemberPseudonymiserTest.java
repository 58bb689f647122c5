package org.communitypulse.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.Test;

class MemberPseudonymiserTest {

    private static final String KEY = "pseudonym-key-0123456789";

    @Test
    void shouldFollowDocumentedRecipeWhenKeyed() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] tag = mac.doFinal("GITHUB:21031067".getBytes(StandardCharsets.UTF_8));
        String expected = "m-" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(tag, 16));
        MemberPseudonymiser members = MemberPseudonymiser.keyed(WebhookSecret.of(KEY));
        assertThat(members.apply(SourcePlatform.GITHUB, "21031067")).isEqualTo(expected).hasSize(24);
    }

    @Test
    void shouldSeparatePlatformsAndKeepNullWhenKeyed() {
        MemberPseudonymiser members = MemberPseudonymiser.keyed(WebhookSecret.of(KEY));
        assertThat(members.apply(SourcePlatform.GITHUB, "1")).isNotEqualTo(members.apply(SourcePlatform.SLACK, "1"));
        assertThat(members.apply(SourcePlatform.GITHUB, null)).isNull();
        assertThat(members.toString()).doesNotContain(KEY);
    }

    @Test
    void shouldKeepIdsWhenOff() {
        assertThat(MemberPseudonymiser.none().apply(SourcePlatform.SLACK, "U1")).isEqualTo("U1");
        assertThat(MemberPseudonymiser.none().enabled()).isFalse();
    }

    @Test
    void shouldRefuseShortKeyWhenKeyed() {
        assertThatThrownBy(() -> MemberPseudonymiser.keyed(WebhookSecret.of("short")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bytes")
                .hasMessageNotContaining("short");
    }
}
