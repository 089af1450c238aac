/**
 * The access log: {@link dev.junction.core.internal.accesslog.AccessEntry} (what one exchange came to, captured as
 * it ends) and {@link dev.junction.core.internal.accesslog.AccessLog} (formats entries as nginx's combined lines or
 * JSON objects and writes them through SLF4J on a thread of its own).
 */
@NullMarked
package dev.junction.core.internal.accesslog;

import org.jspecify.annotations.NullMarked;
