package dev.junction.core.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules of what routes take ({@link MatchConfig}), for {@link Validator}: each condition well-formed, and no route
 * that routes tried before it always take first.
 *
 * <p>Stateless and thread-safe.
 */
final class MatchRules {

    /** The methods RFC 9110 and RFC 5789 define, which a lower-case spelling of is surely a mistake. */
    private static final Set<String> STANDARD_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
    private static final Pattern HOST_NAME =
            Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
    private static final Pattern IPV6_LITERAL = Pattern.compile("\\[[0-9a-f:.]+]");

    private MatchRules() {
    }

    static void validate(MatchConfig match, String path, List<ConfigProblem> problems) {
        Set<String> hosts = new HashSet<>();
        for (int i = 0; i < match.hosts().size(); i++) {
            String at = path + ".hosts[" + i + "]";
            String host = match.hosts().get(i);
            String problem = hostProblem(host);
            if (problem != null) {
                problems.add(new ConfigProblem(at, "'" + host + "' " + problem));
            } else if (!hosts.add(Validator.normaliseHost(host))) {
                problems.add(new ConfigProblem(at, "duplicate '" + host + "'"));
            }
        }
        for (int i = 0; i < match.methods().size(); i++) {
            String method = match.methods().get(i);
            String at = path + ".methods[" + i + "]";
            if (!Validator.isToken(method)) {
                problems.add(new ConfigProblem(at, "'" + method + "' is not a method (expected: a token such as GET)"));
            } else if (!method.equals(method.toUpperCase(Locale.ROOT))
                    && STANDARD_METHODS.contains(method.toUpperCase(Locale.ROOT))) {
                problems.add(new ConfigProblem(at, "'" + method + "' would never match: methods are case-sensitive"
                        + " (expected: " + method.toUpperCase(Locale.ROOT) + ")"));
            }
        }
        fields(match.headers(), path + ".headers", true, problems);
        fields(match.query(), path + ".query", false, problems);
        PolicyRules.validateAddressRanges(match.clients(), path + ".clients", problems);
    }

    /** Returns what is wrong with a configured host, or null if nothing is. */
    private static String hostProblem(String host) {
        String name = Validator.normaliseHost(host);
        if (name.equals("*")) {
            return "takes every host (expected: a host such as api.example.com or *.example.com; leave hosts out"
                    + " for every host)";
        }
        String bare = name.startsWith("*.") ? name.substring(2) : name;
        if (IPV6_LITERAL.matcher(bare).matches() && !name.startsWith("*.")) {
            return null;
        }
        if (bare.indexOf(':') >= 0) {
            return "names a port or is an IPv6 address without brackets (expected: a host alone, such as"
                    + " example.com or [2001:db8::1]; the port is not matched)";
        }
        if (bare.indexOf('*') >= 0) {
            return "has a '*' other than a leading '*.' (expected: api.example.com or *.example.com)";
        }
        if (!HOST_NAME.matcher(bare).matches()) {
            return "is not a host name (expected: labels of letters, digits, '-' and '_' between dots, such as"
                    + " api.example.com)";
        }
        return null;
    }

    private static void fields(List<FieldMatch> fields, String path, boolean headers, List<ConfigProblem> problems) {
        for (int i = 0; i < fields.size(); i++) {
            FieldMatch field = fields.get(i);
            String at = path + "[" + i + "]";
            if (headers && !Validator.isToken(field.name())) {
                problems.add(new ConfigProblem(at + ".name", "'" + field.name()
                        + "' is not a header name (expected: a token such as X-Canary)"));
            } else if (!headers && field.name().isEmpty()) {
                problems.add(new ConfigProblem(at + ".name", "must not be empty"));
            }
            String value = field.value();
            if (field.kind() == FieldMatch.Kind.REGEX && value != null) {
                try {
                    Pattern.compile(value);
                } catch (PatternSyntaxException e) {
                    problems.add(new ConfigProblem(at + ".regex", "'" + value + "' is not a regular expression: "
                            + e.getDescription() + " near index " + e.getIndex()));
                }
            } else if (headers && field.kind() == FieldMatch.Kind.EXACT && value != null
                    && !Validator.isFieldValue(value)) {
                problems.add(new ConfigProblem(at + ".exact", "'" + PolicyRules.shown(value)
                        + "' is not a header value a request can carry (expected: no control characters, no space at"
                        + " either end)"));
            }
        }
    }

