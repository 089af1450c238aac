package dev.junction.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The rules of rate limits and of the store that shares them, for the {@link Validator}. */
final class RateLimitRules {

    /** The most tokens a limit may add per period or hold: beyond, a limit is no limit. */
    static final long MAX_TOKENS = 1_000_000_000L;
    /** The longest period of a limit: a year. */
    static final Duration MAX_PERIOD = Duration.ofDays(366);
    /** The longest a gateway's share of a shared limit may take to refill, in days: 100 years. */
    static final long MAX_SHARE_DAYS = 36_500;
    /** The most gateways one store's limits may be shared by. */
    static final int MAX_INSTANCES = 10_000;

    private static final String KEY_FORMS = "route, client, header:<name>, cookie:<name> or resolver:<name>";

    private RateLimitRules() {
    }

    static void validateLimits(List<RateLimitConfig> limits, SharedLimitsConfig store, String path,
            List<ConfigProblem> problems) {
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < limits.size(); i++) {
            RateLimitConfig limit = limits.get(i);
            String at = path + "[" + i + "]";
            if (limit.name().isBlank()) {
                problems.add(new ConfigProblem(at + ".name", "must not be blank"));
            } else {
                Integer same = names.putIfAbsent(limit.name(), i);
                if (same != null) {
                    problems.add(new ConfigProblem(at + ".name", "duplicate name '" + limit.name() + "' (also "
                            + path + "[" + same + "])"));
                }
            }
            validateKey(limit, at + ".key", problems);
            tokens(limit.limit(), at + ".limit", problems);
            tokens(limit.burst(), at + ".burst", problems);
            Duration period = limit.period();
            if (period.isNegative() || period.toMillis() < 1 || period.compareTo(MAX_PERIOD) > 0) {
                problems.add(new ConfigProblem(at + ".period", "must be from 1ms to 8784h (366 days) (was "
                        + ConfigReader.format(period) + ")"));
            } else if (limit.shared() && period.toDays() * store.instances() > MAX_SHARE_DAYS) {
                problems.add(new ConfigProblem(at + ".period", "times sharedLimits.instances must be at most 100"
                        + " years, a gateway's share of the limit (was " + ConfigReader.format(period) + " x "
                        + store.instances() + ")"));
            }
            if (limit.shared() && !store.enabled()) {
                problems.add(new ConfigProblem(at + ".shared",
                        "needs a store to share it through: sharedLimits.redis"));
            }
        }
    }

    private static void validateKey(RateLimitConfig limit, String path, List<ConfigProblem> problems) {
        String key = limit.key();
        String name = limit.keyName();
        boolean valid = switch (limit.keyKind()) {
            case RateLimitConfig.ROUTE_KEY, RateLimitConfig.CLIENT_KEY -> key.equals(key.toLowerCase(Locale.ROOT));
            case RateLimitConfig.HEADER_KEY, RateLimitConfig.COOKIE_KEY -> name != null && Validator.isToken(name);
            case RateLimitConfig.RESOLVER_KEY -> name != null && name.matches("[a-z0-9][a-z0-9-]*");
            default -> false;
        };
        if (!valid) {
            problems.add(new ConfigProblem(path, "'" + key + "' (expected: " + KEY_FORMS + ")"));
        }
    }

    private static void tokens(long value, String path, List<ConfigProblem> problems) {
        if (value < 1 || value > MAX_TOKENS) {
            problems.add(new ConfigProblem(path, "must be from 1 to " + MAX_TOKENS + " (was " + value + ")"));
        }
    }

    static void validateStore(SharedLimitsConfig store, List<ConfigProblem> problems) {
        String redis = store.redis();
        if (redis != null) {
            String problem = redisProblem(redis);
            if (problem != null) {
                problems.add(new ConfigProblem("sharedLimits.redis", problem));
            }
        }
        if (store.timeout().toMillis() < 1 || store.timeout().compareTo(Duration.ofSeconds(10)) > 0) {
            problems.add(new ConfigProblem("sharedLimits.timeout", "must be from 1ms to 10s (was "
                    + ConfigReader.format(store.timeout()) + ")"));
        }
        if (store.instances() < 1 || store.instances() > MAX_INSTANCES) {
            problems.add(new ConfigProblem("sharedLimits.instances", "must be from 1 to " + MAX_INSTANCES + " (was "
                    + store.instances() + ")"));
        }
        if (!store.keyPrefix().matches("[\\x21-\\x7e]*")) {
            problems.add(new ConfigProblem("sharedLimits.keyPrefix", "'" + store.keyPrefix()
                    + "' (expected: printable characters without spaces)"));
        }
    }

    /** Returns what is wrong with a Redis URI, or null if nothing is. */
    private static String redisProblem(String redis) {
        URI uri;
        try {
            uri = new URI(redis.strip());
        } catch (URISyntaxException e) {
            return "'" + redis + "' is not a URI (expected: redis://host:port)";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            return "'" + redis + "' (expected: a redis:// or rediss:// URI)";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "'" + redis + "' names no host (expected: redis://host:port)";
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return "'" + redis + "' has port " + uri.getPort() + " (expected: 1 to 65535)";
        }
        String database = uri.getPath() == null ? "" : uri.getPath();
        if (!database.isEmpty() && !database.matches("/\\d{1,2}")) {
            return "'" + redis + "': '" + database + "' is not a database number (expected: /0 to /99)";
        }
        return null;
    }
}
