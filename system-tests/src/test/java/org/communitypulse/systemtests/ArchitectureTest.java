package org.communitypulse.systemtests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.Source;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceTask;

/**
 * The boundaries between the modules, checked on their production classes (this module depends on every
 * one; with -Pbench the bench module too). A class's module is where it was loaded from (the module's
 * target/ or its jar), not its package name, so that a package shared by two modules shows up.
 * Boundaries inside a module (e.g. between the families of streams) are that module's own tests.
 */
@AnalyzeClasses(packages = "org.communitypulse", importOptions = ArchitectureTest.ProductionClasses.class)
class ArchitectureTest {

    private static final String ROOT = "org.communitypulse";

    @ArchTest
    static final ArchRule noModuleReachesIntoAnotherModulesInternals = classes()
            .should(dependOnInternalsOfTheirOwnModuleOnly())
            .because("a module's ..internals.. packages are its private implementation and may change with it: "
                    + "use the module's public API instead, or add what you need there (a public class or method "
                    + "outside ..internals.. of the module that owns it)");

    @ArchTest
    static final ArchRule noSplitPackages = classes()
            .should(liveInAPackageOfOneModuleOnly())
            .because("a package belongs to one module (its jar): move the class into a package of its own module, "
                    + "e.g. org.communitypulse.<module>..., and reach the other module through its public API");

    @ArchTest
    static final ArchRule benchAndCliUseOnlyPublicApi = classes()
            .that().resideInAnyPackage(ROOT + ".cli..", ROOT + ".bench..")
            .should(useOnlyPublicApiOfOtherModules())
            .because("bench and cli are clients of the other modules like any user: depend on their public "
                    + "classes and members outside ..internals..; if something is missing, make it public API "
                    + "of the module that owns it (documented), do not reach around it");

    @ArchTest
    static final ArchRule modulesAreLayered = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("foundation").definedBy(ROOT + ".schemas..", ROOT + ".embedded..")
            .layer("processing").definedBy(ROOT + ".ingest..", ROOT + ".streams..", ROOT + ".alerting..")
            .layer("edge").definedBy(ROOT + ".connect..", ROOT + ".cli..", ROOT + ".bench..")
            .whereLayer("edge").mayNotBeAccessedByAnyLayer()
            .whereLayer("processing").mayOnlyBeAccessedByLayers("edge")
            .whereLayer("foundation").mayOnlyBeAccessedByLayers("processing", "edge")
            .because("dependencies point down only: schemas and embedded at the bottom, ingest, streams and "
                    + "alerting above them, connect, cli and bench on top; if a lower module needs something of "
                    + "a higher one, move that code down (or pass it in as a parameter or interface)");

    @ArchTest
    static final ArchRule connectorsAreNamedSourceConnector = classes()
            .that().resideInAPackage(ROOT + ".connect..").and().areAssignableTo(SourceConnector.class)
            .should().haveSimpleNameEndingWith("SourceConnector")
            .because("Kafka Connect users configure connectors by class name: rename the class to "
                    + "<What>SourceConnector");

    @ArchTest
    static final ArchRule tasksAreNamedSourceTask = classes()
            .that().resideInAPackage(ROOT + ".connect..").and().areAssignableTo(SourceTask.class)
            .should().haveSimpleNameEndingWith("SourceTask")
            .because("a connector's task is found beside it by name: rename the class to <What>SourceTask");

    @ArchTest
    static final ArchRule configsAreAbstractConfigs = classes()
            .that().resideInAPackage(ROOT + ".connect..").and().haveSimpleNameEndingWith("Config")
            .should().beAssignableTo(AbstractConfig.class)
            .because("in connect, *Config means a Kafka AbstractConfig (a ConfigDef with validation and docs): "
                    + "extend AbstractConfig, or name a plain value or record for what it holds, e.g. *Settings");

    @ArchTest
    static final ArchRule abstractConfigsAreNamedConfig = classes()
            .that().resideInAPackage(ROOT + ".connect..").and().areAssignableTo(AbstractConfig.class)
            .should().haveSimpleNameEndingWith("Config")
            .because("a connector's settings class is found by its name: rename it to <What>Config");

    /**
     * Production classes only: no test classes of any module, no test-jars, and not the copies of the module jars
     * in cli/target/lib (pulse.jar's manifest class path names them, so the class path scan finds them too).
     */
    static final class ProductionClasses implements ImportOption {
        private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar.*");

        @Override
        public boolean includes(Location location) {
            return !location.contains("/test-classes/") && !location.matches(TEST_JAR)
                    && !location.contains("/target/lib/") && !location.contains("/target/lib-embedded/");
        }
    }

