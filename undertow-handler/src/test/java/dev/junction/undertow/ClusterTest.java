package dev.junction.undertow;

import java.nio.file.Path;

import dev.junction.core.Junction;
import dev.junction.core.config.ConfigSource;
import dev.junction.core.config.YamlConfigLoader;
import dev.junction.testkit.ClusterSuite;
import dev.junction.testkit.Gateway;

class ClusterTest extends ClusterSuite {

    @Override
    protected Gateway startGateway(Path file) {
        Junction.Builder builder = JunctionHandler.junctionBuilder().configSource(ConfigSource.yaml(file));
        return UndertowGateway.start(builder, YamlConfigLoader.load(file, builder.configCheck()));
    }
}
