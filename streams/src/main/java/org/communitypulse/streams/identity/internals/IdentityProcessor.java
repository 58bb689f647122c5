package org.communitypulse.streams.identity.internals;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.communitypulse.schemas.IdentityAttributes;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.Identity;
import org.communitypulse.schemas.avro.IdentityKey;
import org.communitypulse.schemas.avro.IdentityLink;
import org.communitypulse.schemas.avro.IdentityLinkReason;
import org.communitypulse.schemas.avro.IdentitySuggestion;
import org.communitypulse.schemas.avro.IdentitySuggestionKey;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.avro.SuggestionReason;
import org.communitypulse.streams.common.DeadLetterRecords;
import org.communitypulse.streams.identity.IdentityChange;
import org.communitypulse.streams.identity.IdentityEvents;

/**
 * Identity resolution of the communities on this task (see {@code docs/identity.md}): keeps each community's
 * identities and the links between them ({@link IdentityStore}), and writes
 * <ul>
 *   <li>to {@link Children#identities()} an {@code Identity} per identity whose record changed (a tombstone once
 *       erased);</li>
 *   <li>to {@link Children#suggestions()} an {@code IdentitySuggestion} per pair that looks like one person on
 *       weak evidence (a tombstone once merged or erased);</li>
 *   <li>to {@link Children#engagement()} an in-memory {@link IdentityChange} naming the identities whose member
 *       changed, so the engagement family recomputes what they contributed to;</li>
 *   <li>to {@link Children#deadLetter()} identity events it cannot apply, Confluent-framed, with the reason.</li>
 * </ul>
 *
 * <p>Members are the connected components of the link graph; a member's id is its smallest identity id, so
 * the same links give the same member ids whatever order the evidence arrived in. Only strong evidence links
 * (a verified email hash, a mapping id, an account the platform links, a manual merge); names only suggest.
 */
public final class IdentityProcessor implements Processor<String, ActivityEvent, Object, Object> {

    /**
     * Downstream node names. {@code erasures}: further nodes told of each erasure (the same {@link IdentityChange}
     * as the engagement node), e.g. the roles node; they must have this node among their parents.
     */
    public record Children(String identities, String suggestions, String engagement, String deadLetter,
                           List<String> erasures) {
        public Children {
            erasures = List.copyOf(erasures);
        }

        public Children(String identities, String suggestions, String engagement, String deadLetter) {
            this(identities, suggestions, engagement, deadLetter, List.of());
        }
    }

    /**
     * Evidence shared by this many identities says nothing about a person (a team mailbox, a mapping row
     * pasted for a whole department, the display name "admin"): further identities are neither linked nor
     * suggested on it, and the index entry stays bounded.
     */
    static final int MAX_SHARING = 20;

    private final String storeName;
    private final String communityStoreName;
    private final Serializer<ActivityEvent> eventSerializer;
    private final String activityTopic;
    private final Children children;

    private ProcessorContext<Object, Object> context;
    private IdentityStore store;
    private org.apache.kafka.streams.state.KeyValueStore<String, ?> communityStore;
    private IdentityMetrics metrics;

    public IdentityProcessor(String storeName, Serializer<ActivityEvent> eventSerializer, String activityTopic,
                             Children children) {
        this(storeName, null, eventSerializer, activityTopic, children);
    }

    /**
     * @param communityStoreName the engagement family's store keyed by community id (every community with activity
     *                           on this task), so an erasure reaches communities whose members never sent identity
     *                           evidence; null: only communities with identity events
     */
    public IdentityProcessor(String storeName, String communityStoreName, Serializer<ActivityEvent> eventSerializer,
                             String activityTopic, Children children) {
        this.storeName = storeName;
        this.communityStoreName = communityStoreName;
        this.eventSerializer = eventSerializer;
        this.activityTopic = activityTopic;
        this.children = children;
    }

    /** Whether events of {@code type} are the identity family's (and nobody else's). */
    public static boolean isIdentityEvent(EventType type) {
        return IdentityEvents.isIdentityEvent(type);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = new IdentityStore(context.getStateStore(storeName));
        this.communityStore = communityStoreName == null ? null : context.getStateStore(communityStoreName);
        this.metrics = new IdentityMetrics(context.metrics());
    }

