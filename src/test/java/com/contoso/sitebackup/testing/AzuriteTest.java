package com.contoso.sitebackup.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that needs a real Azurite (see {@link Azurite}): the storage tier, tag {@code storage}, run
 * alone with {@code mvn -B test -Pstorage}. In the unit tier ({@code -Punit}) Azurite refuses to start, so a class
 * that uses it without this mark fails there.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("storage")
public @interface AzuriteTest {
}
