package dev.junction.core.spi;

import org.jspecify.annotations.Nullable;

/**
 * Chooses the priority class a request waits in when its route's queue has classes ({@code queue.classResolver}),
 * before the header, prefix and method rules: a tenant's plan, a token's scope. Registered on the Junction with
 * {@code Junction.Builder.priorityResolver(name, resolver)}.
 *
 * <p>Called on the server's I/O thread when a request is about to wait: it must be quick and must not block. Must be
 * thread-safe.
 */
@FunctionalInterface
public interface PriorityResolver {

    /**
     * Returns the name of the request's class (one of the queue's {@code classes}), or null to leave the choice to the
     * queue's other rules. A name that is not a class of the queue counts as null.
     *
     * @param request what may be known of the request: its client address, path, headers and cookies
     * @return the priority class's name, or null
     */
    @Nullable String priorityClass(SelectionContext request);
}
