package dev.junction.core.internal.route;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Values by host name, looked up by the start of a {@code Host} value without case and without copying it: an
 * open-addressing table of lower-case names whose hashes are computed over the lower-cased characters.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> what a host leads to
 */
final class HostTable<T> {

    private final String[] keys;
    private final int[] hashes;
    private final Object[] values;
    private final int mask;
    private final int size;

    /** @param byHost values by lower-case host name */
    HostTable(Map<String, T> byHost) {
        int capacity = Integer.highestOneBit(Math.max(4, byHost.size() * 2) - 1) << 1;
        this.keys = new String[capacity];
        this.hashes = new int[capacity];
        this.values = new Object[capacity];
        this.mask = capacity - 1;
        this.size = byHost.size();
        byHost.forEach((host, value) -> {
            int hash = hash(host, host.length());
            int slot = hash & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = host;
            hashes[slot] = hash;
            values[slot] = value;
        });
    }

    int size() {
        return size;
    }

    /** Returns the value of the host {@code text[0, end)}, case aside, or null. */
    @SuppressWarnings("unchecked")
    @Nullable T get(String text, int end) {
        if (size == 0) {
            return null;
        }
        int hash = hash(text, end);
        for (int slot = hash & mask; keys[slot] != null; slot = (slot + 1) & mask) {
            String key = keys[slot];
            if (hashes[slot] == hash && key.length() == end && text.regionMatches(true, 0, key, 0, end)) {
                return (T) values[slot];
            }
        }
        return null;
    }

    private static int hash(String text, int end) {
        int hash = 0;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            hash = 31 * hash + (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
        return (hash ^ (hash >>> 16)) * 0x9E3779B1;
    }
}
