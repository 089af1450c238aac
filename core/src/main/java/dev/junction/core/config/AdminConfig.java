package dev.junction.core.config;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The admin endpoint both adapters mount: the status of every route and backend as JSON, and a way to run the
 * health checks now. Off unless enabled; when a token is set, a request without {@code Authorization: Bearer
 * <token>} gets 401. Its path takes precedence over every route.
 *
 * <p>Without a token, a browser must not be made to use it for another site: a request whose {@code Host} is not
 * {@code localhost}, a loopback address or one of {@code allowedHosts} gets 403 (a DNS-rebinding page names its own
 * host), and so does a {@code POST} whose {@code Origin} or {@code Sec-Fetch-Site} says another site sent it.
 *
 * <p>Immutable; checked as part of {@link JunctionConfig}.
 *
 * @param enabled whether the endpoint answers at all; default false (its path is then an ordinary path)
 * @param path where it is mounted: {@code GET <path>} serves the status, {@code POST <path>/checks} runs the checks;
 *     default {@code /_junction}
 * @param token the bearer token every admin request must carry, at least {@link #MIN_TOKEN_LENGTH} characters, or
 *     null for none; default null
 * @param allowedHosts the host names (or addresses) requests without a token may be addressed to, besides
 *     {@code localhost} and the loopback addresses; default none
 * @param metrics whether the endpoint serves Junction's metrics at {@code <path>/metrics} in Prometheus's text
 *     format; when no registry is handed to Junction, it then records them into a Prometheus registry of its own.
 *     Default true
 * @param readyRoutes the routes {@code <path>/ready} waits for: it answers 200 when each has a backend that takes
 *     requests; empty for every route, the default
 */
public record AdminConfig(boolean enabled, String path, @Nullable String token, List<String> allowedHosts,
        boolean metrics, List<String> readyRoutes) {

    /** The shortest token accepted: a short one can be guessed. */
    public static final int MIN_TOKEN_LENGTH = 16;

    /** No admin endpoint. */
    public static final AdminConfig DISABLED = new AdminConfig(false, "/_junction", null, List.of());

    /**
     * Checks that {@code path} is not null and copies the lists, which are then unmodifiable.
     *
     * @param enabled whether the endpoint answers at all; default false (its path is then an ordinary path)
     * @param path where it is mounted: {@code GET <path>} serves the status, {@code POST <path>/checks} runs the
     *     checks; default {@code /_junction}
     * @param token the bearer token every admin request must carry, at least {@link #MIN_TOKEN_LENGTH} characters, or
     *     null for none; default null
     * @param allowedHosts the host names (or addresses) requests without a token may be addressed to, besides
     *     {@code localhost} and the loopback addresses; default none
     * @param metrics whether the endpoint serves Junction's metrics at {@code <path>/metrics} in Prometheus's text
     *     format; when no registry is handed to Junction, it then records them into a Prometheus registry of its own.
     *     Default true
     * @param readyRoutes the routes {@code <path>/ready} waits for: it answers 200 when each has a backend that takes
     *     requests; empty for every route, the default
     */
    public AdminConfig {
        Objects.requireNonNull(path, "path");
        allowedHosts = List.copyOf(allowedHosts);
        readyRoutes = List.copyOf(readyRoutes);
    }

    /**
     * Makes an endpoint that serves metrics and is ready when every route is.
     *
     * @param enabled whether the endpoint answers at all
     * @param path where it is mounted
     * @param token the bearer token every admin request must carry, or null for none
     * @param allowedHosts the host names (or addresses) requests without a token may be addressed to, besides
     *     {@code localhost} and the loopback addresses
     */
    public AdminConfig(boolean enabled, String path, @Nullable String token, List<String> allowedHosts) {
        this(enabled, path, token, allowedHosts, true, List.of());
    }

    /**
     * {@return an enabled admin endpoint at {@code path}, without a token}
     *
     * @param path where it is mounted, such as {@code /_junction}
     */
    public static AdminConfig at(String path) {
        return new AdminConfig(true, path, null, List.of());
    }

    /**
     * {@return this endpoint, answering only requests that carry {@code token}}
     *
     * @param token the bearer token, at least {@link #MIN_TOKEN_LENGTH} characters
     */
    public AdminConfig withToken(String token) {
        return new AdminConfig(enabled, path, Objects.requireNonNull(token, "token"), allowedHosts, metrics,
                readyRoutes);
    }

    /**
     * {@return this endpoint, also answering requests without a token addressed to {@code hosts}}
     *
     * @param hosts host names or addresses, replacing those allowed before
     */
    public AdminConfig withAllowedHosts(List<String> hosts) {
        return new AdminConfig(enabled, path, token, hosts, metrics, readyRoutes);
    }

    /**
     * {@return this endpoint, serving metrics at {@code <path>/metrics} or not}
     *
     * @param serve whether to serve metrics
     */
    public AdminConfig withMetrics(boolean serve) {
        return new AdminConfig(enabled, path, token, allowedHosts, serve, readyRoutes);
    }

    /**
     * {@return this endpoint, ready when each of {@code routes} (by name) is}
     *
     * @param routes the names of the routes {@code <path>/ready} waits for; empty for every route
     */
    public AdminConfig withReadyRoutes(List<String> routes) {
        return new AdminConfig(enabled, path, token, allowedHosts, metrics, routes);
    }

    @Override
    public String toString() {
        // The token stays out of logs.
        return "AdminConfig[enabled=" + enabled + ", path=" + path + ", token=" + (token == null ? "none" : "***")
                + ", allowedHosts=" + allowedHosts + ", metrics=" + metrics + ", readyRoutes=" + readyRoutes + "]";
    }
}
