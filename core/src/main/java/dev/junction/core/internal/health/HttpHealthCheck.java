package dev.junction.core.internal.health;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.StatusRanges;
import dev.junction.core.http.BodySource;
import dev.junction.core.http.Chunk;
import dev.junction.core.http.Fields;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.BackendRequest;
import dev.junction.core.spi.BackendTls;
import dev.junction.core.spi.HealthCheck;
import dev.junction.core.spi.HealthCheckResult;
import dev.junction.core.spi.ResponseListener;
import dev.junction.core.spi.Transport;
import dev.junction.core.tls.TlsFailures;

/**
 * The check Junction sends by default: an HTTP request through the Junction's own transport, passed when the status
 * is one of the expected ones and, if a body is expected, the first {@value #BODY_LIMIT} bytes of the body match.
 *
 * <p>Thread-safe; one instance serves every backend of one check configuration.
 */
public final class HttpHealthCheck implements HealthCheck {

    private static final String USER_AGENT = "Junction-HealthCheck";
    /** How much of a response body a check with an expected body reads. */
    static final int BODY_LIMIT = 64 * 1024;

    private final Transport transport;
    private final Function<Backend, @Nullable BackendTls> tls;
    private final HealthCheckConfig check;
    private final StatusRanges expected;
    private final @Nullable Pattern body;

    /**
     * Creates the check a configuration with a path describes, sent through {@code transport}.
     *
     * @param tls the TLS a check of a backend goes with (its route's for an {@code https://} backend), or null
     */
    public HttpHealthCheck(Transport transport, HealthCheckConfig check,
            Function<Backend, @Nullable BackendTls> tls) {
        this.transport = transport;
        this.tls = tls;
        this.check = check;
        this.expected = StatusRanges.parse(check.expectedStatuses());
        this.body = check.expectedBodyPattern();
    }

    @Override
    public CompletionStage<HealthCheckResult> check(Backend backend, HealthCheckConfig config) {
        CompletableFuture<HealthCheckResult> verdict = new CompletableFuture<>();
        URI target = target(backend);
        Fields headers = new Fields(check.headers().size() + 2);
        headers.add("Host", authority(target));
        headers.add("User-Agent", USER_AGENT);
        check.headers().forEach(headers::set);
        long timeout = check.timeout().toMillis();
        BackendRequest request = new BackendRequest(backend, target, check.method(),
                backend.basePath() + check.path(), headers, null, timeout, timeout, 0, 0, null, tls.apply(backend));
        Transport.Exchange sent = transport.send(request, new Reader(body != null, verdict));
        // A checker that gives up on the check (its timeout) cancels the verdict: the request is aborted, and its
        // connection closed, rather than left to finish.
        verdict.whenComplete((result, failure) -> {
            if (failure != null) {
                sent.abort(failure);
            }
        });
        return verdict;
    }

    /** Returns where the check goes: the backend's origin, or the same host on the check's own port. */
    private URI target(Backend backend) {
        if (check.port() == 0) {
            return backend.origin();
        }
        URI origin = backend.origin();
        return URI.create(origin.getScheme() + "://" + hostOf(origin) + ":" + check.port());
    }

    /** Returns the {@code Host} of a request to {@code origin}: its authority, without the scheme's default port. */
    private static String authority(URI origin) {
        String authority = origin.getRawAuthority();
        int port = origin.getPort();
        boolean defaultPort = port == -1 || port == ("https".equals(origin.getScheme()) ? 443 : 80);
        return defaultPort ? authority.replaceFirst(":[0-9]+$", "") : authority;
    }

    private static String hostOf(URI origin) {
        String host = origin.getHost();
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private HealthCheckResult verdict(int status, String text) {
        if (!expected.contains(status)) {
            return HealthCheckResult.unhealthy("status " + status + " (expected " + expected + ")");
        }
        if (body != null && !body.matcher(text).find()) {
            return HealthCheckResult.unhealthy("body does not match " + check.expectedBody());
        }
        return HealthCheckResult.healthy("status " + status);
    }

    /** Reads a check's response: its status, and its first {@value #BODY_LIMIT} bytes when the body is wanted. */
    private final class Reader implements ResponseListener {

        private final boolean wantBody;
        private final CompletableFuture<HealthCheckResult> verdict;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile int status;
        private @Nullable BodySource source;

        Reader(boolean wantBody, CompletableFuture<HealthCheckResult> verdict) {
            this.wantBody = wantBody;
            this.verdict = verdict;
        }

        @Override
        public void requestBegun() {
        }

        @Override
        public void requestSent() {
        }

        @Override
        public void responseBegun() {
        }

        @Override
        public void head(int status, Fields headers) {
            this.status = status;
        }

        @Override
        public void body(BodySource body) {
            source = body;
            drain();
        }

        /** Reads the body to its end, keeping its start: the transport completes the exchange once it is read. */
        private void drain() {
            BodySource body = source;
            while (body != null) {
                Chunk chunk = body.read();
                if (chunk == null) {
                    body.demand(this::drain);
                    return;
                }
                keep(chunk.buffer());
                chunk.release();
                if (chunk.last() || chunk.failure() != null) {
                    return;
                }
            }
        }

        private void keep(ByteBuffer content) {
            int room = BODY_LIMIT - bytes.size();
            if (wantBody && room > 0) {
                int length = Math.min(room, content.remaining());
                byte[] piece = new byte[length];
                content.get(piece);
                bytes.write(piece, 0, length);
            }
        }

        @Override
        public void completed(@Nullable Failure failure) {
            if (failure == null) {
                verdict.complete(verdict(status, bytes.toString(StandardCharsets.UTF_8)));
            } else if (failure.cause() instanceof TimeoutException) {
                verdict.complete(HealthCheckResult.unhealthy("no answer within " + check.timeout().toMillis()
                        + " ms"));
            } else {
                String tls = TlsFailures.describe(failure.cause());
                verdict.complete(HealthCheckResult.unhealthy(tls != null ? "TLS failed: " + tls
                        : ActiveHealthChecker.describe(failure.cause())));
            }
        }
    }
}
