package dev.junction.core.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration: where it is ({@code routes[1].backends[0].weight}) and what is wrong with it
 * ({@code must be > 0 (was -1)}).
 *
 * @param path the location in the configuration, in YAML terms; empty for the whole configuration
 * @param message what is wrong and, where useful, what was expected
 */
public record ConfigProblem(String path, String message) {

    /**
     * Checks that {@code path} and {@code message} are not null.
     *
     * @param path the location in the configuration, in YAML terms; empty for the whole configuration
     * @param message what is wrong and, where useful, what was expected
     */
    public ConfigProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
