package dev.junction.undertow.transport;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.xnio.XnioIoThread;

import dev.junction.core.spi.BackendTls;

/**
 * What the transport keeps per XNIO I/O thread: a pool of connections per backend origin, and one sweep that enforces
 * the exchanges' idle and total timeouts and the pools' idle timeout. Touched on its thread alone.
 */
final class EventLoop {

    /** How often the sweep runs while exchanges are in flight: the precision of their timeouts. */
    private static final long ACTIVE_SWEEP_MILLIS = 50;
    /** How often it runs while only idle connections are left. */
    private static final long IDLE_SWEEP_MILLIS = 1000;

    final UndertowTransport transport;
    final XnioIoThread thread;
    final LoopBuffers buffers;
    /** Keyed by origin, or for an {@code https://} one by {@link TlsOrigin}: each route's TLS has its connections. */
    private final HashMap<Object, HostPool> pools = new HashMap<>();
    /** The exchanges in flight on this loop, a list threaded through them. */
    private @Nullable BackendCall first;
    private boolean sweepScheduled;
    private boolean idleConnections;
    private final Runnable sweep = this::sweep;

    EventLoop(UndertowTransport transport, XnioIoThread thread) {
        this.transport = transport;
        this.thread = thread;
        this.buffers = new LoopBuffers(thread);
    }

    HostPool pool(URI origin, @Nullable BackendTls tls) {
        Object key = tls == null ? origin : new TlsOrigin(origin, tls);
        HostPool pool = pools.get(key);
        if (pool == null) {
            pool = new HostPool(this, origin, tls, transport.limit(origin), transport.waitingPerLoop());
            pools.put(key, pool);
        }
        return pool;
    }

    /** An {@code https://} origin as one route's TLS reaches it (the TLS compared by identity: one per route). */
    private record TlsOrigin(URI origin, BackendTls tls) {
    }

    /** Starts watching an exchange's timeouts. */
    void watch(BackendCall call) {
        call.nextWatched = first;
        call.previousWatched = null;
        if (first != null) {
            first.previousWatched = call;
        }
        first = call;
        schedule(ACTIVE_SWEEP_MILLIS);
    }

    /** Stops watching an exchange: it has ended. */
    void unwatch(BackendCall call) {
        BackendCall previous = call.previousWatched;
        BackendCall next = call.nextWatched;
        if (previous != null) {
            previous.nextWatched = next;
        } else if (first == call) {
            first = next;
        }
        if (next != null) {
            next.previousWatched = previous;
        }
        call.previousWatched = null;
        call.nextWatched = null;
    }

    /** A connection went idle: the sweep expires it in time. */
    void watchIdle() {
        idleConnections = true;
        schedule(IDLE_SWEEP_MILLIS);
    }

    private void schedule(long millis) {
        if (!sweepScheduled) {
            sweepScheduled = true;
            thread.executeAfter(sweep, millis, TimeUnit.MILLISECONDS);
        }
    }

    private void sweep() {
        sweepScheduled = false;
        long now = System.nanoTime();
        List<BackendCall> expired = null;
        for (BackendCall call = first; call != null; call = call.nextWatched) {
            if (call.expired(now)) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(call);
            }
        }
        if (expired != null) {
            for (BackendCall call : expired) {
                call.timedOut(now);
            }
        }
        if (idleConnections) {
            long oldest = now - transport.idleTimeoutNanos();
            boolean any = false;
            for (HostPool pool : pools.values()) {
                any |= pool.expire(oldest);
            }
            idleConnections = any;
        }
        if (first != null) {
            schedule(ACTIVE_SWEEP_MILLIS);
        } else if (idleConnections) {
            schedule(IDLE_SWEEP_MILLIS);
        }
    }

    /** Closes and forgets this loop's connections to {@code origin}, which no backend uses any more. Loop thread. */
    void release(URI origin) {
        IOException removed = new IOException("backend " + origin + " removed");
        Iterator<Map.Entry<Object, HostPool>> entries = pools.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<Object, HostPool> entry = entries.next();
            Object key = entry.getKey();
            if (key.equals(origin) || key instanceof TlsOrigin tls && tls.origin().equals(origin)) {
                entries.remove();
                entry.getValue().closeAll(removed);
            }
        }
    }

    /** Fails what is in flight and closes every connection: the transport is stopping. */
    void closeAll() {
        IOException stopped = new IOException("transport stopped");
        while (first != null) {
            first.abortNow(stopped);
        }
        for (HostPool pool : pools.values()) {
            pool.closeAll(stopped);
        }
    }
}
