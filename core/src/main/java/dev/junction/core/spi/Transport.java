package dev.junction.core.spi;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * The wire between Junction and its backends: sends one request to a backend and streams the answer back, with
 * back-pressure both ways. Junction's engine decides everything else (which backend, the headers, the deadlines, what
 * a failure means, whether to try again); a transport only moves bytes and says what happened, and in which
 * {@link ResponseListener.Phase phase} a failure came.
 *
 * <p>Junction comes with one on Jetty's {@code HttpClient} ({@code dev.junction.core.transport.JettyTransport}), used
 * unless another is handed to {@code Junction.builder().transport(...)}. A transport handed in is started and
 * stopped by whoever made it; one Junction made is started and stopped with it.
 *
 * <pre>{@code
 * Transport.Exchange sent = transport.send(request, new ResponseListener() { ... });
 * ...
 * sent.abort(new IOException("client gone"));   // the listener's completed() follows, with the failure
 * }</pre>
 *
 * <p>Implementations must be thread-safe. {@link #send} never blocks; it may tell the listener of a failure it finds
 * at once before it returns.
 */
public interface Transport {

    /**
     * Starts the transport; called once by Junction's {@code start()} when Junction made it.
     *
     * @throws Exception if the transport cannot start; Junction's {@code start()} then fails
     */
    void start() throws Exception;

    /**
     * Stops the transport, aborting what is in flight; called once by Junction's {@code close()} when it made it.
     *
     * @throws Exception if the transport cannot stop cleanly
     */
    void stop() throws Exception;

    /**
     * Sends a request. Returns at once; the listener is then told, in order: {@link ResponseListener#requestBegun()},
     * {@link ResponseListener#requestSent()}, {@link ResponseListener#responseBegun()},
     * {@link ResponseListener#head}, {@link ResponseListener#body} (unless the response has no content), and last,
     * exactly once, {@link ResponseListener#completed}; a failure skips what had not happened yet. A backend may
     * answer before it has read the whole request: {@code requestSent} may then come after the response's first
     * events, or not at all if the response ends first (the rest of the request is then not sent).
     *
     * @param request what to send and where
     * @param listener told what happens to the exchange, from the transport's threads
     * @return the request in flight, to abort it
     */
    Exchange send(BackendRequest request, ResponseListener listener);

    /**
     * Returns whether this transport enforces each request's connect and response timeouts itself
     * ({@link BackendRequest#connectTimeoutMillis()}, {@link BackendRequest#responseTimeoutMillis()}): failing a
     * request that has not begun in time with a {@link java.util.concurrent.TimeoutException} in phase
     * {@code CONNECT}, and one whose response has not begun in time with one in phase {@code AWAIT_HEAD}. The
     * default, false, leaves them to the engine's own sweep.
     *
     * @return whether the transport enforces the connect and response timeouts itself
     */
    default boolean enforcesDeadlines() {
        return false;
    }

    /**
     * Returns whether this transport carries upgrades: it sends a request with {@code Upgrade} and
     * {@code Connection: upgrade} among its headers as it is, and when the backend answers {@code 101}, tells
     * {@link ResponseListener#head} and then hands the connection over as a {@link TunnelEnd} through
     * {@link ResponseListener#upgraded} (the connection leaves its pool) before {@link ResponseListener#completed}.
     * The default, false: Junction then sends no upgrade to it.
     *
     * @return whether the transport carries upgrades
     */
    default boolean tunnels() {
        return false;
    }

    /**
     * Returns the connections this transport holds to {@code origin} now (the {@code junction.backend.connections}
     * gauges), or null if it does not count them, the default. Called when metrics are read, from any thread.
     *
     * @param origin the backend's scheme, host and port
     * @return the connections held to it, or null
     */
    default @Nullable Connections connections(URI origin) {
        return null;
    }

    /**
     * Lets go of {@code origin}: no backend uses it any more (it was removed, by a reload or at run time) and its
     * requests have ended. The transport closes the connections it keeps to it and forgets it; a request to it after
     * this opens a new connection as usual. The default does nothing, for a transport that keeps no connections.
     * Called from Junction's scheduler.
     *
     * @param origin the scheme, host and port no backend uses any more
     */
    default void release(URI origin) {
    }

    /**
     * The connections to one backend: {@code active} ones carry a request (or are being opened for one), {@code idle}
     * ones wait in the pool for the next.
     *
     * @param active the connections carrying a request or being opened for one
     * @param idle the connections waiting in the pool
     */
    record Connections(int active, int idle) {
    }

    /** One request in flight. */
    @FunctionalInterface
    interface Exchange {

        /**
         * Aborts the request and its response: the connection it used is closed, the listener's
         * {@link ResponseListener#completed} follows with {@code cause}, unless it has completed already.
         *
         * @param cause why the request is aborted, handed to the listener
         */
        void abort(Throwable cause);
    }
}
