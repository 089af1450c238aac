package dev.junction.core.internal.balance;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.junction.core.internal.Hashing;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;

/**
 * A consistent-hash ring over a group of backends, for keys chosen outside a strategy (session affinity): the same
 * key reaches the same backend on every gateway with the same pool, and a key whose backend is not eligible moves to
 * the next one on the ring.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyRing {

    private final Backend[] group;
    private final @Nullable HashRing ring;

    private KeyRing(Backend[] group) {
        this.group = group;
        this.ring = group.length == 0 ? null : HashRing.build(group);
    }

    /** Returns the ring of these backends. */
    public static KeyRing of(List<Backend> backends) {
        return new KeyRing(backends.toArray(new Backend[0]));
    }

    /** Returns the eligible backend for this key, or null if none near it on the ring is. */
    public @Nullable Backend select(String key, Eligibility eligibility) {
        return ring == null ? null : ring.select(Hashing.hash(key), eligibility);
    }

    /** Returns the backends on the ring. */
    public int size() {
        return group.length;
    }
}
