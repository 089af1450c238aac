package dev.junction.core.internal.engine;

import org.jspecify.annotations.Nullable;

import dev.failsafe.AsyncExecution;
import dev.junction.core.config.RetryConfig;
import dev.junction.core.internal.metrics.RouteMeters;
import dev.junction.core.internal.metrics.RouteMeters.RetryRefusal;
import dev.junction.core.internal.resilience.RouteResilience;
import dev.junction.core.internal.resilience.RouteResilience.Verdict;

/**
 * The retries of one exchange, on a route that has them: every attempt runs under the route's Failsafe retry policy
 * (attempts, backoff with jitter, deadline). An attempt that failed in a way the route retries, safely and within
 * the retry budget, tells the policy {@code RETRY}, which starts the next attempt after its backoff; any other ends
 * with {@code DONE}. Failsafe owns the mechanics; the exchange decides what is safe to repeat.
 *
 * <p>Attempts follow each other (the next starts from the previous one's end), so one thread at a time uses this.
 */
final class RetryLoop {

    private final RetryConfig config;
    private final RouteResilience resilience;
    private final RouteMeters meters;
    private @Nullable AsyncExecution<Verdict> execution;
    private @Nullable Refusal lastRefusal;

    RetryLoop(RetryConfig config, RouteResilience resilience, RouteMeters meters) {
        this.config = config;
        this.resilience = resilience;
        this.meters = meters;
    }

    /**
     * Runs {@code attempt} under the policy, now and for every retry asked for; {@code stopped} answers the exchange if
     * the policy stops with a retry asked for (its deadline passed).
     */
    void start(Runnable attempt, java.util.function.Consumer<Refusal> stopped) {
        resilience.budget().deposit();
        resilience.retryExecutor().getAsyncExecution((AsyncExecution<Verdict> next) -> {
            execution = next;
            attempt.run();
        }).whenComplete((verdict, failure) -> {
            if (verdict != Verdict.DONE) {
                Refusal refusal = lastRefusal;
                stopped.accept(refusal != null ? refusal : new Refusal(502, "no backend could be reached"));
            }
        });
    }

    /** Tells the policy that this attempt was the last. */
    void done() {
        AsyncExecution<Verdict> current = execution;
        if (current != null && !current.isComplete()) {
            current.recordResult(Verdict.DONE);
        }
    }

    /** Returns whether the route retries this kind of failure. */
    boolean retries(RetryConfig.RetryOn kind) {
        return config.retryOn().contains(kind);
    }

    /**
     * Asks for another attempt after {@code refusal}, the answer if there is none; returns false (and asks for nothing)
     * if the attempts are used up, the deadline has passed or the budget is spent. The caller has checked that the
     * route retries this failure and that repeating the request is safe.
     *
     * @param attempts the attempts made so far
     */
    boolean retry(Refusal refusal, int attempts) {
        AsyncExecution<Verdict> current = execution;
        if (current == null) {
            return false;
        }
        RetryRefusal refused = null;
        if (attempts >= config.maxAttempts()) {
            refused = RetryRefusal.ATTEMPTS;
        } else if (!config.deadline().isZero() && current.getElapsedTime().compareTo(config.deadline()) >= 0) {
            refused = RetryRefusal.DEADLINE;
        } else if (!resilience.budget().tryWithdraw()) {
            refused = RetryRefusal.BUDGET;
        }
        if (refused != null) {
            meters.retryRefused(refused);
            return false;
        }
        lastRefusal = refusal;
        meters.retried();
        current.recordResult(Verdict.RETRY);
        return true;
    }

    /** Returns the failure the last retry was asked after, or null. */
    @Nullable Refusal lastRefusal() {
        return lastRefusal;
    }

    /** Returns whether the route tells the client how many attempts its request took. */
    boolean attemptsHeader() {
        return config.attemptsHeader();
    }

    RetryConfig config() {
        return config;
    }
}
