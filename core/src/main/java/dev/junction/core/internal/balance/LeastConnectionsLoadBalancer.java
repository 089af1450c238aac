package dev.junction.core.internal.balance;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;
import dev.junction.core.spi.LoadBalancer;

/**
 * The eligible backend with the fewest requests in flight per unit of weight, as nginx's {@code least_conn}. Equally
 * loaded backends (an idle pool, say) take turns in proportion to their weights, as nginx breaks ties by weighted
 * round-robin: a second pass, run only when there is a tie, walks the tied backends' weights to the point a shared
 * counter names, so under light load, where every backend is idle, the weights still hold.
 *
 * <p>A group larger than its {@link Choices} allow is not scanned but sampled ({@link LeastLoadedLoadBalancer}).
 */
final class LeastConnectionsLoadBalancer extends LeastLoadedLoadBalancer {

    /** Every backend of groups up to 10 (a scan of under 50 ns); two drawn ones in larger groups. */
    static final Choices DEFAULT_CHOICES = new Choices(10, 2);

    LeastConnectionsLoadBalancer(Choices choices, RandomSource random) {
        super(choices, random);
    }

    /** Creates the strategy from configuration options ({@value Choices#OPTION}). */
    static LoadBalancer fromOptions(Map<String, String> options) {
        return new LeastConnectionsLoadBalancer(
                Choices.fromOptions("least-connections", options, DEFAULT_CHOICES), RandomSource.threadLocal());
    }

    @Override
    double cost(Backend backend) {
        return (double) backend.state().inFlight() / backend.weight();
    }

    @Override
    @Nullable Backend scan(Backend[] group, AtomicInteger turns, Eligibility eligibility) {
        Backend best = null;
        long bestInFlight = 0;
        long bestWeight = 1;
        int ties = 0;
        long tiedWeight = 0;
        for (Backend candidate : group) {
            if (!eligibility.test(candidate)) {
                continue;
            }
            long inFlight = candidate.state().inFlight();
            int weight = candidate.weight();
            // Fewer in flight per unit of weight, compared by cross-multiplication: no division, no rounding.
            long load = inFlight * bestWeight;
            long bestLoad = bestInFlight * weight;
            if (best == null || load < bestLoad) {
                best = candidate;
                bestInFlight = inFlight;
                bestWeight = weight;
                ties = 1;
                tiedWeight = weight;
            } else if (load == bestLoad) {
                ties++;
                tiedWeight += weight;
            }
        }
        if (ties <= 1) {
            return best;
        }
        long target = Math.floorMod(turns.getAndIncrement(), tiedWeight);
        for (Backend candidate : group) {
            // In-flight counts move while we scan; whatever is no busier than the best found serves, and if the
            // target has moved away the best found stands.
            if (eligibility.test(candidate)
                    && candidate.state().inFlight() * bestWeight <= bestInFlight * candidate.weight()) {
                target -= candidate.weight();
                if (target < 0) {
                    return candidate;
                }
            }
        }
        return best;
    }
}
