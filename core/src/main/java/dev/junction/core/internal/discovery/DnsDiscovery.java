package dev.junction.core.internal.discovery;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;
import org.xbill.DNS.lookup.ServerFailedException;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigProblem;
import dev.junction.core.config.DnsConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Scheduler;
import dev.junction.core.spi.Backend;
import dev.junction.core.status.DiscoveryStatus;

/**
 * Backends from DNS: each backend of a route that is {@code resolve: dns} (or a {@code dns+srv://} URL) stands for the
 * addresses its name has, and each address is a backend of the route's pool, with an id of its own that stays while the
 * address does ({@code api.internal:8080@10.0.0.5}). The name is looked up again when its answer's TTL runs out (held
 * between {@link DnsConfig#minTtl()} and {@link DnsConfig#maxTtl()}); addresses that appear are added (with slow start,
 * and after their first check if the route checks), those that disappear are removed (they finish what they have). A
 * lookup that fails (a timeout, a server failure) keeps the last good addresses, is logged once, shown in the status,
 * and tried again after {@code minTtl}; an answer that the name has no such records is an answer, and empties it.
 *
 * <p>Lookups are asynchronous (dnsjava's {@link LookupSession}, on its own I/O thread) and never run on an adapter's
 * thread; their results change the pool from there.
 *
 * <p>Thread-safe.
 */
