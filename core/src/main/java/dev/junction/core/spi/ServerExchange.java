package dev.junction.core.spi;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.junction.core.http.BodySource;
import dev.junction.core.http.Fields;
import dev.junction.core.http.WriteCallback;

/**
 * The server side of one exchange, as an adapter (the Servlet filter, the Undertow handler, one of one's own)
 * presents it to Junction: the client's request as received, its body read on demand, and a sink for the response.
 * An adapter only translates; what the answer is (a proxied response, an admin answer, an error) Junction decides.
 *
 * <pre>{@code
 * MyServerExchange exchange = new MyServerExchange(request);
 * Match match = junction.match(exchange);
 * if (match == null) {
 *     next.handle(request);   // not Junction's: pass it on, untouched
 * } else {
 *     match.serve(exchange);  // returns at once; the exchange completes asynchronously
 * }
 * }</pre>
 *
 * <p>Junction calls the response methods in order: one {@link #writeHead} (the head with the first piece of the body),
 * then {@link #write} calls, each after the previous one's callback, the last one with {@code last == true}; or
 * {@link #abort} at any point. Each may be called from any thread, never concurrently; an adapter moves the work to
 * its own I/O thread if its server needs that. Nothing may block.
 */
public interface ServerExchange extends RequestHead {

    /**
     * Returns the path as the server in front of Junction resolved it for its own authorisation, when that can differ
     * from the raw path: a servlet container's servlet path and path info (decoded, dot-segments resolved), which its
     * security constraints and earlier filters judged. Junction routes on the raw path and answers {@code 400} when
     * this path falls under another route (or none), so escapes or empty segments can never take a request to a route
     * the server did not see it under. Null, the default, when the server judges nothing before Junction, or cannot
     * resolve the path.
     *
     * @return the path the server authorised the request under, or null
     */
    default @Nullable String authorisedPath() {
        return null;
    }

    /** {@return the protocol of the request as received: {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2.0}} */
    String protocol();

    /** {@return {@code http} or {@code https}: how the client reached this server} */
    String scheme();

    /** {@return the local port the client connected to} */
    int localPort();

    /**
     * Returns the request body, read on demand. An empty body is a source whose first read is the last chunk. The
     * first demand sends {@code 100 Continue} if the client asked for one. Junction asks for it only when the request
     * has a body ({@code Transfer-Encoding}, a {@code Content-Length} above zero, or {@link #hasUnannouncedBody()}),
     * and then before the call that handed it the exchange returns, on that thread: an adapter may start reading
     * there.
     *
     * @return the source of the request body
     */
    BodySource requestBody();

    /**
     * Writes the response head, {@code status} and {@code headers}, with the first piece of the body; when
     * {@code last}, completes the response. The callback succeeds once the bytes are handed to the network (the buffer
     * may then be reused) and fails if the client has gone.
     *
     * @param status the response status code
     * @param headers the response header fields
     * @param last whether {@code content} is the whole body, so the response is complete with this write
     * @param content the first piece of the body, possibly empty; read from its position to its limit
     * @param callback told once the bytes are handed to the network, or of the failure
     */
    void writeHead(int status, Fields headers, boolean last, ByteBuffer content, WriteCallback callback);

    /**
     * Writes a further piece of the response body and, when {@code last}, completes the response. The callback is
     * told as for {@link #writeHead}.
     *
     * @param last whether this is the final piece, so the response is complete with this write
     * @param content the piece of the body, possibly empty; read from its position to its limit
     * @param callback told once the bytes are handed to the network, or of the failure
     */
    void write(boolean last, ByteBuffer content, WriteCallback callback);

    /**
     * Has the response end with these trailer fields (gRPC's {@code grpc-status} and {@code grpc-message}): called
     * at most once, before the write with {@code last}, from the thread that then makes that write. An adapter sends
     * them where its client's connection can carry them (an HTTP/2 stream, a chunked HTTP/1.1 response) and drops
     * them elsewhere, as the default does.
     *
     * @param trailers the trailer fields to end the response with
     */
    default void trailers(Fields trailers) {
    }

    /**
     * Ends the exchange abnormally: the client connection is closed without completing the response, so a truncated
     * body is never taken for a whole one. Idempotent.
     *
     * @param cause why the exchange ends
     */
    void abort(Throwable cause);

    /**
     * Registers what to do when the client goes away before the response is complete: Junction then stops the
     * exchange's work at once (the backend request is aborted, the client's body no longer read). The adapter calls
     * it at most once, from any thread, as soon as its server tells it the client connection closed.
     *
     * @param listener called with the reason once the client has gone
     */
    void onClientGone(Consumer<Throwable> listener);

    /**
     * Returns whether the request has a body no header announces: an HTTP/2 request whose stream did not end with its
     * headers and that carries no {@code Content-Length} (HTTP/2 frames bodies itself). Junction then reads the body
     * to its end and sends it on whole, framed for HTTP/1.1. The default, false, suits HTTP/1.x, whose bodies are
     * always announced.
     *
     * @return whether the request carries a body that no header announces
     */
    default boolean hasUnannouncedBody() {
        return false;
    }

    /**
     * Returns the thread this exchange's I/O runs on, when the server has one per connection (an event loop, such as
     * Undertow's XNIO I/O threads): a transport on the same loop then keeps the backend exchange on it, with no
     * hand-off between threads. Null, the default, when the server has none.
     *
     * @return the connection's event loop, or null
     */
    default @Nullable Executor eventLoop() {
        return null;
    }

    /**
     * Returns how this exchange's connection becomes a tunnel, or null, the default, if it cannot (an HTTP/2 stream,
     * a server without upgrades): Junction then forwards an upgrade request as an ordinary one, without its upgrade
     * fields, and the backend answers it as such.
     *
     * @return the connection's upgrader, or null
     */
    default @Nullable Upgrader upgrader() {
        return null;
    }

    /** Switches a client's connection to a tunnel once the backend has agreed to ({@code 101}). */
    interface Upgrader {

        /**
         * Answers the client {@code 101 Switching Protocols} with {@code headers} (the backend's, {@code Upgrade}
         * among them, no framing field), then hands over the connection: {@code upgraded} is told its
         * {@link TunnelEnd} once the {@code 101} is on the wire, or {@code failed} if the client has gone. Called at
         * most once, instead of {@link ServerExchange#writeHead}; the exchange is over for the server once
         * {@code upgraded} is told.
         *
         * @param headers the header fields of the {@code 101} response
         * @param upgraded told the client's end of the tunnel once the {@code 101} is on the wire
         * @param failed told the failure if the client has gone before that
         */
        void upgrade(Fields headers, Consumer<TunnelEnd> upgraded, Consumer<Throwable> failed);
    }
}
