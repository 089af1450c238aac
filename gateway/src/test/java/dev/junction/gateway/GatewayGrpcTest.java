package dev.junction.gateway;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.GrpcSuite;

/** gRPC end to end through the gateway itself: its configuration file names the backend {@code protocol: h2c}. */
class GatewayGrpcTest extends GrpcSuite {

    @TempDir
    Path files;

    @Override
    protected dev.junction.testkit.Gateway startGateway(JunctionConfig config) {
        return YamlGateway.start(files, config);
    }
}
