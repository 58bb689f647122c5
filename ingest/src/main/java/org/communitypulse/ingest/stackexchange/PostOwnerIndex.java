package org.communitypulse.ingest.stackexchange;

import java.util.Arrays;

/**
 * Who wrote each post ({@code OwnerUserId}), as a compact primitive map post id -> owner id, so an
 * accept vote (which names only the post) can say whose answer was accepted.
 *
 * <p>Same layout as {@link org.communitypulse.ingest.internals.PostThreadIndex}: two sorted
 * {@code int[]}, 8 bytes per post with an owner, binary-searched. Posts without an owner (deleted
 * users) take no room. An owner is kept only when it is a canonical int ({@code "47"}, {@code "-1"}),
 * as in every real dump, because the int is turned back into the very text the post's event uses as
 * its actor; any other spelling is treated as unknown rather than rewritten.
 */
final class PostOwnerIndex {

    /** Marks a post row without a usable owner; not a valid user id in any dump (they are small ints). */
    private static final int NO_OWNER = Integer.MIN_VALUE;
    private static final PostOwnerIndex EMPTY = new PostOwnerIndex(new int[0], new int[0]);

    private final int[] postIds;
    private final int[] ownerIds;

    private PostOwnerIndex(int[] postIds, int[] ownerIds) {
        this.postIds = postIds;
        this.ownerIds = ownerIds;
    }

    /** An index that knows no post. */
    static PostOwnerIndex empty() {
        return EMPTY;
    }

    /** The owner id of a post as the dump writes it, or null if the post or its owner is unknown. */
    String ownerOf(int postId) {
        int at = Arrays.binarySearch(postIds, postId);
        return at >= 0 ? Integer.toString(ownerIds[at]) : null;
    }

    /** Number of posts with a known owner. */
    int size() {
        return postIds.length;
    }

    /** Collects post -> owner pairs in any order; {@link #build()} sorts them once. */
    static final class Builder {
        // Packed (post << 32 | owner): one primitive array, sorted by post id in a single pass.
        private long[] pairs = new long[1024];
        private int size;

        /**
         * Records the owner of a post row; {@code ownerUserId} as the dump gives it, null or blank when
         * the post has none. A row without an owner is still recorded so that, like a later row with an
         * owner, it replaces an earlier row of the same post.
         */
        Builder add(int postId, String ownerUserId) {
            if (size == pairs.length) {
                pairs = Arrays.copyOf(pairs, pairs.length + (pairs.length >> 1));
            }
            pairs[size++] = ((long) postId << 32) | (canonical(ownerUserId) & 0xFFFF_FFFFL);
            return this;
        }

        /** The finished index; when a post id was added twice the last pair added wins. */
        PostOwnerIndex build() {
            long[] sorted = Arrays.copyOf(pairs, size);
            Arrays.sort(sorted);
            int[] posts = new int[size];
            int n = 0;
            for (long pair : sorted) {
                int post = (int) (pair >> 32);
                if (n == 0 || posts[n - 1] != post) {
                    posts[n++] = post;
                }
            }
            int[] owners = new int[n];
            // Insertion order decides duplicates, so the owners are filled from the unsorted pairs.
            for (int i = 0; i < size; i++) {
                owners[Arrays.binarySearch(posts, 0, n, (int) (pairs[i] >> 32))] = (int) pairs[i];
            }
            int kept = 0;
            for (int i = 0; i < n; i++) {
                if (owners[i] != NO_OWNER) {
                    posts[kept] = posts[i];
                    owners[kept] = owners[i];
                    kept++;
                }
            }
            return new PostOwnerIndex(Arrays.copyOf(posts, kept), Arrays.copyOf(owners, kept));
        }

        private static int canonical(String ownerUserId) {
            if (ownerUserId == null || ownerUserId.isBlank()) {
                return NO_OWNER;
            }
            String text = ownerUserId.strip();
            try {
                int id = Integer.parseInt(text);
                return id != NO_OWNER && Integer.toString(id).equals(text) ? id : NO_OWNER;
            } catch (NumberFormatException e) {
                return NO_OWNER;
            }
        }
    }
}
