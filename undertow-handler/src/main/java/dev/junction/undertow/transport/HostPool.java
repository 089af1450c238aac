package dev.junction.undertow.transport;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.xnio.IoFuture;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.ssl.SslConnection;

import io.undertow.protocols.ssl.UndertowXnioSsl;

import dev.junction.core.spi.BackendTls;

/**
 * The connections of one event loop to one backend origin: idle ones (the most recently used first, so a few warm
 * connections carry the load and the rest expire), and the calls waiting for one when the backend's connection limit
 * ({@link OriginLimit}, shared by every loop) is reached. Touched on the loop's thread alone, but for the limit.
 */
final class HostPool {

    private static final OptionMap OPTIONS = OptionMap.builder()
            .set(Options.TCP_NODELAY, true)
            .set(Options.KEEP_ALIVE, true)
            .getMap();

    private final EventLoop loop;
    private final OriginLimit limit;
    private final String host;
    private final int port;
    /** Wraps each new connection in TLS, or null for plain connections. */
    private final @Nullable UndertowXnioSsl tls;
    private final int maxWaiting;
    private final ArrayDeque<BackendConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<BackendCall> waiting = new ArrayDeque<>();
    /** The idle connections' number, published for other threads (metrics) as the loop changes it. */
    private final AtomicInteger idleCount = new AtomicInteger();

    /**
     * @param tls the TLS of an {@code https://} origin's connections, or null for plain ones
     */
    HostPool(EventLoop loop, URI origin, @Nullable BackendTls tls, OriginLimit limit, int maxWaiting) {
        this.loop = loop;
        this.limit = limit;
        this.host = origin.getHost();
        int given = origin.getPort();
        this.port = given > 0 ? given : "https".equalsIgnoreCase(origin.getScheme()) ? 443 : 80;
        this.tls = tls == null ? null
                : new UndertowXnioSsl(loop.thread.getWorker().getXnio(), OptionMap.EMPTY, TlsEngines.of(tls, host));
        this.maxWaiting = maxWaiting;
        limit.register(this);
    }

    /** Finds {@code call} a connection: an idle one, a new one, or a place in the queue. */
    void acquire(BackendCall call) {
        BackendConnection connection;
        while ((connection = idle.pollFirst()) != null) {
            if (connection.usable()) {
                idleCounted();
                call.connected(connection);
                return;
            }
            connection.close();
        }
        idleCounted();
        if (limit.tryAcquire()) {
            connect(call);
            return;
        }
        if (waiting.size() >= maxWaiting) {
            call.notConnected(new RejectedExecutionException("more than " + maxWaiting
                    + " requests wait for a connection to " + host + ":" + port));
            return;
        }
        waiting.add(call);
        limit.starve(this);
    }

    /** Returns whether {@code call} waits for a connection under the backend's limit. */
    boolean waits(BackendCall call) {
        return waiting.contains(call);
    }

    /** Returns the backend's connection limit, for what is told of a wait that outlasted its timeout. */
    int limit() {
        return limit.max();
    }

    /** Forgets a waiting call that was aborted. */
    void cancel(BackendCall call) {
        waiting.remove(call);
    }

    /**
     * Takes back a connection whose exchange ended cleanly: the next waiting call gets it; else it idles, unless
     * another loop waits for a place under the backend's limit, which it then gets.
     */
    void release(BackendConnection connection) {
        BackendCall next = waiting.poll();
        if (next != null) {
            next.connected(connection);
            return;
        }
        if (limit.anyStarved()) {
            connection.close();
            return;
        }
        connection.idle(System.nanoTime());
        idle.addFirst(connection);
        idleCounted();
        loop.watchIdle();
    }

    /** A connection closed: its place goes to the next waiting call here, else back to the limit. */
    void closed(BackendConnection connection) {
        idle.remove(connection);
        idleCounted();
        placeFree();
    }

    /** Returns the idle connections, as last published by the loop: any thread. */
    int idleConnections() {
        return idleCount.get();
    }

    private void idleCounted() {
        int size = idle.size();
        if (idleCount.get() != size) {
            // Read by metrics only: ordered, without the cost of a full fence on the loop.
            idleCount.lazySet(size);
        }
    }

    /** A place under the limit is free (a connection closed or was never made): a waiting call here takes it. */
    private void placeFree() {
        BackendCall next = waiting.poll();
        if (next != null) {
            connect(next);
        } else {
            limit.release();
        }
    }

