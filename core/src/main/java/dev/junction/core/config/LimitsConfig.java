package dev.junction.core.config;

/**
 * Limits on what a client may send.
 *
 * <p>Immutable; checked as part of {@link JunctionConfig}.
 *
 * @param maxRequestHeaderBytes the most bytes the request's header section may take (names, values and their
 *     separators); a larger one is refused with 431 and never reaches a backend; default 32768 (32 KiB)
 * @param maxRequestTargetBytes the most bytes the request target may take (path and query); a longer one is refused
 *     with 414 and never reaches a backend; default 8192 (8 KiB, nginx's {@code large_client_header_buffers})
 */
public record LimitsConfig(int maxRequestHeaderBytes, int maxRequestTargetBytes) {

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

    /** A 32 KiB header section and an 8 KiB target. */
    public static final LimitsConfig DEFAULT = new LimitsConfig(32 * 1024, DEFAULT_TARGET_BYTES);

    /** Returns these limits with {@code bytes} for the header section. */
    public LimitsConfig withMaxRequestHeaderBytes(int bytes) {
        return new LimitsConfig(bytes, maxRequestTargetBytes);
    }

    /** Returns these limits with {@code bytes} for the request target. */
    public LimitsConfig withMaxRequestTargetBytes(int bytes) {
        return new LimitsConfig(maxRequestHeaderBytes, bytes);
    }
}
