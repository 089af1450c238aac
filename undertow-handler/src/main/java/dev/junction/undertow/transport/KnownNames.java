package dev.junction.undertow.transport;

import java.nio.charset.StandardCharsets;

/**
 * The field names backends send most, as shared strings: a name read in exactly one of these spellings costs no
 * allocation. Any other name (or spelling) is a new string, as sent.
 */
final class KnownNames {

    private static final String[] NAMES = {
        "Accept-Ranges", "Age", "Cache-Control", "Connection", "Content-Encoding", "Content-Language",
        "Content-Length", "Content-Location", "Content-Range", "Content-Type", "Date", "ETag", "Expires",
        "Keep-Alive", "Last-Modified", "Link", "Location", "Server", "Set-Cookie", "Transfer-Encoding", "Vary",
        "Via", "WWW-Authenticate", "X-Content-Type-Options", "X-Frame-Options", "Retry-After", "Trailer",
        "content-length", "content-type", "date", "server", "connection", "cache-control", "set-cookie", "vary",
        "transfer-encoding", "etag", "last-modified", "location", "content-encoding",
    };
    /** Known names by length, then first byte. */
    private static final String[][][] TABLE = new String[32][][];

    static {
        for (String name : NAMES) {
            int length = name.length();
            if (TABLE[length] == null) {
                TABLE[length] = new String[128][];
            }
            int first = name.charAt(0);
            String[] bucket = TABLE[length][first];
            String[] grown = bucket == null ? new String[1] : java.util.Arrays.copyOf(bucket, bucket.length + 1);
            grown[grown.length - 1] = name;
            TABLE[length][first] = grown;
        }
    }

    private KnownNames() {
    }

    /** Returns the name in {@code bytes[start, start + length)}: a shared string if it is a known spelling. */
    static String name(byte[] bytes, int start, int length) {
        if (length < TABLE.length && TABLE[length] != null && bytes[start] >= 0) {
            String[] bucket = TABLE[length][bytes[start]];
            if (bucket != null) {
                for (String known : bucket) {
                    if (same(known, bytes, start)) {
                        return known;
                    }
                }
            }
        }
        return new String(bytes, start, length, StandardCharsets.ISO_8859_1);
    }

    private static boolean same(String known, byte[] bytes, int start) {
        for (int i = 1; i < known.length(); i++) {
            if (bytes[start + i] != known.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