    @Override
    public void process(Record<String, ActivityEvent> record) {
        ActivityEvent event = record.value();
        String community = event.getCommunityId();
        String identity = blankToNull(event.getActorId());
        long at = event.getOccurredAt().toEpochMilli();
        if (identity == null) {
            reject(event, IdentityRejectReason.MISSING_IDENTITY, event.getType() + " has no actorId");
            return;
        }
        switch (event.getType()) {
            case IDENTITY_OBSERVED -> observe(community, identity, event, at);
            case IDENTITY_MERGED, IDENTITY_SPLIT -> {
                String other = blankToNull(event.getAttributes().get(IdentityAttributes.OTHER_IDENTITY));
                if (other == null || other.equals(identity)) {
                    reject(event, IdentityRejectReason.MISSING_OTHER_IDENTITY, event.getType()
                            + " needs attributes." + IdentityAttributes.OTHER_IDENTITY + " naming another identity");
                } else if (isErased(community, identity) || isErased(community, other)) {
                    reject(event, IdentityRejectReason.ERASED_IDENTITY, event.getType() + " names an erased identity");
                } else if (event.getType() == EventType.IDENTITY_MERGED) {
                    link(community, identity, other, IdentityLinkReason.MANUAL, event.getEventId(), at);
                } else {
                    split(community, identity, other, event, at);
                }
            }
            case MEMBER_ERASED -> eraseEverywhere(community, identity, event.getEventId(), at);
            default -> {
                // The intake routes only identity events here.
            }
        }
    }

    private void observe(String community, String id, ActivityEvent event, long at) {
        IdentityStore.IdentityEntry entry = entry(community, id);
        store.know(community);
        if (entry.erased()) {
            // A forgotten member stays forgotten: what the platform still says about them is not kept.
            metrics.observedErased();
            return;
        }
        Map<String, String> attributes = event.getAttributes();
        boolean changed = entry.source() == null || !entry.source().equals(event.getSource().name());
        entry.setSource(event.getSource().name());
        String username = blankToNull(attributes.get(IdentityAttributes.USERNAME));
        if (username != null && newer(at, username, entry.usernameAt(), entry.username())) {
            entry.setUsername(username.trim(), at);
            changed = true;
        }
        String displayName = blankToNull(attributes.get(IdentityAttributes.DISPLAY_NAME));
        if (displayName != null && newer(at, displayName, entry.displayNameAt(), entry.displayName())) {
            entry.setDisplayName(displayName.trim(), at);
            changed = true;
        }
        List<String[]> evidence = new ArrayList<>();
        boolean verified = "true".equalsIgnoreCase(blankToNull(attributes.get(IdentityAttributes.EMAIL_VERIFIED)));
        String hashes = blankToNull(attributes.get(IdentityAttributes.EMAIL_HASH));
        if (hashes != null) {
            for (String hash : hashes.split(",")) {
                if (!hash.isBlank()) {
                    evidence.add(new String[] {
                        String.valueOf(verified ? IdentityStore.VERIFIED_EMAIL : IdentityStore.UNVERIFIED_EMAIL),
                        hash.trim()});
                }
            }
        }
        addEvidence(evidence, IdentityStore.MAPPING, attributes.get(IdentityAttributes.MAPPING_ID), false);
        addEvidence(evidence, IdentityStore.USERNAME, username, true);
        addEvidence(evidence, IdentityStore.DISPLAY_NAME, displayName, true);
        List<String[]> fresh = new ArrayList<>();
        for (String[] e : evidence) {
            String key = e[0] + e[1];
            Long previous = entry.evidence().get(key);
            if (previous == null || at < previous) {
                entry.evidence().put(key, at);
                changed |= e[0].charAt(0) == IdentityStore.VERIFIED_EMAIL;
            }
            if (previous == null) {
                fresh.add(e);
            }
        }
        entry.setChangedAt(changed ? at : entry.changedAt());
        store.put(community, id, entry);
        for (String[] e : fresh) {
            char kind = e[0].charAt(0);
            TreeSet<String> sharing = store.sharing(community, kind, e[1]);
            if (sharing.size() >= MAX_SHARING) {
                metrics.tooCommon();
                continue;
            }
            TreeSet<String> others = new TreeSet<>(sharing);
            others.remove(id);
            sharing.add(id);
            store.putSharing(community, kind, e[1], sharing);
            for (String other : others) {
                IdentityStore.IdentityEntry o = store.identity(community, other);
                long otherAt = o == null ? at : o.evidence().getOrDefault(e[0] + e[1], at);
                // The link exists from the later of the two observations: before it, nothing said so.
                long linkAt = Math.max(at, otherAt);
                switch (kind) {
                    case IdentityStore.VERIFIED_EMAIL -> link(community, id, other, IdentityLinkReason.EMAIL, e[1], linkAt);
                    case IdentityStore.MAPPING -> link(community, id, other, IdentityLinkReason.MAPPING, e[1], linkAt);
                    case IdentityStore.USERNAME -> suggest(community, id, other, SuggestionReason.SAME_USERNAME, e[1], linkAt);
                    case IdentityStore.DISPLAY_NAME ->
                            suggest(community, id, other, SuggestionReason.SAME_DISPLAY_NAME, e[1], linkAt);
                    default -> suggest(community, id, other, SuggestionReason.UNVERIFIED_EMAIL, e[1], linkAt);
                }
            }
        }
        String linked = blankToNull(attributes.get(IdentityAttributes.LINKED_ACCOUNT));
        if (linked != null && !linked.trim().equals(id)) {
            link(community, id, linked.trim(), IdentityLinkReason.LINKED_ACCOUNT, linked.trim(), at);
        }
        if (changed) {
            emitIdentity(community, id, at);
        }
    }

