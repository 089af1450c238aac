/**
 * Health: active checks ({@link dev.junction.core.internal.health.ActiveHealthChecker}, the HTTP check sent through the
 * transport, the TCP connect check), the health of a backend as its checks tell it
 * ({@link dev.junction.core.internal.health.HealthTracker}), and ejection on what real traffic tells
 * ({@link dev.junction.core.internal.health.OutlierDetector}).
 */
@NullMarked
package dev.junction.core.internal.health;

import org.jspecify.annotations.NullMarked;
