package dev.junction.core.config;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A condition on one request header or query parameter of a route's {@link MatchConfig}: that it is there, that it is
 * not, that one of its values is exactly a text, or that one of its values matches a regular expression as a whole
 * (Envoy's {@code present_match}, {@code exact} and {@code safe_regex}; Spring Cloud Gateway's {@code Header} and
 * {@code Query} predicates).
 *
 * <p>Header names are matched without case, values with it; query parameters are matched by name and value
 * percent-decoded ({@code +} as a space), with case. A repeated header or parameter matches if any one of its values
 * does.
 *
 * @param name the header or parameter name
 * @param kind what is asked of it
 * @param value the exact text or the regular expression ({@link java.util.regex.Pattern} syntax); null for
 *     {@link Kind#PRESENT} and {@link Kind#ABSENT}
 */
public record FieldMatch(String name, Kind kind, @Nullable String value) {

    /** What a {@link FieldMatch} asks of its field. */
    public enum Kind {
        /** The field is there, with any value, even an empty one. */
        PRESENT,
        /** The field is not there. */
        ABSENT,
        /** One of the field's values is exactly {@code value}. */
        EXACT,
        /** One of the field's values matches {@code value}, a regular expression, as a whole. */
        REGEX
    }

    /**
     * Checks that {@code name} and {@code kind} are not null, and that {@code value} is given exactly when {@code kind}
     * needs one.
     *
     * @param name the header or parameter name
     * @param kind what is asked of it
     * @param value the exact text or the regular expression ({@link java.util.regex.Pattern} syntax); null for
     *     {@link Kind#PRESENT} and {@link Kind#ABSENT}
     * @throws IllegalArgumentException if {@code value} is null for {@link Kind#EXACT} or {@link Kind#REGEX}, or set
     *     for {@link Kind#PRESENT} or {@link Kind#ABSENT}
     */
    public FieldMatch {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.EXACT || kind == Kind.REGEX) != (value != null)) {
            throw new IllegalArgumentException(kind + " " + (value == null ? "needs" : "takes no") + " value");
        }
    }

    /**
     * {@return a condition that the field is there}
     *
     * @param name the header or parameter name
     */
    public static FieldMatch present(String name) {
        return new FieldMatch(name, Kind.PRESENT, null);
    }

    /**
     * {@return a condition that the field is not there}
     *
     * @param name the header or parameter name
     */
    public static FieldMatch absent(String name) {
        return new FieldMatch(name, Kind.ABSENT, null);
    }

    /**
     * {@return a condition that one of the field's values is exactly {@code value}}
     *
     * @param name the header or parameter name
     * @param value the exact text
     */
    public static FieldMatch exact(String name, String value) {
        return new FieldMatch(name, Kind.EXACT, Objects.requireNonNull(value, "value"));
    }

    /**
     * {@return a condition that one of the field's values matches {@code regex} as a whole}
     *
     * @param name the header or parameter name
     * @param regex the regular expression, in {@link java.util.regex.Pattern} syntax
     */
    public static FieldMatch regex(String name, String regex) {
        return new FieldMatch(name, Kind.REGEX, Objects.requireNonNull(regex, "regex"));
    }

    /** Returns whether this condition asks the same of the same field as {@code other} (header names without case). */
    boolean sameAs(FieldMatch other, boolean ignoreNameCase) {
        boolean sameName = ignoreNameCase ? name.equalsIgnoreCase(other.name) : name.equals(other.name);
        return sameName && kind == other.kind && Objects.equals(value, other.value);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case PRESENT -> name;
            case ABSENT -> "!" + name;
            case EXACT -> name + "=" + value;
            case REGEX -> name + "~" + value;
        };
    }
}
