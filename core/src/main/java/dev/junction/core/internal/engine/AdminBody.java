package dev.junction.core.internal.engine;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import dev.junction.core.http.BodySource;
import dev.junction.core.http.Chunk;

/**
 * Reads an admin request's body whole, without blocking: chunk by chunk as they arrive, up to {@link #LIMIT} bytes.
 * Admin bodies are small (a backend's definition); a larger one is refused rather than buffered.
 */
final class AdminBody {

    /** The most an admin request's body may hold. */
    static final int LIMIT = 64 * 1024;

    private final BodySource source;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> done = new CompletableFuture<>();

    private AdminBody(BodySource source) {
        this.source = source;
    }

    /**
     * Returns the body's bytes once it has all arrived, null if it is over {@link #LIMIT}, or fails as the body did.
     */
    static CompletableFuture<byte[]> read(BodySource source) {
        if (source.length() > LIMIT) {
            return CompletableFuture.completedFuture(null);
        }
        AdminBody body = new AdminBody(source);
        body.readAvailable();
        return body.done;
    }

    private void readAvailable() {
        Chunk chunk;
        while ((chunk = source.read()) != null) {
            try {
                Throwable failure = chunk.failure();
                if (failure != null) {
                    done.completeExceptionally(failure);
                    return;
                }
                ByteBuffer buffer = chunk.buffer();
                if (bytes.size() + buffer.remaining() > LIMIT) {
                    done.complete(null);
                    return;
                }
                byte[] piece = new byte[buffer.remaining()];
                buffer.get(piece);
                bytes.writeBytes(piece);
                if (chunk.last()) {
                    done.complete(bytes.toByteArray());
                    return;
                }
            } finally {
                chunk.release();
            }
        }
        source.demand(this::readAvailable);
    }
}
