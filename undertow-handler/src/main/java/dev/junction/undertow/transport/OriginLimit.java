package dev.junction.undertow.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection limit of one backend origin, shared by every event loop's pool of it: {@code open} counts the
 * connections open or being made, across threads. A pool that reaches the limit with calls waiting says so here; the
 * next connection closed anywhere hands its place to such a pool (on that pool's thread), and pools holding idle
 * connections are asked to close one, so a limit of one connection still serves every loop in turn.
 */
final class OriginLimit {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final Set<HostPool> pools = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<HostPool> starved = new ConcurrentLinkedQueue<>();

    OriginLimit(int max) {
        this.max = max;
    }

    void register(HostPool pool) {
        pools.add(pool);
    }

    void unregister(HostPool pool) {
        pools.remove(pool);
        starved.remove(pool);
    }

    /** Returns the connections open to the backend (or being opened), on every loop. */
    int open() {
        return open.get();
    }

    /** Returns the idle connections to the backend, on every loop. */
    int idle() {
        int idle = 0;
        for (HostPool pool : pools) {
            idle += pool.idleConnections();
        }
        return idle;
    }

    /** Returns the most connections the backend may have open. */
    int max() {
        return max;
    }

    /** Takes a place for a new connection; false if the limit is reached. */
    boolean tryAcquire() {
        while (true) {
            int now = open.get();
            if (now >= max) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives a place back: a connection closed or was never made. A starved pool, if any, is told. */
    void release() {
        open.decrementAndGet();
        HostPool next = starved.poll();
        if (next != null) {
            next.onLoop(next::placeFreed);
        }
    }

    /** Returns whether some pool waits for a place. */
    boolean anyStarved() {
        return !starved.isEmpty();
    }

    /**
     * Notes that {@code pool} has calls waiting for a place, and asks the pools with idle connections to close one
     * each: idle connections on other loops would otherwise hold the places until they expire.
     */
    void starve(HostPool pool) {
        if (!starved.contains(pool)) {
            starved.add(pool);
        }
        for (HostPool other : pools) {
            if (other != pool) {
                try {
                    other.onLoop(other::closeOneIdle);
                } catch (RejectedExecutionException e) {
                    // That loop's thread has stopped; its connections went with it.
                }
            }
        }
    }
}
