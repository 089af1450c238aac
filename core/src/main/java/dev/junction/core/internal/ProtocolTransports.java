package dev.junction.core.internal;

import java.net.URI;
import java.util.Objects;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.BackendRequest;
import dev.junction.core.spi.ResponseListener;
import dev.junction.core.spi.Transport;

/**
 * The transports of one Junction by backend protocol: HTTP/1.1 backends through the configured transport (the
 * adapter's own, Jetty's, or one handed in), HTTP/2 backends ({@code h2c}, {@code h2}) through a Jetty HTTP/2 client
 * of Junction's own, made when a configuration first names such a backend, or when one is first added at run time.
 *
 * <p>Thread-safe.
 */
public final class ProtocolTransports implements Transport {

    private final Transport http1;
    private final Supplier<Transport> http2Maker;
    private volatile @Nullable Transport http2;
    private volatile boolean stopped;

    /**
     * @param http1 the transport of HTTP/1.1 backends
     * @param http2Maker makes the transport of HTTP/2 backends, not started, when it is first needed
     */
    public ProtocolTransports(Transport http1, Supplier<Transport> http2Maker) {
        this.http1 = Objects.requireNonNull(http1, "http1");
        this.http2Maker = Objects.requireNonNull(http2Maker, "http2Maker");
    }

    /**
     * Returns the transport requests to {@code backend} go through.
     *
     * @throws IllegalStateException if {@code backend} speaks HTTP/2 and the HTTP/2 client cannot start, or has stopped
     */
    public Transport of(Backend backend) {
        return backend.protocol().http2() ? http2() : http1;
    }

    /** Returns the transport of HTTP/1.1 backends. */
    public Transport http1() {
        return http1;
    }

    private Transport http2() {
        Transport made = http2;
        if (made != null) {
            return made;
        }
        synchronized (this) {
            if (stopped) {
                throw new IllegalStateException("the HTTP/2 client is stopped");
            }
            made = http2;
            if (made == null) {
                made = http2Maker.get();
                try {
                    made.start();
                } catch (Exception e) {
                    try {
                        made.stop();
                    } catch (Exception ignored) {
                        // Already failing: the start's failure is the one reported.
                    }
                    throw new IllegalStateException("the HTTP/2 client could not start: " + e, e);
                }
                http2 = made;
            }
            return made;
        }
    }

    @Override
    public Exchange send(BackendRequest request, ResponseListener listener) {
        return of(request.backend()).send(request, listener);
    }

    /** Starts the HTTP/1.1 transport; the HTTP/2 one starts when it is made. */
    @Override
    public void start() throws Exception {
        http1.start();
    }

    /** Makes and starts the HTTP/2 transport now if a backend of {@code config} speaks HTTP/2. */
    public void prepare(JunctionConfig config) {
        for (RouteConfig route : config.routes()) {
            for (BackendConfig backend : route.backends()) {
                if (backend.protocol().http2()) {
                    http2();
                    return;
                }
            }
        }
    }

    /** Stops both transports. */
    @Override
    public void stop() throws Exception {
        try {
            stopHttp2();
        } finally {
            http1.stop();
        }
    }

    /** Stops the HTTP/2 transport, which is always Junction's own, if it was made. */
    public void stopHttp2() throws Exception {
        Transport made;
        synchronized (this) {
            stopped = true;
            made = http2;
        }
        if (made != null) {
            made.stop();
        }
    }

    /** The HTTP/1.1 transport's: requests to a backend go through the transport of its protocol, and the same holds. */
    @Override
    public boolean enforcesDeadlines() {
        return http1.enforcesDeadlines();
    }

    /** The HTTP/1.1 transport's: an upgrade goes only to an HTTP/1.1 backend. */
    @Override
    public boolean tunnels() {
        return http1.tunnels();
    }

    @Override
    public @Nullable Connections connections(URI origin) {
        Connections first = http1.connections(origin);
        Transport made = http2;
        Connections second = made == null ? null : made.connections(origin);
        if (first == null || second == null) {
            return first != null ? first : second;
        }
        return new Connections(first.active() + second.active(), first.idle() + second.idle());
    }

    /** Lets go of {@code origin} in both transports. */
    @Override
    public void release(URI origin) {
        http1.release(origin);
        Transport made = http2;
        if (made != null) {
            made.release(origin);
        }
    }
}