    private static void addEvidence(List<String[]> evidence, char kind, String value, boolean normalise) {
        String v = blankToNull(value);
        if (v != null) {
            evidence.add(new String[] {String.valueOf(kind), normalise ? normalise(v) : v.trim()});
        }
    }

    /** Names compare without case, accents of spacing: "Dave  Smith" and "dave smith" suggest each other. */
    static String normalise(String name) {
        return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFKC).trim()
                .replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /** Latest observation wins; on a tie the smaller value, so arrival order does not matter. */
    private static boolean newer(long at, String value, long currentAt, String current) {
        return current == null || at > currentAt || at == currentAt && value.trim().compareTo(current) < 0;
    }

    /** Links two identities; joins their members when they were apart. */
    private void link(String community, String a, String b, IdentityLinkReason reason, String evidence, long at) {
        IdentityStore.IdentityEntry ea = entry(community, a);
        IdentityStore.IdentityEntry eb = entry(community, b);
        if (ea.erased() || eb.erased() || reason != IdentityLinkReason.MANUAL && ea.blocked().contains(b)) {
            return;
        }
        IdentityStore.Link link = a.compareTo(b) < 0 ? new IdentityStore.Link(a, b, reason.name(), evidence, at)
                : new IdentityStore.Link(b, a, reason.name(), evidence, at);
        String ma = memberOf(a, ea);
        String mb = memberOf(b, eb);
        IdentityStore.Group ga = groupOf(community, ma, a);
        if (ma.equals(mb)) {
            for (IdentityStore.Link l : ga.links()) {
                if (sameLink(l, link)) {
                    return;
                }
            }
            ga.links().add(link);
            store.putGroup(community, ma, ga);
            metrics.linked();
            store.put(community, a, ea);
            store.put(community, b, eb);
            emitIdentity(community, a, at);
            emitIdentity(community, b, at);
            return;
        }
        IdentityStore.Group gb = groupOf(community, mb, b);
        IdentityStore.Group joined = new IdentityStore.Group();
        joined.identities().addAll(ga.identities());
        joined.identities().addAll(gb.identities());
        joined.links().addAll(ga.links());
        joined.links().addAll(gb.links());
        joined.links().add(link);
        store.put(community, a, ea);
        store.put(community, b, eb);
        store.deleteGroup(community, ma);
        store.deleteGroup(community, mb);
        store.activate(community);
        metrics.linked();
        regroup(community, List.of(joined), at);
        withdrawSuggestions(community, joined.identities(), at);
        context.forward(new Record<>(community, new IdentityChange(community, new ArrayList<>(joined.identities()), false),
                at), children.engagement());
    }

