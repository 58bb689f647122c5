package org.communitypulse.ingest.internals;

import java.util.Arrays;

/**
 * Which thread (question) each post belongs to, as a compact primitive map post id -> question id.
 *
 * <p>Comments, votes and history rows name only a post; to give them their thread the importer must
 * remember every answer's question. A boxed {@code HashMap<Integer,Integer>} costs about 80 bytes per
 * entry; two sorted {@code int[]} cost 8, so even a dump with tens of millions of posts fits. Lookups
 * are binary searches. Questions map to themselves.
 */
public final class PostThreadIndex {

    private static final PostThreadIndex EMPTY = new PostThreadIndex(new int[0], new int[0]);

    private final int[] postIds;
    private final int[] threadIds;

    private PostThreadIndex(int[] postIds, int[] threadIds) {
        this.postIds = postIds;
        this.threadIds = threadIds;
    }

    /** An index that knows no post. */
    public static PostThreadIndex empty() {
        return EMPTY;
    }

    /** The question a post belongs to (itself for a question), or -1 if the post is unknown. */
    public int threadOf(int postId) {
        int at = Arrays.binarySearch(postIds, postId);
        return at >= 0 ? threadIds[at] : -1;
    }

    /** Number of posts known. */
    public int size() {
        return postIds.length;
    }

    /** Collects post -> question pairs in any order; {@link #build()} sorts them once. */
    public static final class Builder {
        // Packed (post << 32 | thread): one primitive array, sorted by post id in a single pass.
        private long[] pairs = new long[1024];
        private int size;

        public Builder add(int postId, int threadId) {
            if (size == pairs.length) {
                pairs = Arrays.copyOf(pairs, pairs.length + (pairs.length >> 1));
            }
            pairs[size++] = ((long) postId << 32) | (threadId & 0xFFFF_FFFFL);
            return this;
        }

        /**
         * The finished index. When a post id was added twice the last pair added wins, as a later
         * row of the dump would.
         */
        public PostThreadIndex build() {
            // Sorting the packed values orders them by post id (the signed high half).
            long[] sorted = Arrays.copyOf(pairs, size);
            Arrays.sort(sorted);
            int[] posts = new int[size];
            int[] threads = new int[size];
            int n = 0;
            for (long pair : sorted) {
                int post = (int) (pair >> 32);
                if (n > 0 && posts[n - 1] == post) {
                    continue;
                }
                posts[n] = post;
                threads[n] = (int) pair;
                n++;
            }
            if (n < size) {
                // Resolve duplicates by insertion order, walking the unsorted pairs once more.
                for (int i = 0; i < size; i++) {
                    int post = (int) (pairs[i] >> 32);
                    threads[Arrays.binarySearch(posts, 0, n, post)] = (int) pairs[i];
                }
            }
            return new PostThreadIndex(Arrays.copyOf(posts, n), Arrays.copyOf(threads, n));
        }
    }
}
