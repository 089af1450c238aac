package dev.junction.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The web application's own servlet: what every request the filter does not proxy reaches. */
public class NextServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("X-Next", "yes");
        response.setContentType("text/plain");
        response.getOutputStream().write("next handler".getBytes(StandardCharsets.UTF_8));
    }
}