    /** Another loop gave a place back while calls waited here. Loop thread only. */
    void placeFreed() {
        BackendCall next = waiting.poll();
        if (next == null) {
            limit.release();
            return;
        }
        connect(next);
        while (!waiting.isEmpty() && limit.tryAcquire()) {
            connect(waiting.poll());
        }
        if (!waiting.isEmpty()) {
            limit.starve(this);
        }
    }

    /** Closes the oldest idle connection, if any: another loop needs its place. Loop thread only. */
    void closeOneIdle() {
        BackendConnection oldest = idle.pollLast();
        idleCounted();
        if (oldest != null) {
            oldest.close();
        }
    }

    /** Closes the connections idle since before {@code oldest}; returns whether any stay idle. */
    boolean expire(long oldest) {
        for (Iterator<BackendConnection> it = idle.descendingIterator(); it.hasNext(); ) {
            BackendConnection connection = it.next();
            if (connection.idleSince - oldest > 0) {
                break;
            }
            it.remove();
            connection.close();
        }
        idleCounted();
        return !idle.isEmpty();
    }

    /** Closes every idle connection and fails every waiting call: the transport is stopping. */
    void closeAll(IOException cause) {
        BackendConnection connection;
        while ((connection = idle.pollFirst()) != null) {
            connection.close();
        }
        idleCounted();
        BackendCall call;
        while ((call = waiting.poll()) != null) {
            call.notConnected(cause);
        }
        limit.unregister(this);
    }

    private void connect(BackendCall call) {
        loop.transport.addresses.resolve(host, loop.thread.getWorker(), loop.thread,
                (address, failure) -> connect(call, address, failure));
    }

    private void connect(BackendCall call, @Nullable InetAddress address, @Nullable UnknownHostException failure) {
        if (address == null || call.isDone()) {
            placeFree();
            if (address == null) {
                call.notConnected(failure != null ? failure : new UnknownHostException(host));
            }
            return;
        }
        IoFuture<StreamConnection> future = loop.thread.openStreamConnection(new InetSocketAddress(address, port),
                null, null, OPTIONS);
        call.connecting(future);
        future.addNotifier(new IoFuture.HandlingNotifier<StreamConnection, BackendCall>() {
            @Override
            public void handleDone(StreamConnection connection, BackendCall waiter) {
                onLoop(() -> opened(connection, waiter));
            }

            @Override
            public void handleFailed(IOException exception, BackendCall waiter) {
                onLoop(() -> {
                    waiter.notConnected(exception);
                    placeFree();
                });
            }

            @Override
            public void handleCancelled(BackendCall waiter) {
                onLoop(HostPool.this::placeFree);
            }
        }, call);
    }

    private void opened(StreamConnection stream, BackendCall call) {
        BackendConnection connection;
        try {
            connection = new BackendConnection(tls == null ? stream : handshaking(stream, tls), this);
        } catch (IOException e) {
            IoUtils.safeClose(stream);
            call.notConnected(e);
            placeFree();
            return;
        }
        if (call.isDone()) {
            // Aborted while connecting: the connection serves the next call instead.
            release(connection);
            return;
        }
        call.connected(connection);
    }

    /**
     * Wraps a new connection in TLS and starts its handshake, which runs as the request's first bytes are written: a
     * handshake that fails (an untrusted or expired certificate, a refused client certificate) fails that write.
     * The URI names the address connected to, so no name is looked up: the engine knows the host it verifies.
     */
    private SslConnection handshaking(StreamConnection stream, UndertowXnioSsl ssl) throws IOException {
        InetSocketAddress peer = stream.getPeerAddress(InetSocketAddress.class);
        URI address = URI.create("https://" + (peer.getAddress() instanceof Inet6Address
                ? "[" + peer.getAddress().getHostAddress() + "]" : peer.getAddress().getHostAddress()) + ":" + port);
        SslConnection connection = ssl.wrapExistingConnection(stream, OptionMap.EMPTY, address);
        connection.startHandshake();
        return connection;
    }

    /** Runs {@code task} on this pool's loop thread: now if this is it. */
    void onLoop(Runnable task) {
        if (Thread.currentThread() == loop.thread) {
            task.run();
        } else {
            loop.thread.execute(task);
        }
    }
}
