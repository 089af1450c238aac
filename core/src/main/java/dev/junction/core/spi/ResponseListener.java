package dev.junction.core.spi;

import org.jspecify.annotations.Nullable;

import dev.junction.core.http.BodySource;
import dev.junction.core.http.Fields;

/**
 * What a {@link Transport} tells of one request: its progress on the wire, the response head, the body to read on
 * demand, and how it ended. Calls for one request come one at a time, in the order of the methods here, from the
 * transport's threads; none may block.
 */
public interface ResponseListener {

    /** How far a failed request had got: what the engine may conclude about the backend and about trying again. */
    enum Phase {
        /** No connection could be had, or the request was never written to one: the backend never saw it. */
        CONNECT,
        /** The request was being written when it failed: the backend may have seen part of it. */
        SEND,
        /** The request was written whole and no response head came: the backend may have acted on it. */
        AWAIT_HEAD,
        /** The response head came and the body did not finish. */
        BODY
    }

    /**
     * Why a request failed, and in which phase.
     *
     * @param phase how far the request had got
     * @param cause what failed: a {@link java.net.ConnectException}, an {@link java.io.IOException} for a connection
     *     closed or reset, a {@link java.util.concurrent.TimeoutException} for a timeout, or the cause given to
     *     {@link Transport.Exchange#abort}
     */
    record Failure(Phase phase, Throwable cause) {
    }

    /** The request is being written on a connection: connecting is over. */
    void requestBegun();

    /** The request, body included, is written whole: the backend's time to answer starts. */
    void requestSent();

    /** The response's first line has arrived. */
    void responseBegun();

    /**
     * An interim response ({@code 100}, {@code 102}, {@code 103}: a {@code 1xx} other than {@code 101}) arrived, with
     * its header fields (none for a {@code 100}); the final response follows. A transport tells of each one it reads,
     * in order; the default ignores them.
     *
     * @param status the interim status, {@code 1xx} other than {@code 101}
     * @param headers the interim response's header fields, empty for a {@code 100}
     */
    default void interim(int status, Fields headers) {
    }

    /**
     * The response head arrived: its status and header fields, which the listener now owns and may change.
     *
     * @param status the final response's status
     * @param headers the response's header fields, the listener's from now on
     */
    void head(int status, Fields headers);

    /**
     * The backend switched protocols ({@code 101}, after {@link #head}) on a request that asked to: its connection,
     * now a tunnel, is the listener's to pump and close; {@link #completed} follows. Only from a transport that
     * {@linkplain Transport#tunnels() tunnels}. The default closes it.
     *
     * @param backend the backend's end of the tunnel
     */
    default void upgraded(TunnelEnd backend) {
        backend.close();
    }

    /**
     * The response body, to read on demand; called once after {@link #head}, unless the response has no content. The
     * listener reads it to its last chunk, or aborts the exchange.
     *
     * @param body the response body, read on demand
     */
    void body(BodySource body);

    /**
     * The exchange is over, once: {@code failure} is null when the response was received whole (its body read to the
     * end), else says why and how far it had got.
     *
     * @param failure why and in which phase the exchange failed, or null if it succeeded
     */
    void completed(@Nullable Failure failure);
}
