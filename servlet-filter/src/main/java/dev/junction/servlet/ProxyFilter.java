package dev.junction.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.junction.core.Junction;
import dev.junction.core.Match;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.JunctionConfig;

/**
 * A Servlet filter that serves the requests Junction takes (its routes and, when the configuration enables it, its
 * admin endpoint) and passes every other request down the filter chain, untouched.
 *
 * <pre>{@code
 * <filter>
 *     <filter-name>junction</filter-name>
 *     <filter-class>dev.junction.servlet.ProxyFilter</filter-class>
 *     <async-supported>true</async-supported>
 *     <init-param><param-name>prefix</param-name><param-value>/api</param-value></init-param>
 *     <init-param><param-name>targets</param-name><param-value>http://10.0.0.1:8080</param-value></init-param>
 * </filter>
 * <filter-mapping>
 *     <filter-name>junction</filter-name>
 *     <url-pattern>/*</url-pattern>
 * </filter-mapping>
 * }</pre>
 *
 * <p>The configuration comes from the init-params: either the flat keys of one route, or {@code config} naming a YAML
 * file ({@link FilterSettings}). Bad configuration fails {@link #init} with every problem listed, so the application
 * does not start. Routes match the path inside the web application (after the context path), and that is the path
 * the backend is sent. The filter reads them again when told to reload (the admin endpoint's
 * {@code POST <admin>/reload}, or {@link Junction#reload()} on the Junction it publishes) and applies the difference
 * without a restart; an invalid configuration is refused, every problem logged, and the one running keeps serving.
 *
 * <p>A proxied request is asynchronous ({@code startAsync}) and moves with non-blocking Servlet I/O: no container
 * thread waits for a backend. The filter, and every filter before it, must be async-supported; {@code init} fails if
 * {@code web.xml} declares this filter without it. {@link #destroy()} stops what {@code init} started, letting
 * exchanges in flight finish first. Requests other than the client's own ({@code FORWARD}, {@code INCLUDE},
 * {@code ERROR}, {@code ASYNC} dispatches) always go down the chain.
 *
 * <p>Programmatic registration: {@code new ProxyFilter(junction)} over a Junction the caller starts and stops.
 */
public final class ProxyFilter implements Filter {

    /** The prefix of the servlet-context attribute under which a filter publishes its Junction. */
    public static final String JUNCTION_ATTRIBUTE = "dev.junction.core.Junction";

    static final String NOT_ASYNC = "ProxyFilter needs asynchronous requests: add"
            + " <async-supported>true</async-supported> to its <filter> in web.xml (and to every filter mapped before"
            + " it), or call setAsyncSupported(true) on its registration";

    private static final Logger LOG = LoggerFactory.getLogger(ProxyFilter.class);

    /** Cleared if Undertow's classes cannot be linked from the filter's class loader. */
    private static volatile boolean undertowLinkable = true;

    private @Nullable Junction junction;
    private boolean owned;
    private String name = "junction";
    private @Nullable ServletContext context;

    /** Creates a filter configured by its init-params at {@link #init}. */
    public ProxyFilter() {
    }

