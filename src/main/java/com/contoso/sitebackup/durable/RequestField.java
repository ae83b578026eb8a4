package com.contoso.sitebackup.durable;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a request field a user may set (a record component, or a parameter of a request's {@code @JsonCreator}):
 * the one place its help, its runner option and whether it is required are written. A field without it is stamped
 * by the starter or an orchestrator (run, report, codeVersion, account) and refused in a user's body.
 * {@link RequestSchema} reads these; the starter, the runner and the README check are built from that.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
public @interface RequestField {
    /** What the field does, in a phrase (the runner's option help); required unless {@link #like} names a request. */
    String help() default "";

    /**
     * A request whose field of the same name this one is: its help, label, options and kind are taken from there, so
     * a field that several requests share is described once ({@link #required} stays this request's own).
     */
    Class<?> like() default Void.class;

    /** The value's label in the runner's help ({@code DIR}); empty: the kind's ({@link RequestSchema.Kind}). */
    String label() default "";

    /** The runner's option names, the long one first; empty: {@code --} and the name in kebab case. */
    String[] options() default {};

    /** Whether a body without it is refused ({@code "<name> is required"}). */
    boolean required() default false;

    /** A text field that names a directory: the runner makes it absolute against the caller's directory. */
    boolean path() default false;
}
