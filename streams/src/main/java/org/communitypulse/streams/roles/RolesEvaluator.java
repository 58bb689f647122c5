package org.communitypulse.streams.roles;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.communitypulse.schemas.avro.MemberRoles;
import org.communitypulse.schemas.avro.RequirementShare;
import org.communitypulse.schemas.avro.RoleLineChange;
import org.communitypulse.schemas.avro.RoleCoverage;
import org.communitypulse.schemas.avro.TrainingCompletion;
import org.communitypulse.schemas.avro.TrainingMetrics;
import org.communitypulse.schemas.avro.TrainingRequirementDeclaration;
import org.communitypulse.schemas.avro.WeeklyCompletions;
import org.communitypulse.streams.common.Days;

/**
 * Evaluates a community's roles, training and rules as of one event-time instant, from the whole
 * history in {@link RolesState}. A pure function of the set of events: arrival order does not matter.
 */
public final class RolesEvaluator {

    public static final String RULE_UNTRAINED = "corporate-user-untrained";
    public static final String RULE_MANAGER_NOT_CORPORATE = "account-manager-not-corporate-user";
    public static final String RULE_ACCOUNT_WITHOUT_MANAGER = "account-without-manager";
    public static final String RULE_ROLE_VACANT = "required-role-vacant";
    /** A role holder without a valid completion of a course required of their role (roles.yaml training). */
    public static final String RULE_ROLE_UNTRAINED = "role-holder-untrained";

    public static final String ROLE = "role";
    public static final String LEVEL = "level";

    /** A rule broken now: since when, and why. */
    public record Violation(String rule, String subjectType, String subject, long openedAt,
                            Map<String, String> evidence) {
        public String key() {
            return rule + '\u0000' + subject;
        }
    }

    /** Everything the roles family outputs for a community at {@code asOf}. */
    public record Evaluation(long asOf, Map<String, MemberRoles> members, Map<String, RoleCoverage> coverage,
                             Map<String, Violation> violations, TrainingMetrics training) {
    }

    /** The latest state of one (member, role or level, account) grant line as of an instant. */
    public record Holding(String member, String kind, String id, String account, boolean held, long heldSince,
                   long lastRevokedAt, long firstAt) {
    }

    private final RolesModel config;

    /** Looked up per member and requirement on every evaluation: computed once from the catalogue. */
    private final Set<String> roleIds;
    private final Map<String, Long> courseValidity = new HashMap<>();
    private final Map<String, Double> courseMinScore = new HashMap<>();

    public RolesEvaluator(RolesModel config) {
        this.config = config;
        this.roleIds = Set.copyOf(config.roleNames().keySet());
        for (RolesModel.Training t : config.training()) {
            courseValidity.put(t.course(), config.courseValidity(t.course()));
            Double min = config.minScore(t.course());
            if (min != null) {
                courseMinScore.put(t.course(), min);
            }
        }
    }

    private long validity(String course) {
        return courseValidity.getOrDefault(course, config.rules().trainingValidity().toMillis());
    }

    /** The holdings as of {@code asOf}: one per grant line, ignoring changes after it. */
    public static List<Holding> holdings(List<RoleLineChange> changes, long asOf) {
        Map<String, List<RoleLineChange>> lines = new TreeMap<>();
        for (RoleLineChange c : changes) {
            if (c.getAt() <= asOf) {
                lines.computeIfAbsent(lineKey(c), k -> new ArrayList<>()).add(c);
            }
        }
        List<Holding> out = new ArrayList<>();
        for (List<RoleLineChange> line : lines.values()) {
            // Ties broken by event id so that the outcome never depends on arrival order.
            line.sort(Comparator.comparingLong(RoleLineChange::getAt).thenComparing(RoleLineChange::getEventId));
            boolean held = false;
            long since = Long.MIN_VALUE;
            long revoked = Long.MIN_VALUE;
            for (RoleLineChange c : line) {
                if (c.getGranted() && !held) {
                    held = true;
                    since = c.getAt();
                } else if (!c.getGranted() && held) {
                    held = false;
                    revoked = c.getAt();
                }
            }
            RoleLineChange first = line.get(0);
            out.add(new Holding(first.getMember(), first.getKind(), first.getId(), first.getAccount(), held, since, revoked,
                    first.getAt()));
        }
        return out;
    }

