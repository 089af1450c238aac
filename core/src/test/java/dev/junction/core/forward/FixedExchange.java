package dev.junction.core.forward;

import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/** The request side of an exchange with fixed values, for the header and check rules; it takes no response. */
record FixedExchange(String method, String rawPath, @Nullable String rawQuery, HttpFields requestHeaders,
        String clientAddress) implements ServerExchange {

    static FixedExchange get(HttpFields headers) {
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
    public Content.Source requestBody() {
        return Content.Source.from(ByteBuffer.allocate(0));
    }

    @Override
    public void sendHead(int status, HttpFields headers) {
        throw new UnsupportedOperationException("request side only");
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
        throw new UnsupportedOperationException("request side only");
    }

    @Override
    public void abort(Throwable cause) {
        throw new UnsupportedOperationException("request side only");
    }
}
