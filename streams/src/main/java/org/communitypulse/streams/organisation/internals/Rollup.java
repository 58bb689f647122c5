package org.communitypulse.streams.organisation.internals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The adder and subtractor of one roll-up: an organisation record holds one entry per community, sorted by id, and is
 * rebuilt from them. The adder puts a community's entry in (replacing its previous one); the subtractor takes it out
 * only while it is the entry being taken back, so a pair arriving out of order leaves the newer one in.
 *
 * @param entries the entries an organisation record holds
 * @param id      the community of an entry
 * @param build   the organisation record of a store key and its entries; null (deleted) for no entries
 */
public record Rollup<E, R>(Function<R, List<E>> entries, Function<E, String> id, BiFunction<String, List<E>, R> build) {

    public R add(String key, E entry, R aggregate) {
        List<E> next = new ArrayList<>(aggregate == null ? List.of() : entries.apply(aggregate));
        next.removeIf(e -> id.apply(e).equals(id.apply(entry)));
        next.add(entry);
        next.sort(Comparator.comparing(id));
        return build.apply(key, next);
    }

    public R remove(String key, E entry, R aggregate) {
        if (aggregate == null) {
            return null;
        }
        List<E> next = new ArrayList<>(entries.apply(aggregate));
        // Compared by their Avro JSON form: the generated equals cannot compare a union holding a timestamp.
        String taken = String.valueOf(entry);
        next.removeIf(e -> String.valueOf(e).equals(taken));
        return next.isEmpty() ? null : build.apply(key, next);
    }
}
