package dev.junction.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Heavy work for the offload filter's tests: reads the body with a stream, takes {@code ?ms=N} milliseconds, and says
 * which thread it ran on ({@code X-Thread}).
 */
public class HeavyServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = request.getInputStream().readAllBytes();
        String ms = request.getParameter("ms");
        if (ms != null) {
            try {
                Thread.sleep(Long.parseLong(ms));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        response.setHeader("X-Thread", Thread.currentThread().getName());
        response.setContentType("text/plain");
        response.getOutputStream().write(("read " + body.length + " bytes\n").getBytes(StandardCharsets.UTF_8));
    }
}
