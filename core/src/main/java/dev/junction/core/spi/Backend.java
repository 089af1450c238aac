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
     * @throws IllegalArgumentException if the definition's URL is not a URI
     */
    public static Backend of(BackendConfig config, BackendState state) {
        return new Backend(config, state);
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

    /** Returns the scheme, host and port requests go to, without the base path. */
    public URI origin() {
        return origin;
    }

    /**
     * Returns the backend's {@code host[:port]} as a {@code Host} header names it: the port left out when it is the
     * scheme's default.
     */
    public String authority() {
        return authority;
    }

    /** Returns the path every forwarded path is put behind, without a trailing slash; "" for none. */
    public String basePath() {
        return basePath;
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

    /** Returns the protocol Junction speaks to this backend. */
    public BackendProtocol protocol() {
        return config.protocol();
    }

    public Map<String, String> metadata() {
        return config.metadata();
    }

    /** Returns the live numbers of this backend, read-only. */
    public BackendState state() {
        return state;
    }

    /** Returns whether the backend is at its {@link #maxConcurrent()} limit. */
    public boolean atCapacity() {
        return maxConcurrent > 0 && state.inFlight() >= maxConcurrent;
    }

    /**
     * Returns whether the backend takes a new request now: not disabled, healthy (not unhealthy or draining), not
     * ejected by outlier detection, its circuit breaker not open, and below its concurrency limit. This is the one
     * question every strategy asks.
     */
    public boolean isAvailable() {
        return wouldServe() && !atCapacity();
    }

    /**
     * Returns whether the backend would take a new request but for its {@link #maxConcurrent()} limit: not disabled,
     * healthy, not ejected, its circuit breaker not open. A route's queue waits only for such backends.
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
