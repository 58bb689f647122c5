package org.communitypulse.streams;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The family structure of {@code streams} (docs/architecture.md), checked on the compiled main classes: each rule
 * says in its reason how to fix a violation.
 */
class StreamsArchitectureTest {

    private static final String ROOT = "org.communitypulse.streams";
    private static final String[] FAMILIES = {"intake", "identity", "engagement", "roles", "maturity", "alerts",
            "reconciliation", "organisation"};

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    static Stream<String> packagesWithInternals() {
        return Stream.concat(Stream.of(FAMILIES), Stream.of("http", "query"));
    }

    @ParameterizedTest
    @MethodSource("packagesWithInternals")
    void internalsAreUsedOnlyByTheirOwnPackage(String family) {
        noClasses().that().resideOutsideOfPackage(ROOT + "." + family + "..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + "." + family + ".internals..")
                .because("streams." + family + ".internals is that family's own: read its state through what the "
                        + "family publishes in streams." + family + " (its XTopology, settings or XViews), or move "
                        + "the shared piece to streams.common")
                .allowEmptyShould(true)
                .check(classes);
    }

    @ParameterizedTest
    @MethodSource("packagesWithInternals")
    void internalsDoNotReachBackToTheirTopology(String family) {
        noClasses().that().resideInAPackage(ROOT + "." + family + ".internals..")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Topology")
                .because("a topology wires its internals, not the reverse: pass the names and values the "
                        + "processors need in through their constructors (or keep the constant in the internals)")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void familyPackagesFormNoCycle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles()
                .because("families build on each other in one direction (intake, identity, engagement, roles, "
                        + "maturity; alerts and common below them): move the piece both sides need down into "
                        + "streams.common, or let the lower family publish a read-only view")
                .check(classes);
    }

    @Test
    void commonDependsOnNoFamily() {
        noClasses().that().resideInAPackage(ROOT + ".common..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        Stream.concat(Stream.of(FAMILIES).map(f -> ROOT + "." + f + ".."),
                                Stream.of(ROOT + ".http..", ROOT + ".query..", ROOT)).toArray(String[]::new))
                .because("streams.common is shared by every family and must not know any of them: move the "
                        + "family-specific part back into its family")
                .check(classes);
    }

    @Test
    void queriesAndDashboardReadFamiliesThroughTheirPublicEntries() {
        noClasses().that().resideInAnyPackage(ROOT + ".query..", ROOT + ".http..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        Stream.of(FAMILIES).map(f -> ROOT + "." + f + ".internals..").toArray(String[]::new))
                .because("the dashboard and its queries read the families' views (XViews) only, so a family may "
                        + "change its state without breaking them")
                .check(classes);
    }
}
