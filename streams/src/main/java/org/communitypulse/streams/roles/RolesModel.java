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
                          List<String> ignoredRoles, List<String> platformStaffRoles) {

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

    /** {@code staff} (default true), as for team roles. */
    public record KeyRole(String id, String name, String duties, Boolean staff) {
        public KeyRole {
            staff = staff == null || staff;
        }

        public KeyRole(String id, String name, String duties) {
            this(id, name, duties, null);
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
        rules = new Rules(rules.requiredTraining() == null ? List.of()
                : rules.requiredTraining().stream().map(RolesModel::normalise).toList(),
                rules.trainingValidDays(), rules.trainingExpiringWithinDays(), rules.activeWithinDays(),
                normalise(rules.accountManagerRequiresLevel()), rules.futureGrantToleranceHours(),
                rules.officialAccounts() == null ? List.of() : List.copyOf(rules.officialAccounts()));
        validate(teamRoles, levels, keyRoles, rules);
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

    private static void validate(List<Role> teamRoles, List<Level> levels, List<KeyRole> keyRoles, Rules rules) {
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
        if (!problems.isEmpty()) {
            throw new ConfigException("invalid roles configuration: " + String.join("; ", problems));
        }
    }
}
