/**
 * Junction's own small HTTP types, shared by adapters, the engine and transports, so none of them is tied to another
 * one's API: {@link dev.junction.core.http.Fields} (header fields), {@link dev.junction.core.http.BodySource} and
 * {@link dev.junction.core.http.Chunk} (a body read on demand), {@link dev.junction.core.http.WriteCallback},
 * {@link dev.junction.core.http.BodyHandOver} (the one-slot hand-over an adapter feeds its request body through) and
 * {@link dev.junction.core.http.WriteTurns} (whose turn it is to write to an output that says when it is ready);
 * {@link dev.junction.core.http.ChunkedDecoder}, the strict chunked decoder of whoever reads HTTP/1.1 bytes itself,
 * and the two body failures the engine answers for the client, {@link dev.junction.core.http.MalformedBodyException}
 * and {@link dev.junction.core.http.BodyTooLargeException}.
 * They import nothing else of Junction.
 */
@NullMarked
package dev.junction.core.http;

import org.jspecify.annotations.NullMarked;
