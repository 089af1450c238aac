package dev.junction.core.status;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The configuration a Junction runs and how its last reload went: the status's {@code configuration}.
 *
 * @param generation how many configurations it has run: 1 for the one it started with, one more for each applied
 *     change
 * @param source where it reloads from ({@code /etc/junction/junction.yaml}), or null if it has no source (its
 *     configuration changes only through {@code Junction.reconfigure})
 * @param appliedAt when the configuration running now was applied
 * @param lastReload the last attempt to change it, or null before the first
 * @param runtimeChanges how the routes' pools differ from it, changed at run time (the admin endpoint's pool API,
 *     {@code BackendPool} calls), each as {@code <route>/<backend>: <what>}; the next reload puts them back as the
 *     source says
 * @param discovery the backends that stand for what DNS gives, and how their lookups go; empty without any
 */
public record ConfigStatus(long generation, @Nullable String source, Instant appliedAt,
        @Nullable Attempt lastReload, List<String> runtimeChanges, List<DiscoveryStatus> discovery) {

    /**
     * Creates the status, keeping unmodifiable copies of the lists.
     *
     * @param generation how many configurations it has run
     * @param source where it reloads from, or null
     * @param appliedAt when the configuration running now was applied
     * @param lastReload the last attempt to change it, or null
     * @param runtimeChanges how the routes' pools differ from it
     * @param discovery the backends that stand for what DNS gives
     * @throws NullPointerException if {@code appliedAt} or a list is null
     */
    public ConfigStatus {
        Objects.requireNonNull(appliedAt, "appliedAt");
        runtimeChanges = List.copyOf(runtimeChanges);
        discovery = List.copyOf(discovery);
    }

    /** How one attempt ended. */
    public enum Outcome {
        /** The new configuration runs now. */
        APPLIED,
        /** The source's configuration is the one running: nothing to do. */
        UNCHANGED,
        /** The new configuration was refused; the one before keeps running. */
        REJECTED
    }

    /**
     * One attempt to change the configuration.
     *
     * @param at when it ended
     * @param trigger what asked for it: {@code file changed}, {@code admin endpoint}, {@code signal}, {@code api}
     * @param outcome how it ended
     * @param changes what it changed, in one line, or empty
     * @param problems why it was refused, each with its path; empty unless {@link Outcome#REJECTED}
     */
    public record Attempt(Instant at, String trigger, Outcome outcome, String changes, List<String> problems) {

        /**
         * Creates the record, keeping an unmodifiable copy of the problems.
         *
         * @param at when it ended
         * @param trigger what asked for it
         * @param outcome how it ended
         * @param changes what it changed, in one line, or empty
         * @param problems why it was refused
         * @throws NullPointerException if an argument is null
         */
        public Attempt {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(changes, "changes");
            problems = List.copyOf(problems);
        }
    }
}
