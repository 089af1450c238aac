package dev.junction.core.internal.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.junction.core.config.MatchConfig;
import dev.junction.core.spi.RequestHead;

/**
 * Finds the route of a request. The path's dot-segments are resolved first ({@link RequestPaths#removeDotSegments}),
 * so {@code /api/../admin} is routed as {@code /admin}; then routes are tried in the order {@link MatchConfig} gives:
 * those naming the request's host exactly, then those whose wildcard covers it (longest first), then those naming
 * none; within each, longest prefix first, then more conditions first, then configuration order. The first whose
 * conditions all hold takes the request.
 *
 * <p>Each host group keeps a {@link PrefixMatcher} whose entry for a prefix lists, already in order, every route of
 * the group that prefix lies under: a request costs one host lookup, one prefix walk per group tried, and the
 * conditions of the candidates ahead of the one that takes it. A configuration without conditions allocates nothing
 * for a path without dot-segments.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <R> what a route is at run time
 */
public final class Router<R> {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final List<R> routes;
    private final HostTable<Group<R>> exactHosts;
    /** Wildcard suffixes ({@code .example.com}), longest first, and their groups. */
    private final String[] wildcardSuffixes;
    private final List<Group<R>> wildcardGroups;
    private final @Nullable Group<R> anyHost;

    /**
     * Returns a router over these routes, in configuration order; the validator has refused any two that take the same
     * requests.
     */
    public Router(List<R> routes, Function<R, RouteConditions> conditionsOf) {
        this.routes = List.copyOf(routes);
        Map<String, List<Candidate<R>>> exact = new LinkedHashMap<>();
        Map<String, List<Candidate<R>>> wildcards = new LinkedHashMap<>();
        List<Candidate<R>> any = new ArrayList<>();
        for (int i = 0; i < this.routes.size(); i++) {
            R route = this.routes.get(i);
            Candidate<R> candidate = new Candidate<>(route, conditionsOf.apply(route), i);
            if (candidate.conditions.hosts().isEmpty()) {
                any.add(candidate);
            }
            for (String host : candidate.conditions.hosts()) {
                if (host.startsWith("*.")) {
                    wildcards.computeIfAbsent(host.substring(1), key -> new ArrayList<>()).add(candidate);
                } else {
                    exact.computeIfAbsent(host, key -> new ArrayList<>()).add(candidate);
                }
            }
        }
        Map<String, Group<R>> groups = new LinkedHashMap<>();
        exact.forEach((host, candidates) -> groups.put(host, new Group<>(candidates)));
        this.exactHosts = new HostTable<>(groups);
        List<String> suffixes = new ArrayList<>(wildcards.keySet());
        suffixes.sort(Comparator.comparingInt(String::length).reversed());
        this.wildcardSuffixes = suffixes.toArray(String[]::new);
        this.wildcardGroups = new ArrayList<>();
        suffixes.forEach(suffix -> wildcardGroups.add(new Group<>(wildcards.get(suffix))));
        this.anyHost = any.isEmpty() ? null : new Group<>(any);
    }

    /**
     * Returns the route for a request, or null if no route takes it.
     *
     * @param rawPath the path to route, as received (percent-encoded, no query): the request's own, or one the
     *     server resolved for it
     * @param head the rest of the request, for hosts and conditions
     */
    public @Nullable R match(String rawPath, RequestHead head) {
        String path = RequestPaths.removeDotSegments(rawPath);
        if (exactHosts.size() > 0 || wildcardSuffixes.length > 0) {
            String host = head.requestHeaders().get("Host");
            int end = host == null ? 0 : hostEnd(host);
            if (end > 0) {
                Group<R> exact = exactHosts.get(host, end);
                R found = exact == null ? null : exact.match(path, head);
                if (found != null) {
                    return found;
                }
                for (int i = 0; i < wildcardSuffixes.length; i++) {
                    String suffix = wildcardSuffixes[i];
                    int start = end - suffix.length();
                    if (start > 0 && host.regionMatches(true, start, suffix, 0, suffix.length())) {
                        found = wildcardGroups.get(i).match(path, head);
                        if (found != null) {
                            return found;
                        }
                    }
                }
            }
        }
        Group<R> any = anyHost;
        return any == null ? null : any.match(path, head);
    }

    /** Returns every route, in configuration order. */
    public List<R> routes() {
        return routes;
    }

    /**
     * Returns where the name in a {@code Host} value ends: before the port and a trailing dot. Hosts are compared
     * without case from the start up to there, so nothing is allocated.
     */
    static int hostEnd(String host) {
        int end = host.length();
        if (end > 0 && host.charAt(0) == '[') {
            int close = host.indexOf(']');
            end = close < 0 ? end : close + 1;
        } else {
            int colon = host.lastIndexOf(':');
            end = colon < 0 ? end : colon;
        }
        return end > 1 && host.charAt(end - 1) == '.' ? end - 1 : end;
    }

    /** A route with its conditions and its place in the configuration. */
    private record Candidate<R>(R route, RouteConditions conditions, int index) {
    }

    /** A prefix and, in the order they are tried, the routes of a group it lies under. */
    private record Entry<R>(String prefix, Candidate<R>[] candidates) {
    }

    /** The routes of one host (or of none), by prefix. */
    private static final class Group<R> {

        private final PrefixMatcher<Entry<R>> matcher;

        Group(List<Candidate<R>> candidates) {
            Map<String, List<Candidate<R>>> byPrefix = new LinkedHashMap<>();
            for (Candidate<R> candidate : candidates) {
                String prefix = candidate.conditions.prefix();
                List<Candidate<R>> under = byPrefix.computeIfAbsent(prefix, key -> new ArrayList<>());
                for (Candidate<R> other : candidates) {
                    if (PrefixMatcher.matches(other.conditions.prefix(), prefix) && !under.contains(other)) {
                        under.add(other);
                    }
                }
            }
            Comparator<Candidate<R>> order = Comparator
                    .comparingInt((Candidate<R> c) -> -c.conditions.prefix().length())
                    .thenComparingInt(c -> -c.conditions.count())
                    .thenComparingInt(Candidate::index);
            List<Entry<R>> entries = new ArrayList<>();
            byPrefix.forEach((prefix, under) -> {
                List<Candidate<R>> sorted = new ArrayList<>(under);
                sorted.sort(order);
                @SuppressWarnings("unchecked")
                Candidate<R>[] array = sorted.toArray(Candidate[]::new);
                entries.add(new Entry<>(prefix, array));
            });
            this.matcher = PrefixMatcher.of(entries, Entry::prefix);
        }

        @Nullable R match(String path, RequestHead head) {
            Entry<R> entry = matcher.match(path);
            if (entry == null) {
                return null;
            }
            for (Candidate<R> candidate : entry.candidates) {
                if (candidate.conditions.none() || test(candidate, head)) {
                    return candidate.route;
                }
            }
            return null;
        }

        private static <R> boolean test(Candidate<R> candidate, RequestHead head) {
            try {
                return candidate.conditions.test(head);
            } catch (RuntimeException e) {
                LOG.debug("Route {}: request head unreadable for its conditions", candidate.route, e);
                return false;
            }
        }
    }
}
