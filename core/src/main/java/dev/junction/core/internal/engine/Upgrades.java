package dev.junction.core.internal.engine;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.junction.core.http.Fields;
import dev.junction.core.spi.ServerExchange;
import dev.junction.core.spi.Transport;

/**
 * Which requests become tunnels: a request asking to switch ({@code Connection: upgrade} and {@code Upgrade}, RFC
 * 9110 §7.8) to a protocol its route names in {@code upgrades}, on a server connection that can be handed over and
 * through a transport that carries upgrades. WebSocket's opening handshake is a {@code GET} (RFC 6455 §4.1); another
 * protocol may come with any method but not with a body, whose end a tunnel could not tell from the bytes after it.
 * Any other upgrade (such as {@code h2c}, which is this hop's business) is an ordinary request, its upgrade fields
 * dropped as hop-by-hop ones.
 */
final class Upgrades {

    private Upgrades() {
    }

    /**
     * Returns the client's {@code Upgrade} to send on when {@code server}'s request becomes a tunnel, else null.
     *
     * @param protocols the protocols the route tunnels, as configured
     */
    static @Nullable String asked(ServerExchange server, Transport transport, List<String> protocols) {
        Fields headers = server.requestHeaders();
        String upgrade = headers.get("Upgrade");
        if (upgrade == null || protocols.isEmpty()) {
            return null;
        }
        String protocol = protocol(upgrade);
        if (!named(protocol, protocols) || !HopByHop.connectionTokens(headers).contains("upgrade")
                || !transport.tunnels() || server.upgrader() == null) {
            return null;
        }
        boolean webSocket = protocol.equalsIgnoreCase("websocket");
        if (webSocket ? !server.method().equals("GET")
                : RequestChecks.hasBody(headers) || server.hasUnannouncedBody()) {
            return null;
        }
        return upgrade;
    }

    /** Returns the protocol an {@code Upgrade} value asks for first (RFC 9110 §7.8), without its version. */
    private static String protocol(String upgrade) {
        int comma = upgrade.indexOf(',');
        String first = (comma < 0 ? upgrade : upgrade.substring(0, comma)).trim();
        int slash = first.indexOf('/');
        return slash < 0 ? first : first.substring(0, slash);
    }

    private static boolean named(String protocol, List<String> protocols) {
        for (int i = 0; i < protocols.size(); i++) {
            if (protocols.get(i).equalsIgnoreCase(protocol)) {
                return true;
            }
        }
        return false;
    }
}
