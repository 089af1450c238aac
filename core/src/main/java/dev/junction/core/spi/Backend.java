package dev.junction.core.spi;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.BackendProtocol;

/**
 * A backend of a pool, as extensions see it: its immutable definition and a read-only view of its live numbers
 * ({@link #state()}). Junction creates the backends of its pools; {@link #of} makes one for a test of a strategy of
 * one's own.
 *
 * <p>Immutable and thread-safe; the state it links to is the only mutable part, changed by Junction alone, and is
 * shared with every later definition of the same backend ({@code BackendPool.update} keeps the numbers). Strategies
 * call {@link #isAvailable()} and read {@link #weight()} and {@link #state()} on every selection; all are plain field
 * reads plus one volatile or atomic read.
 */
public final class Backend {

    private final BackendConfig config;
    private final URI uri;
    private final URI origin;
    private final String authority;
    private final String basePath;
    private final BackendState state;
    // Copied out of the config so the hot path reads one object.
    private final String id;
    private final int weight;
    private final boolean backup;
    private final boolean disabled;
    private final int maxConcurrent;

    private Backend(BackendConfig config, BackendState state) {
        this.config = Objects.requireNonNull(config, "config");
        this.state = Objects.requireNonNull(state, "state");
        this.uri = URI.create(config.url().trim());
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        boolean defaultPort = port == ("https".equals(uri.getScheme()) ? 443 : 80);
        this.authority = defaultPort ? uri.getRawAuthority().replaceFirst(":[0-9]+$", "")
                : uri.getHost() + ":" + port;
        this.origin = URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.id = config.id();
        this.weight = config.weight();
        this.backup = config.backup();
        this.disabled = config.disabled();
        this.maxConcurrent = config.maxConcurrent();
    }

    /**
     * Returns a backend of this definition whose live numbers {@code state} tells.
     *
     * @param config the backend's definition
     * @param state the backend's live numbers, shared with any other definition of the same backend
     * @return the backend
     * @throws NullPointerException if {@code config} or {@code state} is null
     * @throws IllegalArgumentException if the definition's URL is not a URI
     */
    public static Backend of(BackendConfig config, BackendState state) {
        return new Backend(config, state);
    }

    /** {@return the definition as configured} */
    public BackendConfig config() {
        return config;
    }

    /** {@return the backend's id, unique within its route} */
    public String id() {
        return id;
    }

    /** {@return the base URI requests are forwarded to, the configured URL trimmed} */
    public URI uri() {
        return uri;
    }

    /** {@return the scheme, host and port requests go to, without the base path} */
    public URI origin() {
        return origin;
    }

    /**
     * {@return the backend's {@code host[:port]} as a {@code Host} header names it: the port left out when it is the
     * scheme's default}
     */
    public String authority() {
        return authority;
    }

    /** {@return the path every forwarded path is put behind, without a trailing slash; "" for none} */
    public String basePath() {
        return basePath;
    }

    /** {@return the relative share of traffic for weighted strategies, from 1} */
    public int weight() {
        return weight;
    }

    /** {@return whether the backend is used only while no primary backend is available} */
    public boolean backup() {
        return backup;
    }

    /** {@return whether an operator has taken the backend out of service in its definition} */
    public boolean disabled() {
        return disabled;
    }

    /** {@return the most requests in flight at once, 0 for no limit} */
    public int maxConcurrent() {
        return maxConcurrent;
    }

    /** {@return the protocol Junction speaks to this backend} */
    public BackendProtocol protocol() {
        return config.protocol();
    }

    /** {@return the backend's free-form labels (region, zone, version), empty for none} */
    public Map<String, String> metadata() {
        return config.metadata();
    }

    /** {@return the live numbers of this backend, read-only} */
    public BackendState state() {
        return state;
    }

    /** {@return whether the backend is at its {@link #maxConcurrent()} limit} */
    public boolean atCapacity() {
        return maxConcurrent > 0 && state.inFlight() >= maxConcurrent;
    }

    /**
     * Returns whether the backend takes a new request now: not disabled, healthy (not unhealthy or draining), not
     * ejected by outlier detection, its circuit breaker not open, and below its concurrency limit. This is the one
     * question every strategy asks.
     *
     * @return whether the backend takes a new request now
     */
    public boolean isAvailable() {
        return wouldServe() && !atCapacity();
    }

    /**
     * Returns whether the backend would take a new request but for its {@link #maxConcurrent()} limit: not disabled,
     * healthy, not ejected, its circuit breaker not open. A route's queue waits only for such backends.
     *
     * @return whether only the concurrency limit keeps the backend from a new request, or nothing does
     */
    public boolean wouldServe() {
        return !disabled && state.availability() == Availability.HEALTHY && !state.blocked();
    }

    @Override
    public String toString() {
        return "Backend{" + id + " " + uri + (backup ? " backup" : "") + (disabled ? " disabled" : "")
                + " weight=" + weight + '}';
    }
}
