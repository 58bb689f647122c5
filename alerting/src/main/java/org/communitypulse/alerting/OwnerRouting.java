package org.communitypulse.alerting;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Who hears of a community's alert first: the holders of the owner roles, in order, through their channels
 * (receivers). The first role with at least one holder that has a channel wins, and every such holder of that
 * role gets it; when no role qualifies the alert goes to the default receiver, flagged unowned.
 *
 * @param roles           owner role ids in order (lower case)
 * @param channels        {@code member} or {@code community/member} to receiver name
 * @param defaultReceiver receiver of unowned alerts
 */
public record OwnerRouting(List<String> roles, Map<String, String> channels, String defaultReceiver) {

    /** Why an alert had no owner. */
    public static final String VACANT = "vacant";
    public static final String NO_CHANNEL = "no_channel";

    public OwnerRouting {
        roles = List.copyOf(roles);
        channels = Map.copyOf(channels);
        Objects.requireNonNull(defaultReceiver, "defaultReceiver");
    }

    /** The current holders of a role in a community. */
    @FunctionalInterface
    public interface Holders {
        /** Members holding {@code role} in {@code community} now, sorted; empty when vacant. */
        SortedSet<String> of(String community, String role);
    }

    /** Receivers that get only routed alerts: the default and every owner channel. */
    public Set<String> routedReceivers() {
        Set<String> routed = new TreeSet<>(channels.values());
        routed.add(defaultReceiver);
        return routed;
    }

    /** The channel of {@code member} in {@code community}, or null. */
    public String channel(String community, String member) {
        String scoped = channels.get(community + "/" + member);
        return scoped != null ? scoped : channels.get(member);
    }

    /** The route of an alert of {@code community}, given the holders now. */
    public Route decide(String community, Holders holders) {
        List<String> vacant = new ArrayList<>();
        List<String> withoutChannel = new ArrayList<>();
        for (String role : roles) {
            SortedSet<String> members = holders.of(community, role);
            if (members.isEmpty()) {
                vacant.add(role);
                continue;
            }
            SortedSet<String> targets = new TreeSet<>();
            List<String> owners = new ArrayList<>();
            for (String member : members) {
                String channel = channel(community, member);
                if (channel != null) {
                    targets.add(channel);
                    owners.add(member);
                }
            }
            if (!targets.isEmpty()) {
                return new Route(targets, role, owners, vacant, withoutChannel, null);
            }
            withoutChannel.add(role);
        }
        return new Route(new TreeSet<>(Set.of(defaultReceiver)), null, List.of(), vacant, withoutChannel,
                withoutChannel.isEmpty() ? VACANT : NO_CHANNEL);
    }
}
