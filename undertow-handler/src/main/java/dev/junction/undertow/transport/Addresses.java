package dev.junction.undertow.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * Backend host names resolved off the I/O threads: an address literal at once, a name on a worker thread, its
 * address then kept for 30 seconds (the JVM's own default) and refreshed in the background when used after that,
 * so an event loop never waits on DNS and a slow resolver delays only the first request to a new name.
 */
final class Addresses {

    private static final long TTL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private record Resolved(InetAddress address, long atNanos) {
    }

    private final ConcurrentHashMap<String, Resolved> names = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Boolean> refreshing = new ConcurrentHashMap<>();

    /**
     * Gives {@code host}'s address, or the failure to find one, to {@code then}: at once when it is a literal or
     * known, else on {@code loop} after {@code resolver} has looked it up.
     */
    void resolve(String host, Executor resolver, Executor loop, BiConsumer<@Nullable InetAddress,
            @Nullable UnknownHostException> then) {
        if (literal(host)) {
            try {
                then.accept(InetAddress.getByName(host), null);
            } catch (UnknownHostException e) {
                then.accept(null, e);
            }
            return;
        }
        Resolved known = names.get(host);
        long now = System.nanoTime();
        if (known != null) {
            if (now - known.atNanos() > TTL_NANOS && refreshing.putIfAbsent(host, Boolean.TRUE) == null) {
                resolver.execute(() -> {
                    try {
                        lookUp(host);
                    } catch (UnknownHostException e) {
                        // The last address stays in use until a lookup succeeds.
                    } finally {
                        refreshing.remove(host);
                    }
                });
            }
            then.accept(known.address(), null);
            return;
        }
        resolver.execute(() -> {
            try {
                InetAddress address = lookUp(host);
                loop.execute(() -> then.accept(address, null));
            } catch (UnknownHostException e) {
                loop.execute(() -> then.accept(null, e));
            }
        });
    }

    private InetAddress lookUp(String host) throws UnknownHostException {
        InetAddress address = InetAddress.getByName(host);
        names.put(host, new Resolved(address, System.nanoTime()));
        return address;
    }

    /** Returns whether {@code host} is an IPv4 or (bracketed or not) IPv6 address literal: no lookup needed. */
    static boolean literal(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        if (host.isEmpty()) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }
}
