package dev.junction.servlet;

import java.io.IOException;
import java.nio.ByteBuffer;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import dev.junction.core.http.BodyHandOver;
import dev.junction.core.http.Chunk;

/**
 * Reads the request body of an asynchronous servlet request for Junction's {@link BodyHandOver} with non-blocking
 * Servlet I/O: only while Junction demands bytes and the stream is ready (else the container's
 * {@code onDataAvailable()} fills again), so a slow backend holds the client back through TCP flow control. Each
 * chunk is a fresh array. {@link #listen()} runs on a container thread, as {@code setReadListener} requires; the
 * hand-over's monitor is never held while the container's stream is used.
 */
final class ServletBodyReader implements BodyHandOver.Filler, ReadListener {

    private static final int CHUNK_BYTES = 16 * 1024;

    private final ServletInputStream in;
    private final BodyHandOver body;

    ServletBodyReader(ServletInputStream in, long length) {
        this.in = in;
        this.body = new BodyHandOver(length, this);
    }

    /** Returns the body, read as Junction demands. */
    BodyHandOver body() {
        return body;
    }

    /** Registers with the container; the container may call back at once. */
    void listen() {
        in.setReadListener(this);
    }

    /** Reads what the stream has without blocking and hands it over. */
    @Override
    public void fill() {
        try {
            if (in.isFinished()) {
                body.deliver(Chunk.EOF);
                return;
            }
            if (!in.isReady()) {
                return;
            }
            byte[] bytes = new byte[CHUNK_BYTES];
            int read = in.read(bytes);
            if (read < 0) {
                body.deliver(Chunk.EOF);
                return;
            }
            body.deliver(Chunk.of(ByteBuffer.wrap(bytes, 0, read), in.isFinished()));
        } catch (IOException | RuntimeException e) {
            body.fail(e);
        }
    }

    @Override
    public void onDataAvailable() {
        body.refill();
    }

    @Override
    public void onAllDataRead() {
        body.refill();
    }

    @Override
    public void onError(Throwable failure) {
        body.fail(failure);
    }
}
