package org.communitypulse.streams.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.streams.PulseStreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolesModelTest {

    @TempDir
    Path dir;

    @Test
    void shouldShipEveryDocumentedRoleLevelAndRuleWhenTheBuiltInFileIsLoaded() {
        RolesModel config = RolesModel.defaults();
        assertThat(config.teamRoles()).extracting(RolesModel.Role::name).containsExactly("Sponsor",
                "Community & Communications Manager", "Social Media Coordinator", "Strategist & Advocate",
                "Product Manager", "Project Manager", "Technical Developer & Designer");
        assertThat(config.teamRoles()).allSatisfy(r -> {
            assertThat(r.fulfils()).isNotBlank();
            assertThat(r.consequence()).isNotBlank();
        });
        assertThat(config.levels()).extracting(RolesModel.Level::id)
                .containsExactly("basic", "corporate-user", "account-manager");
        assertThat(config.keyRoles()).extracting(RolesModel.KeyRole::name).containsExactly(
                "Customer Service Champion", "Account Coordinator", "Technical Support Specialist");
        // Every team competency must be covered (the source): all seven required by default.
        assertThat(config.requiredRoles()).containsExactly("sponsor", "community-manager", "social-media-coordinator",
                "strategist-advocate", "product-manager", "project-manager", "technical-developer-designer");
        assertThat(config.rules().trainingValidDays()).isEqualTo(365);
        assertThat(config.isIgnored("trust_level_3")).isTrue();
        assertThat(config.isIgnored("sponsor")).isFalse();
    }

    @Test
    void shouldUseTheOrganisationsFileWhenRolesConfigFileIsSet() throws IOException {
        Path file = Files.writeString(dir.resolve("roles.yaml"), """
                team_roles:
                  - {id: Owner, name: Owner, fulfils: everything, consequence: nothing happens, required: true}
                levels:
                  - {id: basic, name: Basic, requirements: none}
                  - {id: corporate-user, name: Corporate User, requirements: trained}
                rules:
                  required_training: [Safety]
                  training_valid_days: 90
                  training_expiring_within_days: 7
                  active_within_days: 14
                  account_manager_requires_level: corporate-user
                  future_grant_tolerance_hours: 0
                """);
        PulseStreamsConfig streams = new PulseStreamsConfig(Map.of(PulseStreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "x:9092",
                PulseStreamsConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://x", PulseStreamsConfig.ROLES_CONFIG_FILE_CONFIG,
                file.toString()));
        RolesModel config = streams.rolesModel();
        assertThat(config.requiredRoles()).containsExactly("owner");
        assertThat(config.rules().requiredTraining()).containsExactly("safety");
        // The older keys still work: required_training is a requirement of Corporate Users for training_valid_days.
        assertThat(config.trainingRequirements()).singleElement().satisfies(r -> {
            assertThat(r.course()).isEqualTo("safety");
            assertThat(r.appliesTo()).isEqualTo("corporate-user");
            assertThat(r.validDays()).isEqualTo(90);
        });
        assertThat(config.rules().activeWithinDays()).isEqualTo(14);
        assertThat(config.isRole("OWNER")).isTrue();
    }

    @Test
    void shouldRefuseToStartWhenTheFileHasATypoOrIsMissing() throws IOException {
        Path typo = Files.writeString(dir.resolve("typo.yaml"), """
                levels: [{id: basic, name: Basic, requirements: none}]
                rules: {training_valid_dayz: 30}
                """);
        assertThatThrownBy(() -> RolesModel.load(typo.toString())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("training_valid_dayz");
        assertThatThrownBy(() -> RolesModel.load(dir.resolve("absent.yaml").toString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("absent.yaml");
    }

    @Test
    void shouldRefuseATrainingEntryForAnUnknownRoleOrWithoutValidDays() throws IOException {
        Path file = Files.writeString(dir.resolve("training.yaml"), """
                team_roles: [{id: owner, name: Owner, fulfils: all, consequence: none, required: true}]
                levels: [{id: basic, name: Basic, requirements: none}]
                training: [{course: safety, required_for: [ownr], valid_days: 0}]
                rules: {training_valid_days: 30, active_within_days: 30}
                """);
        assertThatThrownBy(() -> RolesModel.load(file.toString())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("required_for must name configured roles or levels, not [ownr]")
                .hasMessageContaining("valid_days must be >= 1");
    }
}
