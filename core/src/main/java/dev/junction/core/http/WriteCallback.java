package dev.junction.core.http;

/**
 * Told how a write ended: {@link #succeeded()} once the bytes are handed to the network (their buffer may then be
 * reused), or {@link #failed} if the peer has gone. Exactly one of the two is called, once, on any thread.
 */
public interface WriteCallback {

    /** The bytes were written. */
    void succeeded();

    /**
     * The bytes could not be written; the exchange is over.
     *
     * @param failure why the write failed
     */
    void failed(Throwable failure);
}
