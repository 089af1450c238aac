package dev.junction.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;

import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RenegotiationRequiredException;
import io.undertow.server.SSLSessionInfo;
import io.undertow.server.protocol.http.HttpAttachments;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;

/**
 * A real backend for proxy tests: an Undertow server on 127.0.0.1 and an ephemeral port whose paths do what a test
 * needs. Every answer names the backend in an {@code X-Backend} header.
 * <ul>
 *   <li>{@code /upload}: reads the body, answers {@code <sha-256> <bytes>}.</li>
 *   <li>{@code /download?size=N[&chunked]}: N pseudo-random bytes (seed 42), with a Content-Length unless chunked.</li>
 *   <li>{@code /sse}: an event, a second of silence, another event.</li>
 *   <li>{@code /status/N}: status N, no body.</li>
 *   <li>{@code /cookies}: two {@code Set-Cookie} headers.</li>
 *   <li>{@code /hop}: hop-by-hop headers that must not reach the client.</li>
 *   <li>{@code /slow?ms=N}: answers after N ms.</li>
 *   <li>{@code /login}: sets an application session cookie, {@code JSESSIONID=<name>-<n>}.</li>
 *   <li>{@code /reset}: promises 100000 bytes, sends 50000, closes the connection; {@code ?chunked}: the same
 *       without a {@code Content-Length}.</li>
 *   <li>{@code /health}: {@link #healthStatus} and {@link #healthBody}; counted in {@link #healthChecks}, not in
 *       {@link #requests}.</li>
 *   <li>{@code /client-certificate}: over TLS, the subject of the client's certificate, or {@code none}.</li>
 *   <li>{@code /protocol}: the protocol the request came in, {@code HTTP/1.1} or {@code HTTP/2.0}.</li>
 *   <li>{@code /trailers[?length]}: a body (streamed, or with a Content-Length), then the trailer field
 *       {@code X-Checksum: 42} (on HTTP/2, or chunked).</li>
 *   <li>anything else: an echo of the request line and headers as text.</li>
 * </ul>
 */
public final class TestBackend implements AutoCloseable {

    public final String name;
    public final AtomicInteger requests = new AtomicInteger();
    /** The {@code X-Request-Id} of every request received (but {@code /health}), once each. */
    public final Set<String> requestIds = ConcurrentHashMap.newKeySet();
    /** How many requests came with an {@code X-Request-Id} this backend had already received. */
    public final AtomicInteger repeatedIds = new AtomicInteger();
    /** The status {@code /health} answers; a test flips it. */
    public final AtomicInteger healthStatus = new AtomicInteger(200);
    /** When not 0, every request but {@code /health} is answered with this status and no body. */
    public final AtomicInteger failWith = new AtomicInteger();
    /** How many of the next requests are answered with {@link #failNextStatus} (and no body). */
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failNextStatus = 503;
    /** How many of the next requests get their connection closed, with no response at all. */
    private final AtomicInteger resetNext = new AtomicInteger();
    /** The body {@code /health} answers; a test changes it. */
    public volatile String healthBody = "";
    /** The {@code /health} requests received, with the last one's User-Agent. */
    public final AtomicInteger healthChecks = new AtomicInteger();
    public volatile String healthCheckAgent = "";
    /** The protocol of the last {@code /health} request: {@code HTTP/1.1} or {@code HTTP/2.0}. */
    public volatile String healthCheckProtocol = "";
    private final AtomicInteger sessions = new AtomicInteger();
    /** Set by {@code /sse} just before it writes its second event. */
    public final AtomicBoolean secondEventWritten = new AtomicBoolean();
    private final Undertow server;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final int port;

    private final int delayMillis;
    private final @Nullable SSLContext tls;
    private final boolean clientCertificates;
    private final boolean http2;

    private TestBackend(String name, int port, int idleTimeoutMillis, int delayMillis) {
        this(name, port, idleTimeoutMillis, delayMillis, null, false, false);
    }

