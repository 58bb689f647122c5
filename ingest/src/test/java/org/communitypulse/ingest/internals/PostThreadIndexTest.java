package org.communitypulse.ingest.internals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostThreadIndexTest {

    @Test
    void shouldResolveQuestionsAndAnswersWhenAddedInAnyOrder() {
        PostThreadIndex index = new PostThreadIndex.Builder()
                .add(30, 10).add(10, 10).add(20, 20).add(25, 10).build();
        assertThat(index.threadOf(10)).isEqualTo(10);
        assertThat(index.threadOf(30)).isEqualTo(10);
        assertThat(index.threadOf(25)).isEqualTo(10);
        assertThat(index.threadOf(20)).isEqualTo(20);
        assertThat(index.threadOf(15)).isEqualTo(-1);
        assertThat(index.size()).isEqualTo(4);
    }

    @Test
    void shouldKeepLastPairWhenPostAddedTwice() {
        PostThreadIndex index = new PostThreadIndex.Builder().add(5, 9).add(6, 6).add(5, 2).build();
        assertThat(index.threadOf(5)).isEqualTo(2);
        assertThat(index.threadOf(6)).isEqualTo(6);
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void shouldHoldManyPostsWhenBuilderGrowsPastInitialCapacity() {
        PostThreadIndex.Builder builder = new PostThreadIndex.Builder();
        // Answers n map to question n - n % 7, added in descending order to exercise the sort.
        for (int n = 100_000; n >= 1; n--) {
            builder.add(n, n - n % 7);
        }
        PostThreadIndex index = builder.build();
        assertThat(index.size()).isEqualTo(100_000);
        assertThat(index.threadOf(99_999)).isEqualTo(99_999 - 99_999 % 7);
        assertThat(index.threadOf(1)).isEqualTo(0);
        assertThat(index.threadOf(Integer.MAX_VALUE)).isEqualTo(-1);
        assertThat(PostThreadIndex.empty().threadOf(1)).isEqualTo(-1);
    }
}