    /**
     * Adds a problem for each route that routes tried before it always take first (see {@link MatchConfig} for the
     * order), for every host it names: it would never see a request.
     */
    static void validateReachable(List<RouteConfig> routes, List<ConfigProblem> problems) {
        List<List<String>> keys = new ArrayList<>();
        for (RouteConfig route : routes) {
            List<String> hosts = new ArrayList<>();
            route.match().hosts().forEach(host -> hosts.add(Validator.normaliseHost(host)));
            keys.add(hosts.isEmpty() ? List.of("") : hosts);
        }
        for (int r = 0; r < routes.size(); r++) {
            int takenBy = -1;
            for (String key : keys.get(r)) {
                int first = firstTaker(routes, keys, r, key);
                if (first < 0) {
                    takenBy = -1;
                    break;
                }
                takenBy = first;
            }
            if (takenBy < 0) {
                continue;
            }
            RouteConfig route = routes.get(r);
            RouteConfig other = routes.get(takenBy);
            String path = "routes[" + r + "]";
            if (route.match().isEmpty() && other.match().isEmpty()) {
                problems.add(new ConfigProblem(path + ".prefix",
                        "duplicate prefix '" + route.prefix() + "' (also routes[" + takenBy + "])"));
            } else {
                problems.add(new ConfigProblem(path + ".match", "never reached: routes[" + takenBy + "] ('"
                        + other.name() + "') has the same prefix" + (route.match().hosts().isEmpty() ? "" : " and host")
                        + ", asks nothing this route does not, and is tried first"));
            }
        }
    }

    /**
     * Returns the index of a route of host key {@code key} tried before route {@code r} that takes every request it
     * would, or -1.
     */
    private static int firstTaker(List<RouteConfig> routes, List<List<String>> keys, int r, String key) {
        RouteConfig route = routes.get(r);
        String prefix = Validator.normalisePrefix(route.prefix());
        for (int q = 0; q < routes.size(); q++) {
            RouteConfig other = routes.get(q);
            if (q == r || !keys.get(q).contains(key) || !Validator.normalisePrefix(other.prefix()).equals(prefix)) {
                continue;
            }
            int theirs = other.match().conditions();
            int ours = route.match().conditions();
            boolean triedFirst = theirs > ours || theirs == ours && q < r;
            if (triedFirst && covers(other.match(), route.match())) {
                return q;
            }
        }
        return -1;
    }

    /** Returns whether every condition of {@code wide} other than hosts holds for whatever {@code narrow} takes. */
    private static boolean covers(MatchConfig wide, MatchConfig narrow) {
        if (!wide.methods().isEmpty()
                && (narrow.methods().isEmpty() || !wide.methods().containsAll(narrow.methods()))) {
            return false;
        }
        if (!wide.clients().isEmpty()
                && (narrow.clients().isEmpty() || !wide.clients().containsAll(narrow.clients()))) {
            return false;
        }
        return implied(wide.headers(), narrow.headers(), true) && implied(wide.query(), narrow.query(), false);
    }

    /** Returns whether each of {@code wide}'s conditions is one of {@code narrow}'s. */
    private static boolean implied(List<FieldMatch> wide, List<FieldMatch> narrow, boolean ignoreNameCase) {
        for (FieldMatch condition : wide) {
            if (narrow.stream().noneMatch(own -> own.sameAs(condition, ignoreNameCase))) {
                return false;
            }
        }
        return true;
    }
}
