package dev.junction.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.jspecify.annotations.Nullable;

/**
 * An IP address or a CIDR range of them ({@code 10.0.0.0/8}, {@code 192.0.2.7}, {@code 2001:db8::/32}), for the
 * proxies whose {@code X-Forwarded-For} is believed. Only literals: nothing is looked up in DNS.
 *
 * <p>Immutable and thread-safe.
 */
public final class AddressRange {

    private final byte[] network;
    private final int prefixLength;

    private AddressRange(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses an address or range.
     *
     * @param text an IP address literal, or one followed by {@code /} and a prefix length; surrounding spaces are
     *     ignored
     * @return the range; a single address is a range of its full length
     * @throws IllegalArgumentException if it is neither, with the reason
     */
    public static AddressRange parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + text + "' (expected: an IP address or a CIDR range such as"
                    + " 10.0.0.0/8)");
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + text + "' has an invalid prefix length (expected: 0 to "
                        + bits + ")");
            }
        }
        return new AddressRange(bytes, prefix);
    }

    /**
     * {@return whether an address literal is in the range; false for anything that is not an address}
     *
     * @param address an IPv4 or IPv6 address literal; an IPv6 one may be in brackets
     */
    public boolean contains(String address) {
        byte[] bytes = literal(address);
        if (bytes == null || bytes.length != network.length) {
            return false;
        }
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (bytes[whole] & mask) == (network[whole] & mask);
    }

    /**
     * {@return whether {@code text} is an IPv4 or IPv6 address literal}
     *
     * @param text the text to look at; surrounding spaces and the brackets of an IPv6 literal are allowed
     */
    public static boolean isLiteral(String text) {
        return literal(text) != null;
    }

    /** Returns the bytes of an IPv4 or IPv6 literal, or null: only literal characters are let through to the JDK. */
    static byte @Nullable [] literal(String text) {
        String address = text.trim();
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        if (address.isEmpty() || address.length() > 45) {
            return null;
        }
        boolean colon = false;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            boolean hex = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            colon |= c == ':';
            if (!hex && c != '.' && c != ':') {
                return null;
            }
        }
        if (!colon && !address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return null;
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
