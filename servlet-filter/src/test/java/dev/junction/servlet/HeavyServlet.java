package dev.junction.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Heavy work for the offload filter's tests: reads the body with a stream, holds its thread while the test keeps the
 * gate shut ({@code ?hold}), and says which thread it ran on ({@code X-Thread}). The servlet runs in the tests' JVM, so
 * the test opens the gate itself.
 */
public class HeavyServlet extends HttpServlet {

    private static volatile CountDownLatch gate = new CountDownLatch(0);

    /** Makes {@code ?hold} requests wait until {@link #open()} (or 20 s). */
    static void shut() {
        gate = new CountDownLatch(1);
    }

    /** Lets the held requests finish, and the next ones pass. */
    static void open() {
        gate.countDown();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = request.getInputStream().readAllBytes();
        if (request.getParameter("hold") != null) {
            try {
                if (!gate.await(20, TimeUnit.SECONDS)) {
                    response.sendError(HttpServletResponse.SC_GATEWAY_TIMEOUT, "the test never opened the gate");
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        response.setHeader("X-Thread", Thread.currentThread().getName());
        response.setContentType("text/plain");
        response.getOutputStream().write(("read " + body.length + " bytes\n").getBytes(StandardCharsets.UTF_8));
    }
}
