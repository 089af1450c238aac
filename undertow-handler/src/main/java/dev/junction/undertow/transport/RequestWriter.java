package dev.junction.undertow.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.xnio.ChannelListener;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;

import io.undertow.connector.PooledByteBuffer;

import dev.junction.core.http.BodySource;
import dev.junction.core.http.Chunk;

/**
 * Writes one request to its backend connection: the head (from a pooled buffer), then the body as the engine's
 * {@link BodySource} gives it, framed by its length or in chunks, one chunk at a time. A write the channel cannot take
 * whole waits for it to be writable; a body with nothing to give waits for its demand callback, which moves to the
 * loop's thread. Loop thread only.
 */
final class RequestWriter {

    private static final ByteBuffer CRLF = ByteBuffer.wrap("\r\n".getBytes(StandardCharsets.ISO_8859_1))
            .asReadOnlyBuffer();
    private static final ByteBuffer LAST_CHUNK = ByteBuffer.wrap("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))
            .asReadOnlyBuffer();
    private static final ByteBuffer CRLF_LAST_CHUNK =
            ByteBuffer.wrap("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)).asReadOnlyBuffer();

    private final BackendCall call;
    private final XnioIoThread thread;
    private final RequestHead head;
    private final @Nullable BodySource body;
    private final ByteBuffer[] out = new ByteBuffer[3];
    private int outCount;
    private @Nullable PooledByteBuffer headBuffer;
    private @Nullable Chunk writing;
    private boolean bodyWritten;
    private boolean writeBlocked;
    private long bodyLeft;
    private final Runnable bodyDemanded = this::bodyDemanded;
    private final ChannelListener<ConduitStreamSinkChannel> writable = channel -> {
        channel.suspendWrites();
        writeBlocked = false;
        write();
    };

    RequestWriter(BackendCall call, XnioIoThread thread, RequestHead head, @Nullable BodySource body) {
        this.call = call;
        this.thread = thread;
        this.head = head;
        this.body = body;
    }

    /** Starts writing: the head now, from a pooled buffer when it fits one. */
    void start(PooledByteBuffer pooled) {
        ByteBuffer bytes = pooled.getBuffer();
        if (head.bytes.length <= bytes.capacity()) {
            bytes.put(head.bytes).flip();
            headBuffer = pooled;
        } else {
            pooled.close();
            bytes = ByteBuffer.wrap(head.bytes);
        }
        out[0] = bytes;
        outCount = 1;
        bodyWritten = head.framing == RequestHead.Framing.NONE;
        bodyLeft = head.length;
        write();
    }

    /** Writes what is pending and then the body, as it comes; waits for the channel or the body when they do. */
    void write() {
        BackendConnection on = call.connection();
        if (call.isDone() || on == null) {
            return;
        }
        ConduitStreamSinkChannel sink = on.sink;
        try {
            while (true) {
                if (outCount > 0) {
                    long wrote = sink.write(out, 0, outCount);
                    if (wrote > 0) {
                        call.active(System.nanoTime());
                    }
                    if (out[outCount - 1].hasRemaining()) {
                        awaitWritable(sink);
                        return;
                    }
                    written();
                }
                if (bodyWritten) {
                    if (!sink.flush()) {
                        awaitWritable(sink);
                        return;
                    }
                    sink.getWriteSetter().set(null);
                    sink.suspendWrites();
                    call.requestSent();
                    return;
                }
                BodySource body = this.body;
                if (body == null) {
                    throw new IllegalStateException("a body to write, but none given");
                }
                Chunk chunk = body.read();
                if (chunk == null) {
                    body.demand(bodyDemanded);
                    return;
                }
                Throwable bodyFailure = chunk.failure();
                if (bodyFailure != null) {
                    chunk.release();
                    call.fail(bodyFailure);
                    return;
                }
                frame(chunk);
            }
        } catch (IOException | RuntimeException e) {
            call.fail(e);
        }
    }

    private void awaitWritable(ConduitStreamSinkChannel sink) {
        if (!writeBlocked) {
            writeBlocked = true;
            call.active(System.nanoTime());
        }
        sink.getWriteSetter().set(writable);
        sink.resumeWrites();
    }

    /** The body has more: write it, on the loop's thread. */
    private void bodyDemanded() {
        if (Thread.currentThread() == thread) {
            write();
        } else {
            thread.execute(this::write);
        }
    }

    /** Queues a chunk of the request body for writing, framed. */
    private void frame(Chunk chunk) {
        ByteBuffer data = chunk.buffer();
        writing = chunk;
        int length = data.remaining();
        if (head.framing == RequestHead.Framing.LENGTH) {
            if (length > bodyLeft) {
                throw new IllegalStateException("the request body is longer than its Content-Length");
            }
            bodyLeft -= length;
            out[0] = data;
            outCount = 1;
            if (chunk.last()) {
                if (bodyLeft != 0) {
                    throw new IllegalStateException("the request body ended " + bodyLeft + " bytes short of its"
                            + " Content-Length");
                }
                bodyWritten = true;
            }
            return;
        }
        outCount = 0;
        if (length > 0) {
            out[outCount++] = ByteBuffer.wrap((Integer.toHexString(length) + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out[outCount++] = data;
            out[outCount++] = (chunk.last() ? CRLF_LAST_CHUNK : CRLF).duplicate();
        } else if (chunk.last()) {
            out[outCount++] = LAST_CHUNK.duplicate();
        }
        if (chunk.last()) {
            bodyWritten = true;
        }
    }

    /** What was pending is written: its buffers go back. */
    void written() {
        outCount = 0;
        PooledByteBuffer head = headBuffer;
        if (head != null) {
            headBuffer = null;
            head.close();
        }
        Chunk chunk = writing;
        if (chunk != null) {
            writing = null;
            chunk.release();
        }
    }
}
