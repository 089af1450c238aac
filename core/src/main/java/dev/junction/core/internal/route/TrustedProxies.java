package dev.junction.core.internal.route;

import java.util.ArrayList;
import java.util.List;

import dev.junction.core.config.AddressRange;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.http.Fields;

/**
 * The proxies in front of a route whose forwarding headers are believed: their {@code Forwarded} and the like reach
 * the backend, and address affinity knows a client behind them by the address they saw, not by theirs. Only address
 * literals are configured and read; nothing is ever looked up in DNS, so no request thread waits on a resolver.
 *
 * <p>Immutable and thread-safe.
 */
public final class TrustedProxies {

    /** No proxy is trusted: the client is always the peer. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<AddressRange> ranges = new ArrayList<>();

    private TrustedProxies(List<String> configured) {
        for (String range : configured) {
            ranges.add(AddressRange.parse(range));
        }
    }

    /**
     * Returns the proxies a route trusts: its {@code trustedProxies} and those its affinity names (the place they
     * were configured before they applied route-wide). The validator has checked them.
     */
    public static TrustedProxies of(RouteConfig route) {
        List<String> configured = new ArrayList<>(route.trustedProxies());
        configured.addAll(route.affinity().trustedProxies());
        return new TrustedProxies(configured);
    }

    /** Returns whether the peer is one of the trusted proxies. */
    public boolean trusts(String peer) {
        return !ranges.isEmpty() && isTrusted(peer);
    }

    /**
     * Returns the client's address: the peer's, or, when the peer is a trusted proxy, the last address in
     * {@code X-Forwarded-For} that is not one (the first a trusted proxy saw). A hop that is not an address literal
     * ends the walk at the peer: a forged or garbled header names nobody.
     */
    public String clientAddress(Fields headers, String peer) {
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
