package dev.junction.core.internal.limit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RateLimitConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.SharedLimitsConfig;
import dev.junction.core.spi.KeyResolver;
import dev.junction.core.spi.Scheduler;
import dev.junction.core.spi.Ticker;
import dev.junction.core.spi.SelectionContext;
import dev.junction.core.status.RateLimitStatus;

/**
 * A route's rate limits at run time: the verdict each request gets from them, and what they have decided so far.
 *
 * <p>Groups are asked in configuration order and the first that refuses decides; a request allowed by every group is
 * told of the one with the fewest tokens left. Local groups answer on the caller's thread; a shared group asks the
 * store, and its answer comes on the store's thread. When the store cannot be asked, a shared group decides as
 * {@code sharedLimits.whenUnreachable} says.
 *
 * <p>Thread-safe.
 */
public final class RouteLimits {

    private static final Logger LOG = LoggerFactory.getLogger(RouteLimits.class);

    private static final String STORE_CLOSED = "the shared rate-limit store cannot be reached";

    private final List<LimitGroup> groups;
    private final List<String> names;
    private final String policy;
    private final @Nullable SharedStore store;
    private final SharedLimitsConfig.WhenUnreachable whenUnreachable;
    private final boolean byClient;
    private final LongAdder allowed = new LongAdder();
    private final LongAdder limited = new LongAdder();
    private final LongAdder alone = new LongAdder();

    private RouteLimits(List<LimitGroup> groups, List<String> names, String policy, @Nullable SharedStore store,
            SharedLimitsConfig.WhenUnreachable whenUnreachable) {
        this.groups = groups;
        this.names = names;
        this.policy = policy;
        this.store = store;
        this.whenUnreachable = whenUnreachable;
        this.byClient = groups.stream().anyMatch(LimitGroup::byClient);
    }

    /**
     * Returns the limits of a validated route, or null if it has none.
     *
     * @param store where shared limits are kept, or null when the configuration has no store
     * @param resolvers the key resolvers registered on the Junction, by name (every name the route uses is there)
     */
    public static @Nullable RouteLimits of(RouteConfig route, SharedLimitsConfig shared, @Nullable SharedStore store,
            Map<String, KeyResolver> resolvers) {
        if (route.rateLimits().isEmpty()) {
            return null;
        }
        Map<String, List<RateLimitConfig>> byKey = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        List<String> policies = new ArrayList<>();
        for (RateLimitConfig limit : route.rateLimits()) {
            byKey.computeIfAbsent(limit.key() + (limit.shared() ? " shared" : ""), k -> new ArrayList<>()).add(limit);
            names.add(limit.name());
            policies.add(LimitGroup.policy(limit));
        }
        List<LimitGroup> groups = new ArrayList<>();
        for (List<RateLimitConfig> limits : byKey.values()) {
            String resolver = limits.get(0).keyKind().equals(RateLimitConfig.RESOLVER_KEY) ? limits.get(0).keyName()
                    : null;
            groups.add(new LimitGroup(limits, resolver == null ? null : resolvers.get(resolver), shared.instances(),
                    storePrefix(shared, route, limits)));
        }
        return new RouteLimits(List.copyOf(groups), List.copyOf(names), String.join(", ", policies), store,
                shared.whenUnreachable());
    }

    /**
     * Returns what the Redis keys of a group's buckets start with: the route, the key's kind and the rates, so that a
     * changed rate gets buckets of its own instead of inheriting ones made for the old (Bucket4j keeps the
     * configuration a bucket was made with), and gateways of two configurations never share one bucket.
     */
    private static String storePrefix(SharedLimitsConfig shared, RouteConfig route, List<RateLimitConfig> limits) {
        StringBuilder prefix = new StringBuilder(shared.keyPrefix()).append("ratelimit:").append(route.name())
                .append(':').append(limits.get(0).key()).append(':');
        for (RateLimitConfig limit : limits) {
            prefix.append(limit.limit()).append('/').append(limit.period().toMillis()).append("ms/")
                    .append(limit.burst()).append(';');
        }
        return prefix.append(':').toString();
    }

