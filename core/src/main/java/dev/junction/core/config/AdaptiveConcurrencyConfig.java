package dev.junction.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A route's adaptive concurrency limit: how many of its requests may be in flight at once, found from the backends'
 * latency by one of Netflix's concurrency-limits algorithms, so that excess is refused early with {@code 503} instead
 * of queueing in the backends while latency grows without bound (Envoy's adaptive concurrency filter, Netflix's
 * concurrency-limits servlet filter).
 *
 * <p>When the route's queue has priority classes, lower classes are shed first: a request of the highest class may use
 * the whole limit, one of the lowest class half of it, the classes between in even steps.
 *
 * @param algorithm {@code gradient2} (Netflix's default: follows the ratio of long-term to short-term latency) or
 *     {@code vegas} (TCP Vegas: follows the queueing it infers from the lowest latency seen); {@code none} for none
 *     (as {@link #NONE}); held stripped and in lower case
 * @param initialLimit the limit to start from; default 20
 * @param minLimit the limit never goes below; default 1
 * @param maxLimit the limit never goes above; default 1000
 */
public record AdaptiveConcurrencyConfig(String algorithm, int initialLimit, int minLimit, int maxLimit) {

    /** The algorithms, by name. */
    public static final List<String> ALGORITHMS = List.of("gradient2", "vegas");

    /** No adaptive limit. */
    public static final AdaptiveConcurrencyConfig NONE = new AdaptiveConcurrencyConfig("none", 20, 1, 1000);

    /**
     * Checks that {@code algorithm} is not null and holds it stripped and in lower case.
     *
     * @param algorithm {@code gradient2} (Netflix's default: follows the ratio of long-term to short-term latency) or
     *     {@code vegas} (TCP Vegas: follows the queueing it infers from the lowest latency seen); {@code none} for none
     *     (as {@link #NONE}); held stripped and in lower case
     * @param initialLimit the limit to start from; default 20
     * @param minLimit the limit never goes below; default 1
     * @param maxLimit the limit never goes above; default 1000
     */
    public AdaptiveConcurrencyConfig {
        Objects.requireNonNull(algorithm, "algorithm");
        algorithm = algorithm.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * {@return an adaptive limit by {@code algorithm}, with the other settings' defaults}
     *
     * @param algorithm one of {@link #ALGORITHMS}
     */
    public static AdaptiveConcurrencyConfig of(String algorithm) {
        return new AdaptiveConcurrencyConfig(algorithm, NONE.initialLimit, NONE.minLimit, NONE.maxLimit);
    }

    /**
     * {@return this limit starting at {@code initial} and kept from {@code min} to {@code max}}
     *
     * @param initial the limit to start from
     * @param min the limit never goes below
     * @param max the limit never goes above
     */
    public AdaptiveConcurrencyConfig withLimits(int initial, int min, int max) {
        return new AdaptiveConcurrencyConfig(algorithm, initial, min, max);
    }

    /** {@return whether the route has an adaptive limit} */
    public boolean enabled() {
        return !algorithm.equals(NONE.algorithm);
    }
}
