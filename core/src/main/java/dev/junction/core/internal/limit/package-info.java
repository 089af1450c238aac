/**
 * Rate limits: each route's token buckets (Bucket4j), kept in the gateway's memory or shared by several gateways
 * through Redis, and the verdict a request gets from them.
 */
@NullMarked
package dev.junction.core.internal.limit;

import org.jspecify.annotations.NullMarked;