    /**
     * Returns the store of a configuration's shared limits, not started, or null if no limit is shared.
     *
     * @throws NoClassDefFoundError if the Redis client is not on the class path (the configuration's check says so)
     */
    public static @Nullable SharedStore store(JunctionConfig config, Scheduler scheduler, Ticker ticker) {
        boolean shared = config.routes().stream().anyMatch(route -> route.rateLimits().stream()
                .anyMatch(RateLimitConfig::shared));
        return shared && config.sharedLimits().enabled() ? RedisStore.create(config.sharedLimits(), scheduler, ticker)
                : null;
    }

    /** Returns whether a limit of the route is keyed by the client's address (worth reading behind proxies). */
    public boolean byClient() {
        return byClient;
    }

    /**
     * Decides whether a request goes on. Returns the verdict when it is decided at once, else null, and {@code later}
     * gets it, on the store's thread.
     *
     * @param client the client's address, behind the route's trusted proxies; read only when {@link #byClient}
     */
    public @Nullable Verdict admit(SelectionContext request, String client, Consumer<Verdict> later) {
        // Every key is read now, on the request's thread: a later step may run on the store's.
        String[] keys = new String[groups.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = groups.get(i).key(request, client);
        }
        return step(keys, 0, null, later);
    }

    private @Nullable Verdict step(String[] keys, int from, @Nullable Verdict tightest, Consumer<Verdict> later) {
        Verdict told = tightest;
        for (int i = from; i < groups.size(); i++) {
            LimitGroup group = groups.get(i);
            SharedStore shared = store;
            Verdict verdict;
            if (group.shared() && shared != null) {
                int next = i + 1;
                Verdict sofar = told;
                group.remote(shared, keys[i]).whenComplete((probe, failure) -> {
                    Verdict decided;
                    Verdict rest = null;
                    try {
                        decided = failure == null ? group.remoteVerdict(probe, policy) : alone(group, keys[next - 1]);
                        if (decided.allowed()) {
                            rest = step(keys, next, sofar == null ? decided : Verdict.tighter(sofar, decided), later);
                            if (rest == null) {
                                // Another shared group answers later.
                                return;
                            }
                        }
                    } catch (RuntimeException e) {
                        // Never leave the exchange without a verdict: one that cannot be worked out lets it through.
                        LOG.warn("Rate limits: a verdict could not be worked out; the request goes on", e);
                        decided = Verdict.unreported(policy);
                    }
                    later.accept(rest != null ? rest : counted(decided));
                });
                return null;
            }
            verdict = group.local(keys[i], policy);
            if (!verdict.allowed()) {
                return counted(verdict);
            }
            told = told == null ? verdict : Verdict.tighter(told, verdict);
        }
        return counted(told != null ? told : Verdict.unreported(policy));
    }

    /** Returns the verdict of a shared group while its store cannot be asked. */
    private Verdict alone(LimitGroup group, String key) {
        alone.increment();
        return switch (whenUnreachable) {
            case LOCAL -> group.local(key, policy);
            case OPEN -> Verdict.unreported(policy);
            case CLOSED -> new Verdict(false, 503, STORE_CLOSED, -1, 0, 0, 1, policy);
        };
    }

    private Verdict counted(Verdict verdict) {
        (verdict.allowed() ? allowed : limited).increment();
        return verdict;
    }

    /** Returns what the limits have decided since start, and how the shared store is doing. */
    public RateLimitStatus status() {
        SharedStore shared = groups.stream().anyMatch(LimitGroup::shared) ? store : null;
        return new RateLimitStatus(names, allowed.sum(), limited.sum(), alone.sum(),
                shared != null ? shared.address() : null, shared != null && shared.reachable(),
                shared != null ? shared.problem() : null, whenUnreachable.configName());
    }

    /** Returns the requests limited since start, for metrics. */
    public double limitedCount() {
        return limited.sum();
    }

    /** Returns the shared limits' decisions made without the store since start, for metrics. */
    public double aloneCount() {
        return alone.sum();
    }
}
