package dev.junction.core.config;

/**
 * Limits on what a client may send.
 *
 * <p>Immutable; checked as part of {@link JunctionConfig}.
 *
 * @param maxRequestHeaderBytes the most bytes the request's header section may take (names, values and their
 *     separators); a larger one is refused with 431 and never reaches a backend; default 32768 (32 KiB)
 */
public record LimitsConfig(int maxRequestHeaderBytes) {

    /** The smallest {@link #maxRequestHeaderBytes} accepted. */
    public static final int MIN_HEADER_BYTES = 1024;
    /** The largest {@link #maxRequestHeaderBytes} accepted. */
    public static final int MAX_HEADER_BYTES = 1024 * 1024;

    /** A 32 KiB header section. */
    public static final LimitsConfig DEFAULT = new LimitsConfig(32 * 1024);
}
