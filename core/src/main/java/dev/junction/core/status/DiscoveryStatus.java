package dev.junction.core.status;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One backend of a route that stands for what DNS gives ({@code resolve: dns}, a {@code dns+srv://} URL): the name it
 * looks up, the backends it put in the pool, and how its lookups go.
 *
 * @param route the route's name
 * @param backend the configured backend's id
 * @param name what is looked up: the host name, or {@code SRV} and the records' name
 * @param backends the ids of the backends the last good answer gave
 * @param resolvedAt when the last good answer came, or null before the first
 * @param nextLookup when the name is looked up again, or null before the first answer
 * @param problem why the last lookup failed (the last good answer is kept), or null if it did not
 */
public record DiscoveryStatus(String route, String backend, String name, List<String> backends,
        @Nullable Instant resolvedAt, @Nullable Instant nextLookup, @Nullable String problem) {

    /**
     * Creates the record, keeping an unmodifiable copy of the backends' ids.
     *
     * @param route the route's name
     * @param backend the configured backend's id
     * @param name what is looked up
     * @param backends the ids of the backends the last good answer gave
     * @param resolvedAt when the last good answer came, or null
     * @param nextLookup when the name is looked up again, or null
     * @param problem why the last lookup failed, or null
     * @throws NullPointerException if {@code route}, {@code backend}, {@code name} or {@code backends} is null
     */
    public DiscoveryStatus {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(name, "name");
        backends = List.copyOf(backends);
    }
}
