/**
 * Session affinity at run time: {@link dev.junction.core.internal.affinity.SessionAffinity}, the pins of sessions to
 * backends by signed cookie, header, client address or application cookie, in a bounded table.
 */
@NullMarked
package dev.junction.core.internal.affinity;

import org.jspecify.annotations.NullMarked;
