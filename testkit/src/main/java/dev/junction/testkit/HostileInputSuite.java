package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.TimeoutConfig;
import dev.junction.core.status.BackendStatus;

/**
 * A standing corpus of malformed and adversarial requests, sent over raw sockets: framing, targets, headers,
 * versions, sizes, slow senders and early closes. Each must end, within seconds, either in a refusal (4xx, a 501 or
 * 505, or a closed connection) that never reaches the backend, or in a forward the backend reads as the request that
 * was sent (its method, target and body); and no exchange may stay counted in flight. The backend is a raw socket, so
 * it sees exactly what the proxy sends.
 */
public abstract class HostileInputSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private ScriptedBackend backend;
    private Gateway gateway;

    @BeforeEach
    void start() throws IOException {
        backend = servers.add(new ScriptedBackend((request, out, socket) -> ScriptedBackend.write(out,
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")));
        gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("all").prefix("/").backend(backend.url())
                        .timeouts(TimeoutConfig.builder().idle(Duration.ofSeconds(1)).build()).build())
                .build()));
    }

    /** What a case may forward: the request line and body the backend must read, or null if it must be refused. */
    private record Forward(String requestLine, String body) {
    }

    private static Forward forward(String requestLine, String body) {
        return new Forward(requestLine, body);
    }

    private static final String END = "Connection: close\r\n\r\n";

    /** Cases that must be refused: nothing of them reaches the backend. */
    private static final String[][] REFUSED = {
        {"two Content-Lengths", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n" + END
            + "abcde"},
        {"a list of Content-Lengths", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4, 5\r\n" + END + "abcde"},
        {"a signed Content-Length", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n" + END + "abcde"},
        {"a Transfer-Encoding that does not end in chunked", "POST /a HTTP/1.1\r\nHost: x\r\n"
            + "Transfer-Encoding: gzip\r\n" + END + "abcde"},
        {"chunk data not followed by CRLF", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + END
            + "5\r\nhelloXX0\r\n\r\n"},
        {"a negative chunk size", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + END
            + "-5\r\nhello\r\n0\r\n\r\n"},
        {"a bad chunk size", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + END
            + "zz\r\nhello\r\n0\r\n\r\n"},
        {"a NUL in a value", "GET /a HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n" + END},
        {"a CR alone in a value", "GET /a HTTP/1.1\r\nHost: x\r\nX-A: a\rInjected: yes\r\n" + END},
        {"a space in a field name", "GET /a HTTP/1.1\r\nHost: x\r\nBad Name: x\r\n" + END},
        {"a space before the colon", "GET /a HTTP/1.1\r\nHost: x\r\nContent-Length : 5\r\n" + END + "hello"},
        {"no Host in HTTP/1.1", "GET /a HTTP/1.1\r\n" + END},
        {"two Hosts", "GET /a HTTP/1.1\r\nHost: x\r\nHost: y\r\n" + END},
        {"a control character in the target", "GET /a\u0001b HTTP/1.1\r\nHost: x\r\n" + END},
        {"a raw space in the target", "GET /a b HTTP/1.1\r\nHost: x\r\n" + END},
        {"a lower-case method", "get /a HTTP/1.1\r\nHost: x\r\n" + END},
        {"HTTP/0.9", "GET /a HTTP/0.9\r\nHost: x\r\n" + END},
        {"HTTP/2.0 in an HTTP/1 request line", "GET /a HTTP/2.0\r\nHost: x\r\n" + END},
        {"a target over 8 KiB", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n" + END},
        {"a header section over 32 KiB", "GET /a HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(40_000) + "\r\n"
            + END},
        {"a dot-segment with parameters", "GET /a/..;/b HTTP/1.1\r\nHost: x\r\n" + END},
        {"an encoded dot-segment", "GET /a/%2e%2e/b HTTP/1.1\r\nHost: x\r\n" + END},
        {"'..' over an empty segment", "GET /a//../b HTTP/1.1\r\nHost: x\r\n" + END},
    };

    @Test
    void everyMalformedRequestIsRefusedAndNeverReachesTheBackend() throws Exception {
        List<String> problems = new ArrayList<>();
        for (String[] attempt : REFUSED) {
            Answer answer = send(attempt[1]);
            if (answer.hung) {
                problems.add(attempt[0] + ": no answer and no close within 5 s");
            } else if (answer.status != -1 && !refusal(answer.status)) {
                problems.add(attempt[0] + ": answered " + answer.status);
            }
            awaitNothingInFlight(attempt[0]);
            if (!backend.requests.isEmpty()) {
                ScriptedBackend.Received received = backend.requests.poll();
                problems.add(attempt[0] + ": reached the backend as " + received.head().replace("\r\n", " | ")
                        + " with body '" + received.bodyText() + "'");
                backend.requests.clear();
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aRequestThatMaySmuggleAnotherEitherIsRefusedOrIsForwardedAlone() throws Exception {
        Answer answer = send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(answer.hung).isFalse();
        // Refused (400), or framed by Transfer-Encoding alone and the connection closed after it (RFC 9112 §6.3).
        for (ScriptedBackend.Received received : backend.requests) {
            assertThat(received.requestLine()).doesNotContain("/smuggled");
        }
        assertThat(answer.text).doesNotContain("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1");
        awaitNothingInFlight("smuggling");
    }

    @Test
    void wellFormedButUnusualRequestsAreForwardedAsSent() throws Exception {
        Object[][] cases = {
            {"a plain GET", "GET /a?b=c HTTP/1.1\r\nHost: x\r\n" + END, forward("GET /a?b=c HTTP/1.1", "")},
            {"an empty query", "GET /a? HTTP/1.1\r\nHost: x\r\n" + END, null},
            {"a body by length", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n" + END + "hello",
                forward("POST /a HTTP/1.1", "hello")},
            {"a chunked body with an extension and a trailer", "POST /a HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked\r\n" + END + "5;ext=1\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n",
                forward("POST /a HTTP/1.1", "hello")},
            {"a zero-length body", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n" + END,
                forward("POST /a HTTP/1.1", "")},
            {"HTTP/1.0 without Host", "GET /a HTTP/1.0\r\n\r\n", forward("GET /a HTTP/1.1", "")},
            {"matrix parameters and escapes", "GET /a;v=1/b%2Fc%20d HTTP/1.1\r\nHost: x\r\n" + END,
                forward("GET /a;v=1/b%2Fc%20d HTTP/1.1", "")},
            {"a method of one's own", "PURGE /a HTTP/1.1\r\nHost: x\r\n" + END, forward("PURGE /a HTTP/1.1", "")},
            {"a header of 24 KiB", "GET /a HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(24 * 1024) + "\r\n" + END,
                forward("GET /a HTTP/1.1", "")},
        };
        List<String> problems = new ArrayList<>();
        for (Object[] c : cases) {
            String name = (String) c[0];
            Answer answer = send((String) c[1]);
            Forward expected = (Forward) c[2];
            if (answer.hung) {
                problems.add(name + ": no answer and no close within 5 s");
            } else if (answer.status == 200) {
                ScriptedBackend.Received received = backend.requests.poll();
                if (received == null) {
                    problems.add(name + ": 200 without reaching the backend");
                } else if (expected != null && (!received.requestLine().equals(expected.requestLine())
                        || !received.bodyText().equals(expected.body()))) {
                    problems.add(name + ": forwarded as " + received.requestLine() + " with body '"
                            + received.bodyText() + "'");
                }
            } else if (!refusal(answer.status) && answer.status != -1 || !backend.requests.isEmpty()) {
                problems.add(name + ": answered " + answer.status + " and reached the backend "
                        + backend.requests.size() + " times");
            }
            backend.requests.clear();
            awaitNothingInFlight(name);
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void slowSendersAndEarlyClosesLeaveNothingBehind() throws Exception {
        // A head that stops halfway, a body that stops halfway, a chunked body that stops inside a chunk: each client
        // gives up and closes.
        String[] partial = {
            "GET /a HTTP/1.1\r\nHost: x\r\nX-Half",
            "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789",
            "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n0123456789",
        };
        for (String start : partial) {
            try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                socket.getOutputStream().write(start.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                socket.setSoTimeout(200);
                try {
                    int read = socket.getInputStream().read();
                    assertThat(read).as("nothing answered to a request not sent whole: %s", start).isIn(-1,
                            (int) 'H');
                } catch (SocketTimeoutException | SocketException e) {
                    // Still waiting for the rest, or closed: either way the client now leaves.
                }
            }
            awaitNothingInFlight(start);
            for (ScriptedBackend.Received received : backend.requests) {
                // What reached the backend is framed as incomplete: its declared length is never met.
                assertThat(received.body().length).as(start).isLessThan(100);
            }
            backend.requests.clear();
        }
    }

    private static boolean refusal(int status) {
        return status >= 400 && status < 500 || status == 501 || status == 505;
    }

    private void awaitNothingInFlight(String name) {
        await().alias(name + ": an exchange stays in flight").atMost(Duration.ofSeconds(5)).until(() ->
                gateway.junction().inFlight() == 0 && gateway.junction().status().get(0).backends().stream()
                        .mapToInt(BackendStatus::inFlight).sum() == 0);
    }

    /** What came back on a connection: the status (-1 if none), the text, and whether it hung. */
    private record Answer(int status, String text, boolean hung) {
    }

    /** Sends {@code request} on a fresh connection and reads until the proxy closes it, at most 5 s. */
    private Answer send(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5000);
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
            } catch (SocketException e) {
                // Refused while still sending: what came back tells.
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            boolean hung = false;
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                hung = out.size() == 0;
            } catch (SocketException e) {
                // Reset after the answer, or instead of one.
            }
            String text = out.toString(StandardCharsets.ISO_8859_1);
            return new Answer(RawHttp.status(text), text, hung && !text.toLowerCase(Locale.ROOT).startsWith("http"));
        }
    }
}
