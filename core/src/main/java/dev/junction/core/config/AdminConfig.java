package dev.junction.core.config;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The admin endpoint both adapters mount: the status of every route and backend as JSON, and a way to run the
 * health checks now. Off unless enabled; when a token is set, a request without {@code Authorization: Bearer
 * <token>} gets 401. Its path takes precedence over every route.
 *
 * <p>Immutable; checked as part of {@link JunctionConfig}.
 *
 * @param enabled whether the endpoint answers at all; default false (its path is then an ordinary path)
 * @param path where it is mounted: {@code GET <path>} serves the status, {@code POST <path>/checks} runs the checks;
 *     default {@code /_junction}
 * @param token the bearer token every admin request must carry, or null for none; default null
 */
public record AdminConfig(boolean enabled, String path, @Nullable String token) {

    /** No admin endpoint. */
    public static final AdminConfig DISABLED = new AdminConfig(false, "/_junction", null);

    public AdminConfig {
        Objects.requireNonNull(path, "path");
    }

    /** Returns an admin endpoint at {@code path}, without a token. */
    public static AdminConfig at(String path) {
        return new AdminConfig(true, path, null);
    }

    /** Returns this endpoint, answering only requests that carry {@code token}. */
    public AdminConfig withToken(String token) {
        return new AdminConfig(enabled, path, Objects.requireNonNull(token, "token"));
    }

    @Override
    public String toString() {
        // The token stays out of logs.
        return "AdminConfig[enabled=" + enabled + ", path=" + path + ", token=" + (token == null ? "none" : "***")
                + "]";
    }
}
