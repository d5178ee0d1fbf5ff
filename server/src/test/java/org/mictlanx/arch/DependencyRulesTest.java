package org.mictlanx.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of the main code (test code is not checked):
 * <ul>
 *   <li>no cycle between the packages under {@code org.mictlanx.router} (each slice is a direct
 *       subpackage with everything below it; the facade package {@code org.mictlanx.router} itself
 *       sits above them and holds the shared model types they all use);</li>
 *   <li>the layering server → s3 → xolo → router → peer: a layer uses only the layers below it
 *       (the server layer, which wires everything, includes the web console, and may use the peer
 *       directly for embedded peers).</li>
 *   <li>the data path's shared parts are no service locators: {@code ChunkIo} (chunk I/O) and
 *       {@code Committer} (the commit protocol) hand out none of the collaborators they are built with
 *       (no non-private method returns the type of one of their fields); whoever needs one gets it by
 *       constructor ({@code RouterWiring}).</li>
 * </ul>
 * Only this module's main classes are imported (the peer module is a jar: its classes count by the
 * package of what the others use). Run alone: {@code ./mvnw -B -o -q verify -pl server -am -Dtest=DependencyRulesTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class DependencyRulesTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // only our own classes are read; a dependency on a library class is known by its name alone (fast)
        ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("org.mictlanx");
    }

    @Test
    void routerPackagesAreFreeOfCycles() {
        slices().matching("org.mictlanx.router.(*)..").namingSlices("router.$1")
                .should().beFreeOfCycles()
                .check(main);
    }

    @Test
    void sharedDataPathPartsHandOutNoCollaborators() {
        classes().that().haveFullyQualifiedName("org.mictlanx.router.io.ChunkIo")
                .or().haveFullyQualifiedName("org.mictlanx.router.io.Committer")
                .should(handOutNoneOfTheirFields())
                .check(main);
    }

    /** No non-private method returns the type of one of the class's instance fields. */
    private static ArchCondition<JavaClass> handOutNoneOfTheirFields() {
        return new ArchCondition<>("hand out none of the collaborators they are built with") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                Set<String> held = c.getFields().stream().filter(f -> !f.getModifiers().contains(JavaModifier.STATIC))
                        .map(JavaField::getRawType).map(JavaClass::getName).collect(Collectors.toSet());
                for (JavaMethod m : c.getMethods()) {
                    if (!m.getModifiers().contains(JavaModifier.PRIVATE) && held.contains(m.getRawReturnType().getName())) {
                        events.add(SimpleConditionEvent.violated(m, m.getFullName() + " hands out a collaborator ("
                                + m.getRawReturnType().getSimpleName() + ")"));
                    }
                }
            }
        };
    }

    @Test
    void layersOnlyUseTheLayersBelow() {
        // the peer module comes as a jar, not imported: its layer is known by the package of what is used
        layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true)
                .layer("server").definedBy("org.mictlanx.server..", "org.mictlanx.console..")
                .layer("s3").definedBy("org.mictlanx.s3..")
                .layer("xolo").definedBy("org.mictlanx.xolo..")
                .layer("router").definedBy("org.mictlanx.router..")
                .layer("peer").definedBy("org.mictlanx.peer..")
                .whereLayer("server").mayNotBeAccessedByAnyLayer()
                .whereLayer("s3").mayOnlyBeAccessedByLayers("server")
                .whereLayer("xolo").mayOnlyBeAccessedByLayers("s3", "server")
                .whereLayer("router").mayOnlyBeAccessedByLayers("xolo", "s3", "server")
                .whereLayer("peer").mayOnlyBeAccessedByLayers("router", "server")
                .check(main);
    }
}
