package dev.junction.undertow;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

import dev.junction.core.offload.Offload;
import dev.junction.core.status.OffloadStatus;

/**
 * An Undertow {@link HttpHandler} that runs the rest of its chain on an {@link Offload} pool instead of an I/O thread:
 * what Undertow's {@code BlockingHandler} does with XNIO's worker pool, with a bound. Work above the pool's threads and
 * queue is refused at once with {@code 503} and {@code Retry-After}; the exchange is put in blocking mode first, so
 * the handlers after it may read and write with streams.
 *
 * <pre>{@code
 * Offload render = Offload.builder("render").threads(4).queue(64).build();
 * HttpHandler chain = JunctionHandler.create(config, new OffloadHandler(render, heavyApplicationHandler));
 * }</pre>
 *
 * <p>Thread-safe. Closing the pool is its owner's.
 */
public final class OffloadHandler implements HttpHandler {

    private final Offload offload;
    private final HttpHandler next;

    /**
     * Runs {@code next} on {@code offload}'s threads.
     *
     * @param offload the pool the rest of the chain runs on; closed by its owner, not by this handler
     * @param next the rest of the chain, run in blocking mode on a thread of the pool
     * @throws NullPointerException if {@code offload} or {@code next} is null
     */
    public OffloadHandler(Offload offload, HttpHandler next) {
        this.offload = Objects.requireNonNull(offload, "offload");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Offload.Ticket ticket = offload.admit();
        if (ticket == null) {
            refuse(exchange);
            return;
        }
        try {
            if (!exchange.isBlocking()) {
                exchange.startBlocking();
            }
            // Undertow hands the exchange to the ticket once this call returns, and runs next on the pool's thread.
            exchange.dispatch(ticket, next);
        } catch (RuntimeException e) {
            ticket.release();
            throw e;
        }
    }

    private void refuse(HttpServerExchange exchange) {
        OffloadStatus status = offload.status();
        exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, offload.retryAfter().toSeconds());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain;charset=utf-8");
        exchange.getResponseSender().send("overloaded: the " + offload.name() + " pool is full (" + status.running()
                + " running, " + status.queued() + " waiting)\n", StandardCharsets.UTF_8);
    }

    /** {@return the pool the rest of the chain runs on} */
    public Offload offload() {
        return offload;
    }
}
