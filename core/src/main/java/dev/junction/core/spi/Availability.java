package dev.junction.core.spi;

/** Whether a backend takes new requests, as decided by health checking or an operator. */
public enum Availability {
    /** Takes new requests. The state of a backend when it is added. */
    HEALTHY,
    /** Failed its checks; takes no requests unless the route is in panic mode. */
    UNHEALTHY,
    /** Being taken out of service: finishes what it has, takes no new requests. */
    DRAINING
}