    // A module's build output (…/<module>/target/…) in the reactor, or its jar pulse-<module>-<version>.jar.
    private static final Pattern REACTOR = Pattern.compile("/([^/]+)/target/");
    private static final Pattern JAR = Pattern.compile("/pulse-([a-z-]+)-[0-9][^/]*\\.jar");

    /** The module a project class was loaded from; empty for classes outside the project. */
    static Optional<String> module(JavaClass javaClass) {
        if (!javaClass.getPackageName().startsWith(ROOT + ".")) {
            return Optional.empty();
        }
        return javaClass.getSource().map(Source::getUri).map(Object::toString).flatMap(uri -> {
            Matcher jar = JAR.matcher(uri);
            if (jar.find()) {
                return Optional.of(jar.group(1));
            }
            Matcher reactor = REACTOR.matcher(uri);
            return reactor.find() ? Optional.of(reactor.group(1)) : Optional.empty();
        });
    }

    private static boolean internal(JavaClass javaClass) {
        return javaClass.getPackageName().matches(Pattern.quote(ROOT) + "\\..*\\binternals\\b.*");
    }

    /** The other module {@code target} belongs to, if it is a project class of a module other than {@code origin}'s. */
    private static Optional<String> otherModule(JavaClass origin, JavaClass target) {
        Optional<String> own = module(origin);
        return module(target.getBaseComponentType()).filter(module -> own.isPresent() && !own.get().equals(module));
    }

    private static ArchCondition<JavaClass> dependOnInternalsOfTheirOwnModuleOnly() {
        return new ArchCondition<>("depend on ..internals.. classes of their own module only") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
                    JavaClass target = dependency.getTargetClass().getBaseComponentType();
                    if (internal(target)) {
                        otherModule(javaClass, target).ifPresent(other -> events.add(SimpleConditionEvent.violated(
                                dependency, dependency.getDescription() + ": internals of module " + other
                                        + ", used from module " + module(javaClass).orElseThrow())));
                    }
                }
            }
        };
    }

    private static ArchCondition<JavaClass> liveInAPackageOfOneModuleOnly() {
        return new ArchCondition<>("live in a package that no other module has") {
            private final Map<String, Map<String, Set<String>>> classesByModuleByPackage = new TreeMap<>();

            @Override
            public void init(Collection<JavaClass> all) {
                classesByModuleByPackage.clear();
                for (JavaClass javaClass : all) {
                    if (!javaClass.isTopLevelClass()) {
                        continue;
                    }
                    module(javaClass).ifPresent(module -> classesByModuleByPackage
                            .computeIfAbsent(javaClass.getPackageName(), p -> new TreeMap<>())
                            .computeIfAbsent(module, m -> new TreeSet<>()).add(javaClass.getSimpleName()));
                }
            }

            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                // Judged per package in finish(): one line per split package, not one per class.
            }

            @Override
            public void finish(ConditionEvents events) {
                classesByModuleByPackage.forEach((pkg, byModule) -> {
                    boolean split = byModule.size() > 1;
                    events.add(new SimpleConditionEvent(pkg, !split, "package " + pkg + " is in module"
                            + (split ? "s " : " ") + String.join(" and ", byModule.entrySet().stream()
                            .map(e -> e.getKey() + " " + abbreviated(e.getValue())).toList())));
                });
            }
        };
    }

    private static String abbreviated(Set<String> names) {
        return names.size() <= 3 ? names.toString() : "(" + names.size() + " classes)";
    }

    private static ArchCondition<JavaClass> useOnlyPublicApiOfOtherModules() {
        return new ArchCondition<>("use only public classes and members of other modules, outside ..internals..") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
                    JavaClass target = dependency.getTargetClass().getBaseComponentType();
                    otherModule(javaClass, target)
                            .filter(other -> internal(target) || !target.getModifiers().contains(JavaModifier.PUBLIC))
                            .ifPresent(other -> events.add(SimpleConditionEvent.violated(dependency,
                                    dependency.getDescription() + ": not public API of module " + other)));
                }
                for (JavaAccess<?> access : javaClass.getAccessesFromSelf()) {
                    Optional<? extends JavaMember> member = access.getTarget().resolveMember();
                    member.filter(m -> otherModule(javaClass, m.getOwner()).isPresent())
                            .filter(m -> !m.getModifiers().contains(JavaModifier.PUBLIC)
                                    && !m.getModifiers().contains(JavaModifier.PROTECTED))
                            .ifPresent(m -> events.add(SimpleConditionEvent.violated(access, access.getDescription()
                                    + ": not public API of module " + module(m.getOwner()).orElseThrow())));
                }
            }
        };
    }
}
