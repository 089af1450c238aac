package dev.junction.servlet;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.lang.reflect.Field;
import java.nio.channels.ClosedChannelException;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

import dev.junction.core.http.WriteCallback;
import dev.junction.core.spi.TunnelEnd;

/**
 * A client's connection after {@code 101}, through the Servlet API's upgrade ({@code HttpServletRequest.upgrade}):
 * the container calls {@link #init} once the {@code 101} is on the wire, and the connection's streams, read and
 * written without blocking, become a tunnel end. A read takes a buffer only when the container says bytes are ready.
 *
 * <p>The container's listener calls and the tunnel's calls meet under one lock; the container calls its listeners
 * one at a time. Public only because the container makes it, by its class.
 */
public final class ServletTunnel implements HttpUpgradeHandler, TunnelEnd {

    private static final Logger LOG = LoggerFactory.getLogger(ServletTunnel.class);
    private static final int BUFFER_BYTES = 16 * 1024;

    private final Object lock = new Object();
    private @Nullable Consumer<TunnelEnd> upgraded;
    private @Nullable WebConnection connection;
    private @Nullable ServletInputStream input;
    private @Nullable ServletOutputStream output;
    // Guarded by lock.
    private @Nullable Reader reader;
    private @Nullable WriteCallback written;
    /** Bytes to write once the stream is ready (Tomcat refuses a write before it has said so). */
    private byte @Nullable [] unwritten;
    /** Set when the connection is to be closed once what was written has gone. */
    private boolean closePending;
    private boolean inputEnded;
    private boolean closed;

    /** The container makes it; {@link #whenUpgraded} says who takes it once it is ready. */
    public ServletTunnel() {
    }

    /** Tells {@code upgraded} of this end once the container has handed over the connection. */
    void whenUpgraded(Consumer<TunnelEnd> upgraded) {
        this.upgraded = upgraded;
    }

    @Override
    public void init(WebConnection webConnection) {
        try {
            connection = webConnection;
            output = webConnection.getOutputStream();
            input = webConnection.getInputStream();
            // The write listener first: Undertow reads and writes on one thread and expects it so.
            output.setWriteListener(new Writes());
            input.setReadListener(new Reads());
        } catch (IOException e) {
            close();
            return;
        }
        Consumer<TunnelEnd> taker = upgraded;
        if (taker != null) {
            taker.accept(this);
        } else {
            close();
        }
    }

    @Override
    public void read(Reader reader) {
        Runnable tell;
        synchronized (lock) {
            tell = readNow(reader);
        }
        tell.run();
    }

    /** Reads what is ready, or leaves the reader waiting; returns what to tell it, outside the lock. */
    private Runnable readNow(Reader reader) {
        ServletInputStream in = input;
        if (closed || in == null) {
            return () -> reader.failed(new ClosedChannelException());
        }
        if (inputEnded) {
            return reader::ended;
        }
        try {
            if (!in.isReady()) {
                this.reader = reader;
                return () -> { };
            }
            byte[] bytes = new byte[BUFFER_BYTES];
            int read = in.read(bytes);
            if (read < 0) {
                inputEnded = true;
                return reader::ended;
            }
            if (read == 0) {
                this.reader = reader;
                return () -> { };
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, read);
            return () -> reader.bytes(buffer, () -> { });
        } catch (IOException e) {
            return () -> reader.failed(e);
        }
    }

    @Override
    public void write(ByteBuffer bytes, WriteCallback callback) {
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        Runnable tell;
        synchronized (lock) {
            if (closed || output == null) {
                tell = () -> callback.failed(new ClosedChannelException());
            } else {
                written = callback;
                unwritten = array;
                tell = writeNow();
            }
        }
        tell.run();
    }

    /**
     * Writes the bytes waiting if the stream is ready, and tells their callback once it is ready again (they have
     * gone); else they wait for {@link Writes#onWritePossible}. Under the lock; returns what to tell, outside it.
     */
    private Runnable writeNow() {
        ServletOutputStream out = output;
        WriteCallback callback = written;
        if (out == null || callback == null) {
            return () -> { };
        }
        try {
            byte[] array = unwritten;
            if (array != null) {
                if (!out.isReady()) {
                    return () -> { };
                }
                unwritten = null;
                out.write(array);
                if (out.isReady()) {
                    // Tomcat keeps what is written in its buffer until it is flushed.
                    out.flush();
                }
            }
            if (!out.isReady()) {
                return () -> { };
            }
            written = null;
            return callback::succeeded;
        } catch (IOException | IllegalStateException e) {
            written = null;
            unwritten = null;
            return () -> callback.failed(e);
        }
    }

