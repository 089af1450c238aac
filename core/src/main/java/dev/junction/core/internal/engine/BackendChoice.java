package dev.junction.core.internal.engine;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.junction.core.internal.LiveState;
import dev.junction.core.internal.affinity.SessionAffinity;
import dev.junction.core.internal.resilience.BackendBreaker;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.SelectionContext;

/**
 * Chooses the backend of each attempt of one exchange. The strategy picks; a session pins the first attempt; if the
 * strategy picks one already tried (a hash strategy always names the same one), the next untried available backend of
 * the pool serves, primaries before backups, as nginx's {@code proxy_next_upstream} moves on. A chosen backend is
 * counted in flight and its circuit breaker asked, before the attempt starts. For an upgrade, the backend's tunnel
 * limit ({@code maxTunnels}) is asked too, and a tunnel held for the attempt, which either becomes the tunnel or is
 * given back when the attempt settles.
 *
 * <p>Attempts follow each other, so one thread at a time uses this.
 */
final class BackendChoice {

    private final RouteRuntime route;
    private final SelectionContext request;
    private final boolean retries;
    private final boolean upgrade;
    /** Set when a backend was passed over because its tunnels were at their limit. */
    private boolean tunnelsFull;
    private final Backend[] tried;
    private int triedCount;
    private SessionAffinity.@Nullable Pin pin;
    /** The request's release group, once drawn; -1 before. */
    private int group = -1;
    /** The breaker the last {@link #acquire} asked, handed to the attempt it starts. */
    private @Nullable BackendBreaker pickedBreaker;

    /**
     * @param maxAttempts the most attempts the route's retries allow, 0 without retries
     * @param upgrade whether the request asks for a tunnel, so that the backend's tunnel limit applies
     */
    BackendChoice(RouteRuntime route, SelectionContext request, int maxAttempts, boolean upgrade) {
        this.route = route;
        this.request = request;
        this.retries = maxAttempts > 0;
        this.upgrade = upgrade;
        this.tried = new Backend[Math.max(route.pool().all().size(), maxAttempts) + 1];
    }

    /**
     * Returns the backend for the next attempt, its request counted in flight, or null when none is left. Its breaker,
     * if any, let it through ({@link #breaker()}).
     *
     * @param affinity the route's session affinity, or null
     * @param exchange the exchange, for the session's headers and address
     */
    @Nullable Backend next(@Nullable SessionAffinity affinity, ProxyExchange exchange) {
        Backend backend = pick(affinity, exchange);
        if (backend != null) {
            tried[triedCount++] = backend;
        }
        return backend;
    }

    private @Nullable Backend pick(@Nullable SessionAffinity affinity, ProxyExchange exchange) {
        if (triedCount >= tried.length - 1) {
            return null;
        }
        if (affinity != null && triedCount == 0) {
            Backend pinned = pinned(affinity, exchange);
            if (pinned != null) {
                return pinned;
            }
        }
        ReleaseGroups release = route.release();
        Backend chosen = release == null ? route.balancer().select(request)
                : release.select(group(release, exchange), request);
        if (chosen != null && !wasTried(chosen) && acquire(chosen)) {
            return chosen;
        }
        if (chosen == null && triedCount == 0) {
            return null;
        }
        BackendPool.Snapshot snapshot = route.pool().snapshot();
        Backend other = null;
        if (release != null) {
            // The next untried backend of the request's own group first.
            other = firstUntried(snapshot.primaries(), release, group);
            if (other == null) {
                other = firstUntried(snapshot.backups(), release, group);
            }
        }
        if (other == null) {
            other = firstUntried(snapshot.primaries(), null, -1);
        }
        if (other == null) {
            other = firstUntried(snapshot.backups(), null, -1);
        }
        if (other == null && retries && chosen != null && wasTried(chosen) && acquire(chosen)) {
            // A retry goes to another backend when there is one; with none left, the strategy's choice serves again.
            return chosen;
        }
        return other;
    }

    /** Returns the request's release group, drawn once per exchange. */
    private int group(ReleaseGroups release, ProxyExchange exchange) {
        if (group < 0) {
            group = release.groupOf(exchange);
        }
        return group;
    }

    /** Returns the first available untried backend, of {@code inGroup} only when {@code release} is given. */
    private @Nullable Backend firstUntried(List<Backend> backends, @Nullable ReleaseGroups release, int inGroup) {
        for (int i = 0; i < backends.size(); i++) {
            Backend backend = backends.get(i);
            if (release != null && release.groupOf(backend) != inGroup) {
                continue;
            }
            if (backend.isAvailable() && !wasTried(backend) && acquire(backend)) {
                return backend;
            }
        }
        return null;
    }

    /**
     * Returns the backend the request's session is pinned to, or for a hashed session the one its key hashes to,
     * counted in flight; null to let the strategy choose (no session, or its backend cannot serve).
     */
    private @Nullable Backend pinned(SessionAffinity sessions, ProxyExchange exchange) {
        SessionAffinity.Pin found = sessions.lookup(request, exchange.server().requestHeaders(),
                exchange.server().clientAddress());
        pin = found;
        Backend backend = found.backend();
        ReleaseGroups release = route.release();
        if (backend != null && (release == null || release.keepsPin(backend)) && acquire(backend)) {
            return backend;
        }
        Backend hashed = sessions.hashed(found);
        return hashed != null && acquire(hashed) ? hashed : null;
    }

    /**
     * Counts a request in flight to the backend if its limit and its circuit breaker allow one, and for an upgrade
     * holds one of its tunnels; the breaker asked is kept for the attempt ({@link #breaker()}), so it is looked up
     * once per attempt.
     */
    private boolean acquire(Backend backend) {
        LiveState state = LiveState.of(backend);
        if (upgrade && !state.tryHoldTunnel(backend.config().maxTunnels())) {
            tunnelsFull = true;
            return false;
        }
        if (!state.tryAcquire(backend.maxConcurrent())) {
            releaseTunnel(state);
            return false;
        }
        BackendBreaker breaker = route.resilience().breaker(backend);
        if (breaker != null && !breaker.tryAcquire()) {
            state.cancelAcquire();
            releaseTunnel(state);
            return false;
        }
        pickedBreaker = breaker;
        return true;
    }

    private void releaseTunnel(LiveState state) {
        if (upgrade) {
            state.tunnelReleased();
        }
    }

    private boolean wasTried(Backend backend) {
        for (int i = 0; i < triedCount; i++) {
            if (tried[i] == backend) {
                return true;
            }
        }
        return false;
    }

    /** Returns how many backends were chosen so far. */
    int chosen() {
        return triedCount;
    }

    /** Returns whether a backend was passed over because its tunnels were at their limit. */
    boolean tunnelsFull() {
        return tunnelsFull;
    }

    /** Returns the breaker of the backend {@link #next} returned last, or null. */
    @Nullable BackendBreaker breaker() {
        return pickedBreaker;
    }

    /** Returns the session the first attempt found, or null. */
    SessionAffinity.@Nullable Pin pin() {
        return pin;
    }
}
