package dev.junction.core.forward;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * The server side of one exchange, as an adapter (Servlet filter, Undertow handler) presents it to the engine: the
 * client's request as received, its body as a demand-driven source, and a sink for the response. Adapters only
 * translate; every policy (headers, errors, retries) lives in the engine.
 *
 * <p>The engine calls the response methods in order: at most one {@link #sendHead}, then {@link #write} calls, each
 * after the previous one's callback, the last one with {@code last == true}; or {@link #abort} at any point. Each
 * method may be called from any thread, never concurrently; an adapter moves the work to its own I/O thread if its
 * server needs that. Nothing may block.
 */
public interface ServerExchange {

    /** Returns the request method as received, e.g. {@code GET}. */
    String method();

    /** Returns the request path as received: still percent-encoded, without the query; starts with {@code /}. */
    String rawPath();

    /** Returns the query as received, without the {@code ?}, or null if the target had none. */
    @Nullable String rawQuery();

    /** Returns the protocol of the request as received: {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2.0}. */
    String protocol();

    /** Returns {@code http} or {@code https}: how the client reached this server. */
    String scheme();

    /** Returns the request headers as received, repeated ones as separate fields, in order. */
    HttpFields requestHeaders();

    /** Returns the client's IP address as a literal ({@code 192.0.2.7}, {@code 2001:db8::1}). */
    String clientAddress();

    /** Returns the local port the client connected to. */
    int localPort();

    /**
     * Returns the request body: read until {@code null}, then demand. An empty body is a source whose first read is
     * the last chunk. Reading it the first time sends {@code 100 Continue} if the client asked for one.
     */
    Content.Source requestBody();

    /**
     * Sets the response status and headers. They reach the client with the first {@link #write}, so a short response
     * goes out in one piece.
     */
    void sendHead(int status, HttpFields headers);

    /**
     * Writes a piece of the response body and, when {@code last}, completes the response. The callback succeeds once
     * the bytes are handed to the network (the buffer may then be reused) and fails if the client has gone.
     */
    void write(boolean last, ByteBuffer content, Callback callback);

    /**
     * Ends the exchange abnormally: the client connection is closed without completing the response, so a truncated
     * body is never taken for a whole one. Idempotent.
     */
    void abort(Throwable cause);

    /**
     * Registers what to do when the client goes away before the response is complete; the adapter calls it at most
     * once, from any thread. An adapter that cannot tell may never call it: the engine then learns of it from a
     * failed write or read.
     */
    default void onClientGone(Consumer<Throwable> listener) {
    }
}