    /**
     * Ends the client's side once what was written has gone, by closing the connection: the Servlet API has no
     * half-close that holds in every container (Tomcat's upgraded output sends nothing on close; Undertow's destroys
     * the upgrade once both streams are closed), and a WebSocket's closing handshake has passed by the time either
     * side ends its stream.
     */
    @Override
    public void shutdownOutput() {
        boolean now;
        synchronized (lock) {
            closePending = true;
            now = closeDue();
        }
        if (now) {
            close();
        }
    }

    /** Returns whether the connection is to be closed now: asked for, and nothing left to write. Under the lock. */
    private boolean closeDue() {
        return closePending && written == null && !closed;
    }

    private static boolean isTomcats(ServletOutputStream out) {
        return out.getClass().getName().startsWith("org.apache.coyote.");
    }

    @Override
    public void close() {
        Reader waiting;
        WriteCallback pending;
        WebConnection open;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            waiting = reader;
            reader = null;
            pending = written;
            written = null;
            unwritten = null;
            open = connection;
        }
        if (open != null) {
            try {
                open.close();
            } catch (Exception e) {
                // Closed already.
            }
            closeTomcatSocket(output);
        }
        if (waiting != null) {
            waiting.failed(new ClosedChannelException());
        }
        if (pending != null) {
            pending.failed(new ClosedChannelException());
        }
    }

    /**
     * Closes the socket under Tomcat's upgraded streams: Tomcat closes an upgraded connection whose streams were closed
     * from another thread only at the connection's next socket event, so a tunnel ended by the backend or by its idle
     * timeout would leave an idle client waiting. Reached by reflection, as {@link ConnectionAbort} reaches Tomcat's
     * {@code CLOSE_NOW}; elsewhere, nothing to do.
     */
    private static void closeTomcatSocket(@Nullable ServletOutputStream out) {
        if (out == null || !isTomcats(out)) {
            return;
        }
        try {
            Field field = out.getClass().getDeclaredField("socketWrapper");
            field.setAccessible(true);
            Object socket = field.get(out);
            if (socket != null) {
                socket.getClass().getMethod("close").invoke(socket);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Cannot close Tomcat's upgraded socket; it closes at its next event", e);
        }
    }

    @Override
    public void destroy() {
        close();
    }

    /** Takes the reader waiting, if any. */
    private @Nullable Reader takeReader() {
        synchronized (lock) {
            Reader waiting = reader;
            reader = null;
            return waiting;
        }
    }

    private final class Reads implements ReadListener {

        @Override
        public void onDataAvailable() {
            Reader waiting = takeReader();
            if (waiting != null) {
                read(waiting);
            }
        }

        @Override
        public void onAllDataRead() {
            Reader waiting;
            synchronized (lock) {
                inputEnded = true;
                waiting = reader;
                reader = null;
            }
            if (waiting != null) {
                waiting.ended();
            }
        }

        @Override
        public void onError(Throwable failure) {
            if (failure instanceof EOFException) {
                // Tomcat's way of telling that the client shut its output; onAllDataRead follows.
                synchronized (lock) {
                    inputEnded = true;
                }
                return;
            }
            Reader waiting = takeReader();
            if (waiting != null) {
                waiting.failed(failure);
            }
        }
    }

    private final class Writes implements WriteListener {

        @Override
        public void onWritePossible() {
            Runnable tell;
            boolean closeNow;
            synchronized (lock) {
                tell = writeNow();
                closeNow = closeDue();
            }
            tell.run();
            if (closeNow) {
                close();
            }
        }

        @Override
        public void onError(Throwable failure) {
            WriteCallback pending;
            synchronized (lock) {
                pending = written;
                written = null;
                unwritten = null;
            }
            if (pending != null) {
                pending.failed(failure);
            }
        }
    }
}
