package dev.junction.core.internal.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.junction.core.config.FallbackConfig;
import dev.junction.core.http.Fields;
import dev.junction.core.http.WriteCallback;
import dev.junction.core.spi.ServerExchange;

/**
 * The answers Junction writes itself, the same through every adapter: a short plain-text error naming the route and
 * the reason, a route's fallback, an admin answer. A 503 carries {@code Retry-After: 1} (availability is re-evaluated
 * continuously, so a retry soon may succeed); a 400 or 431 closes the connection (the request may be one a parser
 * reads differently: nothing after it is read).
 *
 * <p>Stateless and thread-safe.
 */
final class Answers {

    /** The response header that says how many attempts a request took, when a route's retries ask for it. */
    static final String ATTEMPTS_HEADER = "X-Junction-Attempts";

    private static final String TEXT = "text/plain;charset=utf-8";

    private Answers() {
    }

    /**
     * Answers with a refusal of the route named {@code route}, then runs {@code ended}. The body names the route, the
     * reason and the exchange's request id, which the {@code X-Request-Id} field carries too.
     */
    static void refuse(String route, ServerExchange exchange, Refusal refusal, int attempts, String requestId,
            Runnable ended) {
        if (Grpc.is(exchange.requestHeaders())) {
            grpc(route, exchange, refusal, attempts, requestId, ended);
            return;
        }
        byte[] body = ("route '" + route + "': " + refusal.reason() + " (request id " + requestId + ")\n")
                .getBytes(StandardCharsets.UTF_8);
        Fields headers = new Fields(12)
                .add("Content-Type", TEXT)
                .add("Content-Length", Integer.toString(body.length))
                .add(RequestIds.HEADER, requestId);
        Fields extra = refusal.headers();
        if (extra != null) {
            headers.addAll(extra);
        } else if (refusal.status() == 503) {
            headers.add("Retry-After", "1");
        }
        if (refusal.status() == 400 || refusal.status() == 408 || refusal.status() == 414
                || refusal.status() == 431 || refusal.status() == 505) {
            headers.add("Connection", "close");
        }
        if (attempts > 0) {
            headers.add(ATTEMPTS_HEADER, Integer.toString(attempts));
        }
        send(exchange, refusal.status(), headers, body, ended);
    }

    /**
     * Answers a gRPC call's refusal as gRPC does: HTTP 200 and an empty body, the status in the trailers
     * ({@code grpc-status}: {@code UNAVAILABLE} when no backend could serve, {@code DEADLINE_EXCEEDED} when the call's
     * deadline ran out), the reason in {@code grpc-message}. The HTTP status Junction would have answered stays in the
     * access log and metrics.
     */
    private static void grpc(String route, ServerExchange exchange, Refusal refusal, int attempts, String requestId,
            Runnable ended) {
        Fields headers = new Fields(4)
                .add("Content-Type", "application/grpc")
                .add(RequestIds.HEADER, requestId);
        if (attempts > 0) {
            headers.add(ATTEMPTS_HEADER, Integer.toString(attempts));
        }
        exchange.trailers(new Fields(2)
                .add("grpc-status", Integer.toString(Grpc.status(refusal.status(), refusal.deadline())))
                .add("grpc-message", Grpc.message("route '" + route + "': " + refusal.reason() + " (request id "
                        + requestId + ")")));
        send(exchange, 200, headers, new byte[0], ended);
    }

    /**
     * Answers with the route's fallback, when no backend is available: its status, its body (or a line naming the
     * route) and its headers.
     */
    static void fallback(String route, FallbackConfig fallback, ServerExchange exchange, String requestId,
            Runnable ended) {
        if (fallback.body() == null && fallback.headers().isEmpty() && fallback.status() == 503) {
            refuse(route, exchange, new Refusal(503, "no backend is available"), 0, requestId, ended);
            return;
        }
        byte[] body = (fallback.body() != null ? fallback.body() : "route '" + route + "': no backend is available\n")
                .getBytes(StandardCharsets.UTF_8);
        Fields headers = new Fields(fallback.headers().size() + 3);
        fallback.headers().forEach(headers::set);
        if (!headers.contains("Content-Type")) {
            headers.add("Content-Type", TEXT);
        }
        if (fallback.status() == 503 && fallback.headers().isEmpty()) {
            headers.add("Retry-After", "1");
        }
        headers.set("Content-Length", Integer.toString(body.length));
        headers.set(RequestIds.HEADER, requestId);
        send(exchange, fallback.status(), headers, body, ended);
    }

    /** Answers with a status, headers and a body given whole (an admin answer). */
    static void answer(ServerExchange exchange, int status, Map<String, String> fields, byte[] body, Runnable ended) {
        Fields headers = new Fields(fields.size() + 1);
        fields.forEach(headers::set);
        headers.set("Content-Length", Integer.toString(body.length));
        send(exchange, status, headers, body, ended);
    }

    private static void send(ServerExchange exchange, int status, Fields headers, byte[] body, Runnable ended) {
        ByteBuffer content = "HEAD".equals(exchange.method()) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body);
        exchange.writeHead(status, headers, true, content, new WriteCallback() {
            @Override
            public void succeeded() {
                ended.run();
            }

            @Override
            public void failed(Throwable failure) {
                exchange.abort(failure);
                ended.run();
            }
        });
    }
}
