package dev.junction.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A client that sends exactly the bytes a test writes, for what well-behaved clients cannot send (smuggling
 * attempts, raw percent-escapes, broken headers), and returns everything the server sends until it closes or goes
 * quiet.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** Sends {@code request} (CRLFs included) and returns the response bytes as ISO-8859-1 text. */
    public static String send(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readAll(socket.getInputStream());
        }
    }

    /** Reads until the peer closes the connection or is silent for the socket's timeout. */
    public static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // Quiet or reset: what arrived is the answer.
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Returns the status code of a raw response, or -1 if there is none. */
    public static int status(String response) {
        if (!response.startsWith("HTTP/1.")) {
            return -1;
        }
        return Integer.parseInt(response.substring(9, 12));
    }
}
