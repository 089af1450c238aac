package dev.junction.core.internal.balance;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.junction.core.internal.Hashing;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;
import dev.junction.core.spi.LoadBalancer;

/**
 * The client address hashed over the backends in proportion to their weights, as nginx's {@code ip_hash}: the same
 * client reaches the same backend while the pool is unchanged. If that backend is not eligible the address is
 * rehashed, up to 20 times as nginx does, so a client's fallback is stable too; after that, the eligible backends are
 * weighed directly.
 *
 * <p>Unlike nginx, which hashes only the first three octets of an IPv4 address, the whole address is hashed: clients
 * behind one /24 (a carrier NAT, an office) are spread instead of landing on one backend. Modulo hashing moves most
 * clients when the pool changes; {@code consistent-hash} with {@code key: ip} moves about 1/N.
 */
final class IpHashLoadBalancer implements LoadBalancer {

    private static final int REHASHES = 20;

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
        int[] cumulative = new int[group.length];
        int total = 0;
        for (int i = 0; i < group.length; i++) {
            total += group[i].weight();
            cumulative[i] = total;
        }
        int totalWeight = total;
        return (context, eligibility) -> select(group, cumulative, totalWeight, context.clientAddress(), eligibility);
    }

    private static @Nullable Backend select(Backend[] group, int[] cumulative, int total, String address,
            Eligibility eligibility) {
        long hash = Hashing.hash(address);
        for (int attempt = 0; attempt <= REHASHES; attempt++) {
            long h = attempt == 0 ? hash : Hashing.mix(hash + attempt);
            Backend candidate = group[Picks.indexOfCumulative(cumulative, (int) Long.remainderUnsigned(h, total))];
            if (eligibility.test(candidate)) {
                return candidate;
            }
        }
        return Picks.weighted(group, eligibility, hash >>> 1);
    }
}
