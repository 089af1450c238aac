package dev.junction.core.spi;

import java.time.Duration;

import dev.junction.core.config.ClientConfig;
import dev.junction.core.config.LimitsConfig;

/**
 * Makes a {@link Transport} that a configuration can name ({@code client.transport}), registered with
 * {@code Junction.Builder.transport(name, factory)}. The transport made is Junction's: started and stopped with it.
 *
 * <pre>{@code
 * Junction.builder().transport("traced",
 *         (client, connect) -> new TracingTransport(JettyTransport.create(client, connect)))
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
     * @return the transport, which Junction starts and stops
     */
    Transport create(ClientConfig client, Duration connectTimeout);

    /**
     * Returns a new transport, not started, for a configuration whose clients may send request heads as large as
     * {@code limits} allows: a transport with a limit of its own on the heads it writes must take at least that much,
     * or a request Junction accepted would fail as if its backend had. By default
     * {@link #create(ClientConfig, Duration)}.
     *
     * @param client the configuration's client settings: connections per backend, idle timeout
     * @param connectTimeout the longest connect any route allows, the outer bound of each route's own
     * @param limits the limits on clients' requests, among them the largest request head
     * @return the transport, which Junction starts and stops
     */
    default Transport create(ClientConfig client, Duration connectTimeout, LimitsConfig limits) {
        return create(client, connectTimeout);
    }
}
