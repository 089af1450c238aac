package dev.junction.core.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A route's queue: when every backend that could serve a request is at its {@code maxConcurrent} limit, the request
 * waits, up to {@code timeout}, for one of them to finish a request, instead of failing at once. Waiting costs no
 * thread and no buffer beyond the request head; a full queue, or a wait that runs out, gets {@code 503} with
 * {@code Retry-After}, and a client that leaves is taken out of the queue at once (HAProxy's server {@code maxconn}
 * queue with {@code timeout queue}, nginx Plus's upstream {@code queue}).
 *
 * <p>Requests may come in priority classes ({@code classes}, highest first): a place that frees goes to the highest
 * class waiting, each {@code aging} a request has waited counting as one class higher, so a low class is served late
 * but never starved; a full queue makes room for a request of a higher class by refusing the newest of the lowest
 * class waiting (HAProxy's {@code set-priority-class} and {@code set-priority-offset}). A request's class is the one
 * its {@code classResolver} returns, else the one its {@code classHeader} names, else the one of the longest
 * {@code classByPrefix} its path is under, else the one of its method in {@code classByMethod}, else
 * {@code defaultClass}.
 *
 * @param maxWaiting the most requests waiting at once; 0 for no queue (a request finding every backend full gets
 *     {@code 503} at once); default 0
 * @param timeout the longest a request waits; default 10 s
 * @param classes the priority classes, highest first; default one, {@code default}
 * @param defaultClass the class of a request that names none (or one not listed); default {@code default}
 * @param classHeader the request header that names a request's class, or null for none; default none
 * @param aging how long a wait counts as one class higher; {@link Duration#ZERO} for strict priority; default 1 s
 * @param classByPrefix the class of requests under a path prefix (the longest that matches wins); default none
 * @param classByMethod the class of requests by method ({@code DELETE}); default none
 * @param classResolver the name of a {@link dev.junction.core.spi.PriorityResolver} registered on the Junction that
 *     chooses a request's class before every other rule, or null for none; default none
 */
public record QueueConfig(int maxWaiting, Duration timeout, List<String> classes, String defaultClass,
        @Nullable String classHeader, Duration aging, Map<String, String> classByPrefix,
        Map<String, String> classByMethod, @Nullable String classResolver) {

    /** The one class of a queue without classes. */
    public static final String DEFAULT_CLASS = "default";

    /** No queue. */
    public static final QueueConfig NONE = new QueueConfig(0, Duration.ofSeconds(10), List.of(DEFAULT_CLASS),
            DEFAULT_CLASS, null, Duration.ofSeconds(1), Map.of(), Map.of(), null);

    /** The largest queue a route may have: each waiting request holds its head and its connection. */
    public static final int MAX_WAITING = 100_000;

    /**
     * Checks that {@code timeout}, {@code defaultClass} and {@code aging} are not null and copies {@code classes} and
     * the maps, keeping their order; the copies are unmodifiable.
     *
     * @param maxWaiting the most requests waiting at once; 0 for no queue (a request finding every backend full gets
     *     {@code 503} at once); default 0
     * @param timeout the longest a request waits; default 10 s
     * @param classes the priority classes, highest first; default one, {@code default}
     * @param defaultClass the class of a request that names none (or one not listed); default {@code default}
     * @param classHeader the request header that names a request's class, or null for none; default none
     * @param aging how long a wait counts as one class higher; {@link Duration#ZERO} for strict priority; default 1 s
     * @param classByPrefix the class of requests under a path prefix (the longest that matches wins); default none
     * @param classByMethod the class of requests by method ({@code DELETE}); default none
     * @param classResolver the name of a {@link dev.junction.core.spi.PriorityResolver} registered on the Junction that
     *     chooses a request's class before every other rule, or null for none; default none
     */
    public QueueConfig {
        Objects.requireNonNull(timeout, "timeout");
        classes = List.copyOf(classes);
        Objects.requireNonNull(defaultClass, "defaultClass");
        Objects.requireNonNull(aging, "aging");
        classByPrefix = Collections.unmodifiableMap(new LinkedHashMap<>(classByPrefix));
        classByMethod = Collections.unmodifiableMap(new LinkedHashMap<>(classByMethod));
    }

    /**
     * {@return a queue of {@code maxWaiting} requests that wait up to {@code timeout}, in one class}
     *
     * @param maxWaiting the most requests waiting at once; 0 for no queue
     * @param timeout the longest a request waits
     */
    public static QueueConfig of(int maxWaiting, Duration timeout) {
        return new QueueConfig(maxWaiting, timeout, NONE.classes, NONE.defaultClass, null, NONE.aging, Map.of(),
                Map.of(), null);
    }

    /**
     * Returns this queue with priority classes, highest first, {@code defaultClass} among them, a request's class
     * named by {@code classHeader} (or null), and a wait of {@code aging} counting as one class higher.
     *
     * @param classes the priority classes, highest first
     * @param defaultClass the class of a request that names none (or one not listed)
     * @param classHeader the request header that names a request's class, or null for none
     * @param aging how long a wait counts as one class higher; {@link Duration#ZERO} for strict priority
     * @return this queue with these classes
     */
    public QueueConfig withClasses(List<String> classes, String defaultClass, @Nullable String classHeader,
            Duration aging) {
        return new QueueConfig(maxWaiting, timeout, classes, defaultClass, classHeader, aging, classByPrefix,
                classByMethod, classResolver);
    }

    /**
     * Returns this queue with requests' classes also chosen by path prefix (the longest matching wins) and by method,
     * after {@code classHeader} and before {@code defaultClass}.
     *
     * @param byPrefix the class of requests under each path prefix
     * @param byMethod the class of requests of each method
     * @return this queue with these rules, in place of any it had
     */
    public QueueConfig withClassRules(Map<String, String> byPrefix, Map<String, String> byMethod) {
        return new QueueConfig(maxWaiting, timeout, classes, defaultClass, classHeader, aging, byPrefix, byMethod,
                classResolver);
    }

    /**
     * Returns this queue with requests' classes chosen first by the {@link dev.junction.core.spi.PriorityResolver}
     * registered on the Junction under {@code name} (null for none).
     *
     * @param name the name the resolver is registered under, or null for none
     * @return this queue with this resolver
     */
    public QueueConfig withClassResolver(@Nullable String name) {
        return new QueueConfig(maxWaiting, timeout, classes, defaultClass, classHeader, aging, classByPrefix,
                classByMethod, name);
    }

    /**
     * {@return the default class as configured, or when none is: {@code default} if it is among {@code classes} (or
     * there are none), else the lowest class} So an unnamed request never jumps ahead of named ones.
     *
     * @param classes the priority classes, highest first, or null if none are configured
     * @param configured the default class configured, or null for none
     */
    public static String defaultClassOf(@Nullable List<String> classes, @Nullable String configured) {
        if (configured != null) {
            return configured;
        }
        if (classes == null || classes.isEmpty() || classes.contains(DEFAULT_CLASS)) {
            return DEFAULT_CLASS;
        }
        return classes.get(classes.size() - 1);
    }

    /** {@return whether requests queue at all} */
    public boolean enabled() {
        return maxWaiting > 0;
    }
}
