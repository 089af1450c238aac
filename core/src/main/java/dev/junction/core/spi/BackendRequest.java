package dev.junction.core.spi;

import java.net.URI;
import java.util.Objects;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

import dev.junction.core.http.BodySource;
import dev.junction.core.http.Fields;

/**
 * One request for a {@link Transport} to send: everything the wire needs, decided by the engine.
 *
 * @param backend the backend it goes to (for per-backend connection pools and accounting)
 * @param origin where it goes: scheme, host and port (the backend's, or a health check's own port)
 * @param method the request method
 * @param target the request target sent on the wire: path (with the backend's base path) and query
 * @param headers every header field to send, {@code Host} included, hop-by-hop ones already removed; the transport
 *     adds only the framing ({@code Content-Length} or chunked) its protocol needs
 * @param body the body to send, read on demand, or null for none
 * @param idleTimeoutMillis the longest the exchange may see no bytes move, in milliseconds, 0 for none
 * @param totalTimeoutMillis the longest the whole exchange may take, in milliseconds, 0 for none
 * @param connectTimeoutMillis the longest the transport may take to connect and begin writing, in milliseconds, 0 for
 *     none; set only for a transport that {@linkplain Transport#enforcesDeadlines() enforces deadlines}, else the
 *     engine enforces it
 * @param responseTimeoutMillis the longest from the request written whole to the response's first line, in
 *     milliseconds, 0 for none; as {@code connectTimeoutMillis}
 * @param eventLoop the thread the client's exchange does its I/O on, when its server has one
 *     ({@link ServerExchange#eventLoop()}): a transport on the same event loop runs the backend exchange there, with
 *     no hand-off between threads; null for a request with no client (a health check) or a server without one
 * @param tls how to speak TLS to an {@code https://} origin (its route's trust, client certificate and server name),
 *     or null for a plain-HTTP one; transports key their connection pools by it
 */
public record BackendRequest(Backend backend, URI origin, String method, String target, Fields headers,
        @Nullable BodySource body, long idleTimeoutMillis, long totalTimeoutMillis, long connectTimeoutMillis,
        long responseTimeoutMillis, @Nullable Executor eventLoop, @Nullable BackendTls tls) {

    /**
     * Creates the request.
     *
     * @param backend the backend it goes to
     * @param origin where it goes: scheme, host and port
     * @param method the request method
     * @param target the request target sent on the wire
     * @param headers every header field to send
     * @param body the body to send, or null for none
     * @param idleTimeoutMillis the longest the exchange may see no bytes move, 0 for none
     * @param totalTimeoutMillis the longest the whole exchange may take, 0 for none
     * @param connectTimeoutMillis the longest the transport may take to connect and begin writing, 0 for none
     * @param responseTimeoutMillis the longest from the request written whole to the response's first line, 0 for none
     * @param eventLoop the thread the client's exchange does its I/O on, or null
     * @param tls how to speak TLS to an {@code https://} origin, or null
     * @throws NullPointerException if {@code backend}, {@code origin}, {@code method}, {@code target} or
     *     {@code headers} is null
     */
    public BackendRequest {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(headers, "headers");
    }

    /**
     * Creates a request with no event loop of its own, no TLS settings, and no connect or response deadline for the
     * transport to enforce.
     *
     * @param backend the backend it goes to
     * @param origin where it goes: scheme, host and port
     * @param method the request method
     * @param target the request target sent on the wire
     * @param headers every header field to send
     * @param body the body to send, or null for none
     * @param idleTimeoutMillis the longest the exchange may see no bytes move, 0 for none
     * @param totalTimeoutMillis the longest the whole exchange may take, 0 for none
     * @throws NullPointerException if {@code backend}, {@code origin}, {@code method}, {@code target} or
     *     {@code headers} is null
     */
    public BackendRequest(Backend backend, URI origin, String method, String target, Fields headers,
            @Nullable BodySource body, long idleTimeoutMillis, long totalTimeoutMillis) {
        this(backend, origin, method, target, headers, body, idleTimeoutMillis, totalTimeoutMillis, 0, 0, null,
                null);
    }

    /**
     * Returns this request with the connect and response deadlines a transport that enforces them is to apply.
     *
     * @param connectTimeoutMillis the longest the transport may take to connect and begin writing, 0 for none
     * @param responseTimeoutMillis the longest from the request written whole to the response's first line, 0 for none
     * @return a copy of this request with those deadlines, everything else the same
     */
    public BackendRequest withDeadlines(long connectTimeoutMillis, long responseTimeoutMillis) {
        return new BackendRequest(backend, origin, method, target, headers, body, idleTimeoutMillis,
                totalTimeoutMillis, connectTimeoutMillis, responseTimeoutMillis, eventLoop, tls);
    }
}
