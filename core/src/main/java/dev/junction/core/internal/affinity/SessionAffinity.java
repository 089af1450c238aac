package dev.junction.core.internal.affinity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;

import dev.junction.core.config.AffinityConfig;
import dev.junction.core.config.AffinityConfig.Mode;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.http.Fields;
import dev.junction.core.internal.balance.KeyRing;
import dev.junction.core.internal.route.TrustedProxies;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;
import dev.junction.core.spi.SelectionContext;
import dev.junction.core.spi.Ticker;
import dev.junction.core.status.SessionStats;

/**
 * One route's session affinity at run time, and its session manager: which backend a session is pinned to, forgetting
 * a session, and statistics.
 *
 * <p>Sessions seen at run time live in a Caffeine table bounded in size and by a TTL after their last request, so
 * memory cannot grow with the number of clients. The hashed modes ({@code header}, {@code ip}) need no table to agree
 * across gateways (the ring is built from backend ids); the table keeps a session on its backend while that backend
 * drains, and counts sessions. The {@code cookie} mode's value carries a random session id, a keyed hash of the
 * backend id (no address) and a signature over both: a cookie naming a backend outside the pool, or altered in any
 * way, matches nothing.
 *
 * <p>Thread-safe.
 */
public final class SessionAffinity {

    /** What a request brings: its session key (null if none) and the backend it is pinned to, if still usable. */
    public record Pin(@Nullable String key, @Nullable Backend backend) {
    }

    private static final int ID_BYTES = 9;
    private static final int MAC_BYTES = 9;
    /** A backend's tag is a MAC of its name, so the same length. */
    private static final int TAG_BYTES = MAC_BYTES;
    private static final int COOKIE_CHARS = (ID_BYTES + TAG_BYTES + MAC_BYTES) * 4 / 3;
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64_DECODER = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One remembered session; {@code cleared} marks a cookie session an operator cleared. */
    private static final class Session {
        final String backendId;
        final long createdNanos;
        volatile long lastSeenNanos;
        final boolean cleared;

        Session(String backendId, long createdNanos, boolean cleared) {
            this.backendId = backendId;
            this.createdNanos = createdNanos;
            this.lastSeenNanos = createdNanos;
            this.cleared = cleared;
        }
    }

    /** The per-membership tables of the cookie mode and the ring of the hashed ones. */
    private record Membership(long version, Map<String, Backend> byTag, Map<String, String> tagOf, KeyRing ring) {
    }

    private final String route;
    private final BackendPool pool;
    private final AffinityConfig config;
    private final Ticker ticker;
    /** The most characters a stored session key takes: a digest's, {@code h:} and 32 hex digits. */
    static final int MAX_STORED_KEY = 34;
    private final Cache<String, Session> sessions;
    private final LongAdder created = new LongAdder();
    private final LongAdder ended = new LongAdder();
    private final LongAdder endedNanos = new LongAdder();
    private final byte[] secret;
    private final ThreadLocal<Mac> macs;
    private final TrustedProxies trusted;
    private volatile @Nullable Membership membership;

