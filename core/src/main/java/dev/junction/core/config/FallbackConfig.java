package dev.junction.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What a route answers when none of its backends is available (all unhealthy, ejected, behind open breakers, disabled
 * or at their limit) and {@code whenAllDown} is {@code fail}: at once, without touching a backend.
 *
 * <p>Immutable; checked as part of {@link JunctionConfig}.
 *
 * @param status the status; default 503
 * @param body the body, or null for one line naming the route and the reason; default null
 * @param headers headers of the answer, such as {@code Retry-After} or {@code Content-Type} (default
 *     {@code text/plain;charset=utf-8}); with none, a 503 carries {@code Retry-After: 1}; default none
 */
public record FallbackConfig(int status, @Nullable String body, Map<String, String> headers) {

    /** The default answer: 503, a line naming the route, {@code Retry-After: 1}. */
    public static final FallbackConfig DEFAULT = new FallbackConfig(503, null, Map.of());

    /**
     * Checks that {@code headers} is not null and copies it, keeping its order; the copy is unmodifiable.
     *
     * @param status the status; default 503
     * @param body the body, or null for one line naming the route and the reason; default null
     * @param headers headers of the answer, such as {@code Retry-After} or {@code Content-Type} (default
     *     {@code text/plain;charset=utf-8}); with none, a 503 carries {@code Retry-After: 1}; default none
     */
    public FallbackConfig {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
    }

    /**
     * {@return a fallback of this status and body, without headers}
     *
     * @param status the status
     * @param body the body
     */
    public static FallbackConfig of(int status, String body) {
        return new FallbackConfig(status, Objects.requireNonNull(body, "body"), Map.of());
    }

    /**
     * {@return this fallback with one more header, replacing one of the same name}
     *
     * @param name the header's name
     * @param value the header's value
     */
    public FallbackConfig withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new FallbackConfig(status, body, more);
    }
}
