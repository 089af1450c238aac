package dev.junction.core.internal.engine;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.junction.core.http.BodySource;
import dev.junction.core.http.Chunk;
import dev.junction.core.http.Fields;
import dev.junction.core.http.WriteCallback;
import dev.junction.core.spi.ServerExchange;

/** The request side of an exchange with fixed values, for the header and check rules; it takes no response. */
record FixedExchange(String method, String rawPath, @Nullable String rawQuery, Fields requestHeaders,
        String clientAddress) implements ServerExchange {

    static FixedExchange get(Fields headers) {
        return new FixedExchange("GET", "/api/x", null, headers, "192.0.2.7");
    }

    @Override
    public String protocol() {
        return "HTTP/1.1";
    }

    @Override
    public String scheme() {
        return "http";
    }

    @Override
    public int localPort() {
        return 8080;
    }

    @Override
    public BodySource requestBody() {
        return new BodySource() {
            @Override
            public Chunk read() {
                return Chunk.EOF;
            }

            @Override
            public void demand(Runnable callback) {
                callback.run();
            }

            @Override
            public long length() {
                return 0;
            }
        };
    }

    @Override
    public void writeHead(int status, Fields headers, boolean last, ByteBuffer content, WriteCallback callback) {
        throw new UnsupportedOperationException("request side only");
    }

    @Override
    public void write(boolean last, ByteBuffer content, WriteCallback callback) {
        throw new UnsupportedOperationException("request side only");
    }

    @Override
    public void abort(Throwable cause) {
        throw new UnsupportedOperationException("request side only");
    }

    @Override
    public void onClientGone(Consumer<Throwable> listener) {
        throw new UnsupportedOperationException("request side only");
    }
}