    private static boolean sameLink(IdentityStore.Link x, IdentityStore.Link y) {
        return x.a().equals(y.a()) && x.b().equals(y.b()) && x.reason().equals(y.reason())
                && java.util.Objects.equals(x.evidence(), y.evidence());
    }

    /**
     * Undoes a merge: removes the manual links between the two identities if there are any (exactly what
     * {@code merge} added); otherwise removes their direct evidence links and blocks evidence from linking
     * them directly again. The member then falls apart into its connected components.
     */
    private void split(String community, String a, String b, ActivityEvent event, long at) {
        IdentityStore.IdentityEntry ea = entry(community, a);
        IdentityStore.IdentityEntry eb = entry(community, b);
        String member = memberOf(a, ea);
        if (!member.equals(memberOf(b, eb))) {
            reject(event, IdentityRejectReason.NOT_LINKED, a + " and " + b + " are different members already");
            return;
        }
        IdentityStore.Group group = store.group(community, member);
        List<IdentityStore.Link> direct = group.links().stream()
                .filter(l -> l.touches(a) && l.touches(b)).toList();
        if (direct.isEmpty()) {
            reject(event, IdentityRejectReason.NO_DIRECT_LINK, a + " and " + b
                    + " are linked only through other identities; split the links shown by `pulse identity show`");
            return;
        }
        List<IdentityStore.Link> manual = direct.stream()
                .filter(l -> l.reason().equals(IdentityLinkReason.MANUAL.name())).toList();
        group.links().removeAll(manual.isEmpty() ? direct : manual);
        if (manual.isEmpty()) {
            ea.blocked().add(b);
            eb.blocked().add(a);
            store.put(community, a, ea);
            store.put(community, b, eb);
        }
        store.deleteGroup(community, member);
        metrics.split();
        regroup(community, components(group), at);
        context.forward(new Record<>(community, new IdentityChange(community, new ArrayList<>(group.identities()), false),
                at), children.engagement());
    }

    /** The connected components of a group's identities under its links. */
    private static List<IdentityStore.Group> components(IdentityStore.Group group) {
        Map<String, List<IdentityStore.Link>> adjacent = new TreeMap<>();
        for (IdentityStore.Link l : group.links()) {
            adjacent.computeIfAbsent(l.a(), k -> new ArrayList<>()).add(l);
            adjacent.computeIfAbsent(l.b(), k -> new ArrayList<>()).add(l);
        }
        TreeSet<String> left = new TreeSet<>(group.identities());
        List<IdentityStore.Group> components = new ArrayList<>();
        while (!left.isEmpty()) {
            IdentityStore.Group component = new IdentityStore.Group();
            Deque<String> queue = new ArrayDeque<>(List.of(left.pollFirst()));
            while (!queue.isEmpty()) {
                String id = queue.poll();
                component.identities().add(id);
                for (IdentityStore.Link l : adjacent.getOrDefault(id, List.of())) {
                    if (left.remove(l.other(id))) {
                        queue.add(l.other(id));
                    }
                }
            }
            for (IdentityStore.Link l : group.links()) {
                if (component.identities().contains(l.a())) {
                    component.links().add(l);
                }
            }
            components.add(component);
        }
        return components;
    }

    /** Stores each group under its member id (the smallest identity id) and re-emits its identities. */
    private void regroup(String community, List<IdentityStore.Group> groups, long at) {
        for (IdentityStore.Group g : groups) {
            g.links().sort(LINK_ORDER);
            String member = g.identities().first();
            boolean single = g.identities().size() == 1;
            if (!single) {
                store.putGroup(community, member, g);
            }
            for (String id : g.identities()) {
                IdentityStore.IdentityEntry e = entry(community, id);
                e.setMember(single ? null : member);
                e.setChangedAt(at);
                store.put(community, id, e);
                emitIdentity(community, id, at);
            }
        }
    }

