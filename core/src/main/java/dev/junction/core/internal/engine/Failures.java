package dev.junction.core.internal.engine;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;


import dev.junction.core.spi.ResponseListener;
import dev.junction.core.tls.TlsFailures;

/**
 * What a failed attempt means for the next step: whether the backend can have seen the request, whether the
 * connection was lost under it, whether it timed out, and whether the method may be sent twice.
 *
 * <p>Stateless and thread-safe.
 */
final class Failures {

    private Failures() {
    }

    /**
     * Whether a failure means the backend never received the request: the connection was never made, the request was
     * never written to one, or the TLS handshake failed, in whichever phase the transport noticed it (some notice it
     * on the request's first write, or, with TLS 1.3, when the backend's refusal of the client certificate arrives
     * after the request went out).
     */
    static boolean neverReached(ResponseListener.Failure failure) {
        return failure.phase() == ResponseListener.Phase.CONNECT
                || failure.phase() != ResponseListener.Phase.BODY && TlsFailures.describe(failure.cause()) != null;
    }

    /**
     * Whether a failure is the proxy's own limit keeping the request from the backend: the transport's queue for it
     * full, or the connect deadline passed while every connection it may open was busy. The backend saw nothing and
     * is not at fault.
     */
    static boolean proxyLimit(Throwable failure) {
        return failure instanceof RejectedExecutionException;
    }

    /** Whether a failure is a backend connection closed or reset under the request: the keep-alive race among them. */
    static boolean connectionLost(Throwable failure) {
        return failure instanceof IOException && !(failure instanceof SocketTimeoutException);
    }

    /** Whether the method is idempotent (RFC 9110 §9.2.2): sending it twice means what sending it once does. */
    static boolean idempotent(String method) {
        switch (method) {
            case "GET":
            case "HEAD":
            case "OPTIONS":
            case "TRACE":
            case "PUT":
            case "DELETE":
                return true;
            default:
                return false;
        }
    }

    /** Whether a failure is a timeout: one of the route's, the client's connect timeout, or Jetty's idle one. */
    static boolean timeout(Throwable failure) {
        return failure instanceof TimeoutException || failure instanceof SocketTimeoutException;
    }
}
