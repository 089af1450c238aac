package dev.junction.core.internal.engine;

/** Aborts a response the engine dropped to send the request again: the status the route retries. */
final class RetriedException extends Exception {

    private static final long serialVersionUID = 1L;

    RetriedException(int status) {
        super("status " + status + " retried", null, false, false);
    }
}
