package dev.junction.core.spi;

import java.nio.ByteBuffer;

import dev.junction.core.http.WriteCallback;

/**
 * One end of a tunnel: a client's or a backend's connection after {@code 101 Switching Protocols}, carrying bytes
 * both ways with no HTTP framing left (a WebSocket's frames, or another upgraded protocol's). The engine pumps two of
 * them into each other, one read and one write at a time on each, so a side that reads slowly holds back the side
 * that writes (back-pressure both ways).
 *
 * <p>An adapter makes the client's end ({@link ServerExchange.Upgrader#upgrade}); a transport makes the backend's
 * ({@link ResponseListener#upgraded}). Methods may be called from any thread; callbacks come on the end's own.
 */
public interface TunnelEnd {

    /**
     * Asks for the next bytes; the reader is then told once: {@link Reader#bytes} with what came (and a callback to
     * run once they are used, after which the buffer is the end's again), {@link Reader#ended} when the peer shut
     * its output, or {@link Reader#failed}. One read at a time.
     *
     * @param reader told once what the read came to
     */
    void read(Reader reader);

    /**
     * Writes {@code bytes}; {@code callback} is told once they are handed to the network, or failed. One write at a
     * time.
     *
     * @param bytes the bytes to write, from the buffer's position to its limit
     * @param callback told once the bytes are handed to the network, or of the failure
     */
    void write(ByteBuffer bytes, WriteCallback callback);

    /** Shuts this end's output once what was written has gone: the peer reads the end of the stream (half-close). */
    void shutdownOutput();

    /** Closes the connection both ways now; idempotent. A read waiting is told {@link Reader#failed}. */
    void close();

    /** What a {@link #read} is told, once. */
    interface Reader {

        /**
         * Bytes came; {@code consumed} gives the buffer back and must be run once, after they have been written.
         *
         * @param bytes what came, from the buffer's position to its limit; the end's own buffer
         * @param consumed gives the buffer back to the end; run once
         */
        void bytes(ByteBuffer bytes, Runnable consumed);

        /** The peer shut its output: no more bytes will come. */
        void ended();

        /**
         * The connection failed or was closed.
         *
         * @param cause what failed, or why the end was closed
         */
        void failed(Throwable cause);
    }
}
