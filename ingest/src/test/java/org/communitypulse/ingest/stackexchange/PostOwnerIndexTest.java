package org.communitypulse.ingest.stackexchange;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostOwnerIndexTest {

    @Test
    void shouldFindOwnerOfEveryPostWhenAddedInAnyOrder() {
        PostOwnerIndex index = new PostOwnerIndex.Builder()
                .add(30, "7").add(2, "-1").add(1_000_000, "123456").add(-5, "9").build();
        assertThat(index.ownerOf(30)).isEqualTo("7");
        // The Community user (-1) is a real owner, not "unknown".
        assertThat(index.ownerOf(2)).isEqualTo("-1");
        assertThat(index.ownerOf(1_000_000)).isEqualTo("123456");
        assertThat(index.ownerOf(-5)).isEqualTo("9");
        assertThat(index.ownerOf(3)).isNull();
        assertThat(index.size()).isEqualTo(4);
    }

    @Test
    void shouldKeepNoRoomForPostWhenOwnerIsMissingOrNotACanonicalInt() {
        PostOwnerIndex index = new PostOwnerIndex.Builder()
                .add(1, null).add(2, "  ").add(3, "007").add(4, "abc").add(5, " 47 ")
                .add(6, String.valueOf(Integer.MIN_VALUE)).build();
        assertThat(index.ownerOf(1)).isNull();
        assertThat(index.ownerOf(2)).isNull();
        // Rewriting "007" as "7" would name someone the post's own event does not.
        assertThat(index.ownerOf(3)).isNull();
        assertThat(index.ownerOf(4)).isNull();
        assertThat(index.ownerOf(5)).isEqualTo("47");
        assertThat(index.ownerOf(6)).isNull();
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void shouldLetLastRowWinWhenPostIsAddedTwice() {
        PostOwnerIndex index = new PostOwnerIndex.Builder()
                .add(1, "9").add(2, "5").add(1, "3").add(2, null).add(4, null).add(4, "8").build();
        assertThat(index.ownerOf(1)).isEqualTo("3");
        assertThat(index.ownerOf(2)).isNull();
        assertThat(index.ownerOf(4)).isEqualTo("8");
    }

    @Test
    void shouldGrowPastInitialCapacityWhenDumpHasManyPosts() {
        PostOwnerIndex.Builder builder = new PostOwnerIndex.Builder();
        for (int post = 10_000; post > 0; post--) {
            builder.add(post, Integer.toString(post % 97));
        }
        PostOwnerIndex index = builder.build();
        assertThat(index.size()).isEqualTo(10_000);
        assertThat(index.ownerOf(9_999)).isEqualTo(Integer.toString(9_999 % 97));
        assertThat(PostOwnerIndex.empty().ownerOf(1)).isNull();
    }
}