    private TestBackend(String name, int port, int idleTimeoutMillis, int delayMillis, @Nullable SSLContext tls,
            boolean clientCertificates, boolean http2) {
        this.name = name;
        this.delayMillis = delayMillis;
        this.tls = tls;
        this.clientCertificates = clientCertificates;
        this.http2 = http2;
        Undertow.Builder builder = Undertow.builder();
        if (http2) {
            // h2c by prior knowledge on the HTTP listener, h2 by ALPN on the HTTPS one.
            builder.setServerOption(UndertowOptions.ENABLE_HTTP2, true);
        }
        if (tls == null) {
            builder.addHttpListener(port, "127.0.0.1");
        } else {
            builder.addHttpsListener(port, "127.0.0.1", tls)
                    .setSocketOption(Options.SSL_CLIENT_AUTH_MODE,
                            clientCertificates ? SslClientAuthMode.REQUIRED : SslClientAuthMode.NOT_REQUESTED);
        }
        builder.setIoThreads(1)
                .setWorkerThreads(16)
                // Counts connections, for a test that a gateway closed its own.
                .setServerOption(UndertowOptions.ENABLE_STATISTICS, true)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, Long.MAX_VALUE)
                .setHandler(exchange -> {
                    if (exchange.isInIoThread()) {
                        exchange.dispatch(this::handle);
                        return;
                    }
                    handle(exchange);
                });
        if (idleTimeoutMillis > 0) {
            builder.setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, idleTimeoutMillis);
            builder.setSocketOption(Options.READ_TIMEOUT, idleTimeoutMillis);
        }
        this.server = builder.build();
        server.start();
        this.port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    public static TestBackend start(String name) {
        return new TestBackend(name, 0, 0, 0);
    }

    /** A backend that closes a keep-alive connection after {@code millis} without a request. */
    public static TestBackend withKeepAliveTimeout(String name, int millis) {
        return new TestBackend(name, 0, millis, 0);
    }

    /** A backend that takes {@code millis} over every request. */
    public static TestBackend withDelay(String name, int millis) {
        return new TestBackend(name, 0, 0, millis);
    }

    /**
     * A backend on HTTPS with the certificate of {@code tls} ({@link TestCertificates#serverContext}); with
     * {@code clientCertificates}, one its context trusts is required of every client.
     */
    public static TestBackend startTls(String name, SSLContext tls, boolean clientCertificates) {
        return new TestBackend(name, 0, 0, 0, tls, clientCertificates, false);
    }

    /** A backend that speaks HTTP/2 in clear text (h2c, prior knowledge) besides HTTP/1.1. */
    public static TestBackend startHttp2(String name) {
        return new TestBackend(name, 0, 0, 0, null, false, true);
    }

    /** A backend on HTTPS with the certificate of {@code tls} that speaks HTTP/2 (h2, by ALPN) besides HTTP/1.1. */
    public static TestBackend startHttp2Tls(String name, SSLContext tls) {
        return new TestBackend(name, 0, 0, 0, tls, false, true);
    }

    /** Starts this (closed) backend again on the same port, as a restarted process would; counts start from 0. */
    public TestBackend restarted() {
        return new TestBackend(name, port, 0, delayMillis, tls, clientCertificates, http2);
    }

    /** Answers the next {@code times} requests (but {@code /health}) with {@code status} and no body. */
    public void failNext(int times, int status) {
        failNextStatus = status;
        failNext.set(times);
    }

    /** Closes the connection of the next {@code times} requests without answering them. */
    public void resetNext(int times) {
        resetNext.set(times);
    }

    public int port() {
        return port;
    }

    /** Returns the connections open to the backend now. */
    public long openConnections() {
        return server.getListenerInfo().get(0).getConnectorStatistics().getActiveConnections();
    }

    public String url() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + port;
    }

    private void handle(HttpServerExchange exchange) throws Exception {
        if (exchange.getRequestPath().equals("/health")) {
            healthCheckAgent = String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent"));
            healthCheckProtocol = exchange.getProtocol().toString();
            // Counted last: a test that sees the count sees the fields above.
            healthChecks.incrementAndGet();
            exchange.setStatusCode(healthStatus.get());
            exchange.getResponseSender().send(healthBody);
            return;
        }
        requests.incrementAndGet();
        if (exchange.getRequestPath().equals("/client-certificate")) {
            SSLSessionInfo session = exchange.getConnection().getSslSessionInfo();
            Certificate[] peer = null;
            try {
                peer = session == null ? null : session.getPeerCertificates();
            } catch (SSLPeerUnverifiedException | RenegotiationRequiredException e) {
                // None shown.
            }
            exchange.getResponseSender().send(peer == null || peer.length == 0 ? "none"
                    : ((X509Certificate) peer[0]).getSubjectX500Principal().getName());
            return;
        }
        String id = exchange.getRequestHeaders().getFirst("X-Request-Id");
        if (id != null && !requestIds.add(id)) {
            repeatedIds.incrementAndGet();
        }
        if (resetNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            exchange.getConnection().close();
            return;
        }
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            // The body is read first, as a server that fails after looking at the request does.
            exchange.startBlocking();
            exchange.getInputStream().readAllBytes();
            exchange.setStatusCode(failNextStatus);
            exchange.endExchange();
            return;
        }
        if (failWith.get() != 0) {
            exchange.getResponseHeaders().put(HttpString.tryFromString("X-Backend"), name);
            exchange.setStatusCode(failWith.get());
            exchange.endExchange();
            return;
        }
        if (delayMillis > 0) {
            Thread.sleep(delayMillis);
        }
        exchange.startBlocking();
        exchange.getResponseHeaders().put(HttpString.tryFromString("X-Backend"), name);
        String path = exchange.getRequestPath();
        switch (path) {
            case "/upload" -> upload(exchange);
            case "/download" -> download(exchange);
            case "/protocol" -> exchange.getResponseSender().send(exchange.getProtocol().toString());
            case "/trailers" -> {
                HeaderMap trailers = new HeaderMap();
                trailers.put(HttpString.tryFromString("X-Checksum"), "42");
                exchange.putAttachment(HttpAttachments.RESPONSE_TRAILERS, trailers);
                byte[] body = "body before trailers".getBytes(StandardCharsets.UTF_8);
                if (exchange.getQueryParameters().containsKey("length")) {
                    exchange.setResponseContentLength(body.length);
                }
                OutputStream out = exchange.getOutputStream();
                // Two writes: without a length, the body goes out as it is written, trailers after it.
                out.write(body, 0, 5);
                out.flush();
                out.write(body, 5, body.length - 5);
                out.close();
            }
            case "/sse" -> sse(exchange);
            case "/login" -> {
                // An application session, as a servlet container creates one.
                exchange.getResponseHeaders().add(HttpString.tryFromString("Set-Cookie"),
                        "JSESSIONID=" + name + "-" + sessions.incrementAndGet() + "; Path=/; HttpOnly");
                exchange.getResponseSender().send("logged in at " + name);
            }
            case "/cached" -> {
                exchange.getResponseHeaders().put(HttpString.tryFromString("Cache-Control"), "max-age=60");
                exchange.getResponseSender().send("cached");
            }
            case "/cookies" -> {
                exchange.getResponseHeaders().add(HttpString.tryFromString("Set-Cookie"), "a=1; Path=/");
                exchange.getResponseHeaders().add(HttpString.tryFromString("Set-Cookie"), "b=2; Path=/");
                exchange.getResponseSender().send("cookies");
            }
            case "/hop" -> {
                exchange.getResponseHeaders().put(HttpString.tryFromString("Connection"), "X-Secret");
                exchange.getResponseHeaders().put(HttpString.tryFromString("X-Secret"), "1");
                exchange.getResponseHeaders().put(HttpString.tryFromString("Keep-Alive"), "timeout=5");
                exchange.getResponseHeaders().put(HttpString.tryFromString("Proxy-Authenticate"), "Basic");
                exchange.getResponseHeaders().put(HttpString.tryFromString("X-Kept"), "yes");
                exchange.getResponseSender().send("hop");
            }
            case "/slow" -> {
                // Cut short when the backend stops, so a test's clean-up never waits out a long think.
                stopping.await(Long.parseLong(exchange.getQueryParameters().get("ms").getFirst()),
                        TimeUnit.MILLISECONDS);
                exchange.getResponseSender().send("slow " + name);
            }
            case "/reset" -> {
                if (!exchange.getQueryParameters().containsKey("chunked")) {
                    exchange.setResponseContentLength(100_000);
                }
                OutputStream out = exchange.getOutputStream();
                out.write(new byte[50_000]);
                out.flush();
                IoUtils.safeClose(exchange.getConnection());
            }
            default -> {
                if (path.startsWith("/status/")) {
                    exchange.setStatusCode(Integer.parseInt(path.substring("/status/".length())));
                    exchange.endExchange();
                } else {
                    echo(exchange);
                }
            }
        }
    }

    private void echo(HttpServerExchange exchange) throws IOException {
        long bodyBytes = exchange.getInputStream().transferTo(OutputStream.nullOutputStream());
        StringBuilder text = new StringBuilder()
                .append("backend: ").append(name).append('\n')
                .append("method: ").append(exchange.getRequestMethod()).append('\n')
                .append("target: ").append(exchange.getRequestURI());
        if (!exchange.getQueryString().isEmpty()) {
            text.append('?').append(exchange.getQueryString());
        }
        text.append('\n');
        for (HeaderValues values : exchange.getRequestHeaders()) {
            for (String value : values) {
                text.append(values.getHeaderName()).append(": ").append(value).append('\n');
            }
        }
        text.append("body-bytes: ").append(bodyBytes).append('\n');
        exchange.getResponseHeaders().put(HttpString.tryFromString("Content-Type"), "text/plain");
        exchange.getResponseSender().send(text.toString());
    }

    private static void upload(HttpServerExchange exchange) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        InputStream in = exchange.getInputStream();
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            sha.update(buffer, 0, n);
            total += n;
        }
        exchange.getResponseSender().send(HexFormat.of().formatHex(sha.digest()) + " " + total);
    }

    private static void download(HttpServerExchange exchange) throws IOException {
        long size = Long.parseLong(exchange.getQueryParameters().get("size").getFirst());
        if (!exchange.getQueryParameters().containsKey("chunked")) {
            exchange.setResponseContentLength(size);
        }
        OutputStream out = exchange.getOutputStream();
        downloadBlocks(size, out::write);
        out.close();
    }

    /** Something that takes the blocks of a download: a stream, a digest. */
    private interface BlockSink<E extends Exception> {
        void take(byte[] block, int offset, int length) throws E;
    }

    /** Produces the bytes {@code /download?size=N} sends, 64 KiB at a time. */
    private static <E extends Exception> void downloadBlocks(long size, BlockSink<E> sink) throws E {
        Random random = new Random(42);
        byte[] block = new byte[64 * 1024];
        for (long left = size; left > 0; ) {
            random.nextBytes(block);
            int n = (int) Math.min(block.length, left);
            sink.take(block, 0, n);
            left -= n;
        }
    }

    /** The bytes {@code /download?size=N} sends, for checking a download. */
    public static byte[] downloadDigest(long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        TestBackend.<RuntimeException>downloadBlocks(size, sha::update);
        return sha.digest();
    }

    private void sse(HttpServerExchange exchange) throws Exception {
        exchange.getResponseHeaders().put(HttpString.tryFromString("Content-Type"), "text/event-stream");
        OutputStream out = exchange.getOutputStream();
        out.write("data: one\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        Thread.sleep(1000);
        secondEventWritten.set(true);
        out.write("data: two\n\n".getBytes(StandardCharsets.UTF_8));
        out.close();
    }

    @Override
    public void close() {
        stopping.countDown();
        server.stop();
    }
}
