package dev.junction.examples.extend;

import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import dev.junction.core.http.BodySource;
import dev.junction.core.http.Fields;
import dev.junction.core.spi.BackendRequest;
import dev.junction.core.spi.ResponseListener;
import dev.junction.core.spi.Transport;

/**
 * A transport of one's own, around another: every request to a backend gets a trace header, and the responses and
 * failures are counted by phase. It adds, then hands the request and every event on unchanged, so streaming and
 * back-pressure stay the wrapped transport's.
 *
 * <pre>{@code
 * JettyTransport jetty = JettyTransport.create(config.client(), Duration.ofSeconds(5));
 * TracingTransport tracing = new TracingTransport(jetty, "X-Trace-Id");
 * tracing.start();
 * Junction junction = Junction.builder().transport(tracing).build(config).start();
 * ...
 * junction.close();
 * tracing.stop();              // a transport handed in is stopped by whoever made it
 * }</pre>
 */
public final class TracingTransport implements Transport {

    private final Transport delegate;
    private final String header;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong responses = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    public TracingTransport(Transport delegate, String header) {
        this.delegate = delegate;
        this.header = header;
    }

    @Override
    public void start() throws Exception {
        delegate.start();
    }

    @Override
    public void stop() throws Exception {
        delegate.stop();
    }

    @Override
    public Exchange send(BackendRequest request, ResponseListener listener) {
        Fields headers = request.headers();
        if (!headers.contains(header)) {
            headers.add(header, Long.toHexString(next.incrementAndGet()));
        }
        return delegate.send(request, new ResponseListener() {
            @Override
            public void requestBegun() {
                listener.requestBegun();
            }

            @Override
            public void requestSent() {
                listener.requestSent();
            }

            @Override
            public void responseBegun() {
                listener.responseBegun();
            }

            @Override
            public void head(int status, Fields responseHeaders) {
                responses.incrementAndGet();
                listener.head(status, responseHeaders);
            }

            @Override
            public void body(BodySource body) {
                listener.body(body);
            }

            @Override
            public void completed(@Nullable Failure failure) {
                if (failure != null) {
                    failures.incrementAndGet();
                }
                listener.completed(failure);
            }
        });
    }

    /** Returns the response heads received so far. */
    public long responses() {
        return responses.get();
    }

    /** Returns the requests that failed so far, in any phase. */
    public long failures() {
        return failures.get();
    }
}