    private static final Comparator<IdentityStore.Link> LINK_ORDER = Comparator.comparing(IdentityStore.Link::a)
            .thenComparing(IdentityStore.Link::b).thenComparing(IdentityStore.Link::reason)
            .thenComparing(l -> l.evidence() == null ? "" : l.evidence()).thenComparingLong(IdentityStore.Link::at);

    /**
     * An erasure names a person, not a community: a pseudonym is the same in every community of its platform, so
     * the member of {@code identity} is forgotten in every community of this task (each erasure request reaches
     * every task: it is written to every partition of the erasures topic). Communities where the identity never
     * appeared get the marker too, so its later events there count as anonymous as well. A request naming one
     * community ({@code scope}, e.g. the Discourse forum whose webhook sent it: Discourse user ids are per forum)
     * is applied there only, by the task that holds it; {@value #ALL_COMMUNITIES} means every community.
     */
    private void eraseEverywhere(String scope, String identity, String eventId, long at) {
        java.util.Set<String> communities = new java.util.TreeSet<>(store.knownCommunities());
        if (communityStore != null) {
            try (var it = communityStore.all()) {
                it.forEachRemaining(kv -> communities.add(kv.key));
            }
        }
        for (String community : communities) {
            if (ALL_COMMUNITIES.equals(scope) || community.equals(scope)) {
                erase(community, identity, eventId, at);
            }
        }
    }

    /** The community id of an erasure request that applies to every community. */
    public static final String ALL_COMMUNITIES = "*";

    /** Forgets the whole member of {@code identity}: every identity of it, its evidence and its suggestions. */
    private void erase(String community, String identity, String eventId, long at) {
        IdentityStore.IdentityEntry first = entry(community, identity);
        String member = memberOf(identity, first);
        IdentityStore.Group group = store.group(community, member);
        List<String> identities = group == null ? List.of(identity) : new ArrayList<>(group.identities());
        for (String id : identities) {
            IdentityStore.IdentityEntry e = entry(community, id);
            for (String key : e.evidence().keySet()) {
                TreeSet<String> sharing = store.sharing(community, key.charAt(0), key.substring(1));
                sharing.remove(id);
                store.putSharing(community, key.charAt(0), key.substring(1), sharing);
            }
            for (String other : e.suggested()) {
                context.forward(new Record<>(suggestionKey(community, id, other), null, at), children.suggestions());
                IdentityStore.IdentityEntry o = store.identity(community, other);
                if (o != null && o.suggested().remove(id)) {
                    store.put(community, other, o);
                }
            }
            IdentityStore.IdentityEntry forgotten = new IdentityStore.IdentityEntry();
            forgotten.setErased(true);
            forgotten.setChangedAt(at);
            store.put(community, id, forgotten);
            context.forward(new Record<>(new IdentityKey(community, id), null, at), children.identities());
        }
        if (group != null) {
            store.deleteGroup(community, member);
        }
        store.activate(community);
        metrics.erased();
        IdentityChange change = new IdentityChange(community, identities, true, eventId);
        context.forward(new Record<>(community, change, at), children.engagement());
        for (String node : children.erasures()) {
            context.forward(new Record<>(community, change, at), node);
        }
    }

