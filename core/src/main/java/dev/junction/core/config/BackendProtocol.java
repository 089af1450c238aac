package dev.junction.core.config;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The protocol Junction speaks to a backend, named as ALPN names it. Whatever the client spoke to Junction, the
 * backend request goes out in its backend's protocol.
 */
public enum BackendProtocol {

    /** HTTP/1.1, over TCP ({@code http://}) or TLS ({@code https://}): the default. */
    HTTP_1_1("http/1.1"),
    /** HTTP/2 in clear text ({@code http://}), by prior knowledge: the backend must speak HTTP/2 on that port. */
    H2C("h2c"),
    /** HTTP/2 over TLS ({@code https://}), negotiated by ALPN. */
    H2("h2");

    private final String id;

    BackendProtocol(String id) {
        this.id = id;
    }

    /** {@return the name configuration uses: {@code http/1.1}, {@code h2c} or {@code h2}} */
    public String id() {
        return id;
    }

    /** {@return whether this is HTTP/2, in clear text or over TLS} */
    public boolean http2() {
        return this != HTTP_1_1;
    }

    /**
     * {@return the protocol named {@code id} (without regard to case or surrounding spaces), or null if none is}
     * {@code http1} and {@code http/1} are taken for {@code http/1.1}.
     *
     * @param id the protocol's name, as {@link #id()} gives it
     */
    public static @Nullable BackendProtocol of(String id) {
        String name = id.strip().toLowerCase(Locale.ROOT);
        for (BackendProtocol protocol : values()) {
            if (protocol.id.equals(name)) {
                return protocol;
            }
        }
        return name.equals("http1") || name.equals("http/1") ? HTTP_1_1 : null;
    }

    /** The names configuration accepts, for messages. */
    static final String NAMES = "http/1.1, h2c or h2";
}
