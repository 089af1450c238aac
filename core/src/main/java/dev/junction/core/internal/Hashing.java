package dev.junction.core.internal;

/**
 * The 64-bit string hash Junction uses wherever a key picks a backend: FNV-1a over the UTF-16 code units, then
 * MurmurHash3's {@code fmix64} finaliser so that near-identical keys ({@code 10.0.0.1}, {@code 10.0.0.2}) land far
 * apart.
 *
 * <p>The result depends only on the text, never on the JVM, the process or a random seed: several gateways with the
 * same configuration must send the same key to the same backend with no shared state.
 */
public final class Hashing {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Hashing() {
    }

    /** Returns the hash of a string. */
    public static long hash(CharSequence text) {
        long h = FNV_OFFSET;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            h = (h ^ (c & 0xff)) * FNV_PRIME;
            h = (h ^ (c >>> 8)) * FNV_PRIME;
        }
        return mix(h);
    }

    /** Returns the hash of a string combined with a number, without building a new string. */
    public static long hash(CharSequence text, long salt) {
        return mix(hash(text) ^ mix(salt + 0x9e3779b97f4a7c15L));
    }

    /** MurmurHash3's 64-bit finaliser: every input bit affects every output bit. */
    public static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
