package dev.junction.core.config;

/**
 * Zone-aware routing: the route prefers its backends in the gateway's own zone ({@code client.zone}, matched against
 * each backend's {@code metadata.zone}), and spills over to every zone only when the local zone cannot carry its
 * traffic: fewer than {@code minHealthyPercent} of its primaries healthy, or its backends loaded (requests in flight
 * per unit of weight) more than {@code loadMarginPercent} above the other zones' (Envoy's zone-aware routing,
 * reduced to what one gateway can see: its own load, not the other gateways').
 *
 * @param enabled whether the route prefers its zone
 * @param minHealthyPercent below this share of healthy local primaries, in percent, requests spread over every zone;
 *     default 70
 * @param loadMarginPercent how much more loaded, in percent, the local zone may be than the others before requests
 *     spread over every zone; 0 for never on load; default 50
 */
public record ZoneAwareConfig(boolean enabled, int minHealthyPercent, int loadMarginPercent) {

    /** Every zone alike. */
    public static final ZoneAwareConfig NONE = new ZoneAwareConfig(false, 70, 50);

    /** The local zone first, with the default thresholds. */
    public static final ZoneAwareConfig DEFAULT = new ZoneAwareConfig(true, 70, 50);

    /** The metadata key that names a backend's zone. */
    public static final String ZONE_KEY = "zone";
}
