package dev.junction.undertow.transport;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.ssl.SslConnection;

import io.undertow.protocols.ssl.UndertowXnioSsl;

/**
 * One keep-alive connection to a backend, owned by one event loop and touched on its thread alone. While it is idle
 * in its pool, it listens for the backend closing it (or sending what no request asked for), and closes at once, so a
 * request seldom meets a connection already gone.
 */
final class BackendConnection {

    final StreamConnection connection;
    final ConduitStreamSourceChannel source;
    final ConduitStreamSinkChannel sink;
    final HostPool pool;
    final ResponseHead head = new ResponseHead();
    /** When it last went back to its pool, in {@link System#nanoTime()}. */
    long idleSince;
    private boolean closed;
    private final ChannelListener<ConduitStreamSourceChannel> idleWatch = this::idleReadable;

    BackendConnection(StreamConnection connection, HostPool pool) {
        this.connection = connection;
        this.source = connection.getSourceChannel();
        this.sink = connection.getSinkChannel();
        this.pool = pool;
    }

    /** Returns why its TLS handshake failed, or null for a plain connection or a handshake that has not failed. */
    @Nullable Throwable handshakeFailure() {
        return connection instanceof SslConnection tls && UndertowXnioSsl.getSslEngine(tls) instanceof RecordingEngine
                engine ? engine.failure() : null;
    }

    /** Returns whether it can carry a request: not closed by either side. */
    boolean usable() {
        return !closed && connection.isOpen();
    }

    /** Watches the idle connection for the backend closing it. */
    void idle(long now) {
        idleSince = now;
        head.reset();
        sink.getWriteSetter().set(null);
        sink.suspendWrites();
        source.getReadSetter().set(idleWatch);
        source.resumeReads();
    }

    private void idleReadable(ConduitStreamSourceChannel channel) {
        ByteBuffer probe = ByteBuffer.allocate(1);
        try {
            if (channel.read(probe) == 0) {
                return;
            }
        } catch (IOException e) {
            // Reset by the backend: closed below.
        }
        // Closed by the backend, or bytes no request asked for: either way it can carry nothing more.
        close();
    }

    /**
     * Takes the connection out of its pool for good, open, and returns it: it now carries a tunnel, its place under
     * the connection limit is free, and closing it is its new owner's business.
     */
    StreamConnection detach() {
        closed = true;
        source.getReadSetter().set(null);
        sink.getWriteSetter().set(null);
        pool.closed(this);
        return connection;
    }

    /** Closes the connection and tells its pool; idempotent. */
    void close() {
        if (!closed) {
            closed = true;
            IoUtils.safeClose(connection);
            pool.closed(this);
        }
    }
}
