package dev.junction.core;

import org.jspecify.annotations.Nullable;

import dev.junction.core.internal.affinity.SessionAffinity;
import dev.junction.core.status.SessionStats;

/**
 * The sessions of a route with session affinity, for an operator: which backend a session is pinned to, forgetting a
 * session, and statistics. A session's key is what its mode reads: the cookie mode's session id, the application
 * cookie's value, the header's value, or the client address.
 *
 * <p>Thread-safe.
 */
public final class Sessions {

    private final SessionAffinity affinity;

    Sessions(SessionAffinity affinity) {
        this.affinity = affinity;
    }

    /**
     * {@return the id of the backend the session {@code key} is pinned to, or null if it is not remembered}
     *
     * @param key the session's key, as the affinity mode reads it
     */
    public @Nullable String pinnedTo(String key) {
        return affinity.pinnedTo(key);
    }

    /**
     * Forgets a session: its next request is balanced afresh.
     *
     * @param key the session's key, as the affinity mode reads it
     * @return whether the session was remembered
     */
    public boolean clear(String key) {
        return affinity.clear(key);
    }

    /** {@return the sessions' statistics} */
    public SessionStats stats() {
        return affinity.stats();
    }
}
