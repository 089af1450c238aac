package dev.junction.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a route takes besides its path prefix: every condition given must hold (AND); an empty list asks nothing.
 *
 * <p>Routes are tried most specific first: a route naming the request's host exactly before one whose wildcard covers
 * it (the longest wildcard first) before one naming no host; then the longest prefix; then the route with more
 * conditions (each method list, header, query parameter and client list counting one); then the order of the
 * configuration. A request no route's conditions take goes on past Junction (the next handler, the filter chain) or,
 * in the gateway, gets {@code 404}. The validator refuses a route that an earlier one in this order always takes
 * first.
 *
 * @param hosts the hosts it takes ({@code api.example.com}, or {@code *.example.com} for every name under
 *     {@code example.com}, not {@code example.com} itself), matched without case and without the port; any host if
 *     empty
 * @param methods the methods it takes ({@code GET}), with case, as methods are; any method if empty
 * @param headers conditions on request headers
 * @param query conditions on query parameters
 * @param clients the client addresses and CIDR ranges it takes: the address behind the route's
 *     {@code trustedProxies}, as its rate limits and affinity see it; any client if empty
 */
public record MatchConfig(List<String> hosts, List<String> methods, List<FieldMatch> headers,
        List<FieldMatch> query, List<String> clients) {

    /** No condition: every request under the prefix. */
    public static final MatchConfig NONE = new MatchConfig(List.of(), List.of(), List.of(), List.of(), List.of());

    /**
     * Copies the lists, which are then unmodifiable.
     *
     * @param hosts the hosts it takes ({@code api.example.com}, or {@code *.example.com} for every name under
     *     {@code example.com}, not {@code example.com} itself), matched without case and without the port; any host if
     *     empty
     * @param methods the methods it takes ({@code GET}), with case, as methods are; any method if empty
     * @param headers conditions on request headers
     * @param query conditions on query parameters
     * @param clients the client addresses and CIDR ranges it takes: the address behind the route's
     *     {@code trustedProxies}, as its rate limits and affinity see it; any client if empty
     */
    public MatchConfig {
        hosts = List.copyOf(hosts);
        methods = List.copyOf(methods);
        headers = List.copyOf(headers);
        query = List.copyOf(query);
        clients = List.copyOf(clients);
    }

    /** {@return a new builder, with no condition} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return whether it asks nothing} */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /**
     * {@return how many conditions it asks besides the host, as the order of routes counts them: one for a method list,
     * one per header and query condition, one for a client list}
     */
    public int conditions() {
        return (methods.isEmpty() ? 0 : 1) + headers.size() + query.size() + (clients.isEmpty() ? 0 : 1);
    }

    /** Builds a {@link MatchConfig}. Not thread-safe. */
    public static final class Builder {
        private final List<String> hosts = new ArrayList<>();
        private final List<String> methods = new ArrayList<>();
        private final List<FieldMatch> headers = new ArrayList<>();
        private final List<FieldMatch> query = new ArrayList<>();
        private final List<String> clients = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds hosts to those the route takes, after any added before.
         *
         * @param hosts host names, or wildcards such as {@code *.example.com}
         * @return this builder
         */
        public Builder hosts(List<String> hosts) {
            this.hosts.addAll(hosts);
            return this;
        }

        /**
         * Adds one host to those the route takes.
         *
         * @param host a host name, or a wildcard such as {@code *.example.com}
         * @return this builder
         */
        public Builder host(String host) {
            hosts.add(Objects.requireNonNull(host, "host"));
            return this;
        }

        /**
         * Adds methods to those the route takes, after any added before.
         *
         * @param methods request methods, such as {@code GET}
         * @return this builder
         */
        public Builder methods(List<String> methods) {
            this.methods.addAll(methods);
            return this;
        }

        /**
         * Adds a condition on a request header.
         *
         * @param header the condition
         * @return this builder
         */
        public Builder header(FieldMatch header) {
            headers.add(Objects.requireNonNull(header, "header"));
            return this;
        }

        /**
         * Adds conditions on request headers, in order.
         *
         * @param headers the conditions
         * @return this builder
         */
        public Builder headers(List<FieldMatch> headers) {
            headers.forEach(this::header);
            return this;
        }

        /**
         * Adds a condition on a query parameter.
         *
         * @param parameter the condition
         * @return this builder
         */
        public Builder query(FieldMatch parameter) {
            query.add(Objects.requireNonNull(parameter, "parameter"));
            return this;
        }

        /**
         * Adds conditions on query parameters, in order.
         *
         * @param parameters the conditions
         * @return this builder
         */
        public Builder queries(List<FieldMatch> parameters) {
            parameters.forEach(this::query);
            return this;
        }

        /**
         * Adds client addresses or CIDR ranges to those the route takes, after any added before.
         *
         * @param clients addresses and ranges, such as {@code 10.0.0.0/8}
         * @return this builder
         */
        public Builder clients(List<String> clients) {
            this.clients.addAll(clients);
            return this;
        }

        /** {@return the conditions added} */
        public MatchConfig build() {
            return new MatchConfig(hosts, methods, headers, query, clients);
        }
    }
}
