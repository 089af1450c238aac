package dev.junction.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend on a raw socket that answers every request with bytes a test scripts, for what a real server will not
 * send (interim responses in a row, a body cut short, a close without an answer). It reads each request whole
 * (a {@code Content-Length} or chunked body), records it, and runs the script on the connection; the connection
 * serves the next request unless the script closed it.
 */
public final class ScriptedBackend implements AutoCloseable {

    /** What the backend answers one request with. */
    @FunctionalInterface
    public interface Script {

        /** Writes the answer to {@code request} on {@code out}; may close {@code socket}, or never answer. */
        void answer(Received request, OutputStream out, Socket socket) throws IOException;
    }

    /** A request as the backend read it: its head as sent (request line and fields, CRLFs) and its body, de-chunked. */
    public record Received(String head, byte[] body) {

        /** Returns the request line. */
        public String requestLine() {
            return head.substring(0, head.indexOf("\r\n"));
        }

        /** Returns the values of the header field {@code name}, in order. */
        public List<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return head.lines().skip(1)
                    .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(line -> line.substring(prefix.length()).trim())
                    .toList();
        }

        public String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** The requests read so far, in order. */
    public final BlockingQueue<Received> requests = new LinkedBlockingQueue<>();
    /** How many connections were accepted. */
    public final AtomicInteger connections = new AtomicInteger();

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Script script;
    private final boolean answersEarly;

    public ScriptedBackend(Script script) throws IOException {
        this(script, false);
    }

    /**
     * A backend that, when {@code answersEarly}, runs the script as soon as a request's head is read, then reads and
     * discards its body (the lingering close of a server that turns an upload away: its answer is never lost to a
     * reset); the request is recorded with an empty body.
     */
    public ScriptedBackend(Script script, boolean answersEarly) throws IOException {
        this.script = script;
        this.answersEarly = answersEarly;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "scripted-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Returns the next request read, waiting up to five seconds. */
    public Received nextRequest() throws InterruptedException {
        Received request = requests.poll(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("the backend got no request within 5 s");
        }
        return request;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                sockets.add(socket);
                Thread serve = new Thread(() -> serve(socket), "scripted-backend-connection");
                serve.setDaemon(true);
                serve.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (!socket.isClosed()) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                if (answersEarly) {
                    Received request = new Received(head, new byte[0]);
                    requests.add(request);
                    script.answer(request, out, socket);
                    out.flush();
                    readBody(head, in);
                    continue;
                }
                Received request = new Received(head, readBody(head, in));
                requests.add(request);
                script.answer(request, out, socket);
                out.flush();
            }
        } catch (IOException e) {
            // The peer went away, or the script closed the connection: the connection is over.
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
            if (state == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static byte[] readBody(String head, InputStream in) throws IOException {
        Received fields = new Received(head, new byte[0]);
        List<String> length = fields.header("Content-Length");
        if (!length.isEmpty()) {
            return in.readNBytes(Integer.parseInt(length.get(0)));
        }
        if (!fields.header("Transfer-Encoding").contains("chunked")) {
            return new byte[0];
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine(in);
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailer fields: not kept
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
        throw new IOException("connection closed inside a chunked body");
    }

    /** Writes {@code text} (CRLFs included) as ISO-8859-1 bytes and flushes. */
    public static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
