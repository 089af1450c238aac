package dev.junction.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How Junction looks up the backends it resolves itself ({@code resolve: dns}, {@code dns+srv://} URLs): which DNS
 * servers it asks, and how long an answer is kept. Each name is looked up again when its answer's TTL runs out, the
 * TTL held between {@code minTtl} and {@code maxTtl}; a lookup that fails keeps the last good answer and is tried again
 * after {@code minTtl}.
 *
 * @param servers the DNS servers asked, as {@code host} or {@code host:port} (port 53 by default), in order; empty (the
 *     default) for the system's ({@code /etc/resolv.conf})
 * @param minTtl the shortest time an answer is kept, whatever its TTL says (and the wait before a failed lookup is
 *     tried again); default 1 s
 * @param maxTtl the longest time an answer is kept, however long its TTL; default 5 minutes
 * @param timeout how long a lookup may take, each server tried in turn; default 2 s
 */
public record DnsConfig(List<String> servers, Duration minTtl, Duration maxTtl, Duration timeout) {

    /** The system's servers; answers kept 1 s to 5 minutes; a 2 s timeout. */
    public static final DnsConfig DEFAULT = new DnsConfig(List.of(), Duration.ofSeconds(1), Duration.ofMinutes(5),
            Duration.ofSeconds(2));

    /**
     * Checks that the durations are not null and copies {@code servers}, which is then unmodifiable.
     *
     * @param servers the DNS servers asked, as {@code host} or {@code host:port} (port 53 by default), in order; empty
     *     (the default) for the system's ({@code /etc/resolv.conf})
     * @param minTtl the shortest time an answer is kept, whatever its TTL says (and the wait before a failed lookup is
     *     tried again); default 1 s
     * @param maxTtl the longest time an answer is kept, however long its TTL; default 5 minutes
     * @param timeout how long a lookup may take, each server tried in turn; default 2 s
     */
    public DnsConfig {
        servers = List.copyOf(servers);
        Objects.requireNonNull(minTtl, "minTtl");
        Objects.requireNonNull(maxTtl, "maxTtl");
        Objects.requireNonNull(timeout, "timeout");
    }
}
