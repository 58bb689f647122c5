package org.communitypulse.streams.roles;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.streams.common.YamlConfigFiles;

/**
 * Roles, access levels, training and policy rules of an organisation, as data (see {@code docs/roles.md}).
 * The defaults ship as {@link #BUILT_IN} ({@code roles.yaml} next to this class); {@code roles.config.file}
 * points at an organisation's own copy. Ids are compared lower-cased.
 */
public record RolesModel(List<Role> teamRoles, List<Level> levels, List<KeyRole> keyRoles, Rules rules,
                          List<String> ignoredRoles, List<String> platformStaffRoles, List<Training> training) {

    /** Value of {@code roles.config.file} meaning the file shipped with the pipeline. */
    public static final String BUILT_IN = "builtin:roles.yaml";

    public static final String BASIC = "basic";
    public static final String CORPORATE_USER = "corporate-user";
    public static final String ACCOUNT_MANAGER = "account-manager";

    /** {@code staff} (default true): holders are staff, not peers, in the peer-support metrics. */
    public record Role(String id, String name, String fulfils, String consequence, boolean required, Boolean staff) {
        public Role {
            staff = staff == null || staff;
        }

        public Role(String id, String name, String fulfils, String consequence, boolean required) {
            this(id, name, fulfils, consequence, required, null);
        }
    }

    /** {@code staff} (default false): whether holding this level makes a member staff. */
    public record Level(String id, String name, String requirements, Boolean staff) {
        public Level {
            staff = staff != null && staff;
        }

        public Level(String id, String name, String requirements) {
            this(id, name, requirements, null);
        }
    }

    /** {@code staff} (default true), as for team roles; {@code consequence}: what happens while nobody holds it. */
    public record KeyRole(String id, String name, String duties, String consequence, Boolean staff) {
        public KeyRole {
            staff = staff == null || staff;
        }

        public KeyRole(String id, String name, String duties) {
            this(id, name, duties, null, null);
        }
    }

    /**
     * A {@code training} entry: {@code course} must be held, completed within {@code valid_days} (default
     * {@code rules.training_valid_days}) with a score of at least {@code min_score} when set, by the holders of
     * every role in {@code required_for} and by members at every level in it or above.
     */
    public record Training(String course, List<String> requiredFor, Integer validDays, Double minScore) {
    }

    /**
     * One course required of one role or level ({@code appliesTo}), valid for {@code validDays}; from
     * {@code from} (epoch millis, {@link Long#MIN_VALUE} for the configuration's own) until {@code until}
     * (exclusive, {@link Long#MAX_VALUE} for no end); {@code source} is {@code config} or the declaration's event id.
     */
    public record Requirement(String course, String appliesTo, int validDays, Double minScore, long from, long until,
                              String source) {

        public long validity() {
            return validDays * 86_400_000L;
        }

        /** Whether a completion with {@code score} counts (no minimum, or a score at or above it). */
        public boolean accepts(Double score) {
            return minScore == null || score != null && score >= minScore;
        }

        public boolean inForce(long at) {
            return at >= from && at < until;
        }
    }

    public record Rules(List<String> requiredTraining, int trainingValidDays, int trainingExpiringWithinDays,
                        int activeWithinDays, String accountManagerRequiresLevel, int futureGrantToleranceHours,
                        List<String> officialAccounts) {

        public Duration trainingValidity() {
            return Duration.ofDays(trainingValidDays);
        }

        public Duration expiringWithin() {
            return Duration.ofDays(trainingExpiringWithinDays);
        }

        public Duration activeWithin() {
            return Duration.ofDays(activeWithinDays);
        }

        public Duration futureGrantTolerance() {
            return Duration.ofHours(futureGrantToleranceHours);
        }
    }

    public RolesModel {
        teamRoles = List.copyOf(teamRoles == null ? List.of() : teamRoles);
        levels = List.copyOf(levels == null ? List.of() : levels);
        keyRoles = List.copyOf(keyRoles == null ? List.of() : keyRoles);
        ignoredRoles = ignoredRoles == null ? List.of() : ignoredRoles.stream().map(RolesModel::normalise).toList();
        platformStaffRoles = platformStaffRoles == null ? List.of()
                : platformStaffRoles.stream().map(RolesModel::normalise).toList();
        if (rules == null) {
            throw new ConfigException("roles configuration has no 'rules' section");
        }
        training = training == null ? List.of() : training.stream().map(t -> new Training(normalise(t.course()),
                t.requiredFor() == null ? List.of() : t.requiredFor().stream().map(RolesModel::normalise).toList(),
                t.validDays(), t.minScore())).toList();
        rules = new Rules(rules.requiredTraining() == null ? List.of()
                : rules.requiredTraining().stream().map(RolesModel::normalise).toList(),
                rules.trainingValidDays(), rules.trainingExpiringWithinDays(), rules.activeWithinDays(),
                normalise(rules.accountManagerRequiresLevel()), rules.futureGrantToleranceHours(),
                rules.officialAccounts() == null ? List.of() : List.copyOf(rules.officialAccounts()));
        validate(teamRoles, levels, keyRoles, rules, training);
    }

    /** Loads {@code location}: {@link #BUILT_IN} or a file path. */
    public static RolesModel load(String location) {
        return YamlConfigFiles.load(location, BUILT_IN, "roles.yaml", RolesModel.class, "roles");
    }

    /** The shipped defaults. */
    public static RolesModel defaults() {
        return load(BUILT_IN);
    }

    static RolesModel parse(InputStream in, String origin) throws IOException {
        return YamlConfigFiles.parse(in, origin, RolesModel.class, "roles");
    }

    /** This catalogue with exactly the team roles {@code ids} required (the per-role {@code required} flag). */
    public RolesModel withRequiredRoles(java.util.Collection<String> ids) {
        java.util.Set<String> wanted = ids.stream().map(RolesModel::normalise).collect(java.util.stream.Collectors.toSet());
        List<Role> roles = teamRoles.stream().map(r -> new Role(r.id(), r.name(), r.fulfils(), r.consequence(),
                wanted.contains(normalise(r.id())), r.staff())).toList();
        return new RolesModel(roles, levels, keyRoles, rules, ignoredRoles, platformStaffRoles, training);
    }

    /** This catalogue with {@code training} as its training entries (the rules' older required_training kept). */
    public RolesModel withTraining(List<Training> entries) {
        return new RolesModel(teamRoles, levels, keyRoles, rules, ignoredRoles, platformStaffRoles, entries);
    }

    /** Lower-cased, trimmed id; null stays null. */
    public static String normalise(String id) {
        return id == null ? null : id.trim().toLowerCase(Locale.ROOT);
    }

    /** Team and key roles by id, in file order. */
    public Map<String, String> roleNames() {
        Map<String, String> out = new LinkedHashMap<>();
        teamRoles.forEach(r -> out.put(normalise(r.id()), r.name()));
        keyRoles.forEach(r -> out.put(normalise(r.id()), r.name()));
        return out;
    }

    public boolean isRole(String id) {
        return roleNames().containsKey(normalise(id));
    }

    public boolean isLevel(String id) {
        String n = normalise(id);
        return levels.stream().anyMatch(l -> normalise(l.id()).equals(n));
    }

    /** Rank of a level (0 = lowest), or -1 when unknown. */
    public int levelRank(String id) {
        String n = normalise(id);
        for (int i = 0; i < levels.size(); i++) {
            if (normalise(levels.get(i).id()).equals(n)) {
                return i;
            }
        }
        return -1;
    }

    public String lowestLevel() {
        return normalise(levels.get(0).id());
    }

    /**
     * Ids whose holders are staff, not peers, in the engagement metrics (the default of {@code staff.roles}):
     * team and key roles and levels marked {@code staff}, and {@code platform_staff_roles} (platform roles such as
     * a forum's moderators, which the roles family itself ignores).
     */
    public java.util.Set<String> staffIds() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        teamRoles.stream().filter(Role::staff).forEach(r -> out.add(normalise(r.id())));
        keyRoles.stream().filter(KeyRole::staff).forEach(r -> out.add(normalise(r.id())));
        levels.stream().filter(Level::staff).forEach(l -> out.add(normalise(l.id())));
        out.addAll(platformStaffRoles);
        return java.util.Collections.unmodifiableSet(out);
    }

    public List<String> requiredRoles() {
        return teamRoles.stream().filter(Role::required).map(r -> normalise(r.id())).toList();
    }

    public Optional<Role> teamRole(String id) {
        String n = normalise(id);
        return teamRoles.stream().filter(r -> normalise(r.id()).equals(n)).findFirst();
    }

    /** Whether a platform role is listed in {@code ignored_roles} (a trailing {@code *} matches any suffix). */
    public boolean isIgnored(String role) {
        String n = normalise(role);
        for (String pattern : ignoredRoles) {
            if (pattern.endsWith("*") ? n.startsWith(pattern.substring(0, pattern.length() - 1)) : n.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The configured training requirements, one per course and role or level: the {@code training} entries and the
     * older {@code rules.required_training}, which requires its courses of {@code account_manager_requires_level}
     * (Corporate Users), valid for {@code training_valid_days}.
     */
    public List<Requirement> trainingRequirements() {
        List<Requirement> out = new ArrayList<>();
        for (Training t : training) {
            int days = t.validDays() == null ? rules.trainingValidDays() : t.validDays();
            for (String id : t.requiredFor()) {
                out.add(new Requirement(t.course(), id, days, t.minScore(), Long.MIN_VALUE, Long.MAX_VALUE, "config"));
            }
        }
        String corporate = rules.accountManagerRequiresLevel() == null ? CORPORATE_USER
                : rules.accountManagerRequiresLevel();
        for (String course : rules.requiredTraining()) {
            out.add(new Requirement(course, corporate, rules.trainingValidDays(), null, Long.MIN_VALUE, Long.MAX_VALUE,
                    "config"));
        }
        return out;
    }

    /** How long a completion of {@code course} stays valid: its longest training entry, else the default. */
    public long courseValidity(String course) {
        String n = normalise(course);
        int days = training.stream().filter(t -> n.equals(t.course()) && t.validDays() != null)
                .mapToInt(Training::validDays).max().orElse(rules.trainingValidDays());
        return days * 86_400_000L;
    }

    /** The lowest {@code min_score} any training entry sets for {@code course}, or null when none does. */
    public Double minScore(String course) {
        String n = normalise(course);
        return training.stream().filter(t -> n.equals(t.course()) && t.minScore() != null)
                .map(Training::minScore).min(Double::compare).orElse(null);
    }

    /** What happens while nobody holds a team or key role (its {@code consequence}), or null. */
    public String consequence(String roleId) {
        String n = normalise(roleId);
        for (Role r : teamRoles) {
            if (normalise(r.id()).equals(n)) {
                return r.consequence();
            }
        }
        for (KeyRole r : keyRoles) {
            if (normalise(r.id()).equals(n)) {
                return r.consequence();
            }
        }
        return null;
    }

    private static void validate(List<Role> teamRoles, List<Level> levels, List<KeyRole> keyRoles, Rules rules,
                                 List<Training> training) {
        List<String> problems = new ArrayList<>();
        if (levels.isEmpty()) {
            problems.add("at least one level is needed (the first is what everybody holds)");
        }
        List<String> ids = new ArrayList<>();
        teamRoles.forEach(r -> ids.add(normalise(r.id())));
        keyRoles.forEach(r -> ids.add(normalise(r.id())));
        levels.forEach(l -> ids.add(normalise(l.id())));
        if (ids.stream().anyMatch(id -> id == null || id.isBlank())) {
            problems.add("every role, key role and level needs an id");
        } else if (ids.stream().distinct().count() != ids.size()) {
            problems.add("role, key role and level ids must be unique: " + ids);
        }
        if (rules.trainingValidDays() < 1 || rules.activeWithinDays() < 1 || rules.trainingExpiringWithinDays() < 0
                || rules.futureGrantToleranceHours() < 0) {
            problems.add("training_valid_days and active_within_days must be >= 1, the others >= 0");
        }
        if (rules.accountManagerRequiresLevel() != null
                && levels.stream().noneMatch(l -> normalise(l.id()).equals(rules.accountManagerRequiresLevel()))) {
            problems.add("account_manager_requires_level '" + rules.accountManagerRequiresLevel() + "' is not a level");
        }
        for (Training t : training) {
            if (t.course() == null || t.course().isBlank()) {
                problems.add("every training entry needs a course");
            } else if (t.requiredFor().isEmpty() || t.requiredFor().stream().anyMatch(id -> !ids.contains(id))) {
                problems.add("training '" + t.course() + "' required_for must name configured roles or levels, not "
                        + t.requiredFor());
            }
            if (t.validDays() != null && t.validDays() < 1 || t.minScore() != null && t.minScore() < 0) {
                problems.add("training '" + t.course() + "': valid_days must be >= 1 and min_score >= 0");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("invalid roles configuration: " + String.join("; ", problems));
        }
    }
}
