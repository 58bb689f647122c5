package org.communitypulse.alerting;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The routing decision of one alert, made once by the router and carried as headers of its record on the
 * routed topic, so every receiver reads the same decision whenever it delivers.
 *
 * @param receivers      receivers that get the alert
 * @param role           the owner role it was routed by, null when unowned
 * @param owners         the holders of that role whose channels get it
 * @param vacantRoles    owner roles without any holder (all of them when unowned by vacancy)
 * @param withoutChannel owner roles whose holders have no channel
 * @param unowned        null when owned, else why not ({@link OwnerRouting#VACANT}, {@link OwnerRouting#NO_CHANNEL})
 */
public record Route(SortedSet<String> receivers, String role, List<String> owners, List<String> vacantRoles,
                    List<String> withoutChannel, String unowned) {

    public static final String RECEIVERS_HEADER = "pulse.route.receivers";
    public static final String ROLE_HEADER = "pulse.route.role";
    public static final String OWNERS_HEADER = "pulse.route.owners";
    public static final String VACANT_HEADER = "pulse.route.vacant";
    public static final String WITHOUT_CHANNEL_HEADER = "pulse.route.without.channel";
    public static final String UNOWNED_HEADER = "pulse.route.unowned";

    public Route {
        receivers = new TreeSet<>(receivers);
        owners = List.copyOf(owners);
        vacantRoles = List.copyOf(vacantRoles);
        withoutChannel = List.copyOf(withoutChannel);
    }

    public boolean isUnowned() {
        return unowned != null;
    }

    /** Adds the decision to {@code headers}. */
    public void write(Headers headers) {
        headers.add(RECEIVERS_HEADER, bytes(String.join(",", receivers)));
        if (role != null) {
            headers.add(ROLE_HEADER, bytes(role));
        }
        headers.add(OWNERS_HEADER, bytes(String.join(",", owners)));
        headers.add(VACANT_HEADER, bytes(String.join(",", vacantRoles)));
        headers.add(WITHOUT_CHANNEL_HEADER, bytes(String.join(",", withoutChannel)));
        if (unowned != null) {
            headers.add(UNOWNED_HEADER, bytes(unowned));
        }
    }

    /** The decision carried by {@code headers}; empty when the record has none. */
    public static Optional<Route> read(Headers headers) {
        String receivers = text(headers, RECEIVERS_HEADER);
        if (receivers == null) {
            return Optional.empty();
        }
        return Optional.of(new Route(new TreeSet<>(list(receivers)), text(headers, ROLE_HEADER),
                list(text(headers, OWNERS_HEADER)), list(text(headers, VACANT_HEADER)),
                list(text(headers, WITHOUT_CHANNEL_HEADER)), text(headers, UNOWNED_HEADER)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static List<String> list(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
