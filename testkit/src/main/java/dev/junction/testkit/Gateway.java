package dev.junction.testkit;

import java.net.URI;

import dev.junction.core.Junction;

/**
 * One adapter of Junction in front of real backends, as the behavioural suites drive it: a real server on 127.0.0.1
 * and an ephemeral port. A request no route takes reaches what the adapter wraps (the next handler, the rest of the
 * filter chain), which answers {@code 200 next handler} with {@code X-Next: yes}.
 */
public interface Gateway extends AutoCloseable {

    /** Returns the port the gateway listens on. */
    int port();

    /** Returns the gateway's URI for {@code target} (a path with an optional query). */
    default URI uri(String target) {
        return URI.create("http://127.0.0.1:" + port() + target);
    }

    /** Returns the Junction the adapter forwards with. */
    Junction junction();

    /**
     * Returns whether a request with both {@code Content-Length} and {@code Transfer-Encoding} is refused with
     * {@code 400}. A server in front of the adapter (a servlet container) may instead frame it by
     * {@code Transfer-Encoding} alone and close the connection after it, as RFC 9112 §6.3 allows; the adapter never
     * sees the conflict then.
     */
    default boolean refusesConflictingFraming() {
        return true;
    }

    /**
     * Returns whether every byte of a chunked request body's framing is checked before the adapter forwards it.
     * Undertow's servlet container decodes the body itself, leniently: it waits for more after chunk data not
     * followed by CRLF, and may end a body at a chunk size that is not hexadecimal; the Undertow handler decodes it
     * with Junction's own strict decoder.
     */
    default boolean checksChunkedFramingStrictly() {
        return true;
    }

    /**
     * Returns whether a target with an empty query ({@code /x?}) is told from one without ({@code /x}). Undertow's
     * parser makes them the same request, so an adapter on Undertow forwards {@code /x}.
     */
    default boolean keepsAnEmptyQuery() {
        return true;
    }

    /**
     * Returns whether field values reach the adapter with their inner whitespace as sent. Tomcat's and Undertow's
     * parsers turn each run of spaces and tabs inside a value into one space.
     */
    default boolean keepsWhitespaceInFieldValues() {
        return true;
    }

    /**
     * Returns whether a client that closes its connection while the backend thinks is noticed at once. A servlet
     * container reads nothing from a connection whose request is handled asynchronously, so a filter learns of it
     * only when it writes the response.
     */
    default boolean noticesAClientThatLeavesWhileTheBackendThinks() {
        return true;
    }

    /** Stops the adapter's Junction as the adapter's own shutdown does, leaving the server up. */
    void closeJunction();

    /** Stops the server and the Junction. */
    @Override
    void close();
}
