package dev.junction.servlet;

import java.io.Closeable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Closes the client connection of a committed response, so that a body cut short by a failing backend is never
 * taken for a whole one. The Servlet API has no call for this (completing the request would end a chunked body with
 * its terminating chunk, as if nothing had gone wrong), so each container is asked in its own way:
 *
 * <ul>
 *   <li>Jetty: {@code sendError(-1)}, its documented abort.</li>
 *   <li>Undertow: the public {@code getExchange().getConnection().close()} of its request.</li>
 *   <li>Tomcat: its response's {@code CLOSE_NOW} action, the one Tomcat itself uses for an error after commit.</li>
 * </ul>
 *
 * <p>In another container the exchange is completed, and a warning says that its clients may see a truncated
 * chunked body as complete.
 */
final class ConnectionAbort {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionAbort.class);

    private ConnectionAbort() {
    }

    /** Closes the connection; returns false if the container offers no way. */
    static boolean abort(ServletRequest request, ServletResponse response, Throwable cause) {
        ServletRequest innerRequest = request;
        while (innerRequest instanceof ServletRequestWrapper wrapper) {
            innerRequest = wrapper.getRequest();
        }
        ServletResponse innerResponse = response;
        while (innerResponse instanceof ServletResponseWrapper wrapper) {
            innerResponse = wrapper.getResponse();
        }
        String container = innerResponse.getClass().getName();
        try {
            if (container.startsWith("org.eclipse.jetty.") && innerResponse instanceof HttpServletResponse http) {
                http.sendError(-1);
                return true;
            }
            if (innerRequest.getClass().getName().startsWith("io.undertow.servlet.")) {
                Object exchange = innerRequest.getClass().getMethod("getExchange").invoke(innerRequest);
                Object connection = exchange.getClass().getMethod("getConnection").invoke(exchange);
                if (connection instanceof Closeable closeable) {
                    closeable.close();
                    return true;
                }
            }
            if (container.equals("org.apache.catalina.connector.ResponseFacade")) {
                return tomcatCloseNow(innerResponse, cause);
            }
        } catch (Exception | LinkageError e) {
            LOG.warn("Cannot close the client connection in {}: {}", container, e.toString());
            return false;
        }
        LOG.warn("{} has no known way to close a client connection: a response cut short by its backend ends as if"
                + " complete", container);
        return false;
    }

    private static boolean tomcatCloseNow(ServletResponse facade, Throwable cause) throws ReflectiveOperationException {
        Field field = facade.getClass().getDeclaredField("response");
        field.setAccessible(true);
        Object response = field.get(facade);
        Object coyote = response.getClass().getMethod("getCoyoteResponse").invoke(response);
        Class<?> actionCode = Class.forName("org.apache.coyote.ActionCode", false, coyote.getClass().getClassLoader());
        Object closeNow = actionCode.getField("CLOSE_NOW").get(null);
        Method action = coyote.getClass().getMethod("action", actionCode, Object.class);
        action.invoke(coyote, closeNow, cause);
        return true;
    }
}
