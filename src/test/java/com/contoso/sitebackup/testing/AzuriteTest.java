package com.contoso.sitebackup.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/** Marks a test class that needs a real Azurite (see {@link Azurite}); run alone with {@code -Dgroups=azurite}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("azurite")
public @interface AzuriteTest {
}
