package dev.junction.testkit;

/**
 * What the HTTP parser in front of an adapter does with requests a suite sends, where servers differ and the adapter
 * never sees the difference. A setup declares its server's quirks once; suites ask them where an assertion depends on
 * them.
 *
 * @param refusesConflictingFraming whether a request with both {@code Content-Length} and {@code Transfer-Encoding}
 *     is refused with 400; a server may instead frame it by {@code Transfer-Encoding} alone and close the connection
 *     after it, as RFC 9112 §6.3 allows (Tomcat does)
 * @param keepsAnEmptyQuery whether {@code /x?} is told from {@code /x} (Undertow's parser makes them one request)
 * @param keepsWhitespaceInFieldValues whether field values keep their inner whitespace as sent (Tomcat's and
 *     Undertow's parsers turn each run of spaces and tabs into one space)
 */
public record ParserQuirks(boolean refusesConflictingFraming, boolean keepsAnEmptyQuery,
        boolean keepsWhitespaceInFieldValues) {

    /** A parser that keeps everything as sent and refuses what it should: Jetty's. */
    public static final ParserQuirks NONE = new ParserQuirks(true, true, true);
    /** Undertow's parser: an empty query and inner whitespace are not kept. */
    public static final ParserQuirks UNDERTOW = new ParserQuirks(true, false, false);
}
