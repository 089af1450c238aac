package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;

/** The proxy rules of RFC 9110 §7.6 and the request checks, through real sockets to a real backend. */
public abstract class ProxyProtocolSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    private final HttpClient client = HttpClient.newHttpClient();
    private TestBackend backend;
    private Gateway gateway;

    @BeforeEach
    void start() {
        backend = TestBackend.start("a");
        gateway = startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").backend(backend.url()).build())
                .route(RouteConfig.builder().name("strip").prefix("/strip").stripPrefix(true)
                        .backend(backend.url()).build())
                .route(RouteConfig.builder().name("based").prefix("/based").rewrite("/v2")
                        .backend(backend.url() + "/base").build())
                .build());
    }

    @AfterEach
    void stop() {
        gateway.close();
        backend.close();
    }

    private String raw(String request) throws Exception {
        return RawHttp.send(gateway.port(), request);
    }

    @Test
    void aPathThatBecomesTwoSlashesIsForwardedAsThatPathNeverAsAnAuthority() throws Exception {
        // Stripping /strip leaves //evil.example/admin: a path, whose first segment is empty.
        String response = raw("GET /strip//evil.example/admin HTTP/1.1\r\nHost: gw.example\r\n"
                + "Connection: close\r\n\r\n");

        int status = RawHttp.status(response);
        if (status == 400) {
            // A server in front that refuses an empty segment outright is as safe.
            assertThat(backend.requests).hasValue(0);
        } else {
            assertThat(status).as(response).isEqualTo(200);
            assertThat(response).contains("target: //evil.example/admin\n");
        }
    }

    @Test
    void hopByHopRequestHeadersAndTheOnesConnectionNamesStayBehind() throws Exception {
        String response = raw("GET /api/h HTTP/1.1\r\nHost: gw.example\r\nConnection: close, X-Private\r\n"
                + "X-Private: secret\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: Basic eDp5\r\n"
                + "Proxy-Connection: keep-alive\r\nX-Public: yes\r\n\r\n");
        assertThat(RawHttp.status(response)).isEqualTo(200);
        // What the backend received, as it echoes it. Header names are case-insensitive; a server in front may pass
        // them on in lower case.
        String received = response.substring(response.indexOf("\r\n\r\n"));
        assertThat(received).containsIgnoringCase("X-Public: yes")
                .doesNotContainIgnoringCase("X-Private").doesNotContainIgnoringCase("Keep-Alive")
                .doesNotContainIgnoringCase("TE: trailers").doesNotContainIgnoringCase("Proxy-Authorization")
                .doesNotContainIgnoringCase("Proxy-Connection");
    }

    @Test
    void theBackendIsAskedForOnlyTheEncodingsTheClientAccepts() throws Exception {
        String none = raw("GET /api/e HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(none.substring(none.indexOf("\r\n\r\n"))).doesNotContainIgnoringCase("Accept-Encoding");
        String br = raw("GET /api/e HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\nConnection: close\r\n\r\n");
        assertThat(br.substring(br.indexOf("\r\n\r\n"))).containsIgnoringCase("Accept-Encoding: br\n")
                .doesNotContain("gzip");
    }

    @Test
    void hopByHopResponseHeadersStayBehind() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/api/../api/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> hop = client.send(HttpRequest.newBuilder(gateway.uri("/strip/hop")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(hop.headers().firstValue("X-Kept")).hasValue("yes");
        assertThat(hop.headers().map()).doesNotContainKeys("x-secret", "keep-alive", "proxy-authenticate");
    }

    @Test
    void forwardedForIsAppendedAndTheOtherForwardedHeadersAreSet() throws Exception {
        String response = raw("GET /api/x HTTP/1.1\r\nHost: gw.example:8443\r\nX-Forwarded-For: 203.0.113.9\r\n"
                + "X-Forwarded-Proto: https\r\nConnection: close\r\n\r\n");
        assertThat(response).contains("X-Forwarded-For: 203.0.113.9, 127.0.0.1\n")
                .contains("X-Forwarded-Proto: http\n")
                .contains("X-Forwarded-Host: gw.example:8443\n")
                .contains("X-Forwarded-Port: " + gateway.port() + "\n")
                .contains("Host: 127.0.0.1:" + backend.port() + "\n");
    }

    @Test
    void theForwardingHeadersOfAClientReachTheBackendOnlyFromATrustedProxy() throws Exception {
        String request = "GET /x HTTP/1.1\r\nHost: gw.example\r\nForwarded: for=10.9.9.9;proto=https\r\n"
                + "X-Real-IP: 10.9.9.9\r\nX-Forwarded-Prefix: /admin\r\nX-Original-URL: /admin\r\n"
                + "X-Rewrite-URL: /admin\r\nX-Forwarded-Proto: https\r\nX_Forwarded_For: 10.9.9.9\r\n"
                + "Connection: close\r\n\r\n";
        try (Gateway untrusting = startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().prefix("/").backend(backend.url()).build())
                .build())) {
            String response = RawHttp.send(untrusting.port(), request);
            assertThat(RawHttp.status(response)).as(response).isEqualTo(200);
            assertThat(response.toLowerCase(java.util.Locale.ROOT)).doesNotContain("10.9.9.9")
                    .doesNotContain("/admin").contains("x-forwarded-proto: http\n");
        }
        try (Gateway trusting = startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().prefix("/").backend(backend.url())
                        .trustedProxies(java.util.List.of("127.0.0.0/8")).build())
                .build())) {
            String response = RawHttp.send(trusting.port(), request).toLowerCase(java.util.Locale.ROOT);
            assertThat(response).contains("forwarded: for=10.9.9.9;proto=https\n").contains("x-real-ip: 10.9.9.9\n")
                    .contains("x-forwarded-prefix: /admin\n").contains("x-original-url: /admin\n")
                    .contains("x-rewrite-url: /admin\n").contains("x-forwarded-proto: https\n")
                    .doesNotContain("x_forwarded_for");
        }
    }

    @Test
    void preserveHostForwardedAndViaAreAddedWhenTheRouteAsks() throws Exception {
        try (Gateway other = startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().prefix("/").backend(backend.url())
                        .preserveHost(true).forwarded(true).via(true).build())
                .build())) {
            String response = RawHttp.send(other.port(), "GET /x HTTP/1.1\r\nHost: gw.example:8443\r\n"
                    + "Forwarded: for=203.0.113.9\r\nConnection: close\r\n\r\n");
            // The client is no trusted proxy: Junction's element is the only one.
            assertThat(response).contains("Host: gw.example:8443\n")
                    .doesNotContain("for=203.0.113.9")
                    .contains("Forwarded: for=127.0.0.1;proto=http;host=\"gw.example:8443\"\n")
                    .contains("Via: 1.1 junction\n")
                    .contains("Via: 1.1 junction\r\n");
        }
    }

    @Test
    void pathAndQueryReachTheBackendByteForByte() throws Exception {
        String target = "/api/a%2Fb/c%20d+e;p=1?q=a+b%20c&x=%2F&y=%3D";
        String response = raw("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(response).contains("target: " + target + "\n");
        String stripped = raw("GET /strip/x%2Fy?z=%20 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(stripped).contains("target: /x%2Fy?z=%20\n");
    }

    @Test
    void theTargetAndFieldValuesReachTheBackendByteForByte() throws Exception {
        try (ScriptedBackend raw = new ScriptedBackend((request, out, socket) -> ScriptedBackend.write(out,
                "HTTP/1.1 204 No Content\r\n\r\n"));
                Gateway exact = startGateway(JunctionConfig.builder()
                        .route(RouteConfig.builder().prefix("/").backend(raw.url()).build()).build())) {
            String response = RawHttp.send(exact.port(), "GET /x;p=1/a%2Fb%7e+c?q=%20&r=a+b HTTP/1.1\r\nHost: x\r\n"
                    + "X-Spaced: a  b\t c\r\nX-Empty:\r\nConnection: close\r\n\r\n");
            assertThat(RawHttp.status(response)).isEqualTo(204);
            ScriptedBackend.Received forwarded = raw.nextRequest();
            assertThat(forwarded.requestLine()).isEqualTo("GET /x;p=1/a%2Fb%7e+c?q=%20&r=a+b HTTP/1.1");
            if (exact.quirks().keepsWhitespaceInFieldValues()) {
                assertThat(forwarded.head()).containsIgnoringCase("\r\nX-Spaced: a  b\t c\r\n");
            }

            RawHttp.send(exact.port(), "GET /x? HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(raw.nextRequest().requestLine())
                    .isEqualTo(exact.quirks().keepsAnEmptyQuery() ? "GET /x? HTTP/1.1" : "GET /x HTTP/1.1");
        }
    }

    @Test
    void aMethodWithLowerCaseLettersIsRefusedNeverReadWithAnotherFraming() throws Exception {
        for (String method : new String[] {"head", "Get", "pOST", "purge"}) {
            String response = raw(method + " /api/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(RawHttp.status(response)).as(method + "\n" + response).isEqualTo(400);
        }
        assertThat(backend.requests).hasValue(0);
        assertThat(raw("PURGE /api/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).contains("method: PURGE\n");
    }

    @Test
    void repeatedResponseHeadersStaySeparate() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/strip/cookies")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().allValues("Set-Cookie")).containsExactly("a=1; Path=/", "b=2; Path=/");
    }

    @Test
    void headAndNoContentAndNotModifiedCarryNoBody() throws Exception {
        for (String request : new String[] {"HEAD /strip/download?size=1000 HTTP/1.1",
                "GET /strip/status/204 HTTP/1.1", "GET /strip/status/304 HTTP/1.1"}) {
            // Two requests on one connection: a body where none belongs would corrupt the second response.
            String response = raw(request + "\r\nHost: x\r\n\r\nGET /api/next HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n");
            int second = response.indexOf("HTTP/1.1 200", 12);
            assertThat(second).as(request).isPositive();
            assertThat(response.substring(response.indexOf("\r\n\r\n") + 4, second)).as(request).isEmpty();
            assertThat(response.substring(second)).contains("target: /api/next");
        }
    }

    @Test
    void expectContinueIsAnsweredAndTheBodyForwarded() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /strip/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] interim = new byte[25];
            int n = in.read(interim);
            assertThat(new String(interim, 0, n, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 100");
            out.write("hello".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String response = RawHttp.readAll(in);
            assertThat(response).contains("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 5");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheirOrder() throws Exception {
        String response;
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /strip/slow?ms=500 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            // The next two arrive while the backend thinks about the first, as a separate read.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(backend.requests).hasValue(1));
            out.write(("POST /strip/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /api/third HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            response = RawHttp.readAll(socket.getInputStream());
        }

        assertThat(response.split("HTTP/1.1 200", -1)).as(response).hasSize(4);
        int slow = response.indexOf("slow a");
        int upload = response.indexOf("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 5");
        int third = response.indexOf("target: /api/third");
        assertThat(slow).as(response).isPositive().isLessThan(upload);
        assertThat(upload).as(response).isLessThan(third);
    }

    @Test
    void aChunkedBodyEndsWhereItsFramingSaysAndTheRequestAfterItIsServed() throws Exception {
        // Body, trailer and the next request in one write: the adapter's chunked decoder must stop at the body's end
        // and leave the rest to the server.
        String response = raw("POST /strip/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2;ext=1\r\nhe\r\n3\r\nllo\r\n0\r\nX-Trailer: t\r\n\r\n"
                + "GET /api/third HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(response.split("HTTP/1.1 200", -1)).as(response).hasSize(3);
        int upload = response.indexOf("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 5");
        assertThat(upload).as(response).isPositive().isLessThan(response.indexOf("target: /api/third"));
    }

    @Test
    void aRequestIdIsKeptOrMadeAndReachesTheBackendAndTheClient() throws Exception {
        String kept = raw("GET /api/x HTTP/1.1\r\nHost: x\r\nX-Request-Id: order-42.a_b~c:d/e+f=\r\n"
                + "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\ntracestate: v=1,w=2\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(kept).contains("\r\nX-Request-Id: order-42.a_b~c:d/e+f=\r\n")
                .contains("\nX-Request-Id: order-42.a_b~c:d/e+f=\n")
                .contains("\ntraceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\n")
                .contains("\ntracestate: v=1,w=2\n");

        String made = raw("GET /api/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        java.util.regex.Matcher header = java.util.regex.Pattern.compile("\r\nX-Request-Id: ([0-9a-f]{32})\r\n")
                .matcher(made);
        assertThat(header.find()).as(made).isTrue();
        assertThat(made).as("the backend got the same id").contains("\nX-Request-Id: " + header.group(1) + "\n");

        // Too long, or with characters a log line or a header could be split by: replaced, never passed on.
        for (String unsafe : new String[] {"x".repeat(129), "a b", "a\"b", "a,b"}) {
            String replaced = raw("GET /api/x HTTP/1.1\r\nHost: x\r\nX-Request-Id: " + unsafe
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(replaced).as(unsafe).containsPattern("\r\nX-Request-Id: [0-9a-f]{32}\r\n")
                    .doesNotContain("X-Request-Id: " + unsafe);
        }
    }

    @Test
    void dotSegmentsAreResolvedBeforeRouting() throws Exception {
        String response = raw("GET /api/../admin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(response).contains("next handler");
        assertThat(backend.requests).hasValue(0);
        assertThat(raw("GET /admin/../api/./x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .contains("target: /api/x\n");
    }

    @Test
    void aDotSegmentInDisguiseIsRefusedWhateverTheRouteDoesWithThePath() throws Exception {
        // /api forwards the path as it is, /strip strips its prefix, /based rewrites it onto a backend base path.
        for (String route : new String[] {"/api", "/strip", "/based"}) {
            for (String rest : new String[] {"/%2e%2e/admin", "/..%2fadmin", "/%2E%2E%2Fadmin", "/a/%2e%2e/%2e%2e/etc",
                "/..;/admin", "/%2e%2e;/admin", "/x/%2e%2e//%2e%2e/admin", "/..;jsessionid=1/admin", "/.%2e/admin",
                "/..%5cadmin", "//../admin", "/x//../../admin"}) {
                String target = route + rest;
                String response = raw("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                // Junction's 400, or the servlet container's own before the filter sees the request.
                assertThat(RawHttp.status(response)).as(target).isEqualTo(400);
            }
        }
        assertThat(backend.requests).hasValue(0);
        assertThat(raw("GET /api/a%2e%2e/b%2fc;v=1/..x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200").contains("target: /api/a%2e%2e/b%2fc;v=1/..x\n");
    }

    @Test
    void smugglingAttemptsAreRefusedAndNeverReachTheBackend() throws Exception {
        String[] attempts = {
            "POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde",
            "POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 4, 5\r\n\r\nabcde",
            "GET /api/x HTTP/1.1\r\nHost: x\r\nX-Evil: a\rInjected: yes\r\n\r\n",
        };
        for (String attempt : attempts) {
            String response = raw(attempt);
            assertThat(RawHttp.status(response)).as(attempt).isEqualTo(400);
        }
        assertThat(backend.requests).hasValue(0);
    }

    @Test
    void contentLengthWithTransferEncodingNeverDesynchronisesTheConnection() throws Exception {
        String response = raw("POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n"
                + "\r\n0\r\n\r\nGET /api/smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
        if (gateway.quirks().refusesConflictingFraming()) {
            assertThat(RawHttp.status(response)).isEqualTo(400);
            assertThat(backend.requests).hasValue(0);
        } else {
            // RFC 9112 §6.3 lets a server frame such a request by Transfer-Encoding alone, closing the connection
            // after its response.
            assertThat(RawHttp.status(response)).isEqualTo(200);
            assertThat(response).contains("body-bytes: 0");
        }
        assertThat(response.split("HTTP/1.1 ", -1)).as("responses on the connection").hasSize(2);
        assertThat(response).doesNotContain("/api/smuggled");
    }

    @Test
    void aFoldedHeaderLineReachesTheBackendAsOneLine() throws Exception {
        // RFC 9112 §5.2: a server either refuses obs-fold or replaces it with spaces before forwarding.
        String response = raw("GET /api/x HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n Injected: yes\r\n"
                + "Connection: close\r\n\r\n");
        if (RawHttp.status(response) != 400) {
            assertThat(response).doesNotContain("\nInjected: yes").containsPattern("(?i)X-Folded: a +Injected: yes\n");
        }
    }

    @Test
    void aHeaderSectionTooLargeGets431() throws Exception {
        String big = "x".repeat(40 * 1024);
        String response = raw("GET /api/x HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\nConnection: close\r\n\r\n");
        assertThat(RawHttp.status(response)).isEqualTo(431);
        assertThat(backend.requests).hasValue(0);
    }

    @Test
    void aMalformedRequestGets400() throws Exception {
        assertThat(RawHttp.status(raw("GET /api/x HTTP/1.1\r\nHost x\r\n\r\n"))).isEqualTo(400);
        assertThat(RawHttp.status(raw("GET /api/x\u0001y HTTP/1.1\r\nHost: x\r\n\r\n"))).isEqualTo(400);
        assertThat(backend.requests).hasValue(0);
    }

    @Test
    void malformedChunkedFramingGets400AtOnce() throws Exception {
        for (String body : List.of("5\r\nhello\r\n0\r\nbad\u0001trailer\r\n\r\n", "5\r\nhelloXX0\r\n\r\n",
                "-5\r\nhello\r\n0\r\n\r\n", "zz\r\nhello\r\n0\r\n\r\n")) {
            long start = System.nanoTime();
            String response = raw("POST /api/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // Junction's 400; Undertow, and Tomcat for some framings, close the connection themselves as soon as
            // their parser fails, before an answer could be written.
            assertThat(RawHttp.status(response)).as(body + " in " + took + "\n" + response).isIn(400, -1);
            assertThat(took).as(body).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void aRequestLineWithAnotherVersionIsRefusedOrForwardedAsHttp11() throws Exception {
        try (ScriptedBackend raw = new ScriptedBackend((request, out, socket) -> ScriptedBackend.write(out,
                "HTTP/1.1 204 No Content\r\n\r\n"));
                Gateway versions = startGateway(JunctionConfig.builder()
                        .route(RouteConfig.builder().prefix("/").backend(raw.url()).build()).build())) {
            for (String version : new String[] {"HTTP/1.2", "HTTP/2.0", "HTTP/3.0", "HTTP/0.9", "HTTX/1.1",
                "HTTP/1.10"}) {
                String response = RawHttp.send(versions.port(), "GET /x " + version + "\r\nHost: x\r\n"
                        + "Connection: close\r\n\r\n");
                int status = RawHttp.status(response);
                if (status == 204) {
                    // RFC 9112 §2.3 lets a server read a higher version as the highest it implements; Undertow reads
                    // these as HTTP/1.1, and what reaches the backend is HTTP/1.1.
                    assertThat(raw.nextRequest().requestLine()).as(version).isEqualTo("GET /x HTTP/1.1");
                } else {
                    // Junction's 505, or the server's own refusal (Jetty answers 426 to HTTP/2.0, Tomcat 505).
                    assertThat(status).as(version + "\n" + response).isIn(400, 426, 505, -1);
                }
            }
            assertThat(raw.requests).isEmpty();
        }
    }

    @Test
    void aTargetOverTheLimitGets414() throws Exception {
        String response = raw("GET /api/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(RawHttp.status(response)).as(response).isEqualTo(414);
        String query = raw("GET /api/x?" + "q".repeat(9000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(RawHttp.status(query)).as(query).isEqualTo(414);
        assertThat(backend.requests).hasValue(0);
        String within = raw("GET /api/" + "a".repeat(8000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(RawHttp.status(within)).isEqualTo(200);
    }
}