public final class DnsDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(DnsDiscovery.class);

    private final DnsConfig config;
    private final LookupSession session;
    private final Scheduler scheduler;
    private final Clock clock;
    /** By route name, then template id. */
    private final Map<String, Map<String, Watch>> watches = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /**
     * Creates the lookups of a configuration's DNS settings; nothing is looked up before {@link #follow}.
     *
     * @throws ConfigException if a DNS server named cannot be used
     */
    public DnsDiscovery(DnsConfig config, Scheduler scheduler, Clock clock) {
        this.config = config;
        this.scheduler = scheduler;
        this.clock = clock;
        LookupSession.LookupSessionBuilder builder = LookupSession.builder().resolver(resolver(config));
        if (config.servers().isEmpty()) {
            // The system's servers, with its search domains (a Kubernetes service's short name resolves as it does
            // for the system resolver).
            builder.searchPath(ResolverConfig.getCurrentConfig().searchPath())
                    .ndots(ResolverConfig.getCurrentConfig().ndots());
        }
        this.session = builder.build();
    }

    private static Resolver resolver(DnsConfig config) {
        ExtendedResolver resolver;
        if (config.servers().isEmpty()) {
            resolver = new ExtendedResolver();
        } else {
            List<Resolver> servers = new ArrayList<>();
            for (String server : config.servers()) {
                URI parsed = URI.create("dns://" + server.trim());
                try {
                    SimpleResolver simple = new SimpleResolver(parsed.getHost());
                    simple.setPort(parsed.getPort() > 0 ? parsed.getPort() : 53);
                    servers.add(simple);
                } catch (UnknownHostException e) {
                    throw new ConfigException(List.of(new ConfigProblem("client.dns.servers",
                            "'" + server + "' cannot be resolved to an address: " + e.getMessage())));
                }
            }
            resolver = new ExtendedResolver(servers.toArray(new Resolver[0]));
        }
        resolver.setTimeout(config.timeout());
        resolver.setRetries(1);
        return resolver;
    }

    /** Returns whether a route has backends that stand for what DNS gives. */
    public static boolean discovers(RouteConfig route) {
        for (BackendConfig backend : route.backends()) {
            if (backend.discovered()) {
                return true;
            }
        }
        return false;
    }

    /** Returns the route's backends that are not looked up: those its pool holds as they are. */
    public static List<BackendConfig> fixed(List<BackendConfig> backends) {
        List<BackendConfig> fixed = new ArrayList<>(backends.size());
        for (BackendConfig backend : backends) {
            if (!backend.discovered()) {
                fixed.add(backend);
            }
        }
        return fixed;
    }

    /**
     * Follows the looked-up backends of {@code route} in {@code pool}: a template it followed before, unchanged, keeps
     * its addresses and its next lookup; a new or changed one is looked up now; one that is gone has its backends
     * removed. Returns when every new lookup has been sent; {@link #firstLookups} waits for them.
     */
    public synchronized void follow(RouteConfig route, BackendPool pool) {
        Map<String, Watch> before = watches.getOrDefault(route.name(), Map.of());
        Map<String, Watch> now = new LinkedHashMap<>();
        for (BackendConfig backend : route.backends()) {
            if (!backend.discovered()) {
                continue;
            }
            Watch old = before.get(backend.id());
            if (old != null && old.template.equals(backend) && old.pool == pool) {
                now.put(backend.id(), old);
                continue;
            }
            Watch made = new Watch(route.name(), backend, pool);
            if (old != null && old.pool == pool) {
                // A changed template takes over its backends: an address it still has keeps its state. Under the
                // old watch's lock, so an answer it is applying now lands before the hand-over or not at all.
                synchronized (old) {
                    old.stop(true);
                    made.instances.putAll(old.instances);
                }
            }
            now.put(backend.id(), made);
            made.lookup();
        }
        for (Map.Entry<String, Watch> old : before.entrySet()) {
            if (!now.containsKey(old.getKey())) {
                old.getValue().stop(false);
            }
        }
        if (now.isEmpty()) {
            watches.remove(route.name());
        } else {
            watches.put(route.name(), now);
        }
    }

    /** Stops following a route that is gone; its pool goes with it. */
    public synchronized void forget(String route) {
        Map<String, Watch> gone = watches.remove(route);
        if (gone != null) {
            gone.values().forEach(watch -> watch.stop(false));
        }
    }

    /**
     * Returns the ids of the backends the lookups put in the route's pool for templates {@code route} still has (by
     * id, changed or not): a reload leaves those where they are, and the template's next answer decides them.
     */
    public Set<String> managed(RouteConfig route) {
        Map<String, Watch> followed = watches.getOrDefault(route.name(), Map.of());
        Set<String> ids = ConcurrentHashMap.newKeySet();
        for (BackendConfig backend : route.backends()) {
            Watch watch = followed.get(backend.id());
            if (watch != null && backend.discovered()) {
                ids.addAll(watch.instances.keySet());
            }
        }
        return ids;
    }

    /** Returns the ids of every backend the lookups put in the route's pool. */
    public Set<String> managed(String route) {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        watches.getOrDefault(route, Map.of()).values().forEach(watch -> ids.addAll(watch.instances.keySet()));
        return ids;
    }

    /** Completes when the first lookup of every template followed has ended, however it ended. */
    public CompletableFuture<Void> firstLookups() {
        List<CompletableFuture<Void>> first = new ArrayList<>();
        watches.values().forEach(route -> route.values().forEach(watch -> first.add(watch.first)));
        return CompletableFuture.allOf(first.toArray(new CompletableFuture<?>[0]));
    }

    /** Returns how long the first lookups may take: the timeout, for each server in turn. */
    public Duration firstLookupTimeout() {
        return config.timeout().multipliedBy(Math.max(1, config.servers().size()) * 2L);
    }

    /** Returns each template followed: its name, the backends it stands for now, and its last lookup. */
    public List<DiscoveryStatus> status() {
        List<DiscoveryStatus> statuses = new ArrayList<>();
        watches.values().forEach(route -> route.values().forEach(watch -> statuses.add(watch.status())));
        return statuses;
    }

    /** Stops every lookup; the pools keep what they have. */
    public synchronized void stop() {
        stopped = true;
        watches.values().forEach(route -> route.values().forEach(watch -> watch.stop(true)));
        watches.clear();
    }

    /** One template's lookups and the backends they put in the pool. */
    private final class Watch {

        final String route;
        final BackendConfig template;
        final BackendPool pool;
        final String name;
        final boolean srv;
        /** The backends of the last good answer, by id. */
        final Map<String, BackendConfig> instances = new ConcurrentHashMap<>();
        final CompletableFuture<Void> first = new CompletableFuture<>();
        private volatile boolean cancelled;
        private volatile Scheduler.@Nullable Task next;
        private volatile @Nullable Instant resolvedAt;
        private volatile @Nullable String problem;
        private volatile @Nullable Instant nextAt;

        Watch(String route, BackendConfig template, BackendPool pool) {
            this.route = route;
            this.template = template;
            this.pool = pool;
            this.srv = template.srv();
            String url = template.url().trim();
            this.name = srv ? template.srvName() : URI.create(url).getHost();
        }

        void lookup() {
            if (cancelled || stopped) {
                first.complete(null);
                return;
            }
            CompletionStage<Answer> answer;
            try {
                Name looked = Name.fromString(name);
                answer = srv ? srv(looked) : addresses(looked).thenApply(this::ofAddresses);
            } catch (TextParseException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((found, failure) -> {
                try {
                    if (failure != null) {
                        failed(failure);
                    } else {
                        apply(found);
                    }
                } catch (RuntimeException e) {
                    LOG.error("Route {}: applying the DNS answer for {} failed", route, name, e);
                    problem = e.toString();
                    schedule(config.minTtl().toMillis());
                } finally {
                    first.complete(null);
                }
            });
        }

        /** Looks up a name's A and AAAA records together: the addresses, and the shortest TTL. */
        private CompletionStage<Addresses> addresses(Name looked) {
            CompletableFuture<Addresses> v4 = records(looked, Type.A).toCompletableFuture();
            CompletableFuture<Addresses> v6 = records(looked, Type.AAAA).toCompletableFuture();
            return v4.thenCombine(v6, Addresses::and);
        }

        private CompletionStage<Addresses> records(Name looked, int type) {
            return session.lookupAsync(looked, type).handle((result, failure) -> {
                return failure != null ? orNone(failure, Addresses.NONE) : Addresses.of(result);
            });
        }

        private Answer ofAddresses(Addresses found) {
            URI url = URI.create(template.url().trim());
            Map<String, BackendConfig> backends = new LinkedHashMap<>();
            for (InetAddress address : found.addresses) {
                String literal = literal(address);
                String instanceUrl = url.getScheme() + "://" + literal + (url.getPort() > 0 ? ":" + url.getPort() : "")
                        + (url.getRawPath() == null ? "" : url.getRawPath());
                String id = template.id() + "@" + address.getHostAddress();
                backends.put(id, template.toBuilder().id(id).url(instanceUrl).resolve(BackendConfig.Resolve.NONE)
                        .build());
            }
            return new Answer(backends, found.ttl);
        }

        /** Looks up SRV records, then each target's addresses: a backend per address and port. */
        private CompletionStage<Answer> srv(Name looked) {
            return session.lookupAsync(looked, Type.SRV).handle((result, failure) -> {
                if (failure != null) {
                    return orNone(failure, List.<SRVRecord>of());
                }
                List<SRVRecord> records = new ArrayList<>();
                for (Record record : result.getRecords()) {
                    if (record instanceof SRVRecord srvRecord) {
                        records.add(srvRecord);
                    }
                }
                return records;
            }).thenCompose(records -> {
                long ttl = Long.MAX_VALUE;
                int lowest = Integer.MAX_VALUE;
                List<CompletableFuture<Addresses>> targets = new ArrayList<>();
                for (SRVRecord record : records) {
                    ttl = Math.min(ttl, record.getTTL());
                    lowest = Math.min(lowest, record.getPriority());
                    targets.add(addresses(record.getTarget()).toCompletableFuture());
                }
                long srvTtl = ttl;
                int primary = lowest;
                return CompletableFuture.allOf(targets.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
                    Map<String, BackendConfig> backends = new LinkedHashMap<>();
                    long shortest = srvTtl;
                    for (int i = 0; i < records.size(); i++) {
                        SRVRecord record = records.get(i);
                        Addresses found = targets.get(i).join();
                        shortest = Math.min(shortest, found.ttl);
                        for (InetAddress address : found.addresses) {
                            String endpoint = literal(address) + ":" + record.getPort();
                            String id = template.id() + "@" + address.getHostAddress() + ":" + record.getPort();
                            backends.put(id, template.toBuilder().id(id).url("http://" + endpoint)
                                    .weight(Math.max(1, Math.min(BackendConfig.MAX_WEIGHT, record.getWeight())))
                                    .backup(template.backup() || record.getPriority() > primary)
                                    .resolve(BackendConfig.Resolve.NONE).build());
                        }
                    }
                    return new Answer(backends, shortest);
                });
            });
        }

        private void apply(Answer answer) {
            synchronized (this) {
                if (cancelled || stopped) {
                    return;
                }
                for (String id : List.copyOf(instances.keySet())) {
                    if (!answer.backends.containsKey(id)) {
                        pool.remove(id);
                        instances.remove(id);
                    }
                }
                for (BackendConfig backend : answer.backends.values()) {
                    try {
                        Backend member = pool.get(backend.id());
                        if (member == null) {
                            pool.add(backend);
                        } else if (!member.config().equals(backend)) {
                            pool.update(backend);
                        }
                        instances.put(backend.id(), backend);
                    } catch (RuntimeException e) {
                        // One backend that cannot be placed (its id taken by a configured one) must not stop the rest.
                        LOG.warn("Route {}: backend {} from the DNS answer for {} cannot join the pool: {}", route,
                                backend.id(), name, e.getMessage());
                    }
                }
            }
            if (problem != null) {
                LOG.info("Route {}: DNS answers for {} again: {}", route, name, answer.backends.keySet());
            }
            problem = null;
            resolvedAt = clock.instant();
            long ttl = answer.ttlSeconds == Long.MAX_VALUE ? config.minTtl().toSeconds() : answer.ttlSeconds;
            long delay = Math.max(config.minTtl().toMillis(), Math.min(config.maxTtl().toMillis(), ttl * 1000));
            schedule(delay);
        }

        private void failed(Throwable failure) {
            if (cancelled || stopped) {
                return;
            }
            String why = describe(cause(failure));
            if (problem == null) {
                LOG.warn("Route {}: the DNS lookup of {} failed ({}); keeping its last addresses {}", route, name,
                        why, instances.keySet());
            }
            problem = why;
            schedule(config.minTtl().toMillis());
        }

        private void schedule(long delayMillis) {
            if (cancelled || stopped) {
                return;
            }
            nextAt = clock.instant().plusMillis(delayMillis);
            next = scheduler.schedule(this::lookup, delayMillis, TimeUnit.MILLISECONDS);
        }

        /** Stops looking up; unless {@code keepBackends}, the backends it put in the pool are removed. */
        void stop(boolean keepBackends) {
            cancelled = true;
            Scheduler.Task task = next;
            if (task != null) {
                task.cancel();
            }
            first.complete(null);
            if (!keepBackends) {
                synchronized (this) {
                    for (String id : instances.keySet()) {
                        pool.remove(id);
                    }
                    instances.clear();
                }
            }
        }

        DiscoveryStatus status() {
            List<String> ids = new ArrayList<>(instances.keySet());
            return new DiscoveryStatus(route, template.id(), (srv ? "SRV " : "") + name, ids, resolvedAt, nextAt,
                    problem);
        }
    }

    /** Says why a lookup failed, for the log and the status. */
    private String describe(Throwable cause) {
        if (cause instanceof ServerFailedException) {
            return "SERVFAIL: the DNS server could not answer";
        }
        if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
            return "no answer within " + config.timeout().toMillis() + " ms";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /** Returns what a lookup failed of, a completion's wrapping aside. */
    private static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /**
     * Returns {@code none} if a lookup failed because the name has no such records (an answer, not a failure), and
     * throws the failure's cause otherwise.
     */
    private static <T> T orNone(Throwable failure, T none) {
        Throwable cause = cause(failure);
        if (cause instanceof NoSuchDomainException || cause instanceof NoSuchRRSetException) {
            return none;
        }
        throw new CompletionException(cause);
    }

    private static String literal(InetAddress address) {
        String text = address.getHostAddress();
        return address instanceof Inet6Address ? "[" + text + "]" : text;
    }

    /** The backends one answer gives, and how long it holds in seconds ({@link Long#MAX_VALUE}: no record said). */
    private record Answer(Map<String, BackendConfig> backends, long ttlSeconds) {
    }

    /** The addresses a name has, and the shortest TTL among them. */
    private record Addresses(List<InetAddress> addresses, long ttl) {

        static final Addresses NONE = new Addresses(List.of(), Long.MAX_VALUE);

        static Addresses of(LookupResult result) {
            List<InetAddress> addresses = new ArrayList<>();
            long ttl = Long.MAX_VALUE;
            for (Record record : result.getRecords()) {
                if (record instanceof ARecord a) {
                    addresses.add(a.getAddress());
                    ttl = Math.min(ttl, record.getTTL());
                } else if (record instanceof AAAARecord aaaa) {
                    addresses.add(aaaa.getAddress());
                    ttl = Math.min(ttl, record.getTTL());
                }
            }
            return new Addresses(addresses, ttl);
        }

        Addresses and(Addresses other) {
            List<InetAddress> both = new ArrayList<>(addresses);
            both.addAll(other.addresses);
            return new Addresses(both, Math.min(ttl, other.ttl));
        }
    }
}
