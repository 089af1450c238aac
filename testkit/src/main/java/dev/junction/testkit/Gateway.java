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

    /** Returns what the server's parser does where servers differ; by default, nothing surprising. */
    default ParserQuirks quirks() {
        return ParserQuirks.NONE;
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
