package dev.junction.undertow;

import static dev.junction.testkit.ScriptedBackend.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.RawHttp;
import dev.junction.testkit.ScriptedBackend;
import dev.junction.undertow.transport.UndertowTransport;

/**
 * The same corpus of requests through the Undertow adapter on each transport, against one scripted backend: the
 * backend must receive byte-identical request heads and bodies (the gateway's own port in {@code X-Forwarded-Port}
 * and the request id Junction makes aside), and the client byte-identical responses (the {@code Date} field and the
 * request id aside, and the body compared without its chunk framing, whose boundaries follow the network's reads).
 */
class TransportDifferentialTest {

    /** A request id Junction made: each exchange gets a new one. */
    private static final String MADE_ID = "X-Request-Id: [0-9a-f]{32}";

    private static final Map<String, String> CORPUS = new LinkedHashMap<>();

    static {
        CORPUS.put("plain", "GET /plain HTTP/1.1\r\nHost: gw\r\n\r\n");
        CORPUS.put("encoded path and query", "GET /echo/a%2Fb%20c/%C3%A9?x=%41&y&z=1+2 HTTP/1.1\r\nHost: gw\r\n\r\n");
        CORPUS.put("repeated fields", "GET /fields HTTP/1.1\r\nHost: gw\r\nX-Rep: 1\r\nX-Rep: 2\r\nX-List: a, b\r\n"
                + "Accept: */*\r\nUser-Agent: differential/1\r\n\r\n");
        CORPUS.put("chunked request body", "POST /echo HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n"
                + "Content-Type: text/plain\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        CORPUS.put("sized request body", "PUT /echo HTTP/1.1\r\nHost: gw\r\nContent-Length: 11\r\n\r\nhello world");
        CORPUS.put("chunked response with trailers", "GET /trailers HTTP/1.1\r\nHost: gw\r\nTE: trailers\r\n\r\n");
        CORPUS.put("close-delimited response", "GET /close HTTP/1.1\r\nHost: gw\r\n\r\n");
        CORPUS.put("204", "GET /no-content HTTP/1.1\r\nHost: gw\r\n\r\n");
        CORPUS.put("304", "GET /not-modified HTTP/1.1\r\nHost: gw\r\nIf-None-Match: \"v1\"\r\n\r\n");
        CORPUS.put("HEAD", "HEAD /plain HTTP/1.1\r\nHost: gw\r\n\r\n");
        CORPUS.put("interim responses", "GET /interim HTTP/1.1\r\nHost: gw\r\n\r\n");
        CORPUS.put("backend error", "GET /error HTTP/1.1\r\nHost: gw\r\n\r\n");
        CORPUS.put("reset mid-body", "GET /reset HTTP/1.1\r\nHost: gw\r\n\r\n");
        CORPUS.put("garbage", "GET /garbage HTTP/1.1\r\nHost: gw\r\n\r\n");
    }

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    private static void answer(ScriptedBackend.Received request, OutputStream out, Socket socket) throws IOException {
        String target = request.requestLine().split(" ")[1];
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        if (path.startsWith("/echo")) {
            String body = request.requestLine() + "\n" + request.bodyText();
            write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n"
                    + body);
            return;
        }
        switch (path) {
            case "/plain" -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: \"p\"\r\n\r\n"
                    + (request.requestLine().startsWith("HEAD") ? "" : "hello"));
            case "/fields" -> write(out, "HTTP/1.1 200 OK\r\nX-B: 1\r\nX-B: 2\r\nX-List: a, b\r\nSet-Cookie: a=1\r\n"
                    + "Set-Cookie: b=2\r\nContent-Length: 2\r\n\r\nok");
            case "/trailers" -> write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\nX-T: t\r\n\r\n");
            case "/close" -> {
                write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
                socket.close();
            }
            case "/no-content" -> write(out, "HTTP/1.1 204 No Content\r\nX-A: a\r\n\r\n");
            case "/not-modified" -> write(out, "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n");
            case "/interim" -> write(out, "HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\n"
                    + "Link: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal");
            case "/error" -> write(out, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 4\r\n\r\ndown");
            case "/reset" -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
                // The partial body reaches the gateway before the reset, whichever transport reads it.
                sleep(200);
                socket.setSoLinger(true, 0);
                socket.close();
            }
            default -> write(out, "SURPRISE\r\n\r\n");
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** What one transport made of the corpus: per case, the backend's view and the client's. */
    private Map<String, List<String>> run(String transport, ScriptedBackend backend) throws Exception {
        Gateway gateway = UndertowGateway.start(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/").backend(backend.url()).build())
                .build(), transport);
        closeables.add(gateway);
        Map<String, List<String>> seen = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : CORPUS.entrySet()) {
            // Each request on a connection of its own, closed after the response: a response is what came until then.
            String request = entry.getValue().replaceFirst("\r\n", "\r\nConnection: close\r\n");
            String response = RawHttp.send(gateway.port(), request);
            ScriptedBackend.Received received = backend.requests.poll(2, TimeUnit.SECONDS);
            seen.put(entry.getKey(), List.of(
                    received == null ? "(nothing)" : (received.head() + received.bodyText())
                            .replaceFirst("X-Forwarded-Port: [0-9]+", "X-Forwarded-Port: (the gateway's)")
                            .replaceFirst(MADE_ID, "X-Request-Id: (made)"),
                    normalized(response)));
        }
        return seen;
    }

    /** The response with its {@code Date} field's value blanked and its chunked body de-chunked. */
    private static String normalized(String response) {
        int end = response.indexOf("\r\n\r\n");
        if (end < 0) {
            return response;
        }
        String head = response.substring(0, end + 4).replaceAll("(?im)^Date: .*$", "Date: -")
                .replaceFirst(MADE_ID, "X-Request-Id: (made)");
        String body = response.substring(end + 4).replaceFirst("\\(request id [0-9a-f]{32}\\)", "(request id (made))");
        if (head.toLowerCase().contains("transfer-encoding: chunked")) {
            StringBuilder data = new StringBuilder();
            int at = 0;
            while (at < body.length()) {
                int line = body.indexOf("\r\n", at);
                if (line < 0) {
                    data.append("(cut)");
                    break;
                }
                int size = Integer.parseInt(body.substring(at, line).split(";")[0].trim(), 16);
                if (size == 0) {
                    data.append("(end)");
                    break;
                }
                int from = line + 2;
                int to = Math.min(body.length(), from + size);
                data.append(body, from, to);
                at = to + 2;
            }
            body = data.toString();
        }
        return head + body;
    }

    @Test
    void bothTransportsForwardTheCorpusAlike() throws Exception {
        ScriptedBackend backend = new ScriptedBackend(TransportDifferentialTest::answer);
        closeables.add(backend);
        Map<String, List<String>> undertow = run(UndertowTransport.NAME, backend);
        Map<String, List<String>> jetty = run("jetty", backend);

        for (String name : CORPUS.keySet()) {
            assertThat(undertow.get(name).get(0)).as("%s: what the backend received", name)
                    .isEqualTo(jetty.get(name).get(0));
            assertThat(undertow.get(name).get(1)).as("%s: what the client received", name)
                    .isEqualTo(jetty.get(name).get(1));
        }
        assertThat(undertow.get("interim responses").get(1)).startsWith("HTTP/1.1 200 OK").endsWith("final");
        assertThat(undertow.get("reset mid-body").get(1)).doesNotContain("(end)");
        assertThat(undertow.get("garbage").get(1)).startsWith("HTTP/1.1 502");
    }
}
