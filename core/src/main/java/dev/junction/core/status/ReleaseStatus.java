package dev.junction.core.status;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How a route's traffic is split between its release groups at one moment, and what last changed it.
 *
 * @param baseline the group that takes what the others leave, and everything after a rollback
 * @param state {@code steady}, {@code rolling-out} (scheduled steps under way) or {@code rolled-back}
 * @param rolloutGroup the group a rollout raises, or null without rollout steps
 * @param nextStepAt when the rollout's next step is due, or null when none is scheduled
 * @param lastEvent what last changed the shares ({@code "rolled back: canary's error rate ..."}), or null
 * @param lastEventAt when, or null
 * @param groups every group, in the order the backends name them
 */
public record ReleaseStatus(String baseline, String state, @Nullable String rolloutGroup,
        @Nullable Instant nextStepAt, @Nullable String lastEvent, @Nullable Instant lastEventAt,
        List<Group> groups) {

    /**
     * Creates the record, keeping an unmodifiable copy of the groups.
     *
     * @param baseline the group that takes what the others leave
     * @param state {@code steady}, {@code rolling-out} or {@code rolled-back}
     * @param rolloutGroup the group a rollout raises, or null
     * @param nextStepAt when the rollout's next step is due, or null
     * @param lastEvent what last changed the shares, or null
     * @param lastEventAt when, or null
     * @param groups every group
     */
    public ReleaseStatus {
        groups = List.copyOf(groups);
    }

    /**
     * One release group.
     *
     * @param name its name
     * @param share its share of the route's traffic, in percent
     * @param backends how many backends it has
     * @param available how many of them can take a request now
     * @param requests exchanges its backends ended since start
     * @param errors of those, the errors ({@code 5xx}, or no answer from the backend)
     * @param windowRequests exchanges in the rollback window
     * @param windowErrorPercent the error rate in the window, in percent
     * @param windowMeanMillis the mean duration of an exchange in the window
     */
    public record Group(String name, int share, int backends, int available, long requests, long errors,
            long windowRequests, double windowErrorPercent, double windowMeanMillis) {
    }
}
