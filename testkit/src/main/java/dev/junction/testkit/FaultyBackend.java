package dev.junction.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that misbehaves on purpose, on a raw socket: it answers garbage, or accepts and never answers. A port
 * nothing listens on (for a refused connection) comes from {@link #closedPort()}.
 */
public final class FaultyBackend implements AutoCloseable {

    public enum Fault { GARBAGE, HANG }

    public final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public FaultyBackend(Fault fault) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.incrementAndGet();
                    sockets.add(socket);
                    if (fault == Fault.GARBAGE) {
                        readHead(socket.getInputStream());
                        socket.getOutputStream().write("SURPRISE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        socket.getOutputStream().flush();
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }, "faulty-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Returns a loopback port nothing listens on: connecting to it is refused. */
    public static int closedPort() throws IOException {
        return closedPorts(1)[0];
    }

    /**
     * Returns {@code count} different loopback ports nothing listens on (each held open until all are found, so the
     * system cannot hand out one of them twice).
     */
    public static int[] closedPorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        int[] ports = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
        return ports;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private static void readHead(InputStream in) throws IOException {
        int state = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            state = (b == '\r' || b == '\n') ? state + 1 : 0;
            if (state == 4) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
