package dev.junction.spring;

import java.util.Locale;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.filter.OrderedFormContentFilter;

import jakarta.servlet.http.HttpServletRequest;

import dev.junction.core.Junction;
import dev.junction.servlet.ProxyFilter;

/**
 * Spring MVC's {@code FormContentFilter} as Spring Boot registers it, but leaving alone the requests Junction takes.
 *
 * <p>Boot's filter runs near the head of the chain (order -9900) and reads the body of every {@code PUT},
 * {@code PATCH} and {@code DELETE} request of type {@code application/x-www-form-urlencoded} into request
 * parameters. Junction's filter comes later (after Spring Security), and would then find the body of such a proxied
 * request already read: the backend would be promised a body that never comes. The starter puts this filter in the
 * place of Boot's ({@link ProxyFilterConfiguration}); the application's own requests are parsed as before.
 *
 * <p>Thread-safe; the Junction is looked up at the first request that could be parsed.
 */
final class JunctionFormContentFilter extends OrderedFormContentFilter {

    private static final String FORM = "application/x-www-form-urlencoded";

    private final ObjectProvider<Junction> junction;

    JunctionFormContentFilter(ObjectProvider<Junction> junction, int order) {
        this.junction = junction;
        setOrder(order);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // Only what the filter would parse is worth a route lookup.
        String method = request.getMethod();
        String type = request.getContentType();
        if (!("PUT".equals(method) || "PATCH".equals(method) || "DELETE".equals(method)) || type == null
                || !type.toLowerCase(Locale.ROOT).startsWith(FORM)) {
            return false;
        }
        Junction proxy = junction.getIfUnique();
        return proxy != null && ProxyFilter.takes(proxy, request);
    }
}
