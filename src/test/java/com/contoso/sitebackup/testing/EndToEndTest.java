package com.contoso.sitebackup.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks an end-to-end test class: failsafe's {@code *IT}, run after {@code package} on the packaged app (its
 * bindings, the app loaded from {@code lib/}, and the sidecar engine with the bridge): tag {@code e2e}, run alone
 * with {@code mvn -B verify -Pe2e}. {@code TiersTest} holds every {@code *IT} class to it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("e2e")
public @interface EndToEndTest {
}
