package dev.junction.examples.webapp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The example application's own page: what every request the filter does not proxy reaches. */
public class HomeServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=utf-8");
        response.getOutputStream().write(("This is the web application itself (" + request.getRequestURI()
                + "). Requests under the filter's prefix go to the backends.\n").getBytes(StandardCharsets.UTF_8));
    }
}
