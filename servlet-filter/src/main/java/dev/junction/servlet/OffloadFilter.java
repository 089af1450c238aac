package dev.junction.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.junction.core.offload.Offload;
import dev.junction.core.status.OffloadStatus;

/**
 * A servlet filter that runs the rest of its chain on an {@link Offload} pool: at most the pool's threads run the
 * heavy work at once, at most its queue wait, and work above both is refused at once with {@code 503} and
 * {@code Retry-After}, so a burst of heavy requests cannot take every container thread and the light requests keep
 * theirs. Map it to the paths whose work is heavy:
 *
 * <pre>{@code
 * <filter>
 *     <filter-name>render</filter-name>
 *     <filter-class>dev.junction.servlet.OffloadFilter</filter-class>
 *     <init-param><param-name>threads</param-name><param-value>4</param-value></init-param>
 *     <init-param><param-name>queue</param-name><param-value>64</param-value></init-param>
 * </filter>
 * <filter-mapping><filter-name>render</filter-name><url-pattern>/reports/*</url-pattern></filter-mapping>
 * }</pre>
 *
 * <p>Init-params: {@code threads} (default the number of processors), {@code queue} (default 16 per thread),
 * {@code retryAfter} (seconds, or a duration such as {@code 5s}; default 1 s); the pool is named after the filter.
 * Invalid ones fail the filter's start, each named. The container's thread waits while the pool's runs the chain:
 * containers recycle a filter chain when the filter returns, so the chain cannot outlive it. Keep
 * {@code threads + queue} below the container's own thread count, so light requests always find a thread. Only
 * {@code REQUEST} dispatches are offloaded. The chain runs on another thread: what earlier filters keep in
 * thread-locals (a security context, an MDC, Spring's {@code RequestContextHolder}) is not there, so map the filter
 * before those, or have them read the request's attributes. The pool is published as the context attribute
 * {@code dev.junction.core.offload.Offload.<filter-name>} for its {@link Offload#status()}, and closed with the
 * filter.
 */
public final class OffloadFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(OffloadFilter.class);
    /** The context attribute holding the pool is this and the filter's name. */
    public static final String ATTRIBUTE_PREFIX = Offload.class.getName() + ".";

    private @Nullable Offload offload;

    @Override
    public void init(FilterConfig config) throws ServletException {
        List<String> problems = new ArrayList<>();
        Offload.Builder builder;
        try {
            builder = Offload.builder(config.getFilterName());
        } catch (IllegalArgumentException e) {
            throw new ServletException("Offload filter '" + config.getFilterName() + "': its name, " + e.getMessage());
        }
        String threads = config.getInitParameter("threads");
        String queue = config.getInitParameter("queue");
        String retryAfter = config.getInitParameter("retryAfter");
        try {
            if (threads != null) {
                builder.threads(Integer.parseInt(threads.trim()));
            }
        } catch (IllegalArgumentException e) {
            problems.add("threads: '" + threads + "' (expected: an integer from 1 to 1024)");
        }
        try {
            if (queue != null) {
                builder.queue(Integer.parseInt(queue.trim()));
            }
        } catch (IllegalArgumentException e) {
            problems.add("queue: '" + queue + "' (expected: an integer from 0 to 1000000)");
        }
        try {
            if (retryAfter != null) {
                builder.retryAfter(seconds(retryAfter.trim()));
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            problems.add("retryAfter: '" + retryAfter + "' (expected: whole seconds from 1, such as 5 or 5s)");
        }
        if (!problems.isEmpty()) {
            throw new ServletException("Offload filter '" + config.getFilterName() + "': " + String.join("; ",
                    problems));
        }
        Offload made = builder.build();
        offload = made;
        config.getServletContext().setAttribute(ATTRIBUTE_PREFIX + config.getFilterName(), made);
        LOG.info("Offload filter {}: {} thread(s), {} waiting at most", made.name(), made.status().threads(),
                made.status().maxQueued());
    }

    private static Duration seconds(String text) {
        if (text.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        if (text.matches("\\d+s")) {
            return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        return Duration.parse(text);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Offload pool = offload;
        if (pool == null || request.getDispatcherType() != DispatcherType.REQUEST) {
            chain.doFilter(request, response);
            return;
        }
        Offload.Ticket ticket = pool.admit();
        if (ticket == null) {
            refuse(pool, (HttpServletResponse) response);
            return;
        }
        // Containers recycle a filter chain once the filter returns (Tomcat clears it, Undertow rewinds it), so the
        // chain must end before this does: the container's thread waits for the pool's.
        CompletableFuture<Void> done = new CompletableFuture<>();
        ticket.execute(new Offload.Task() {
            @Override
            public void run() {
                try {
                    chain.doFilter(request, response);
                    done.complete(null);
                } catch (IOException | ServletException | RuntimeException | Error e) {
                    done.completeExceptionally(e);
                }
            }

            @Override
            public void abandoned() {
                done.completeExceptionally(new ServletException("Offload filter " + pool.name()
                        + ": the pool closed before the request's turn"));
            }
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    done.get();
                    break;
                } catch (InterruptedException e) {
                    // The pool's thread still has the request: returning now would hand it back to the container
                    // while the chain writes to it.
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof ServletException servlet) {
                throw servlet;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) cause;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void refuse(Offload pool, HttpServletResponse response) throws IOException {
        OffloadStatus status = pool.status();
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", Long.toString(pool.retryAfter().toSeconds()));
        response.setContentType("text/plain;charset=utf-8");
        response.getOutputStream().write(("overloaded: the " + pool.name() + " pool is full (" + status.running()
                + " running, " + status.queued() + " waiting)\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void destroy() {
        Offload pool = offload;
        if (pool != null) {
            pool.close();
        }
    }
}
