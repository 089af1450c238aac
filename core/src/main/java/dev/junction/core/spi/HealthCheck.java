package dev.junction.core.spi;

import java.util.concurrent.CompletionStage;

import dev.junction.core.config.HealthCheckConfig;

/**
 * An active health check of one's own, in place of the HTTP request Junction sends by default: a database ping, a
 * gRPC health call, a look at a service registry. One comes with Junction: {@code check: tcp} passes when a
 * connection to the backend can be made.
 *
 * <p>Junction calls it on the schedule, thresholds and timeout of the {@link HealthCheckConfig} that names it, for
 * each backend in turn; it never calls it twice at once for one backend. The returned stage must complete with a
 * result; one that has not completed within the check's timeout counts as a failed check, as does an exception
 * (thrown or completing the stage). Calls come from the gateway's scheduler thread: start the work and return, do
 * not block.
 *
 * <pre>{@code
 * public final class RegistryCheck implements HealthCheck {
 *     private final ServiceRegistry registry;   // an asynchronous client of one's own
 *
 *     public RegistryCheck(Map<String, String> options) {
 *         this.registry = ServiceRegistry.connect(options.get("registry"));
 *     }
 *
 *     public CompletionStage<HealthCheckResult> check(Backend backend, HealthCheckConfig config) {
 *         return registry.statusOf(backend.id()).thenApply(status -> status.equals("UP")
 *                 ? HealthCheckResult.healthy("registry says UP")
 *                 : HealthCheckResult.unhealthy("registry says " + status));
 *     }
 * }
 * }</pre>
 * Configure it by class, {@code healthCheck: {class: com.example.RegistryCheck, options: {registry: ...}}} (a
 * public constructor taking the check's {@code options} as {@code Map<String, String>}, or one taking no
 * arguments), or register an instance under a name on one Junction and name that:
 * {@code Junction.builder().healthCheck("registry", new RegistryCheck(...))} with
 * {@code healthCheck: {check: registry}} ({@link HealthCheckConfig.Builder#check(String)} in code).
 *
 * <p>Implementations must be thread-safe: one instance checks every backend it is configured for.
 */
@FunctionalInterface
public interface HealthCheck {

    /**
     * Checks one backend.
     *
     * @param backend the backend to check
     * @param config the check in effect for that backend (the route's, or the backend's own)
     * @return the verdict, completed asynchronously or at once
     */
    CompletionStage<HealthCheckResult> check(Backend backend, HealthCheckConfig config);
}
