package dev.junction.core.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.junction.core.config.ClientConfig;
import dev.junction.core.config.ConfigProblem;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.LimitsConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.spi.Transport;
import dev.junction.core.spi.TransportFactory;
import dev.junction.core.transport.JettyTransport;

/**
 * The transports a Junction can make by name: {@code jetty}, always, and those its builder registered. The
 * configuration's {@code client.transport} picks one; without it, the builder's default (an adapter's own, else
 * {@code jetty}).
 */
public final class Transports {

    /** The name of the transport on Jetty's client, always known. */
    public static final String JETTY = "jetty";

    private final Map<String, TransportFactory> factories;
    private final String preferred;

    private Transports(Map<String, TransportFactory> factories, String preferred) {
        this.factories = factories;
        this.preferred = preferred;
    }

    /**
     * Returns the transports known: {@code registered} and {@code jetty}.
     *
     * @param preferred the name used when the configuration names none
     */
    public static Transports of(Map<String, TransportFactory> registered, String preferred) {
        Map<String, TransportFactory> all = new LinkedHashMap<>();
        all.put(JETTY, new TransportFactory() {
            @Override
            public Transport create(ClientConfig client, Duration connectTimeout) {
                return JettyTransport.create(client, connectTimeout);
            }

            @Override
            public Transport create(ClientConfig client, Duration connectTimeout, LimitsConfig limits) {
                return JettyTransport.create(client, connectTimeout, limits);
            }
        });
        all.putAll(registered);
        return new Transports(Map.copyOf(all), preferred);
    }

    /**
     * Registers {@code factory} under {@code name} in {@code registered}.
     *
     * @throws IllegalArgumentException if the name is taken ({@code jetty} always is) or not a name
     */
    public static void register(Map<String, TransportFactory> registered, String name, TransportFactory factory) {
        Plugins.checkName(name);
        Objects.requireNonNull(factory, "factory");
        if (name.equals(JETTY) || registered.putIfAbsent(name, factory) != null) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: a name not already registered)");
        }
    }

    /** Adds a problem if the configuration names a transport not known here. */
    public void check(JunctionConfig config, List<ConfigProblem> problems) {
        String name = config.client().transport();
        if (name != null && name.matches("[a-z0-9][a-z0-9-]*") && !factories.containsKey(name)) {
            problems.add(new ConfigProblem("client.transport", "unknown transport '" + name + "'; known: "
                    + String.join(", ", factories.keySet().stream().sorted().toList())
                    + (name.equals("undertow") ? " (the undertow transport comes with the Undertow adapter)" : "")));
        }
    }

    /** Returns a new transport of the kind the configuration names (checked), or the preferred one. */
    public Transport make(JunctionConfig config) {
        String name = config.client().transport();
        TransportFactory factory = factories.get(name != null ? name : preferred);
        if (factory == null) {
            throw new IllegalStateException("no transport named '" + (name != null ? name : preferred) + "'");
        }
        return factory.create(config.client(), longestConnect(config), config.limits());
    }

    /** Returns the longest connect timeout of the configuration's routes: the outer bound of a transport's. */
    public static Duration longestConnect(JunctionConfig config) {
        Duration longest = Duration.ZERO;
        for (RouteConfig route : config.routes()) {
            if (route.timeouts().connect().compareTo(longest) > 0) {
                longest = route.timeouts().connect();
            }
        }
        return longest;
    }
}
