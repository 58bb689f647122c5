package org.communitypulse.streams.organisation.internals;

import java.util.List;

/** The organisation's level from its communities' levels: the one a majority reaches. */
public final class Majority {

    private Majority() {
    }

    /**
     * The highest level that more than half of {@code levels} reach, i.e. the lower median. An organisation is
     * not at a stage most of its communities have not reached, and one outstanding community does not lift it.
     *
     * @param levels not empty
     */
    public static int of(List<Integer> levels) {
        List<Integer> sorted = levels.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }
}
