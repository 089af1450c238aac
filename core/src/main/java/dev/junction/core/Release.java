package dev.junction.core;

import java.util.Map;

import dev.junction.core.config.ReleaseConfig;
import dev.junction.core.internal.engine.ReleaseGroups;
import dev.junction.core.status.ReleaseStatus;

/**
 * How one route's traffic is split between its release groups ({@link ReleaseConfig}), for an operator's code: the
 * shares, changed at once or step by step, and a rollback. The admin endpoint's {@code /releases/<route>} does the
 * same. Every change is logged and shown in {@link #status()}.
 *
 * <pre>{@code
 * Release checkout = junction.route("checkout").release();
 * checkout.setShare("canary", 25);   // canary 25%, the baseline the rest
 * checkout.startRollout();           // the configured steps from here, one per interval
 * checkout.rollback("errors in the canary's logs");
 * checkout.activate("green");        // blue-green: all traffic to green at once
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Release {

    private static final String BY = "the Java API";

    private final ReleaseGroups groups;

    Release(ReleaseGroups groups) {
        this.groups = groups;
    }

    /** {@return each group's share in percent, in the order the backends name the groups} */
    public Map<String, Integer> shares() {
        return groups.shares();
    }

    /**
     * Sets one group's share; the baseline takes what the others leave. Pauses a rollout under way. Requests already
     * in flight finish where they are.
     *
     * @param group the name of a release group other than the baseline
     * @param percent the group's new share, in percent of the route's traffic
     * @throws IllegalArgumentException for an unknown group, the baseline, or a share that does not fit
     */
    public void setShare(String group, int percent) {
        groups.setShare(group, percent, BY);
    }

    /**
     * Gives one group all of the traffic at once (a blue-green switch); pauses a rollout under way.
     *
     * @param group the name of the release group to give all of the traffic
     * @throws IllegalArgumentException for an unknown group
     */
    public void activate(String group) {
        groups.activate(group, BY);
    }

    /**
     * Gives the baseline all of the traffic at once and stops a rollout under way.
     *
     * @param reason why, for the log and the status
     */
    public void rollback(String reason) {
        groups.rollback(reason + " (the Java API)");
    }

    /**
     * Starts or resumes the configured rollout: its first step above the group's share now at once, then one step per
     * interval.
     *
     * @throws IllegalStateException if the route has no rollout steps or the last is reached
     */
    public void startRollout() {
        groups.startRollout();
    }

    /** Stops the rollout's steps where they are. */
    public void pauseRollout() {
        groups.pauseRollout(BY);
    }

    /** {@return the shares, the rollout, the last change and each group's numbers} */
    public ReleaseStatus status() {
        return groups.status();
    }
}
