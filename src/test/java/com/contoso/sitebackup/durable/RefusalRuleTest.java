package com.contoso.sitebackup.durable;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * A refusal carries no cause. The Java worker reports a failed function by its root cause ("SimpleType: message"),
 * and the engine hands that type to the orchestrator: an IllegalArgumentException that wraps a storage or parser
 * exception arrives as that exception and is retried five times ({@link FanOut#retriable}), which is what
 * {@code NonRetriableOnSidecarIT} saw for a missing job card. The refusal's message says what its cause said.
 */
class RefusalRuleTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.contoso.sitebackup");

    @Test
    void refusals_carryNoCause() {
        ArchRule rule = noClasses().should()
                .callConstructor(IllegalArgumentException.class, String.class, Throwable.class)
                .orShould().callConstructor(IllegalArgumentException.class, Throwable.class)
                .because("the worker reports a failure by its root cause, and a refusal must arrive as one");
        rule.check(MAIN);
    }
}
