package org.communitypulse.streams.organisation.internals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The communities counted in one organisation record, sorted by id: the adder puts a community's entry in (replacing
 * its previous one), the subtractor takes it out only while it is the entry being taken back, so an out-of-order
 * pair leaves the newer one in.
 */
public final class Members {

    private Members() {
    }

    public static <E> List<E> put(List<E> entries, E entry, Function<E, String> id) {
        List<E> next = new ArrayList<>(entries == null ? List.of() : entries);
        next.removeIf(e -> id.apply(e).equals(id.apply(entry)));
        next.add(entry);
        next.sort(Comparator.comparing(id));
        return next;
    }

    public static <E> List<E> remove(List<E> entries, E entry) {
        List<E> next = new ArrayList<>(entries == null ? List.of() : entries);
        // Compared by their Avro JSON form: the generated equals cannot compare a union holding a timestamp.
        String taken = String.valueOf(entry);
        next.removeIf(e -> String.valueOf(e).equals(taken));
        return next;
    }
}
