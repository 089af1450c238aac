package dev.junction.core.internal.engine;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import dev.junction.core.http.Fields;
import dev.junction.core.spi.ServerExchange;
import dev.junction.core.spi.Transport;

/**
 * Which requests become tunnels: a {@code GET} asking to switch to WebSocket ({@code Connection: upgrade} and
 * {@code Upgrade: websocket}, RFC 6455 §4.1), on a server connection that can be handed over and through a
 * transport that carries upgrades. Any other upgrade (such as {@code h2c}, which is this hop's business) is an
 * ordinary request, its upgrade fields dropped as hop-by-hop ones.
 */
final class Upgrades {

    private Upgrades() {
    }

    /** Returns the client's {@code Upgrade} to send on when {@code server}'s request becomes a tunnel, else null. */
    static @Nullable String asked(ServerExchange server, Transport transport) {
        if (!server.method().equals("GET")) {
            return null;
        }
        Fields headers = server.requestHeaders();
        String upgrade = headers.get("Upgrade");
        if (upgrade == null || !isWebSocket(upgrade) || !HopByHop.connectionTokens(headers).contains("upgrade")
                || !transport.tunnels() || server.upgrader() == null) {
            return null;
        }
        return upgrade;
    }

    /** Whether an {@code Upgrade} value names WebSocket as the protocol asked for (the first, RFC 9110 §7.8). */
    private static boolean isWebSocket(String upgrade) {
        int comma = upgrade.indexOf(',');
        String first = (comma < 0 ? upgrade : upgrade.substring(0, comma)).trim();
        int slash = first.indexOf('/');
        return (slash < 0 ? first : first.substring(0, slash)).toLowerCase(Locale.ROOT).equals("websocket");
    }
}
