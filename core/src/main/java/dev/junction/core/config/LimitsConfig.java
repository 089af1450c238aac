package dev.junction.core.config;

/**
 * Limits on what a client may send, and on how much the whole gateway takes on at once.
 *
 * <p>Immutable; checked as part of {@link JunctionConfig}.
 *
 * @param maxRequestHeaderBytes the most bytes the request's header section may take (names, values and their
 *     separators); a larger one is refused with 431 and never reaches a backend; default 32768 (32 KiB)
 * @param maxRequestTargetBytes the most bytes the request target may take (path and query); a longer one is refused
 *     with 414 and never reaches a backend; default 8192 (8 KiB, nginx's {@code large_client_header_buffers})
 * @param maxExchanges the most exchanges in flight at once across every route, queued ones included; one more gets
 *     {@code 503} at once. Each route has a share ({@code maxExchanges / routes}); a route may borrow beyond it half
 *     of what the other routes leave unused, so one hot route cannot starve the others. 0 for no limit; default 0
 * @param maxQueued the most requests waiting in route queues at once, across every route; a request that would wait
 *     beyond gets {@code 503} as from a full queue. 0 for no limit beyond each route's {@code queue.maxWaiting};
 *     default 0
 */
public record LimitsConfig(int maxRequestHeaderBytes, int maxRequestTargetBytes, int maxExchanges, int maxQueued) {

    /** The smallest {@link #maxRequestHeaderBytes} accepted. */
    public static final int MIN_HEADER_BYTES = 1024;
    /** The largest {@link #maxRequestHeaderBytes} accepted. */
    public static final int MAX_HEADER_BYTES = 1024 * 1024;
    /** The smallest {@link #maxRequestTargetBytes} accepted. */
    public static final int MIN_TARGET_BYTES = 256;
    /** The largest {@link #maxRequestTargetBytes} accepted. */
    public static final int MAX_TARGET_BYTES = 1024 * 1024;
    /** The target limit when none is set: nginx's. */
    public static final int DEFAULT_TARGET_BYTES = 8 * 1024;

    /** The largest {@link #maxExchanges} and {@link #maxQueued} accepted. */
    public static final int MAX_GATEWAY_LIMIT = 10_000_000;

    /** A 32 KiB header section and an 8 KiB target, no gateway-wide caps. */
    public static final LimitsConfig DEFAULT = new LimitsConfig(32 * 1024, DEFAULT_TARGET_BYTES, 0, 0);

    /**
     * Makes limits on the request head only, without gateway-wide caps.
     *
     * @param maxRequestHeaderBytes the most bytes the request's header section may take
     * @param maxRequestTargetBytes the most bytes the request target may take
     */
    public LimitsConfig(int maxRequestHeaderBytes, int maxRequestTargetBytes) {
        this(maxRequestHeaderBytes, maxRequestTargetBytes, 0, 0);
    }

    /**
     * {@return these limits with {@code bytes} for the header section}
     *
     * @param bytes the most bytes the request's header section may take
     */
    public LimitsConfig withMaxRequestHeaderBytes(int bytes) {
        return new LimitsConfig(bytes, maxRequestTargetBytes, maxExchanges, maxQueued);
    }

    /**
     * {@return these limits with {@code bytes} for the request target}
     *
     * @param bytes the most bytes the request target may take
     */
    public LimitsConfig withMaxRequestTargetBytes(int bytes) {
        return new LimitsConfig(maxRequestHeaderBytes, bytes, maxExchanges, maxQueued);
    }

    /**
     * {@return these limits with at most {@code exchanges} in flight across the routes}
     *
     * @param exchanges the most exchanges in flight at once; 0 for no limit
     */
    public LimitsConfig withMaxExchanges(int exchanges) {
        return new LimitsConfig(maxRequestHeaderBytes, maxRequestTargetBytes, exchanges, maxQueued);
    }

    /**
     * {@return these limits with at most {@code queued} requests waiting across the routes}
     *
     * @param queued the most requests waiting at once; 0 for no limit
     */
    public LimitsConfig withMaxQueued(int queued) {
        return new LimitsConfig(maxRequestHeaderBytes, maxRequestTargetBytes, maxExchanges, queued);
    }
}
