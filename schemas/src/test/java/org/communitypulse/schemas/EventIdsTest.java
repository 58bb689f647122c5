package org.communitypulse.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void shouldMatchIndependentlyComputedUuid5WhenGivenKnownItems() {
        // Computed outside Java: python3 -c "import uuid; ns=uuid.UUID('cf485b32-f2ae-5a87-9ba2-26f90ec9fd82');
        // print(uuid.uuid5(ns, 'STACK_EXCHANGE:bicycles.meta:post:1'))"
        assertThat(EventIds.of(SourcePlatform.STACK_EXCHANGE, "bicycles.meta", "post", "1"))
                .isEqualTo("e41c5d05-161b-51d8-a8c9-626c199b11fb");
        assertThat(EventIds.of(SourcePlatform.GITHUB, "acme/widgets", "issue", "42"))
                .isEqualTo("870e51a6-05fb-59dc-9c89-c04def955851");
    }

    @Test
    void shouldDeriveNamespaceFromProjectUrlWhenCheckedAgainstUrlNamespace() {
        // The documented origin of the namespace: uuid5(NAMESPACE_URL, project URL).
        UUID urlNamespace = UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");
        assertThat(EventIds.nameBasedSha1(urlNamespace, "https://github.com/community-pulse/event-ids"))
                .hasToString(EventIds.NAMESPACE_TEXT);
    }

    @Test
    void shouldBeVersion5AndStableWhenCalledRepeatedly() {
        String id = EventIds.of(SourcePlatform.STACK_EXCHANGE, "bicycles.meta", "comment", "17");
        UUID uuid = UUID.fromString(id);
        assertThat(uuid.version()).isEqualTo(5);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(EventIds.of(SourcePlatform.STACK_EXCHANGE, "bicycles.meta", "comment", "17")).isEqualTo(id);
    }

    @Test
    void shouldDifferWhenAnyPartDiffers() {
        String base = EventIds.of(SourcePlatform.STACK_EXCHANGE, "c", "post", "1");
        assertThat(EventIds.of(SourcePlatform.DISCOURSE, "c", "post", "1")).isNotEqualTo(base);
        assertThat(EventIds.of(SourcePlatform.STACK_EXCHANGE, "d", "post", "1")).isNotEqualTo(base);
        assertThat(EventIds.of(SourcePlatform.STACK_EXCHANGE, "c", "comment", "1")).isNotEqualTo(base);
        assertThat(EventIds.of(SourcePlatform.STACK_EXCHANGE, "c", "post", "2")).isNotEqualTo(base);
    }

    @Test
    void shouldRejectSeparatorWhenItWouldMakeNamesAmbiguous() {
        assertThatThrownBy(() -> EventIds.of(SourcePlatform.STACK_EXCHANGE, "a:b", "post", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("communityId");
        assertThatThrownBy(() -> EventIds.of(SourcePlatform.STACK_EXCHANGE, "a", "po:st", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("itemKind");
        // The item id is last, so a colon there cannot be confused with a separator.
        assertThat(EventIds.of(SourcePlatform.SLACK, "team", "message", "C1:1700000000.0001")).isNotBlank();
    }
}
