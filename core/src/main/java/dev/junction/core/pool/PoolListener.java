package dev.junction.core.pool;

import dev.junction.core.spi.Backend;

/**
 * Told about every change to a {@link BackendPool}, after the change is published.
 *
 * <p>Changes made concurrently may be reported concurrently and in any order; a listener that needs the latest
 * membership reads {@link BackendPool#snapshot()} and compares {@link BackendPool.Snapshot#version()}.
 */
@FunctionalInterface
public interface PoolListener {

    /** What happened to a backend. */
    enum Change {
        /** A backend joined the pool. */
        ADDED,
        /** A backend's definition was replaced, its live numbers kept. */
        UPDATED,
        /** A backend left the pool. */
        REMOVED
    }

    /**
     * Called once per change.
     *
     * @param change what happened
     * @param backend the backend added, its new definition, or the backend removed
     * @param snapshot the pool as of this change
     */
    void poolChanged(Change change, Backend backend, BackendPool.Snapshot snapshot);
}
