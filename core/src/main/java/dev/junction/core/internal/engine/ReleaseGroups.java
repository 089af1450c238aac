package dev.junction.core.internal.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.junction.core.config.ReleaseConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.internal.Hashing;
import dev.junction.core.internal.admin.AdminEndpoint;
import dev.junction.core.internal.balance.RandomSource;
import dev.junction.core.internal.balance.RouteBalancer;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.LoadBalancer;
import dev.junction.core.spi.Scheduler;
import dev.junction.core.spi.SelectionContext;
import dev.junction.core.status.ReleaseStatus;

/**
 * A route's release groups at run time ({@link ReleaseConfig}): a balancer per group over its own backends, the
 * shares that decide a request's group, the scheduled rollout, and the watch that rolls back a group doing worse than
 * the baseline.
 *
 * <p>A request's group is the one whose places hold its key's place: of {@value #PLACES} places, the groups other than
 * the baseline take the first ones in configuration order, as many as their shares give them, and the baseline the
 * rest. Shares change as one array, so a request sees either the old split or the new one, never a mix.
 *
 * <p>Thread-safe: requests read volatile fields; changes of shares are synchronized and logged.
 */
public final class ReleaseGroups implements AdminEndpoint.ReleaseControl {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseGroups.class);

    /** The places a key's hash falls on: shares are in hundredths of a percent of them. */
    static final int PLACES = 10_000;
    /** How many parts the rollback window is kept in; the watch looks once per part. */
    private static final int WINDOW_PARTS = 10;

    private final String route;
    private final ReleaseConfig config;
    private final List<String> groups;
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final int baseline;
    private final int rolloutGroup;
    private final RouteBalancer[] balancers;
    private final int[] backendCounts;
    private final String keyKind;
    private final String keyName;
    private final Window[] windows;
    private final LongAdder rollbacks = new LongAdder();
    private final Scheduler scheduler;
    private final Clock clock;

    /** Percent per group; replaced whole. */
    private volatile int[] shares;
    /** Per group, the first place after its own; the baseline's is unused. Replaced with {@link #shares}. */
    private volatile int[] ends;
    private volatile String state = "steady";
    private volatile @Nullable String lastEvent;
    private volatile @Nullable Instant lastEventAt;
    private volatile @Nullable Instant nextStepAt;
    private Scheduler.@Nullable Task rolloutTask;
    private Scheduler.@Nullable Task watchTask;
    private boolean stopped;
    private boolean started;

    ReleaseGroups(RouteConfig route, BackendPool pool, LoadBalancer strategy, Scheduler scheduler, Clock clock,
            @Nullable String zone) {
        this.route = route.name();
        this.config = route.release();
        this.groups = route.groups();
        for (int i = 0; i < groups.size(); i++) {
            indexOf.put(groups.get(i), i);
        }
        this.baseline = config.baseline() == null ? 0 : indexOf.get(config.baseline());
        String rolled = config.rollout().group();
        this.rolloutGroup = rolled != null ? indexOf.get(rolled) : firstOther();
        this.balancers = new RouteBalancer[groups.size()];
        this.backendCounts = new int[groups.size()];
        for (int i = 0; i < balancers.length; i++) {
            String group = groups.get(i);
            balancers[i] = new RouteBalancer(pool, strategy, route.whenAllDown(), route.panicThreshold(),
                    route.slowStart(), RandomSource.threadLocal(), backend -> group.equals(backend.config().group()),
                    zone, route.zoneAware());
        }
        route.backends().forEach(backend -> backendCounts[indexOf.get(backend.group())]++);
        int colon = config.key().indexOf(':');
        this.keyKind = colon < 0 ? config.key() : config.key().substring(0, colon).toLowerCase(Locale.ROOT);
        this.keyName = colon < 0 ? "" : config.key().substring(colon + 1);
        this.windows = new Window[groups.size()];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = new Window();
        }
        this.scheduler = scheduler;
        this.clock = clock;
        int[] initial = new int[groups.size()];
        config.shares().forEach((group, share) -> initial[indexOf.get(group)] = share);
        apply(initial);
    }

    /** Returns the release groups of a route whose backends name some, or null. */
    static @Nullable ReleaseGroups of(RouteConfig route, BackendPool pool, LoadBalancer strategy, Scheduler scheduler,
            Clock clock, @Nullable String zone) {
        return route.groups().isEmpty() ? null : new ReleaseGroups(route, pool, strategy, scheduler, clock, zone);
    }

    private int firstOther() {
        for (int i = 0; i < groups.size(); i++) {
            if (i != baseline) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Starts the rollback watch and, if the configuration says so, the rollout. Once: the groups of a route built
     * again around them are started already.
     */
    synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        if (config.rollback().enabled()) {
            scheduleWatch();
        }
        if (config.rollout().enabled() && config.rollout().start()) {
            startRollout();
        }
    }

    /** Stops the steps and the watch, and the groups' balancers no longer follow the pool: the route is gone. */
    void close() {
        stop();
        for (RouteBalancer balancer : balancers) {
            balancer.close();
        }
    }

    /** Stops the rollout's steps and the watch. */
    synchronized void stop() {
        stopped = true;
        cancelRollout();
        if (watchTask != null) {
            watchTask.cancel();
            watchTask = null;
        }
    }

    // The request path.

    /** Returns the group of a request: the one it forces, else the one its key's place falls in. */
    int groupOf(ProxyExchange exchange) {
        int forced = forced(exchange);
        if (forced >= 0) {
            return forced;
        }
        String key = switch (keyKind) {
            case "client" -> exchange.client();
            case "header" -> exchange.header(keyName);
            case "cookie" -> exchange.cookie(keyName);
            default -> null;
        };
        int place = key == null ? ThreadLocalRandom.current().nextInt(PLACES)
                : (int) Math.floorMod(Hashing.hash(key), (long) PLACES);
        return groupAt(place);
    }

    /** Returns the group whose places hold {@code place}. */
    int groupAt(int place) {
        int[] bounds = ends;
        for (int i = 0; i < bounds.length; i++) {
            if (i != baseline && place < bounds[i]) {
                return i;
            }
        }
        return baseline;
    }

    private int forced(ProxyExchange exchange) {
        String header = config.forceHeader();
        int found = header == null ? -1 : named(exchange.header(header));
        String cookie = config.forceCookie();
        if (found < 0 && cookie != null) {
            found = named(exchange.cookie(cookie));
        }
        return found;
    }

    private int named(@Nullable String value) {
        if (value == null) {
            return -1;
        }
        String name = value.trim();
        if (name.equalsIgnoreCase(ReleaseConfig.ALWAYS)) {
            return rolloutGroup;
        }
        if (name.equalsIgnoreCase(ReleaseConfig.NEVER)) {
            return baseline;
        }
        Integer index = indexOf.get(name);
        return index == null ? -1 : index;
    }

    /**
     * Returns a backend of the group for the request, or, when the group has none that can serve, one of the
     * baseline and then of the other groups; null if no group has one.
     */
    @Nullable Backend select(int group, SelectionContext request) {
        Backend backend = balancers[group].select(request);
        if (backend != null) {
            return backend;
        }
        if (group != baseline) {
            backend = balancers[baseline].select(request);
        }
        for (int i = 0; backend == null && i < balancers.length; i++) {
            if (i != group && i != baseline) {
                backend = balancers[i].select(request);
            }
        }
        return backend;
    }

    /** Returns the index of a backend's group, or -1 if it names none of them. */
    int groupOf(Backend backend) {
        String group = backend.config().group();
        Integer index = group == null ? null : indexOf.get(group);
        return index == null ? -1 : index;
    }

    /** Returns whether a session pinned to this backend keeps it: always, unless sessions follow a group's share. */
    boolean keepsPin(Backend backend) {
        if (config.sessions() == ReleaseConfig.Sessions.STAY) {
            return true;
        }
        int group = groupOf(backend);
        return group < 0 || shares[group] > 0;
    }

    /** Returns how many groups there are. */
    int groups() {
        return groups.size();
    }

    /** Returns the balancer of one group. */
    RouteBalancer balancer(int group) {
        return balancers[group];
    }

    /** Counts an exchange a backend ended, for the group's window and totals. */
    void ended(@Nullable Backend backend, boolean error, long nanos) {
        int group = backend == null ? -1 : groupOf(backend);
        if (group >= 0) {
            windows[group].record(error, nanos);
        }
    }

    // Changes of shares.

    /** Returns the groups' shares in percent, in the order the backends name the groups. */
    public Map<String, Integer> shares() {
        int[] now = shares;
        Map<String, Integer> shown = new LinkedHashMap<>();
        for (int i = 0; i < now.length; i++) {
            shown.put(groups.get(i), now[i]);
        }
        return shown;
    }

    /**
     * Sets one group's share; the baseline takes what the others leave. Pauses a rollout under way.
     *
     * @throws IllegalArgumentException naming what is wrong: an unknown group, the baseline, a share out of range or
     *     one that leaves the baseline less than nothing
     */
    @Override
    public synchronized void setShare(String group, int percent, String by) {
        int index = index(group);
        if (index == baseline) {
            throw new IllegalArgumentException("'" + group + "' is the baseline, which takes what the other groups"
                    + " leave; set theirs");
        }
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("share: " + percent + " (expected: 0 to 100)");
        }
        int[] next = shares.clone();
        next[index] = percent;
        int others = Arrays.stream(next).sum() - next[baseline];
        if (others > 100) {
            throw new IllegalArgumentException("the groups other than the baseline would have " + others
                    + "% together (expected: at most 100)");
        }
        cancelRollout();
        state = "steady";
        apply(next);
        event(group + " set to " + percent + "% by " + by, false);
    }

    /** Gives one group all the traffic at once (a blue-green switch); pauses a rollout under way. */
    @Override
    public synchronized void activate(String group, String by) {
        int index = index(group);
        int[] next = new int[groups.size()];
        next[index] = 100;
        cancelRollout();
        state = "steady";
        apply(next);
        event(group + " active (100%) by " + by, false);
    }

    /** Gives the baseline all the traffic at once and stops a rollout under way. */
    @Override
    public synchronized void rollback(String reason) {
        cancelRollout();
        int[] next = new int[groups.size()];
        next[baseline] = 100;
        apply(next);
        state = "rolled-back";
        rollbacks.increment();
        event("rolled back to " + groups.get(baseline) + ": " + reason, true);
    }

    /**
     * Starts (or resumes) the rollout's steps: the first step above the rolled-out group's share now at once, the
     * next ones each interval.
     *
     * @throws IllegalStateException if the route has no rollout steps, or they are all reached
     */
    @Override
    public synchronized void startRollout() {
        if (!config.rollout().enabled() || rolloutGroup < 0) {
            throw new IllegalStateException("route '" + route + "' has no rollout steps (release.rollout.steps)");
        }
        if (nextStep() < 0) {
            throw new IllegalStateException("route '" + route + "': " + groups.get(rolloutGroup) + " is at "
                    + shares[rolloutGroup] + "%, the last rollout step already");
        }
        cancelRollout();
        state = "rolling-out";
        step();
    }

    /** Stops the rollout's steps where they are. */
    @Override
    public synchronized void pauseRollout(String by) {
        if (rolloutTask != null) {
            cancelRollout();
            state = "steady";
            event("rollout paused at " + shares[rolloutGroup] + "% by " + by, false);
        }
    }

    private void step() {
        int step = nextStep();
        if (step < 0 || stopped) {
            return;
        }
        int[] next = shares.clone();
        int percent = config.rollout().steps().get(step);
        next[rolloutGroup] = percent;
        int others = Arrays.stream(next).sum() - next[baseline];
        if (others > 100) {
            // Other groups hold shares too: the rolled-out group takes what they leave.
            next[rolloutGroup] = Math.max(0, percent - (others - 100));
        }
        apply(next);
        boolean last = nextStep() < 0;
        event("rollout: " + groups.get(rolloutGroup) + " at " + next[rolloutGroup] + "%"
                + (last ? ", the last step" : ""), false);
        if (last) {
            state = "steady";
            rolloutTask = null;
            nextStepAt = null;
            return;
        }
        Duration interval = config.rollout().interval();
        nextStepAt = clock.instant().plus(interval);
        rolloutTask = scheduler.schedule(this::scheduledStep, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void scheduledStep() {
        if ("rolling-out".equals(state)) {
            step();
        }
    }

    /** Returns the index of the first rollout step above the rolled-out group's share, or -1. */
    private int nextStep() {
        List<Integer> steps = config.rollout().steps();
        int now = shares[rolloutGroup];
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) > now) {
                return i;
            }
        }
        return -1;
    }

    private void cancelRollout() {
        if (rolloutTask != null) {
            rolloutTask.cancel();
            rolloutTask = null;
        }
        nextStepAt = null;
    }

    private int index(String group) {
        Integer index = indexOf.get(group);
        if (index == null) {
            throw new IllegalArgumentException("no group '" + group + "' (the groups: " + String.join(", ", groups)
                    + ")");
        }
        return index;
    }

    /** Makes {@code percent} the shares: the baseline's is what the others leave. */
    private void apply(int[] percent) {
        int[] next = percent.clone();
        int others = 0;
        int[] bounds = new int[next.length];
        for (int i = 0; i < next.length; i++) {
            if (i != baseline) {
                others += next[i];
                bounds[i] = others * (PLACES / 100);
            }
        }
        next[baseline] = 100 - others;
        ends = bounds;
        shares = next;
    }

    private void event(String what, boolean warn) {
        lastEvent = what;
        lastEventAt = clock.instant();
        if (warn) {
            LOG.warn("Route {}: {}", route, what);
        } else {
            LOG.info("Route {}: {}", route, what);
        }
    }

    /** Returns a group's share now, in percent. */
    int share(int group) {
        return shares[group];
    }

    /** Returns the exchanges a group's backends ended since start. */
    long exchanges(int group) {
        return windows[group].total();
    }

    /** Returns the errors among them. */
    long errors(int group) {
        return windows[group].totalErrors();
    }

    /** Returns how many times the groups were rolled back to the baseline. */
    long rollbacks() {
        return rollbacks.sum();
    }

    // The rollback watch.

    private void scheduleWatch() {
        long partMillis = Math.max(1, config.rollback().window().toMillis() / WINDOW_PARTS);
        watchTask = scheduler.schedule(this::watch, partMillis, TimeUnit.MILLISECONDS);
    }

    private synchronized void watch() {
        if (stopped) {
            return;
        }
        try {
            String verdict = verdict();
            if (verdict != null) {
                rollback(verdict);
            }
        } finally {
            for (Window window : windows) {
                window.rotate();
            }
            scheduleWatch();
        }
    }

    /** Returns why a group must be rolled back, or null if none must. */
    private @Nullable String verdict() {
        if ("rolled-back".equals(state)) {
            return null;
        }
        ReleaseConfig.Rollback rules = config.rollback();
        Window base = windows[baseline];
        long baseRequests = base.requests();
        if (baseRequests < rules.minRequests()) {
            return null;
        }
        double baseErrors = base.errorPercent();
        double baseMillis = base.meanMillis();
        int[] now = shares;
        for (int i = 0; i < groups.size(); i++) {
            Window window = windows[i];
            if (i == baseline || now[i] == 0 || window.requests() < rules.minRequests()) {
                continue;
            }
            double errors = window.errorPercent();
            if (rules.errorRateMargin() > 0 && errors - baseErrors > rules.errorRateMargin()) {
                return String.format(Locale.ROOT, "%s's error rate %.1f%% against %s's %.1f%% over the last %s"
                        + " (margin %d points)", groups.get(i), errors, groups.get(baseline), baseErrors,
                        describe(rules.window()), rules.errorRateMargin());
            }
            double millis = window.meanMillis();
            if (rules.latencyMargin() > 0 && millis > baseMillis * (1 + rules.latencyMargin() / 100.0)) {
                return String.format(Locale.ROOT, "%s's mean latency %.1f ms against %s's %.1f ms over the last %s"
                        + " (margin %d%%)", groups.get(i), millis, groups.get(baseline), baseMillis,
                        describe(rules.window()), rules.latencyMargin());
            }
        }
        return null;
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    @Override
    public ReleaseStatus status() {
        int[] now = shares;
        List<ReleaseStatus.Group> shown = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            int available = 0;
            for (Backend backend : balancers[i].pool().all()) {
                if (groupOf(backend) == i && backend.isAvailable()) {
                    available++;
                }
            }
            Window window = windows[i];
            shown.add(new ReleaseStatus.Group(groups.get(i), now[i], backendCounts[i], available, window.total(),
                    window.totalErrors(), window.requests(), window.errorPercent(), window.meanMillis()));
        }
        return new ReleaseStatus(groups.get(baseline), state, rolloutGroup < 0 || !config.rollout().enabled() ? null
                : groups.get(rolloutGroup), nextStepAt, lastEvent, lastEventAt, shown);
    }

    /** A group's exchanges: the last window, kept in parts that age out one at a time, and the totals. */
    private static final class Window {

        private final LongAdder[] requests = adders();
        private final LongAdder[] errors = adders();
        private final LongAdder[] nanos = adders();
        private final LongAdder total = new LongAdder();
        private final LongAdder totalErrors = new LongAdder();
        private volatile int part;

        private static LongAdder[] adders() {
            LongAdder[] adders = new LongAdder[WINDOW_PARTS];
            for (int i = 0; i < adders.length; i++) {
                adders[i] = new LongAdder();
            }
            return adders;
        }

        void record(boolean error, long exchangeNanos) {
            int now = part;
            requests[now].increment();
            nanos[now].add(exchangeNanos);
            total.increment();
            if (error) {
                errors[now].increment();
                totalErrors.increment();
            }
        }

        /** Starts a new part, forgetting the oldest. */
        void rotate() {
            int next = (part + 1) % WINDOW_PARTS;
            requests[next].reset();
            errors[next].reset();
            nanos[next].reset();
            part = next;
        }

        long requests() {
            return sum(requests);
        }

        double errorPercent() {
            long count = requests();
            return count == 0 ? 0 : 100.0 * sum(errors) / count;
        }

        double meanMillis() {
            long count = requests();
            return count == 0 ? 0 : sum(nanos) / 1e6 / count;
        }

        long total() {
            return total.sum();
        }

        long totalErrors() {
            return totalErrors.sum();
        }

        private static long sum(LongAdder[] adders) {
            long sum = 0;
            for (LongAdder adder : adders) {
                sum += adder.sum();
            }
            return sum;
        }
    }
}
