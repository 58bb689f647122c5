package org.communitypulse.schemas.declarations;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.communitypulse.schemas.EventIds;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * Evidence an organisation declares because activity cannot show it (a goal, a published policy, a budget, a
 * survey result, ...), as carried by an {@link EventType#EVIDENCE_DECLARED} activity event. Declarations travel
 * on the activity topic so that the intake deduplicates them and a replay sees each one at its date, never before.
 *
 * <p>The event's {@code occurredAt} is the day the declaration takes effect; its attributes hold the kind, the
 * subject, where it is documented ({@value #EVIDENCE}), who declared it ({@value #DECLARED_BY}), an optional
 * {@value #VALID_UNTIL} date and the kind's own fields (docs/maturity.md, "Declared evidence"). A later
 * declaration of the same kind and subject supersedes the earlier one from its date; {@value #WITHDRAWN}
 * {@code = true} withdraws it.
 */
public record Declaration(String communityId, Kind kind, String subject, Instant effectiveAt, String evidence,
                          String declaredBy, LocalDate validUntil, boolean withdrawn, Map<String, String> fields) {

    public static final String KIND = "declaration";
    /** The item kind of its stable event id. */
    public static final String ITEM_KIND = "declaration";
    public static final String SUBJECT = "subject";
    public static final String EVIDENCE = "evidence";
    public static final String DECLARED_BY = "declared_by";
    public static final String VALID_UNTIL = "valid_until";
    public static final String WITHDRAWN = "withdrawn";

    /** Attributes every declaration may carry, whatever its kind. */
    static final Set<String> COMMON = Set.of(KIND, SUBJECT, EVIDENCE, DECLARED_BY, VALID_UNTIL, WITHDRAWN);

    /** What can be declared, with the attributes each kind requires and allows. */
    public enum Kind {
        /** A goal: a maturity signal and its target, optionally by a deadline (Strategy). */
        GOAL("goal", "signal", List.of("signal", "target"), List.of("deadline", "name"), List.of("target"),
                List.of("deadline")),
        /** A documented community strategy (Strategy). */
        STRATEGY("strategy", null, List.of(), List.of("title"), List.of(), List.of()),
        /** The community's purpose and the channels it covers (Strategy). */
        PURPOSE("purpose", null, List.of("purpose"), List.of("channels"), List.of(), List.of()),
        /** A dedicated community budget (Leadership). */
        BUDGET("budget", null, List.of("amount"), List.of("currency", "period"), List.of("amount"), List.of()),
        /** A policy published to members (Policy &amp; Governance). */
        POLICY("policy", "policy", List.of("policy"), List.of("title"), List.of(), List.of()),
        /** A survey or self-assessment result for one competency. */
        ASSESSMENT("assessment", "competency", List.of("competency"), List.of("stage", "score", "method"),
                List.of("stage", "score"), List.of()),
        /** A metrics dashboard the organisation uses (Tools, Measurement). */
        DASHBOARD("dashboard", "name", List.of("name"), List.of(), List.of(), List.of()),
        /** A review of the community's metrics held on the declared day (Measurement). */
        METRICS_REVIEW("metrics-review", null, List.of(), List.of("name"), List.of(), List.of()),
        /** The organisation's staff headcount from the declared day (staff share). */
        HEADCOUNT("headcount", null, List.of("staff"), List.of(), List.of("staff"), List.of()),
        /** The organisation the community belongs to from the declared day. */
        ORGANISATION("organisation", null, List.of("organisation"), List.of("name"), List.of(), List.of()),
        /** A course a role or access level must hold a valid completion of. */
        TRAINING_REQUIREMENT("training-requirement", null, List.of("course", "applies_to"), List.of("valid_days"),
                List.of("valid_days"), List.of());

        private final String id;
        private final String subjectField;
        private final List<String> required;
        private final List<String> optional;
        private final List<String> numbers;
        private final List<String> dates;

        Kind(String id, String subjectField, List<String> required, List<String> optional, List<String> numbers,
             List<String> dates) {
            this.id = id;
            this.subjectField = subjectField;
            this.required = required;
            this.optional = optional;
            this.numbers = numbers;
            this.dates = dates;
        }

        /** The id events carry in {@value Declaration#KIND}, e.g. {@code metrics-review}. */
        public String id() {
            return id;
        }

        /** Attributes this kind requires besides the common ones. */
        public List<String> required() {
            return required;
        }

        /** Attributes this kind allows besides the required and common ones. */
        public List<String> optional() {
            return optional;
        }

        /** The kind with this id (case-insensitive), if any. */
        public static Optional<Kind> of(String id) {
            if (id == null) {
                return Optional.empty();
            }
            String wanted = id.trim().toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(k -> k.id.equals(wanted)).findFirst();
        }

        /** Every kind id, for messages and help texts. */
        public static String ids() {
            return Arrays.stream(values()).map(Kind::id).collect(Collectors.joining(", "));
        }

        /**
         * The subject of a declaration of this kind: the explicit subject, else the kind's subject field (a goal's
         * signal, a policy's id, ...), else the kind itself: one budget, one strategy, one headcount at a time.
         */
        String subjectOf(Map<String, String> attributes) {
            String explicit = blankToNull(attributes.get(SUBJECT));
            if (explicit != null) {
                return explicit;
            }
            if (subjectField != null && attributes.get(subjectField) != null) {
                return attributes.get(subjectField).trim();
            }
            if (this == TRAINING_REQUIREMENT) {
                return attributes.get("course").trim() + "@" + attributes.get("applies_to").trim();
            }
            return id;
        }
    }

    public Declaration {
        Objects.requireNonNull(communityId, "communityId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(effectiveAt, "effectiveAt");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(declaredBy, "declaredBy");
        fields = Collections.unmodifiableMap(new TreeMap<>(fields));
    }

    /** The UTC day the declaration takes effect. */
    public LocalDate effectiveOn() {
        return LocalDate.ofInstant(effectiveAt, ZoneOffset.UTC);
    }

    /** True on {@code day} when it has taken effect, is not withdrawn and has not expired. */
    public boolean validOn(LocalDate day) {
        return !withdrawn && !day.isBefore(effectiveOn()) && (validUntil == null || !day.isAfter(validUntil));
    }

    /** A kind-specific field, e.g. {@code target}; null when absent. */
    public String field(String name) {
        return fields.get(name);
    }

    /** A numeric kind-specific field (validated by {@link #parse}); null when absent. */
    public Double number(String name) {
        String value = fields.get(name);
        return value == null ? null : Double.valueOf(value);
    }

    /** A date field (validated by {@link #parse}); null when absent. */
    public LocalDate date(String name) {
        String value = fields.get(name);
        return value == null ? null : LocalDate.parse(value);
    }

    /** The attributes of its event: the common ones and the kind's fields. */
    public Map<String, String> attributes() {
        Map<String, String> attributes = new TreeMap<>(fields);
        attributes.put(KIND, kind.id());
        attributes.put(SUBJECT, subject);
        attributes.put(EVIDENCE, evidence);
        attributes.put(DECLARED_BY, declaredBy);
        if (validUntil != null) {
            attributes.put(VALID_UNTIL, validUntil.toString());
        }
        if (withdrawn) {
            attributes.put(WITHDRAWN, "true");
        }
        return attributes;
    }

    /**
     * The content that identifies this declaration, for a stable event id (the ingest module's {@code EventIds}
     * with item kind {@code declaration}): the same declaration published twice, from any source, is one event.
     */
    public String canonical() {
        return communityId + "|" + effectiveAt.toEpochMilli() + "|" + attributes().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("|"));
    }

    /**
     * Its activity event from {@code source}, with the stable id every source gives it ({@link EventIds} with item
     * kind {@value #ITEM_KIND} and item id {@link #canonical()}).
     *
     * @throws IllegalArgumentException when the community id holds a ':' (no stable id can be made)
     */
    public ActivityEvent toEvent(SourcePlatform source) {
        return toEvent(EventIds.of(source, communityId, ITEM_KIND, canonical()), source);
    }

    /** Its activity event, with {@code eventId} (see {@link #canonical()}) from {@code source}. */
    public ActivityEvent toEvent(String eventId, SourcePlatform source) {
        return ActivityEvent.newBuilder().setEventId(eventId).setCommunityId(communityId).setSource(source)
                .setType(EventType.EVIDENCE_DECLARED).setActorId(null).setThreadId(null).setParentId(null)
                .setOccurredAt(effectiveAt).setChannel(null).setAttributes(attributes()).build();
    }

    /** The declaration an {@link EventType#EVIDENCE_DECLARED} event carries. */
    public static Declaration parse(ActivityEvent event) {
        if (event.getType() != EventType.EVIDENCE_DECLARED) {
            throw new InvalidDeclarationException("event " + event.getEventId() + " is " + event.getType()
                    + ", not EVIDENCE_DECLARED");
        }
        return of(event.getCommunityId(), event.getOccurredAt(), event.getAttributes());
    }

    /**
     * A declaration from its attributes (event attributes, a register row, a CLI's options or a request body),
     * validated: the message of the exception names the attribute at fault.
     */
    public static Declaration of(String communityId, Instant effectiveAt, Map<String, String> raw) {
        if (communityId == null || communityId.isBlank()) {
            throw new InvalidDeclarationException("a declaration needs a community");
        }
        if (effectiveAt == null) {
            throw new InvalidDeclarationException("a declaration needs the date it takes effect");
        }
        Map<String, String> attributes = new TreeMap<>();
        raw.forEach((k, v) -> {
            String value = blankToNull(v);
            if (k != null && value != null) {
                attributes.put(k.trim(), value.trim());
            }
        });
        String kindId = attributes.get(KIND);
        Kind kind = Kind.of(kindId).orElseThrow(() -> new InvalidDeclarationException(kindId == null
                ? "'" + KIND + "' is missing; one of: " + Kind.ids()
                : "unknown declaration '" + kindId + "'; one of: " + Kind.ids()));
        boolean withdrawn = "true".equalsIgnoreCase(attributes.get(WITHDRAWN));
        if (attributes.containsKey(WITHDRAWN) && !withdrawn && !"false".equalsIgnoreCase(attributes.get(WITHDRAWN))) {
            throw new InvalidDeclarationException("'" + WITHDRAWN + "' must be true or false, not '"
                    + attributes.get(WITHDRAWN) + "'");
        }
        for (String name : List.of(EVIDENCE, DECLARED_BY)) {
            if (!attributes.containsKey(name)) {
                throw new InvalidDeclarationException(kind.id() + ": '" + name + "' is missing (" + (name.equals(EVIDENCE)
                        ? "a URL or document id where it is documented" : "who declares it") + ")");
            }
        }
        for (String name : kind.required) {
            // A withdrawal names its subject; the withdrawn values are not repeated.
            if (!attributes.containsKey(name) && !(withdrawn && attributes.containsKey(SUBJECT))) {
                throw new InvalidDeclarationException(kind.id() + ": '" + name + "' is missing");
            }
        }
        Map<String, String> fields = new TreeMap<>();
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            String name = e.getKey();
            if (COMMON.contains(name)) {
                continue;
            }
            if (!kind.required.contains(name) && !kind.optional.contains(name)) {
                throw new InvalidDeclarationException(kind.id() + ": unknown attribute '" + name + "'; allowed: "
                        + String.join(", ", concat(kind.required, kind.optional)));
            }
            fields.put(name, e.getValue());
        }
        for (String name : kind.numbers) {
            String value = fields.get(name);
            if (value != null) {
                double number;
                try {
                    number = Double.parseDouble(value);
                } catch (NumberFormatException ex) {
                    throw new InvalidDeclarationException(kind.id() + ": '" + name + "' is not a number: '" + value + "'");
                }
                if (!Double.isFinite(number) || number < 0) {
                    throw new InvalidDeclarationException(kind.id() + ": '" + name + "' must be a number >= 0, not '"
                            + value + "'");
                }
            }
        }
        checkRanges(kind, fields);
        for (String name : kind.dates) {
            date(kind, name, fields.get(name));
        }
        LocalDate validUntil = date(kind, VALID_UNTIL, attributes.get(VALID_UNTIL));
        if (validUntil != null && validUntil.isBefore(LocalDate.ofInstant(effectiveAt, ZoneOffset.UTC))) {
            throw new InvalidDeclarationException(kind.id() + ": '" + VALID_UNTIL + "' " + validUntil
                    + " is before the day it takes effect");
        }
        return new Declaration(communityId, kind, kind.subjectOf(attributes), effectiveAt, attributes.get(EVIDENCE),
                attributes.get(DECLARED_BY), validUntil, withdrawn, fields);
    }

    private static void checkRanges(Kind kind, Map<String, String> fields) {
        if (kind == Kind.ASSESSMENT && fields.get("stage") == null && fields.get("score") == null) {
            throw new InvalidDeclarationException("assessment: give 'stage' (1-4) or 'score' (0-100)");
        }
        String stage = fields.get("stage");
        if (kind == Kind.ASSESSMENT && stage != null && !stage.matches("[1-4](\\.0+)?")) {
            throw new InvalidDeclarationException("assessment: 'stage' must be 1, 2, 3 or 4, not '" + stage + "'");
        }
        String score = fields.get("score");
        if (kind == Kind.ASSESSMENT && score != null && Double.parseDouble(score) > 100) {
            throw new InvalidDeclarationException("assessment: 'score' must be 0-100, not '" + score + "'");
        }
        String staff = fields.get("staff");
        if (kind == Kind.HEADCOUNT && staff != null && !staff.matches("\\d+")) {
            throw new InvalidDeclarationException("headcount: 'staff' must be a whole number, not '" + staff + "'");
        }
    }

    private static LocalDate date(Kind kind, String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidDeclarationException(kind.id() + ": '" + name + "' is not an ISO date (yyyy-mm-dd): '"
                    + value + "'");
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
