package dev.junction.testkit;

import static dev.junction.testkit.ScriptedBackend.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.http.BodySource;
import dev.junction.core.http.Chunk;
import dev.junction.core.http.Fields;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.BackendRequest;
import dev.junction.core.spi.ResponseListener;
import dev.junction.core.spi.ResponseListener.Phase;
import dev.junction.core.spi.Ticker;
import dev.junction.core.spi.Transport;

/**
 * The contract every {@link Transport} keeps, checked against a {@link ScriptedBackend}: the events in order, bodies
 * both ways on demand, interim responses, keep-alive reuse, aborts, timeouts, and the phase each failure is reported
 * in (which retries and outlier detection rely on). A transport's test extends this class.
 */
public abstract class TransportSuite {

    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    private @Nullable Transport transport;

    /** Returns a new transport, not started; the suite starts and stops it. */
    protected abstract Transport newTransport();

    @BeforeEach
    void startTransport() throws Exception {
        Transport made = newTransport();
        made.start();
        transport = made;
    }

    @AfterEach
    void stopAll() throws Exception {
        if (transport != null) {
            transport.stop();
        }
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @Test
    void tellsAnExchangeInOrderAndSendsTheRequestAsGiven() throws Exception {
        ScriptedBackend backend = backend((request, out, socket) -> write(out,
                "HTTP/1.1 200 OK\r\nX-B: 1\r\nX-B: 2\r\nContent-Length: 5\r\n\r\nhello"));
        Fields headers = new Fields().add("Host", "example.test").add("X-Test", "a").add("X-Test", "b");

        Recorder recorder = send(request(backend, "GET", "/p%2Fq?x=1&y", headers, null));

        assertThat(recorder.completed()).isNull();
        // The request's end and the response's start may come in either order: a backend may answer at once.
        assertThat(recorder.events).containsSubsequence("requestBegun", "requestSent", "completed")
                .containsSubsequence("requestBegun", "responseBegun", "head 200", "body", "completed")
                .hasSize(6);
        assertThat(recorder.headers.values("X-B")).containsExactly("1", "2");
        assertThat(recorder.bodyText()).isEqualTo("hello");
        ScriptedBackend.Received received = backend.nextRequest();
        assertThat(received.requestLine()).isEqualTo("GET /p%2Fq?x=1&y HTTP/1.1");
        assertThat(received.header("X-Test")).containsExactly("a", "b");
        assertThat(received.header("Host")).containsExactly("example.test");
    }

    @Test
    void aTargetStartingWithTwoSlashesIsSentAsThatPathNotAsAnAuthority() throws Exception {
        ScriptedBackend backend = backend((request, out, socket) -> write(out,
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        Fields headers = new Fields().add("Host", "example.test");

        Recorder recorder = send(request(backend, "GET", "//evil.example/admin?x=1", headers, null));

        assertThat(recorder.completed()).isNull();
        ScriptedBackend.Received received = backend.nextRequest();
        assertThat(received.requestLine()).isEqualTo("GET //evil.example/admin?x=1 HTTP/1.1");
        assertThat(received.header("Host")).containsExactly("example.test");
    }

    @Test
    void tellsOfInterimResponsesInOrderBeforeTheFinalOne() throws Exception {
        ScriptedBackend backend = backend((request, out, socket) -> write(out, "HTTP/1.1 102 Processing\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </b.js>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));

        Recorder recorder = send(request(backend, "GET", "/", new Fields(), null));

        assertThat(recorder.completed()).isNull();
        assertThat(recorder.events).containsSubsequence("interim 102", "interim 103 </a.css>; rel=preload",
                "interim 103 </b.js>; rel=preload", "head 200", "completed");
        assertThat(recorder.bodyText()).isEqualTo("ok");
    }

    @Test
    void streamsTheRequestBodyAsItIsOffered() throws Exception {
        ScriptedBackend backend = backend((request, out, socket) -> write(out,
                "HTTP/1.1 200 OK\r\nContent-Length: " + request.body().length + "\r\n\r\n" + request.bodyText()));
        OfferedBody body = new OfferedBody();
        body.offer("first,", false);

        Recorder recorder = new Recorder();
        transport().send(request(backend, "POST", "/upload", new Fields(), body), recorder);
        // The backend cannot have the whole body before the rest is offered.
        assertThat(backend.requests.poll(200, TimeUnit.MILLISECONDS)).isNull();
        body.offer("second,", false);
        body.offer("last", true);

        assertThat(recorder.completed()).isNull();
        assertThat(backend.nextRequest().bodyText()).isEqualTo("first,second,last");
        assertThat(recorder.bodyText()).isEqualTo("first,second,last");
    }

    @Test
    void reusesAConnectionForTheNextRequest() throws Exception {
        ScriptedBackend backend = backend((request, out, socket) -> write(out,
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"));

        assertThat(send(request(backend, "GET", "/1", new Fields(), null)).completed()).isNull();
        assertThat(send(request(backend, "GET", "/2", new Fields(), null)).completed()).isNull();

        assertThat(backend.connections).hasValue(1);
    }

    @Test
    void readsABodyDelimitedByTheConnectionsClose() throws Exception {
        ScriptedBackend backend = backend((request, out, socket) -> {
            write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
            socket.close();
        });

        Recorder recorder = send(request(backend, "GET", "/", new Fields(), null));

        assertThat(recorder.completed()).isNull();
        assertThat(recorder.bodyText()).isEqualTo("until the end");
    }

    @Test
    void aHeadResponseHasNoBodyWhateverItsLength() throws Exception {
        ScriptedBackend backend = backend((request, out, socket) -> write(out,
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"));

        Recorder recorder = send(request(backend, "HEAD", "/", new Fields(), null));

        assertThat(recorder.completed()).isNull();
        assertThat(recorder.headers.get("Content-Length")).isEqualTo("5");
        assertThat(recorder.bodyText()).isEmpty();
    }

    @Test
    void anEmptyBodyEndsWithTheHead() throws Exception {
        ScriptedBackend backend = backend((request, out, socket) -> write(out,
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));

        Recorder recorder = send(request(backend, "GET", "/", new Fields(), null));

        assertThat(recorder.completed()).isNull();
        assertThat(recorder.events).containsSubsequence("requestBegun", "responseBegun", "head 200", "completed")
                .contains("requestSent");
        // A transport may hand over an empty body, or none.
        assertThat(recorder.bodyText()).isEmpty();
    }

    @Test
    void aRefusedConnectionFailsInTheConnectPhase() throws Exception {
        int closed = FaultyBackend.closedPort();

        Recorder recorder = send(request("http://127.0.0.1:" + closed, "GET", "/", new Fields(), null, 0));

        ResponseListener.Failure failure = recorder.completed();
        assertThat(failure).isNotNull();
        assertThat(failure.phase()).isEqualTo(Phase.CONNECT);
        assertThat(failure.cause()).isInstanceOf(ConnectException.class);
    }

    @Test
    void aConnectionClosedWithoutAnAnswerFailsAwaitingTheHead() throws Exception {
        ScriptedBackend backend = backend((request, out, socket) -> socket.close());

        ResponseListener.Failure failure = send(request(backend, "GET", "/", new Fields(), null)).completed();

        assertThat(failure).isNotNull();
        assertThat(failure.phase()).isEqualTo(Phase.AWAIT_HEAD);
    }

    @Test
    void aBodyCutShortFailsInTheBodyPhase() throws Exception {
        ScriptedBackend backend = backend((request, out, socket) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..");
            socket.close();
        });

        Recorder recorder = send(request(backend, "GET", "/", new Fields(), null));

        ResponseListener.Failure failure = recorder.completed();
        assertThat(failure).isNotNull();
        assertThat(failure.phase()).isEqualTo(Phase.BODY);
        assertThat(recorder.events).contains("head 200");
    }

    @Test
    void anAbortEndsTheExchangeWithItsCause() throws Exception {
        ScriptedBackend backend = backend((request, out, socket) -> {
            // Never answers.
        });
        Recorder recorder = new Recorder();
        Transport.Exchange exchange = transport().send(request(backend, "GET", "/", new Fields(), null), recorder);
        backend.nextRequest();
        IOException cause = new IOException("client gone");

        // From a thread of the test's own, as the engine aborts from a timer or the client's side.
        exchange.abort(cause);

        ResponseListener.Failure failure = recorder.completed();
        assertThat(failure).isNotNull();
        assertThat(failure.cause()).isSameAs(cause);
        assertThat(failure.phase()).isEqualTo(Phase.AWAIT_HEAD);
    }

    @Test
    void theTotalTimeoutEndsAnExchangeThatGetsNoAnswer() throws Exception {
        ScriptedBackend backend = backend((request, out, socket) -> {
            // Never answers.
        });

        Recorder recorder = send(request(backend.url(), "GET", "/", new Fields(), null, 300));

        ResponseListener.Failure failure = recorder.completed();
        assertThat(failure).isNotNull();
        assertThat(failure.cause()).isInstanceOf(TimeoutException.class);
        assertThat(failure.phase()).isEqualTo(Phase.AWAIT_HEAD);
    }

    private Transport transport() {
        if (transport == null) {
            throw new IllegalStateException("the transport is not started");
        }
        return transport;
    }

    private ScriptedBackend backend(ScriptedBackend.Script script) throws IOException {
        ScriptedBackend backend = new ScriptedBackend(script);
        closeables.add(backend);
        return backend;
    }

    private Recorder send(BackendRequest request) {
        Recorder recorder = new Recorder();
        transport().send(request, recorder);
        return recorder;
    }

    private static BackendRequest request(ScriptedBackend backend, String method, String target, Fields headers,
            @Nullable BodySource body) {
        return request(backend.url(), method, target, headers, body, 0);
    }

    private static BackendRequest request(String url, String method, String target, Fields headers,
            @Nullable BodySource body, long totalTimeoutMillis) {
        Backend backend = BackendPool.of(List.of(BackendConfig.of(url)), Ticker.system()).all().get(0);
        if (headers.get("Host") == null) {
            headers.add("Host", backend.authority());
        }
        return new BackendRequest(backend, backend.origin(), method, target, headers, body, 0, totalTimeoutMillis);
    }

    /** A listener that records the events it is told and reads the body to its end. */
    private static final class Recorder implements ResponseListener {

        final List<String> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<@Nullable Failure> done = new CompletableFuture<>();
        final CompletableFuture<Void> bodyRead = new CompletableFuture<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        volatile Fields headers = new Fields();

        @Override
        public void requestBegun() {
            events.add("requestBegun");
        }

        @Override
        public void requestSent() {
            events.add("requestSent");
        }

        @Override
        public void responseBegun() {
            events.add("responseBegun");
        }

        @Override
        public void interim(int status, Fields headers) {
            String link = headers.get("Link");
            events.add("interim " + status + (link == null ? "" : " " + link));
        }

        @Override
        public void head(int status, Fields headers) {
            this.headers = headers;
            events.add("head " + status);
        }

        @Override
        public void body(BodySource source) {
            events.add("body");
            pump(source);
        }

        private void pump(BodySource source) {
            while (true) {
                Chunk chunk = source.read();
                if (chunk == null) {
                    source.demand(() -> pump(source));
                    return;
                }
                if (chunk.failure() != null) {
                    bodyRead.complete(null);
                    return;
                }
                ByteBuffer bytes = chunk.buffer();
                synchronized (body) {
                    while (bytes.hasRemaining()) {
                        body.write(bytes.get());
                    }
                }
                chunk.release();
                if (chunk.last()) {
                    bodyRead.complete(null);
                    return;
                }
            }
        }

        @Override
        public void completed(@Nullable Failure failure) {
            events.add("completed");
            done.complete(failure);
        }

        /**
         * Waits up to five seconds for the end (and for the body, if one came, to be read to its end: the transport
         * may complete as it hands out the last chunk), and returns its failure, null if none.
         */
        @Nullable Failure completed() throws Exception {
            Failure failure = done.get(5, TimeUnit.SECONDS);
            if (events.contains("body")) {
                bodyRead.get(5, TimeUnit.SECONDS);
            }
            return failure;
        }

        String bodyText() {
            synchronized (body) {
                return body.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** A request body of unknown length whose chunks a test offers as it goes. */
    private static final class OfferedBody implements BodySource {

        private final ConcurrentLinkedQueue<Chunk> chunks = new ConcurrentLinkedQueue<>();
        private final AtomicReference<@Nullable Runnable> demand = new AtomicReference<>();

        void offer(String text, boolean last) {
            chunks.add(Chunk.of(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)), last));
            Runnable callback = demand.getAndSet(null);
            if (callback != null) {
                callback.run();
            }
        }

        @Override
        public @Nullable Chunk read() {
            return chunks.poll();
        }

        @Override
        public void demand(Runnable callback) {
            demand.set(callback);
            if (!chunks.isEmpty() && demand.compareAndSet(callback, null)) {
                callback.run();
            }
        }

        @Override
        public long length() {
            return -1;
        }
    }
}
