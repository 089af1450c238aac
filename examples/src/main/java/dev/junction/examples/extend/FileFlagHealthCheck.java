package dev.junction.examples.extend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.HealthCheck;
import dev.junction.core.spi.HealthCheckResult;

/**
 * A health check of one's own: a backend is out of service while a flag file named after it exists in a directory
 * operators write to ({@code touch /run/maintenance/backend-2}), the way many teams drain a machine by hand. It never
 * blocks the scheduler: a look at a local directory is all it does.
 *
 * <p>Registered on one Junction under a name the configuration uses:
 * <pre>{@code
 * Junction.builder().healthCheck("maintenance-flag", new FileFlagHealthCheck(Path.of("/run/maintenance")))
 * // routes: [{prefix: /, healthCheck: {check: maintenance-flag, interval: 2s}, backends: [...]}]
 * }</pre>
 */
public final class FileFlagHealthCheck implements HealthCheck {

    private final Path directory;

    public FileFlagHealthCheck(Path directory) {
        this.directory = directory;
    }

    @Override
    public CompletionStage<HealthCheckResult> check(Backend backend, HealthCheckConfig config) {
        Path flag = directory.resolve(backend.id().replace(':', '_'));
        return CompletableFuture.completedFuture(Files.exists(flag)
                ? HealthCheckResult.unhealthy("in maintenance: " + flag + " exists")
                : HealthCheckResult.healthy("no maintenance flag"));
    }
}
