package dev.junction.core.health;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.jspecify.annotations.Nullable;

import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.StatusRanges;
import dev.junction.core.pool.Backend;

/**
 * The check Junction sends by default: an HTTP request on the gateway's shared client, passed when the status is one
 * of the expected ones and, if a body is expected, the first {@value #BODY_LIMIT} bytes of the body match.
 *
 * <p>Thread-safe; one instance serves every backend of one check configuration.
 */
final class HttpHealthCheck implements HealthCheck {

    private static final String USER_AGENT = "Junction-HealthCheck";
    /** How much of a response body a check with an expected body reads. */
    static final int BODY_LIMIT = 64 * 1024;

    private final HttpClient client;
    private final HealthCheckConfig check;
    private final StatusRanges expected;
    private final @Nullable Pattern body;

    HttpHealthCheck(HttpClient client, HealthCheckConfig check) {
        this.client = client;
        this.check = check;
        this.expected = StatusRanges.parse(check.expectedStatuses());
        this.body = check.expectedBodyPattern();
    }

    @Override
    public CompletionStage<HealthCheckResult> check(Backend backend, HealthCheckConfig config) {
        CompletableFuture<HealthCheckResult> verdict = new CompletableFuture<>();
        client.newRequest(target(backend))
                .method(check.method())
                .path(backend.basePath() + check.path())
                .timeout(check.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .headers(headers -> {
                    headers.put(HttpHeader.USER_AGENT, USER_AGENT);
                    check.headers().forEach(headers::put);
                })
                .send(new BodyListener(body != null, (result, text) -> verdict.complete(verdict(result, text))));
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

    private static String hostOf(URI origin) {
        String host = origin.getHost();
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private HealthCheckResult verdict(Result result, String text) {
        if (result.isFailed()) {
            Throwable cause = result.getFailure();
            if (cause instanceof TimeoutException) {
                return HealthCheckResult.unhealthy("no answer within " + check.timeout().toMillis() + " ms");
            }
            return HealthCheckResult.unhealthy(ActiveHealthChecker.describe(cause));
        }
        int status = result.getResponse().getStatus();
        if (!expected.contains(status)) {
            return HealthCheckResult.unhealthy("status " + status + " (expected " + expected + ")");
        }
        if (body != null && !body.matcher(text).find()) {
            return HealthCheckResult.unhealthy("body does not match " + check.expectedBody());
        }
        return HealthCheckResult.healthy("status " + status);
    }

    /** What a finished check hands on: the client's result and the start of the body, if it was read. */
    @FunctionalInterface
    private interface Done {
        void accept(Result result, String body);
    }

    /** Collects a check's response: its first {@value #BODY_LIMIT} bytes when the body is wanted, nothing else. */
    private static final class BodyListener implements Response.Listener {

        private final boolean wantBody;
        private final Done done;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        BodyListener(boolean wantBody, Done done) {
            this.wantBody = wantBody;
            this.done = done;
        }

        @Override
        public void onContent(Response response, ByteBuffer content) {
            int room = BODY_LIMIT - bytes.size();
            if (wantBody && room > 0) {
                int length = Math.min(room, content.remaining());
                byte[] chunk = new byte[length];
                content.get(chunk);
                bytes.write(chunk, 0, length);
            }
        }

        @Override
        public void onComplete(Result result) {
            done.accept(result, bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
