package dev.junction.core.pool;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

import dev.junction.core.config.BackendConfig;

/**
 * A backend of a pool: its immutable definition and a link to its live {@link BackendState}.
 *
 * <p>Immutable and thread-safe; the state it links to is the only mutable part and is shared with every later
 * definition of the same backend ({@link BackendPool#update(BackendConfig)} keeps the numbers). Strategies call
 * {@link #isAvailable()} and read {@link #weight()} and {@link #state()} on every selection; all are plain field reads
 * plus one volatile or atomic read.
 */
public final class Backend {

    private final BackendConfig config;
    private final URI uri;
    private final BackendState state;
    // Copied out of the config so the hot path reads one object.
    private final String id;
    private final int weight;
    private final boolean backup;
    private final boolean disabled;
    private final int maxConcurrent;

    Backend(BackendConfig config, BackendState state) {
        this.config = Objects.requireNonNull(config, "config");
        this.state = Objects.requireNonNull(state, "state");
        this.uri = URI.create(config.url().trim());
        this.id = config.id();
        this.weight = config.weight();
        this.backup = config.backup();
        this.disabled = config.disabled();
        this.maxConcurrent = config.maxConcurrent();
    }

    /** Returns the definition as configured. */
    public BackendConfig config() {
        return config;
    }

    public String id() {
        return id;
    }

    /** Returns the base URI requests are forwarded to. */
    public URI uri() {
        return uri;
    }

    public int weight() {
        return weight;
    }

    public boolean backup() {
        return backup;
    }

    public boolean disabled() {
        return disabled;
    }

    /** Returns the most requests in flight at once, 0 for no limit. */
    public int maxConcurrent() {
        return maxConcurrent;
    }

    public Map<String, String> metadata() {
        return config.metadata();
    }

    /** Returns the live numbers of this backend. */
    public BackendState state() {
        return state;
    }

    /** Returns whether the backend is at its {@link #maxConcurrent()} limit. */
    public boolean atCapacity() {
        return maxConcurrent > 0 && state.inFlight() >= maxConcurrent;
    }

    /**
     * Returns whether the backend takes a new request now: not disabled, healthy (not unhealthy or draining) and
     * below its concurrency limit. This is the one question every strategy asks.
     */
    public boolean isAvailable() {
        return !disabled && state.availability() == Availability.HEALTHY && !atCapacity();
    }

    @Override
    public String toString() {
        return "Backend{" + id + " " + uri + (backup ? " backup" : "") + (disabled ? " disabled" : "")
                + " weight=" + weight + '}';
    }
}
