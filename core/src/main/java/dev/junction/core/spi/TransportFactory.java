package dev.junction.core.spi;

import java.time.Duration;

import dev.junction.core.config.ClientConfig;

/**
 * Makes a {@link Transport} that a configuration can name ({@code client.transport}), registered with
 * {@code Junction.Builder.transport(name, factory)}. The transport made is Junction's: started and stopped with it.
 *
 * <pre>{@code
 * Junction.builder().transport("traced", (client, connect) -> new TracingTransport(JettyTransport.create(client, connect)))
 * }</pre>
 */
@FunctionalInterface
public interface TransportFactory {

    /**
     * Returns a new transport, not started.
     *
     * @param client the configuration's client settings: connections per backend, idle timeout
     * @param connectTimeout the longest connect any route allows; each route's own is enforced by the engine, this is
     *     the outer bound
     */
    Transport create(ClientConfig client, Duration connectTimeout);
}
