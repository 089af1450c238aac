package dev.junction.core.internal.affinity;

import java.util.ArrayList;
import java.util.List;

import dev.junction.core.config.AddressRange;
import dev.junction.core.http.Fields;

/**
 * The proxies in front of Junction whose {@code X-Forwarded-For} is believed, for the address session affinity: a
 * client behind them is known by the address they saw, not by theirs. Only literals are read; nothing is looked up.
 *
 * <p>Immutable and thread-safe.
 */
final class TrustedProxies {

    private final List<AddressRange> ranges = new ArrayList<>();

    /** Creates the list of ranges configured ({@code 10.0.0.0/8}, {@code ::1}); the validator has checked them. */
    TrustedProxies(List<String> configured) {
        for (String range : configured) {
            ranges.add(AddressRange.parse(range));
        }
    }

    /**
     * Returns the client's address: the peer's, or, when the peer is a trusted proxy, the last address in
     * {@code X-Forwarded-For} that is not one (the first a trusted proxy saw). A hop that is not an address literal
     * ends the walk at the peer: a forged or garbled header names nobody.
     */
    String clientAddress(Fields headers, String peer) {
        if (ranges.isEmpty() || !isTrusted(peer)) {
            return peer;
        }
        List<String> chain = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            if (headers.is(i, "X-Forwarded-For")) {
                for (String hop : headers.value(i).split(",")) {
                    chain.add(hop.trim());
                }
            }
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            String hop = chain.get(i);
            if (!AddressRange.isLiteral(hop)) {
                return peer;
            }
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return chain.isEmpty() ? peer : chain.get(0);
    }

    private boolean isTrusted(String address) {
        for (AddressRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
