package dev.junction.servlet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.conduits.StreamSourceConduit;

import io.undertow.conduits.ChunkedStreamSourceConduit;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.servlet.spec.HttpServletRequestImpl;

import jakarta.servlet.ServletRequest;

import dev.junction.core.http.BodyTooLargeException;
import dev.junction.core.http.ChunkedDecoder;
import dev.junction.core.http.MalformedBodyException;

/**
 * Gives a chunked request body in Undertow's servlet container Junction's strict decoder instead of Undertow's, which
 * waits for more after chunk data not followed by CRLF and may end a body at a chunk size that is not hexadecimal.
 * The filter calls {@link #decodeStrictly} before it opens the request's input stream: the connection's chunked
 * conduit is replaced, underneath whatever wraps it, by one reading the connection's own bytes through
 * {@link ChunkedDecoder}; the servlet stream then fails at the first malformed byte, and the engine answers 400.
 *
 * <p>Only this class names Undertow's types; the filter loads it in Undertow alone, so the filter needs nothing of
 * Undertow in another container.
 */
final class UndertowChunkedBody {

    private UndertowChunkedBody() {
    }

    /**
     * Decodes the chunked HTTP/1.1 body of {@code request} (Undertow's own request, unwrapped) strictly, if Undertow
     * set up its own decoder for it and nothing has read the body yet; returns whether it did.
     */
    static boolean decodeStrictly(ServletRequest request) {
        if (!(request instanceof HttpServletRequestImpl undertow)) {
            return false;
        }
        HttpServerExchange exchange = undertow.getExchange();
        if (!(exchange.getConnection() instanceof HttpServerConnection connection)
                || !exchange.isRequestChannelAvailable() || exchange.isRequestComplete()) {
            return false;
        }
        ConduitStreamSourceChannel source = connection.getChannel().getSourceChannel();
        if (!(source.getConduit() instanceof ChunkedStreamSourceConduit)) {
            return false;
        }
        source.setConduit(new StrictChunkedConduit(exchange, connection));
        return true;
    }

    /**
     * A chunked request body read from the connection's own conduit, starting with the bytes Undertow read past the
     * head. At the body's end, what follows (a pipelined request) is handed back to Undertow and the request is
     * marked complete, as Undertow's decoder would. Used by one reader at a time, as Undertow's conduits are.
     */
    private static final class StrictChunkedConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {

        private final HttpServerExchange exchange;
        private final HttpServerConnection connection;
        private final ChunkedDecoder decoder = ChunkedDecoder.forRequestBody();
        /** Bytes read from the client and not decoded yet. */
        private @Nullable PooledByteBuffer raw;
        /** The most body bytes the exchange allows (Undertow's {@code MAX_ENTITY_SIZE}); 0 or less for no limit. */
        private long maxBytes;
        private long total;
        private boolean started;
        private boolean ended;
        private @Nullable IOException failure;

        StrictChunkedConduit(HttpServerExchange exchange, HttpServerConnection connection) {
            super(connection.getOriginalSourceConduit());
            this.exchange = exchange;
            this.connection = connection;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            IOException failed = failure;
            if (failed != null) {
                throw failed;
            }
            if (ended) {
                return -1;
            }
            if (!started) {
                started = true;
                maxBytes = exchange.getMaxEntitySize();
                raw = connection.getExtraBytes();
                connection.setExtraBytes(null);
            }
            try {
                return decode(dst);
            } catch (MalformedBodyException e) {
                // The connection stays open for the engine's 400, and closes after it.
                release();
                exchange.setPersistent(false);
                Connectors.terminateRequest(exchange);
                IOException malformed = new IOException(e.getMessage());
                failure = malformed;
                throw malformed;
            }
        }

        /** Decodes into {@code dst} what the client has sent: the data's length, 0 if none yet, -1 at the end. */
        private int decode(ByteBuffer dst) throws IOException {
            int copied = 0;
            while (dst.hasRemaining()) {
                PooledByteBuffer in = raw;
                if (in == null || !in.getBuffer().hasRemaining()) {
                    release();
                    if (copied > 0) {
                        return copied;
                    }
                    in = fill();
                    if (in == null) {
                        return 0;
                    }
                }
                ByteBuffer bytes = in.getBuffer();
                int limit = bytes.limit();
                bytes.limit(Math.min(limit, bytes.position() + dst.remaining()));
                ByteBuffer data = decoder.next(bytes);
                bytes.limit(limit);
                copied += data.remaining();
                total += data.remaining();
                if (maxBytes > 0 && total > maxBytes) {
                    throw tooBig();
                }
                dst.put(data);
                // What follows the data tells whether it was the last, so the request ends with its last bytes.
                decoder.framing(bytes);
                if (decoder.done()) {
                    end();
                    return copied > 0 ? copied : -1;
                }
            }
            return copied;
        }

        /** Fails a body over the exchange's limit, as Undertow's decoder would: Junction answers 413. */
        private IOException tooBig() {
            release();
            exchange.setPersistent(false);
            Connectors.terminateRequest(exchange);
            IOException tooBig = new BodyTooLargeException(maxBytes);
            failure = tooBig;
            return tooBig;
        }

        /** Reads more of the client's bytes; returns null if it has sent nothing more yet. */
        private @Nullable PooledByteBuffer fill() throws IOException {
            PooledByteBuffer in = connection.getByteBufferPool().allocate();
            try {
                int read = next.read(in.getBuffer());
                if (read < 0) {
                    throw new IOException("the client closed its connection inside a chunked body");
                }
                if (read == 0) {
                    in.close();
                    return null;
                }
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
            in.getBuffer().flip();
            raw = in;
            return in;
        }

        /** Hands what follows the body back to Undertow and completes the request. */
        private void end() {
            ended = true;
            PooledByteBuffer rest = raw;
            raw = null;
            if (rest != null && rest.getBuffer().hasRemaining()) {
                connection.ungetRequestBytes(rest);
            } else if (rest != null) {
                rest.close();
            }
            Connectors.terminateRequest(exchange);
        }

        private void release() {
            PooledByteBuffer in = raw;
            raw = null;
            if (in != null) {
                in.close();
            }
        }

        /** Whether a read would not wait for the client: bytes are at hand, or the body is over. */
        private boolean ready() {
            PooledByteBuffer in = started ? raw : connection.getExtraBytes();
            return ended || failure != null || in != null && in.getBuffer().hasRemaining();
        }

        @Override
        public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
            for (int i = offs; i < offs + len; i++) {
                if (dsts[i].hasRemaining()) {
                    return read(dsts[i]);
                }
            }
            return 0;
        }

        @Override
        public long transferTo(long position, long count, FileChannel target) throws IOException {
            return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
        }

        @Override
        public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
            return IoUtils.transfer(new ConduitReadableByteChannel(this), count, throughBuffer, target);
        }

        @Override
        public void resumeReads() {
            if (ready()) {
                wakeupReads();
            } else {
                super.resumeReads();
            }
        }

        @Override
        public void awaitReadable() throws IOException {
            if (!ready()) {
                super.awaitReadable();
            }
        }

        @Override
        public void awaitReadable(long time, TimeUnit timeUnit) throws IOException {
            if (!ready()) {
                super.awaitReadable(time, timeUnit);
            }
        }

        /**
         * Gives up the body: the connection closes after the response, since what follows an unread chunked body
         * cannot be told from it. The connection's reading side is left to Undertow.
         */
        @Override
        public void terminateReads() {
            if (!ended) {
                ended = true;
                release();
                exchange.setPersistent(false);
            }
        }
    }
}