    /** Creates the affinity of a route whose configuration enables it. */
    public SessionAffinity(RouteConfig route, BackendPool pool, Ticker ticker) {
        this.route = route.name();
        this.pool = pool;
        this.config = route.affinity();
        this.ticker = ticker;
        this.sessions = Caffeine.newBuilder()
                .maximumSize(config.maxSessions())
                .expireAfterAccess(config.ttl())
                .ticker(ticker::nanos)
                .executor(Runnable::run)
                .removalListener((String key, Session session, RemovalCause cause) -> {
                    if (session != null && !session.cleared && cause != RemovalCause.REPLACED) {
                        ended.increment();
                        endedNanos.add(session.lastSeenNanos - session.createdNanos);
                    }
                })
                .build();
        String configured = config.secret();
        if (configured != null) {
            this.secret = configured.getBytes(StandardCharsets.UTF_8);
        } else {
            this.secret = new byte[32];
            RANDOM.nextBytes(secret);
        }
        SecretKeySpec key = new SecretKeySpec(secret, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        });
        this.trusted = TrustedProxies.of(route);
    }

    /** Returns the mode. */
    public Mode mode() {
        return config.mode();
    }

    /**
     * Finds the request's session and the backend it is pinned to, if that backend may still serve it (available, or
     * only draining).
     */
    public Pin lookup(SelectionContext request, Fields headers, String clientAddress) {
        switch (config.mode()) {
            case COOKIE -> {
                String value = request.cookie(config.cookieName());
                return value == null ? new Pin(null, null) : fromCookie(value);
            }
            case APP_COOKIE -> {
                return remembered(request.cookie(config.appCookie()));
            }
            case HEADER -> {
                return remembered(request.header(config.header()));
            }
            case IP -> {
                return remembered(clientAddress(headers, clientAddress));
            }
            default -> {
                return new Pin(null, null);
            }
        }
    }

    /**
     * Returns the backend the consistent-hash ring gives a hashed mode's key (bounded in load if configured), or null
     * for the other modes, a request without a key, or no eligible backend.
     */
    public @Nullable Backend hashed(Pin pin) {
        String key = pin.key();
        if (key == null || config.mode() != Mode.HEADER && config.mode() != Mode.IP) {
            return null;
        }
        Membership current = membership();
        Eligibility eligibility = Eligibility.AVAILABLE;
        if (config.boundedLoadPercent() > 0) {
            List<Backend> primaries = pool.snapshot().primaries();
            long load = 1;
            for (int i = 0; i < primaries.size(); i++) {
                load += primaries.get(i).state().inFlight();
            }
            // Consistent hashing with bounded loads (Mirrokni et al.): with this request counted in `load`, a backend
            // may hold at most ceil(c × load / n), so it takes the request only while below that.
            long limit = (load * config.boundedLoadPercent() + 100L * primaries.size() - 1)
                    / (100L * Math.max(1, primaries.size()));
            eligibility = eligibility.withLoadBelow((int) Math.min(Integer.MAX_VALUE, limit));
        }
        return current.ring().select(key, eligibility);
    }

    /**
     * Records that {@code backend} served the request, moving the pin to it; returns the response headers to send,
     * with a {@code Set-Cookie} added when the cookie mode must issue or move its cookie.
     */
    public Fields served(Pin pin, Backend backend, Fields response) {
        long now = ticker.nanos();
        switch (config.mode()) {
            case COOKIE -> {
                String id = pin.key();
                if (id != null && pin.backend() == backend) {
                    touch(id, backend, now);
                    return response;
                }
                if (id == null || isCleared(id)) {
                    byte[] fresh = new byte[ID_BYTES];
                    RANDOM.nextBytes(fresh);
                    id = BASE64.encodeToString(fresh);
                }
                touch(id, backend, now);
                return response.add("Set-Cookie", setCookie(cookieValue(id, backend)));
            }
            case APP_COOKIE -> {
                if (pin.key() != null) {
                    touch(pin.key(), backend, now);
                }
                for (int i = 0; i < response.size(); i++) {
                    if (response.is(i, "Set-Cookie")) {
                        String value = CookieText.valueSet(response.value(i), config.appCookie());
                        if (value != null) {
                            touch(value, backend, now);
                        }
                    }
                }
                return response;
            }
            case HEADER, IP -> {
                if (pin.key() != null) {
                    touch(pin.key(), backend, now);
                }
                return response;
            }
            default -> {
                return response;
            }
        }
    }

    // The session manager.

    /**
     * Returns the id of the backend a session is pinned to: the remembered one, or for the hashed modes the one the
     * ring gives its key; null if there is none. The key is the header value, the client address, the application's
     * session id, or the cookie mode's session id.
     */
    public @Nullable String pinnedTo(String key) {
        Session session = sessions.getIfPresent(tableKey(key));
        if (session != null && !session.cleared) {
            return session.backendId;
        }
        Backend hashed = hashed(new Pin(key, null));
        return hashed == null ? null : hashed.id();
    }

    /**
     * Forgets a session: its next request is balanced afresh (in the cookie mode it gets a new session). Returns
     * whether it was remembered.
     */
    public boolean clear(String key) {
        String stored = tableKey(key);
        Session session = sessions.asMap().remove(stored);
        if (session == null) {
            return false;
        }
        if (config.mode() == Mode.COOKIE) {
            // The client's cookie still verifies: a marker makes this gateway ignore it.
            sessions.put(stored, new Session(session.backendId, ticker.nanos(), true));
        }
        return !session.cleared;
    }

    /** Returns the sessions remembered now, those created since start, and how long ended ones lasted on average. */
    public SessionStats stats() {
        sessions.cleanUp();
        long active = 0;
        for (Session session : sessions.asMap().values()) {
            if (!session.cleared) {
                active++;
            }
        }
        long count = ended.sum();
        Duration average = count == 0 ? Duration.ZERO : Duration.ofNanos(endedNanos.sum() / count);
        return new SessionStats(active, created.sum(), average);
    }

    /** Returns how many sessions the table holds, cleared markers included (for the bound on memory). */
    public long tableSize() {
        sessions.cleanUp();
        return sessions.estimatedSize();
    }

    // The cookie mode.

    private Pin fromCookie(String value) {
        if (value.length() != COOKIE_CHARS) {
            return new Pin(null, null);
        }
        byte[] bytes;
        try {
            bytes = BASE64_DECODER.decode(value);
        } catch (IllegalArgumentException e) {
            return new Pin(null, null);
        }
        if (bytes.length != ID_BYTES + TAG_BYTES + MAC_BYTES) {
            return new Pin(null, null);
        }
        byte[] expected = mac(bytes, ID_BYTES + TAG_BYTES);
        byte[] given = new byte[MAC_BYTES];
        System.arraycopy(bytes, ID_BYTES + TAG_BYTES, given, 0, MAC_BYTES);
        if (!MessageDigest.isEqual(expected, given)) {
            return new Pin(null, null);
        }
        String id = BASE64.encodeToString(Arrays.copyOf(bytes, ID_BYTES));
        if (isCleared(id)) {
            return new Pin(null, null);
        }
        String tag = BASE64.encodeToString(Arrays.copyOfRange(bytes, ID_BYTES, ID_BYTES + TAG_BYTES));
        Backend backend = membership().byTag().get(tag);
        if (backend != null && backend.state().availability() == Availability.DRAINING
                && sessions.getIfPresent(tableKey(id)) == null) {
            // A draining backend keeps the sessions it has, not ones this gateway has not seen within their TTL.
            backend = null;
        }
        return new Pin(id, backend != null && Eligibility.STICKY.test(backend) ? backend : null);
    }

    private String cookieValue(String id, Backend backend) {
        byte[] bytes = new byte[ID_BYTES + TAG_BYTES + MAC_BYTES];
        System.arraycopy(BASE64_DECODER.decode(id), 0, bytes, 0, ID_BYTES);
        // By id: the backend may have been updated (a new object) or removed since it was picked.
        String known = membership().tagOf().get(backend.id());
        byte[] tag = known != null ? BASE64_DECODER.decode(known) : tag(backend.id());
        System.arraycopy(tag, 0, bytes, ID_BYTES, TAG_BYTES);
        System.arraycopy(mac(bytes, ID_BYTES + TAG_BYTES), 0, bytes, ID_BYTES + TAG_BYTES, MAC_BYTES);
        return BASE64.encodeToString(bytes);
    }

    private String setCookie(String value) {
        return CookieText.setCookie(config, value);
    }

    /** Returns the first {@value #MAC_BYTES} bytes (as many as a tag has) of the HMAC of {@code data}. */
    private byte[] mac(byte[] data, int length) {
        Mac mac = macs.get();
        mac.update(data, 0, length);
        byte[] full = mac.doFinal();
        return Arrays.copyOf(full, MAC_BYTES);
    }

    private boolean isCleared(String id) {
        Session session = sessions.getIfPresent(tableKey(id));
        return session != null && session.cleared;
    }

    // The table.

    /**
     * Returns the key a session is stored under: the session key itself when it is short (a cookie-mode id, an
     * address), else {@code h:} and the hex of the first 16 bytes of its SHA-256. A header or application cookie can be
     * kilobytes long, and 100,000 of them would take hundreds of MiB; stored this way, an entry's key never takes
     * more than {@value #MAX_STORED_KEY} characters. A short key can never equal a digest, which is longer.
     */
    static String tableKey(String key) {
        if (key.length() <= MAX_STORED_KEY - 2) {
            return key;
        }
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        byte[] digest = sha256.digest(key.getBytes(StandardCharsets.UTF_8));
        return "h:" + HexFormat.of().formatHex(digest, 0, 16);
    }

    private Pin remembered(@Nullable String key) {
        if (key == null || key.isEmpty()) {
            return new Pin(null, null);
        }
        Session session = sessions.getIfPresent(tableKey(key));
        if (session == null || session.cleared) {
            return new Pin(key, null);
        }
        Backend backend = pool.get(session.backendId);
        return new Pin(key, backend != null && Eligibility.STICKY.test(backend) ? backend : null);
    }

    private void touch(String sessionKey, Backend backend, long now) {
        String key = tableKey(sessionKey);
        Session session = sessions.getIfPresent(key);
        if (session != null && !session.cleared && session.backendId.equals(backend.id())) {
            session.lastSeenNanos = now;
            return;
        }
        if (session == null || session.cleared) {
            created.increment();
        }
        sessions.put(key, new Session(backend.id(), session == null || session.cleared ? now : session.createdNanos,
                false));
    }

    /**
     * Returns the client's address: the peer's, or, when the peer is a trusted proxy, the last address in
     * {@code X-Forwarded-For} that is not one (the first a trusted proxy saw).
     */
    String clientAddress(Fields headers, String peer) {
        return trusted.clientAddress(headers, peer);
    }

    /** The cookie's tag of a backend: an HMAC of the route's name and the backend's id, revealing neither. */
    private byte[] tag(String backendId) {
        byte[] name = ("backend:" + route + ":" + backendId).getBytes(StandardCharsets.UTF_8);
        return mac(name, name.length);
    }

    private Membership membership() {
        BackendPool.Snapshot snapshot = pool.snapshot();
        Membership current = membership;
        if (current != null && current.version() == snapshot.version()) {
            return current;
        }
        Map<String, Backend> byTag = new HashMap<>();
        Map<String, String> tagOf = new HashMap<>();
        for (Backend backend : snapshot.all()) {
            String text = BASE64.encodeToString(tag(backend.id()));
            byTag.put(text, backend);
            tagOf.put(backend.id(), text);
        }
        Membership built = new Membership(snapshot.version(), byTag, tagOf, KeyRing.of(snapshot.primaries()));
        membership = built;
        return built;
    }
}
