package dev.junction.core.internal.balance;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import dev.junction.core.internal.Hashing;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;
import dev.junction.core.spi.InvalidOptionException;
import dev.junction.core.spi.LoadBalancer;

/**
 * Consistent hashing of a request key ({@link HashKey}) on a {@link HashRing} or a {@link MaglevTable}: the same key
 * reaches the same backend, on every gateway with the same pool, and a change of membership moves only about 1/N of
 * the keys. A request without the key (no such header or cookie) goes to a random eligible backend, as in Envoy.
 *
 * <p>Options: {@code key} ({@code ip}, {@code path}, {@code header:NAME}, {@code cookie:NAME}; default {@code ip})
 * and {@code algorithm} ({@code ring} or {@code maglev}; default {@code ring}).
 */
final class ConsistentHashLoadBalancer implements LoadBalancer {

    /** The option naming the hashed part of the request. */
    static final String KEY = "key";
    /** The option naming the algorithm. */
    static final String ALGORITHM = "algorithm";

    private final HashKey key;
    private final HashAlgorithm algorithm;
    private final RandomSource random = RandomSource.threadLocal();

    ConsistentHashLoadBalancer(HashKey key, HashAlgorithm algorithm) {
        this.key = key;
        this.algorithm = algorithm;
    }

    /** Creates the strategy from configuration options. */
    static LoadBalancer fromOptions(Map<String, String> options) {
        for (String option : new TreeSet<>(options.keySet())) {
            if (!option.equals(KEY) && !option.equals(ALGORITHM)) {
                throw new InvalidOptionException(option, "unknown option (consistent-hash takes: key, algorithm)");
            }
        }
        HashKey key = HashKey.IP;
        String keyText = options.get(KEY);
        if (keyText != null) {
            try {
                key = HashKey.parse(keyText);
            } catch (IllegalArgumentException e) {
                throw new InvalidOptionException(KEY, e.getMessage());
            }
        }
        HashAlgorithm algorithm = HashAlgorithm.RING;
        String algorithmText = options.get(ALGORITHM);
        if (algorithmText != null) {
            algorithm = HashAlgorithm.fromConfigName(algorithmText.trim());
            if (algorithm == null) {
                throw new InvalidOptionException(ALGORITHM, "'" + algorithmText + "' (expected: ring or maglev)");
            }
        }
        return new ConsistentHashLoadBalancer(key, algorithm);
    }

    @Override
    public boolean keyed() {
        return true;
    }

    @Override
    public Selector selector(List<Backend> backends) {
        Backend[] group = backends.toArray(new Backend[0]);
        if (group.length == 0) {
            return (context, eligibility) -> null;
        }
        Table table = algorithm == HashAlgorithm.RING ? HashRing.build(group) : MaglevTable.build(group);
        return (context, eligibility) -> {
            String value = key.extract(context);
            if (value == null) {
                return Picks.nth(group, eligibility, random.nextInt(Integer.MAX_VALUE));
            }
            long hash = Hashing.hash(value);
            Backend backend = table.select(hash, eligibility);
            return backend != null ? backend : Picks.weighted(group, eligibility, hash >>> 1);
        };
    }

    /** A membership's precomputed mapping from key hashes to backends. */
    interface Table {

        /**
         * Returns the backend for this key hash or, if it is not eligible, the next eligible one in the table's own
         * order, looking a bounded number of places; null if none was found there.
         */
        @Nullable Backend select(long hash, Eligibility eligibility);
    }
}