    private void suggest(String community, String a, String b, SuggestionReason reason, String evidence, long at) {
        IdentityStore.IdentityEntry ea = entry(community, a);
        IdentityStore.IdentityEntry eb = entry(community, b);
        // Two accounts on one platform are two accounts; a suggestion is about one person across platforms.
        boolean samePlatform = ea.source() != null && ea.source().equals(eb.source());
        if (ea.erased() || eb.erased() || samePlatform || ea.blocked().contains(b) || ea.suggested().contains(b)
                || memberOf(a, ea).equals(memberOf(b, eb))) {
            return;
        }
        ea.suggested().add(b);
        eb.suggested().add(a);
        store.put(community, a, ea);
        store.put(community, b, eb);
        IdentitySuggestionKey key = suggestionKey(community, a, b);
        metrics.suggested();
        context.forward(new Record<>(key, IdentitySuggestion.newBuilder().setCommunityId(community)
                .setIdentityA(key.getIdentityA()).setIdentityB(key.getIdentityB()).setReason(reason)
                .setEvidence(evidence).setSuggestedAt(Instant.ofEpochMilli(at)).build(), at), children.suggestions());
    }

    /** Suggestions between identities that are now one member are settled: tombstones. */
    private void withdrawSuggestions(String community, TreeSet<String> identities, long at) {
        for (String id : identities) {
            IdentityStore.IdentityEntry e = entry(community, id);
            List<String> settled = e.suggested().stream().filter(identities::contains).toList();
            if (settled.isEmpty()) {
                continue;
            }
            settled.forEach(e.suggested()::remove);
            store.put(community, id, e);
            for (String other : settled) {
                if (id.compareTo(other) < 0) {
                    context.forward(new Record<>(suggestionKey(community, id, other), null, at), children.suggestions());
                }
            }
        }
    }

    private void emitIdentity(String community, String id, long at) {
        IdentityStore.IdentityEntry e = entry(community, id);
        String member = memberOf(id, e);
        List<IdentityLink> links = new ArrayList<>();
        if (e.member() != null) {
            IdentityStore.Group group = store.group(community, member);
            if (group != null) {
                for (IdentityStore.Link l : group.links()) {
                    if (l.touches(id)) {
                        links.add(new IdentityLink(l.other(id), IdentityLinkReason.valueOf(l.reason()), l.evidence(),
                                Instant.ofEpochMilli(l.at())));
                    }
                }
            }
        }
        links.sort(Comparator.comparing(IdentityLink::getOtherIdentityId).thenComparing(IdentityLink::getReason)
                .thenComparing(l -> l.getEvidence() == null ? "" : l.getEvidence()));
        List<String> hashes = e.evidence().keySet().stream()
                .filter(k -> k.charAt(0) == IdentityStore.VERIFIED_EMAIL).map(k -> k.substring(1)).toList();
        Identity value = Identity.newBuilder().setCommunityId(community).setIdentityId(id)
                .setSource(e.source() == null ? SourcePlatform.OTHER : SourcePlatform.valueOf(e.source()))
                .setUsername(e.username()).setDisplayName(e.displayName()).setEmailHashes(hashes)
                .setMemberId(member).setLinks(links).setChangedAt(Instant.ofEpochMilli(Math.max(at, e.changedAt())))
                .build();
        context.forward(new Record<>(new IdentityKey(community, id), value, at), children.identities());
    }

    private IdentityStore.IdentityEntry entry(String community, String id) {
        IdentityStore.IdentityEntry e = store.identity(community, id);
        return e == null ? new IdentityStore.IdentityEntry() : e;
    }

    private boolean isErased(String community, String id) {
        IdentityStore.IdentityEntry e = store.identity(community, id);
        return e != null && e.erased();
    }

    private IdentityStore.Group groupOf(String community, String member, String identity) {
        IdentityStore.Group g = store.group(community, member);
        if (g == null) {
            g = new IdentityStore.Group();
            g.identities().add(identity);
        }
        return g;
    }

    private static String memberOf(String id, IdentityStore.IdentityEntry e) {
        return e.member() == null ? id : e.member();
    }

    private static IdentitySuggestionKey suggestionKey(String community, String a, String b) {
        return a.compareTo(b) < 0 ? new IdentitySuggestionKey(community, a, b) : new IdentitySuggestionKey(community, b, a);
    }

    private void reject(ActivityEvent event, IdentityRejectReason reason, String detail) {
        metrics.deadLettered(reason);
        context.forward(DeadLetterRecords.of(event, eventSerializer, activityTopic, reason, detail, "streams.identities",
                context.recordMetadata()), children.deadLetter());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