    /**
     * Creates a filter over a Junction the caller starts and stops; {@link #destroy()} leaves it alone.
     *
     * @param junction the Junction the filter hands matching requests to; its init-params are then ignored
     */
    public ProxyFilter(Junction junction) {
        this.junction = junction;
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        name = filterConfig.getFilterName();
        context = filterConfig.getServletContext();
        if (junction != null) {
            context.setAttribute(JUNCTION_ATTRIBUTE + "." + name, junction);
            return;
        }
        if (FilterSettings.declaredWithoutAsync(filterConfig)) {
            throw new ServletException("Filter '" + name + "': " + NOT_ASYNC);
        }
        // The web application's class loader finds the strategies its jars provide. The init-params (and the file
        // they name) are read again on a reload: the admin endpoint's POST <admin>/reload, or Junction.reload().
        Junction.Builder builder = Junction.builder().classLoader(context.getClassLoader())
                .configSource(FilterSettings.source(filterConfig));
        JunctionConfig config;
        try {
            config = FilterSettings.read(filterConfig, builder.configCheck());
        } catch (ConfigException e) {
            // The container reports the failure and does not start the application.
            throw new ServletException("Filter '" + name + "': " + e.getMessage(), e);
        }
        junction = builder.build(config).start();
        owned = true;
        context.setAttribute(JUNCTION_ATTRIBUTE + "." + name, junction);
        LOG.info("Filter '{}' proxies {}", name, junction.routes());
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Junction proxy = junction;
        if (proxy == null || request.getDispatcherType() != DispatcherType.REQUEST
                || !(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)) {
            chain.doFilter(request, response);
            return;
        }
        String rawPath = rawPath(http);
        ServletHead head = rawPath == null ? null : new ServletHead(http, rawPath);
        Match match = head == null ? null : proxy.match(head);
        if (match == null || head == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!request.isAsyncSupported()) {
            LOG.error("Filter '{}': {}", name, NOT_ASYNC);
            out.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            out.setContentType("text/plain;charset=utf-8");
            String target = match.admin() ? "admin endpoint" : "route '" + match.route().name() + "'";
            out.getOutputStream().write((target + ": " + NOT_ASYNC + "\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        AsyncContext async = request.startAsync(request, response);
        // Junction's timeouts govern the exchange; the container's async timeout (30 s by default) would cut a long
        // download or a slow backend short.
        async.setTimeout(0);
        if (http.getHeader("Transfer-Encoding") != null) {
            decodeChunkedStrictly(request);
        }
        ServletBodyReader body = new ServletBodyReader(request.getInputStream(), request.getContentLengthLong());
        match.serve(new ServletExchange(head, out, async, body));
    }

    /**
     * Says whether {@code junction} takes {@code request}, as this filter decides it: a route (or the admin endpoint)
     * matches the request's path inside the web application, its method, host and headers. For filters placed before
     * this one that must leave Junction's requests alone (not read their bodies, say).
     *
     * @param junction the Junction a {@code ProxyFilter} serves
     * @param request a request of the web application
     * @return true if the filter would proxy it (or answer it from the admin endpoint)
     */
    public static boolean takes(Junction junction, HttpServletRequest request) {
        String rawPath = rawPath(request);
        return rawPath != null && junction.match(new ServletHead(request, rawPath)) != null;
    }

    /** Stops the Junction {@link #init} created, after the exchanges in flight have finished (up to its grace). */
    @Override
    public void destroy() {
        if (context != null) {
            context.removeAttribute(JUNCTION_ATTRIBUTE + "." + name);
        }
        Junction proxy = junction;
        if (owned && proxy != null) {
            proxy.close();
            junction = null;
        }
    }

    /**
     * Returns the Junction of the filter named {@code filterName} in {@code context} (for its routes, live state and
     * status), or null if no such filter has been initialised.
     *
     * @param context the web application's servlet context
     * @param filterName the filter's name, as declared or registered
     * @return the filter's Junction, or null
     */
    public static @Nullable Junction junction(ServletContext context, String filterName) {
        return (Junction) context.getAttribute(JUNCTION_ATTRIBUTE + "." + filterName);
    }

    /**
     * In Undertow's servlet container, has a chunked body read with Junction's strict decoder rather than the
     * container's ({@link UndertowChunkedBody}), so malformed framing is refused at once as in Jetty and Tomcat.
     * Undertow's classes are touched only in Undertow; if they cannot be linked there, the container's decoder stays.
     */
    private static void decodeChunkedStrictly(ServletRequest request) {
        ServletRequest inner = request;
        while (inner instanceof ServletRequestWrapper wrapper) {
            inner = wrapper.getRequest();
        }
        if (!undertowLinkable || !inner.getClass().getName().startsWith("io.undertow.servlet.")) {
            return;
        }
        try {
            UndertowChunkedBody.decodeStrictly(inner);
        } catch (LinkageError e) {
            undertowLinkable = false;
            LOG.warn("Cannot reach Undertow's exchange from the filter ({}): chunked request bodies are decoded by the"
                    + " container, which checks their framing less strictly", e.toString());
        }
    }

    /**
     * Returns the request path inside the web application as received (percent-encoded, no query, starting with
     * {@code /}), or null for a target that is not a path.
     */
    static @Nullable String rawPath(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        if (uri == null || !uri.startsWith("/")) {
            return null;
        }
        if (!context.isEmpty()) {
            if (!uri.startsWith(context)) {
                return null;
            }
            uri = uri.substring(context.length());
        }
        return uri.isEmpty() ? "/" : uri.startsWith("/") ? uri : null;
    }
}