    public static String lineKey(RoleLineChange c) {
        return c.getMember() + '\u0000' + c.getKind() + '\u0000' + c.getId() + '\u0000' + (c.getAccount() == null ? "" : c.getAccount());
    }

    /** Latest completion per member and course at or before {@code asOf}. */
    static Map<String, Map<String, Long>> latestCompletions(List<TrainingCompletion> completions, long asOf) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (TrainingCompletion c : completions) {
            if (c.getAt() <= asOf) {
                out.computeIfAbsent(c.getMember(), m -> new TreeMap<>()).merge(c.getCourse(), c.getAt(), Math::max);
            }
        }
        return out;
    }

    /**
     * The training requirements in force at {@code asOf}: the configuration's ({@link RolesModel#trainingRequirements})
     * and the declared ones. Declarations of one subject are read in date order (ties by event id, so arrival order
     * does not matter): each supersedes the one before; a withdrawal or a passed {@code valid_until} ends it. A
     * requirement declared again without a break keeps the date it first took effect.
     */
    public List<RolesModel.Requirement> requirements(RolesState state, long asOf) {
        List<RolesModel.Requirement> out = new ArrayList<>(config.trainingRequirements());
        Map<String, List<TrainingRequirementDeclaration>> bySubject = new TreeMap<>();
        for (TrainingRequirementDeclaration d : state.declaredRequirements()) {
            if (d.getAt() <= asOf) {
                bySubject.computeIfAbsent(d.getSubject(), k -> new ArrayList<>()).add(d);
            }
        }
        for (List<TrainingRequirementDeclaration> chain : bySubject.values()) {
            chain.sort(Comparator.comparingLong(TrainingRequirementDeclaration::getAt)
                    .thenComparing(TrainingRequirementDeclaration::getEventId));
            long since = Long.MIN_VALUE;
            TrainingRequirementDeclaration current = null;
            for (TrainingRequirementDeclaration d : chain) {
                boolean lapsed = current == null || current.getValidUntil() != null
                        && Days.startMillis(current.getValidUntil().intValue() + 1) <= d.getAt();
                if (d.getWithdrawn()) {
                    current = null;
                    continue;
                }
                if (lapsed) {
                    since = d.getAt();
                }
                current = d;
            }
            if (current == null) {
                continue;
            }
            long until = current.getValidUntil() == null ? Long.MAX_VALUE
                    : Days.startMillis(current.getValidUntil().intValue() + 1);
            if (until <= asOf) {
                continue;
            }
            int days = current.getValidDays() == null ? config.rules().trainingValidDays() : current.getValidDays();
            out.add(new RolesModel.Requirement(current.getCourse(), current.getAppliesTo(), days, null, since, until,
                    current.getEventId()));
        }
        return out;
    }

    public Evaluation evaluate(String communityId, RolesState state, long asOf) {
        RolesModel.Rules rules = config.rules();
        long activeWindow = rules.activeWithin().toMillis();
        List<Holding> holdings = holdings(state.changes(), asOf);
        Map<String, Map<String, Long>> trainings = latestCompletions(state.completions(), asOf);
        Map<String, List<TrainingCompletion>> completionsByMember = new HashMap<>();
        for (TrainingCompletion c : state.completions()) {
            if (c.getAt() <= asOf) {
                completionsByMember.computeIfAbsent(c.getMember(), m -> new ArrayList<>()).add(c);
            }
        }
        List<RolesModel.Requirement> requirements = requirements(state, asOf);
        Map<String, int[]> shares = new TreeMap<>();
        requirements.forEach(r -> shares.putIfAbsent(r.course() + '\u0000' + r.appliesTo(), new int[2]));

        Set<String> memberIds = new TreeSet<>();
        holdings.forEach(h -> memberIds.add(h.member()));
        trainings.keySet().forEach(memberIds::add);
        state.acknowledgements().keySet().forEach(memberIds::add);

        Map<String, List<Holding>> byMember = new HashMap<>();
        holdings.forEach(h -> byMember.computeIfAbsent(h.member(), m -> new ArrayList<>()).add(h));

        String corporate = rules.accountManagerRequiresLevel();
        int corporateRank = corporate == null ? Integer.MAX_VALUE : config.levelRank(corporate);
        Map<String, MemberRoles> members = new TreeMap<>();
        Map<String, Violation> violations = new TreeMap<>();
        int corporateUsers = 0;
        int trained = 0;
        for (String member : memberIds) {
            List<Holding> own = byMember.getOrDefault(member, List.of());
            Set<String> roles = new TreeSet<>();
            Set<String> accounts = new TreeSet<>();
            String level = config.lowestLevel();
            long corporateSince = Long.MAX_VALUE;
            for (Holding h : own) {
                if (!h.held()) {
                    continue;
                }
                if (ROLE.equals(h.kind())) {
                    roles.add(h.id());
                } else {
                    if (config.levelRank(h.id()) > config.levelRank(level)) {
                        level = h.id();
                    }
                    if (RolesModel.ACCOUNT_MANAGER.equals(h.id()) && h.account() != null) {
                        accounts.add(h.account());
                    }
                    if (config.levelRank(h.id()) >= corporateRank) {
                        corporateSince = Math.min(corporateSince, h.heldSince());
                    }
                }
            }
            List<TrainingCompletion> ownCompletions = completionsByMember.getOrDefault(member, List.of());
            Map<String, Long> ownTrainings = trainings.getOrDefault(member, Map.of());
            Set<String> valid = new TreeSet<>();
            Map<String, Double> scores = new TreeMap<>();
            ownTrainings.forEach((course, at) -> {
                TrainingCompletion latest = latestAccepted(ownCompletions, course, null, asOf);
                if (latest != null && latest.getScore() != null) {
                    scores.put(course, latest.getScore());
                }
                TrainingCompletion counted = latestAccepted(ownCompletions, course, courseMinScore.get(course), asOf);
                if (counted != null && counted.getAt() + validity(course) > asOf) {
                    valid.add(course);
                }
            });
            // Requirements apply through held roles and levels only: members holding nothing are skipped.
            boolean holdsAny = own.stream().anyMatch(Holding::held);
            Violation levelGap = !holdsAny ? null
                    : untrained(RULE_UNTRAINED, member, own, requirements, ownCompletions, asOf, false, shares);
            Violation roleGap = !holdsAny ? null
                    : untrained(RULE_ROLE_UNTRAINED, member, own, requirements, ownCompletions, asOf, true, shares);
            if (corporateSince != Long.MAX_VALUE) {
                corporateUsers++;
                if (levelGap == null) {
                    trained++;
                }
            }
            for (Violation gap : new Violation[] {levelGap, roleGap}) {
                if (gap != null) {
                    violations.put(gap.key(), gap);
                }
            }
            Violation notCorporate = managerNotCorporate(member, own);
            if (notCorporate != null) {
                violations.put(notCorporate.key(), notCorporate);
            }
            members.put(member, MemberRoles.newBuilder().setCommunityId(communityId).setMemberId(member)
                    .setRoles(new ArrayList<>(roles)).setLevel(level).setAccounts(new ArrayList<>(accounts))
                    .setValidTrainings(new ArrayList<>(valid)).setTrainingScores(new LinkedHashMap<>(scores))
                    .setStaff(!roles.isEmpty())
                    // Sorted: the stored map is unordered once read back, and arrival order must not show.
                    .setAcknowledgedPolicies(new ArrayList<>(new TreeSet<>(
                            state.acknowledgements().getOrDefault(member, Map.of()).keySet())))
                    .setAsOf(Instant.ofEpochMilli(asOf)).build());
        }

        accountsWithoutManager(state, holdings).forEach(v -> violations.put(v.key(), v));
        Map<String, RoleCoverage> coverage = coverage(communityId, state, holdings, asOf, activeWindow);
        coverage.values().stream().filter(c -> c.getRequired() && !c.getFilled()).forEach(c -> {
            Map<String, String> evidence = new LinkedHashMap<>();
            evidence.put("holders", String.join(",", c.getHolders()));
            evidence.put("activeWithinDays", Integer.toString(rules.activeWithinDays()));
            if (c.getConsequence() != null) {
                evidence.put("consequence", c.getConsequence());
            }
            Violation v = new Violation(RULE_ROLE_VACANT, "role", c.getRole(), c.getVacantSince().toEpochMilli(),
                    evidence);
            violations.put(v.key(), v);
        });
        TrainingMetrics training = training(communityId, state, trainings, asOf, corporateUsers, trained, shares);
        return new Evaluation(asOf, members, coverage, violations, training);
    }

    /** The member's latest completion of {@code course} at or before {@code asOf} scoring at least {@code minScore}. */
    private static TrainingCompletion latestAccepted(List<TrainingCompletion> completions, String course,
                                                        Double minScore, long asOf) {
        TrainingCompletion best = null;
        for (TrainingCompletion c : completions) {
            if (!c.getCourse().equals(course) || c.getAt() > asOf
                    || minScore != null && (c.getScore() == null || c.getScore() < minScore)) {
                continue;
            }
            if (best == null || c.getAt() > best.getAt() || c.getAt() == best.getAt() && c.getEventId().compareTo(best.getEventId()) > 0) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Since when the member has been subject to a requirement (holding its role, or its level or a higher one), or
     * Long.MAX_VALUE when it does not apply to them now.
     */
    private long subjectSince(RolesModel.Requirement r, List<Holding> own) {
        boolean role = roleIds.contains(r.appliesTo());
        int rank = role ? -1 : config.levelRank(r.appliesTo());
        long since = Long.MAX_VALUE;
        for (Holding h : own) {
            if (!h.held()) {
                continue;
            }
            boolean applies = role ? ROLE.equals(h.kind()) && h.id().equals(r.appliesTo())
                    : LEVEL.equals(h.kind()) && rank >= 0 && config.levelRank(h.id()) >= rank;
            if (applies) {
                since = Math.min(since, h.heldSince());
            }
        }
        return since;
    }

    /**
     * The member's missing trainings among the requirements of roles ({@code ofRoles}) or of levels, as one violation
     * of {@code rule}, or null; counts the member in each applying requirement's share ({@code shares}: members,
     * trained). Opened at the earliest moment one of them went missing: the later of holding the role or level, the
     * requirement taking effect and the completion's expiry.
     */
    private Violation untrained(String rule, String member, List<Holding> own, List<RolesModel.Requirement> requirements,
                                List<TrainingCompletion> completions, long asOf, boolean ofRoles,
                                Map<String, int[]> shares) {
        long openedAt = Long.MAX_VALUE;
        Map<String, String> evidence = new LinkedHashMap<>();
        Set<String> missing = new TreeSet<>();
        Set<String> subjectTo = new TreeSet<>();
        for (RolesModel.Requirement r : requirements) {
            if (roleIds.contains(r.appliesTo()) != ofRoles || !r.inForce(asOf)) {
                continue;
            }
            long since = subjectSince(r, own);
            if (since == Long.MAX_VALUE) {
                continue;
            }
            int[] share = shares.get(r.course() + '\u0000' + r.appliesTo());
            share[0]++;
            subjectTo.add(r.appliesTo());
            TrainingCompletion done = latestAccepted(completions, r.course(), r.minScore(), asOf);
            if (done != null && done.getAt() + r.validity() > asOf) {
                share[1]++;
                continue;
            }
            long from = Math.max(since, r.from());
            long brokenSince = done == null ? from : Math.max(from, done.getAt() + r.validity());
            missing.add(r.course());
            evidence.putIfAbsent(r.course(), done == null ? neverDone(completions, r)
                    : "expired " + Instant.ofEpochMilli(done.getAt() + r.validity()));
            openedAt = Math.min(openedAt, brokenSince);
        }
        if (missing.isEmpty()) {
            return null;
        }
        if (!ofRoles) {
            evidence.put("corporateUserSince", Instant.ofEpochMilli(corporateSince(own)).toString());
        }
        evidence.put("requiredFor", String.join(",", subjectTo));
        evidence.put("missing", String.join(",", missing));
        return new Violation(rule, "member", member, openedAt, evidence);
    }

    private static String neverDone(List<TrainingCompletion> completions, RolesModel.Requirement r) {
        boolean tried = r.minScore() != null && completions.stream().anyMatch(c -> c.getCourse().equals(r.course()));
        return tried ? "below min_score " + r.minScore() : "never completed";
    }

    private long corporateSince(List<Holding> own) {
        String corporate = config.rules().accountManagerRequiresLevel();
        int rank = corporate == null ? 0 : config.levelRank(corporate);
        long since = Long.MAX_VALUE;
        for (Holding h : own) {
            if (h.held() && LEVEL.equals(h.kind()) && config.levelRank(h.id()) >= rank) {
                since = Math.min(since, h.heldSince());
            }
        }
        return since == Long.MAX_VALUE ? Long.MIN_VALUE : since;
    }

    private Violation managerNotCorporate(String member, List<Holding> own) {
        String required = config.rules().accountManagerRequiresLevel();
        if (required == null) {
            return null;
        }
        long managerSince = Long.MAX_VALUE;
        boolean corporate = false;
        long corporateRevoked = Long.MIN_VALUE;
        for (Holding h : own) {
            if (!LEVEL.equals(h.kind())) {
                continue;
            }
            if (RolesModel.ACCOUNT_MANAGER.equals(h.id()) && h.held()) {
                managerSince = Math.min(managerSince, h.heldSince());
            }
            if (required.equals(h.id())) {
                corporate |= h.held();
                corporateRevoked = Math.max(corporateRevoked, h.lastRevokedAt());
            }
        }
        if (managerSince == Long.MAX_VALUE || corporate) {
            return null;
        }
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("accountManagerSince", Instant.ofEpochMilli(managerSince).toString());
        evidence.put(required, corporateRevoked == Long.MIN_VALUE ? "never held"
                : "revoked " + Instant.ofEpochMilli(corporateRevoked));
        return new Violation(RULE_MANAGER_NOT_CORPORATE, "member", member, Math.max(managerSince, corporateRevoked),
                evidence);
    }

    private List<Violation> accountsWithoutManager(RolesState state, List<Holding> holdings) {
        Map<String, Long> accounts = new TreeMap<>();
        for (String declared : config.rules().officialAccounts()) {
            accounts.put(declared, state.firstEventAt());
        }
        for (Holding h : holdings) {
            if (h.account() != null) {
                accounts.merge(h.account(), h.firstAt(), Math::min);
            }
        }
        List<Violation> out = new ArrayList<>();
        for (Map.Entry<String, Long> account : accounts.entrySet()) {
            long vacantSince = account.getValue();
            Set<String> former = new TreeSet<>();
            boolean managed = false;
            for (Holding h : holdings) {
                if (!LEVEL.equals(h.kind()) || !RolesModel.ACCOUNT_MANAGER.equals(h.id())
                        || !account.getKey().equals(h.account())) {
                    continue;
                }
                managed |= h.held();
                if (!h.held() && h.lastRevokedAt() != Long.MIN_VALUE) {
                    former.add(h.member());
                    vacantSince = Math.max(vacantSince, h.lastRevokedAt());
                }
            }
            if (!managed) {
                Map<String, String> evidence = new LinkedHashMap<>();
                evidence.put("formerManagers", String.join(",", former));
                out.add(new Violation(RULE_ACCOUNT_WITHOUT_MANAGER, "account", account.getKey(), vacantSince,
                        evidence));
            }
        }
        return out;
    }

    private Map<String, RoleCoverage> coverage(String communityId, RolesState state, List<Holding> holdings, long asOf,
                                               long activeWindow) {
        Map<String, RoleCoverage> out = new LinkedHashMap<>();
        Set<String> required = Set.copyOf(config.requiredRoles());
        config.roleNames().forEach((role, name) -> {
            Set<String> holders = new TreeSet<>();
            Set<String> active = new TreeSet<>();
            long vacantSince = Long.MIN_VALUE;
            for (Holding h : holdings) {
                if (!ROLE.equals(h.kind()) || !role.equals(h.id())) {
                    continue;
                }
                // Activity only (RoleEvents.isActivity): the grant itself does not make its holder active.
                long lastActive = state.lastActive().getOrDefault(h.member(), Long.MIN_VALUE);
                if (h.held()) {
                    holders.add(h.member());
                    if (lastActive != Long.MIN_VALUE && lastActive >= asOf - activeWindow) {
                        active.add(h.member());
                    }
                    if (lastActive != Long.MIN_VALUE) {
                        // An inactive holder stopped covering the role when their activity window ran out.
                        vacantSince = Math.max(vacantSince, lastActive + activeWindow);
                    }
                } else if (h.lastRevokedAt() != Long.MIN_VALUE) {
                    vacantSince = Math.max(vacantSince, h.lastRevokedAt());
                }
            }
            boolean filled = !active.isEmpty();
            if (vacantSince == Long.MIN_VALUE) {
                vacantSince = state.firstEventAt();
            }
            out.put(role, RoleCoverage.newBuilder().setCommunityId(communityId).setRole(role).setRoleName(name)
                    .setRequired(required.contains(role)).setHolders(new ArrayList<>(holders))
                    .setActiveHolders(new ArrayList<>(active)).setFilled(filled)
                    .setConsequence(config.consequence(role))
                    .setVacantSince(filled ? null : Instant.ofEpochMilli(Math.min(vacantSince, asOf)))
                    .setAsOf(Instant.ofEpochMilli(asOf)).build());
        });
        return out;
    }

    private TrainingMetrics training(String communityId, RolesState state, Map<String, Map<String, Long>> latest,
                                     long asOf, int corporateUsers, int trained, Map<String, int[]> shares) {
        long expiringWindow = config.rules().expiringWithin().toMillis();
        int expiring = 0;
        int expired = 0;
        for (Map<String, Long> courses : latest.values()) {
            for (Map.Entry<String, Long> course : courses.entrySet()) {
                long expiresAt = course.getValue() + validity(course.getKey());
                if (expiresAt <= asOf) {
                    expired++;
                } else if (expiresAt <= asOf + expiringWindow) {
                    expiring++;
                }
            }
        }
        Map<LocalDate, Map<String, Integer>> weekly = new TreeMap<>();
        for (TrainingCompletion c : state.completions()) {
            if (c.getAt() <= asOf) {
                LocalDate monday = Instant.ofEpochMilli(c.getAt()).atZone(ZoneOffset.UTC).toLocalDate()
                        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                weekly.computeIfAbsent(monday, d -> new TreeMap<>()).merge(c.getCourse(), 1, Integer::sum);
            }
        }
        List<WeeklyCompletions> rows = new ArrayList<>();
        weekly.forEach((week, courses) -> courses.forEach((course, n) ->
                rows.add(new WeeklyCompletions(course, week, n))));
        List<RequirementShare> requirementShares = new ArrayList<>();
        shares.forEach((key, counts) -> {
            int sep = key.indexOf('\u0000');
            requirementShares.add(new RequirementShare(key.substring(0, sep), key.substring(sep + 1), counts[0],
                    counts[1], counts[0] == 0 ? null : (double) counts[1] / counts[0]));
        });
        return TrainingMetrics.newBuilder().setCommunityId(communityId).setAsOf(Instant.ofEpochMilli(asOf))
                .setCorporateUsers(corporateUsers).setTrainedCorporateUsers(trained)
                .setTrainedShare(corporateUsers == 0 ? null : (double) trained / corporateUsers)
                .setExpiring(expiring).setExpired(expired).setWeekly(rows).setRequirements(requirementShares).build();
    }
}
