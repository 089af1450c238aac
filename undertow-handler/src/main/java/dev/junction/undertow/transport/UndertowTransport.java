package dev.junction.undertow.transport;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;


import dev.junction.core.config.ClientConfig;
import dev.junction.core.spi.BackendRequest;
import dev.junction.core.spi.ResponseListener;
import dev.junction.core.spi.Transport;
import dev.junction.core.spi.TransportFactory;

/**
 * The transport on Undertow's own I/O: each backend exchange runs on the XNIO I/O thread of the client's exchange
 * ({@link BackendRequest#eventLoop()}), from connecting to the last byte of the response, with a pool of keep-alive
 * connections per (I/O thread, backend) in plain fields. Nothing is handed between threads on the request path:
 * the backend's response is read on the thread that writes it to the client, only as fast as the client takes it.
 *
 * <p>HTTP/1.1 to backends, read strictly ({@link ResponseHead}): interim responses ({@code 100}, {@code 102},
 * {@code 103}) are told to the listener and skipped, bodies are framed by length, chunks or the connection's close,
 * {@code HEAD}, {@code 204} and {@code 304} have none, trailers are read and dropped. A request with no event loop of
 * its own (a health check) runs on a single I/O thread the transport starts for them when first needed.
 *
 * <p>{@code client.maxConnectionsPerBackend} holds across I/O threads: a thread that finds the limit reached queues
 * its request, and the next connection to that backend closed on any thread (an idle one is closed for it) makes
 * room.
 *
 * <pre>{@code
 * Junction.builder().transport(UndertowTransport.NAME, UndertowTransport.FACTORY)
 *         .defaultTransport(UndertowTransport.NAME)
 * }</pre>
 */
public final class UndertowTransport implements Transport {

    /** The name configuration gives it: {@code client.transport: undertow}. */
    public static final String NAME = "undertow";

    /** Makes a transport for a configuration's client settings. */
    public static final TransportFactory FACTORY = UndertowTransport::create;

    final Addresses addresses = new Addresses();
    private final ClientConfig settings;
    private final long connectTimeoutNanos;
    private final ConcurrentHashMap<XnioIoThread, EventLoop> loops = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<URI, OriginLimit> limits = new ConcurrentHashMap<>();
    private volatile @Nullable XnioWorker ownWorker;
    private volatile boolean stopped;

    private UndertowTransport(ClientConfig settings, Duration connectTimeout) {
        this.settings = settings;
        this.connectTimeoutNanos = connectTimeout.isZero() ? 0 : connectTimeout.toNanos() + 1_000_000_000L;
    }

    /**
     * Returns a transport made for proxying as {@code settings} say.
     *
     * @param settings the client's pool sizes and idle timeout
     * @param connectTimeout the longest connect any route allows: each route's own connect timeout is enforced per
     *     request by the engine, this is only the outer bound; zero for none
     * @return the transport
     * @throws NullPointerException if {@code settings} or {@code connectTimeout} is null
     */
    public static UndertowTransport create(ClientConfig settings, Duration connectTimeout) {
        return new UndertowTransport(Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(connectTimeout, "connectTimeout"));
    }

    @Override
    public void start() {
        stopped = false;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the request cannot be written as HTTP/1.1 (a method or name that is not a
     *     token, a control character in the target or a value); nothing was sent
     */
    @Override
    public Transport.Exchange send(BackendRequest request, ResponseListener listener) {
        RequestHead head = RequestHead.of(request);
        XnioIoThread thread = request.eventLoop() instanceof XnioIoThread io ? io : ownThread();
        EventLoop loop = loops.get(thread);
        if (loop == null) {
            loop = loops.computeIfAbsent(thread, this::newLoop);
        }
        BackendCall call = new BackendCall(loop, request, listener, head, connectTimeoutNanos);
        if (stopped) {
            call.notConnected(new IOException("transport stopped"));
        } else if (Thread.currentThread() == thread) {
            call.start();
        } else {
            thread.execute(call::start);
        }
        return call;
    }

    /** True: each event loop's sweep enforces the requests' connect and response timeouts, with no shared queue. */
    @Override
    public boolean enforcesDeadlines() {
        return true;
    }

    /** Carries upgrades: a backend's {@code 101} hands its connection over as a {@link StreamTunnelEnd}. */
    @Override
    public boolean tunnels() {
        return true;
    }

    private EventLoop newLoop(XnioIoThread thread) {
        return new EventLoop(this, thread);
    }

    /** Returns the I/O thread of requests with no event loop of their own, starting it the first time. */
    private XnioIoThread ownThread() {
        XnioWorker worker = ownWorker;
        if (worker == null) {
            synchronized (this) {
                worker = ownWorker;
                if (worker == null) {
                    try {
                        worker = Xnio.getInstance(UndertowTransport.class.getClassLoader()).createWorker(
                                OptionMap.builder()
                                        .set(Options.WORKER_NAME, "junction-transport")
                                        .set(Options.WORKER_IO_THREADS, 1)
                                        .set(Options.WORKER_TASK_CORE_THREADS, 1)
                                        .set(Options.WORKER_TASK_MAX_THREADS, 4)
                                        .set(Options.THREAD_DAEMON, true)
                                        .getMap());
                    } catch (IOException e) {
                        throw new IllegalStateException("cannot start the transport's I/O thread", e);
                    }
                    ownWorker = worker;
                }
            }
        }
        return worker.getIoThread();
    }

    /** Closes every connection and fails what is still in flight; waits up to five seconds for the I/O threads. */
    @Override
    public void stop() throws InterruptedException {
        stopped = true;
        CountDownLatch closed = new CountDownLatch(loops.size());
        for (EventLoop loop : loops.values()) {
            try {
                loop.thread.execute(() -> {
                    try {
                        loop.closeAll();
                    } finally {
                        closed.countDown();
                    }
                });
            } catch (RejectedExecutionException e) {
                // The server stopped its I/O thread first, closing the thread's connections with it.
                closed.countDown();
            }
        }
        closed.await(5, TimeUnit.SECONDS);
        loops.clear();
        limits.clear();
        XnioWorker worker = ownWorker;
        ownWorker = null;
        if (worker != null) {
            worker.shutdown();
            worker.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Returns the connection limit of {@code origin}, shared by every I/O thread. */
    /** Counts the connections to {@code origin} on every loop: none before its first request. */
    @Override
    public Connections connections(URI origin) {
        OriginLimit limit = limits.get(origin);
        if (limit == null) {
            return new Connections(0, 0);
        }
        int idle = limit.idle();
        return new Connections(Math.max(0, limit.open() - idle), idle);
    }

    /** Closes every loop's connections to {@code origin}, each on its own thread, and forgets its limit. */
    @Override
    public void release(URI origin) {
        for (EventLoop loop : loops.values()) {
            loop.thread.execute(() -> loop.release(origin));
        }
        limits.remove(origin);
    }

    OriginLimit limit(URI origin) {
        OriginLimit limit = limits.get(origin);
        return limit != null ? limit : limits.computeIfAbsent(origin,
                key -> new OriginLimit(settings.maxConnectionsPerBackend()));
    }

    /** Returns how many requests may wait for a connection to one backend on each I/O thread. */
    int waitingPerLoop() {
        return Math.max(1024, settings.maxConnectionsPerBackend() * 4);
    }

    long idleTimeoutNanos() {
        return settings.idleTimeout().toNanos();
    }
}
