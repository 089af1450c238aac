package dev.junction.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.junction.core.Junction;
import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.ConfigYaml;

/** The gateway itself, started as its command would be, from a YAML file that holds {@code config}. */
final class YamlGateway {

    private YamlGateway() {
    }

    /** Writes {@code config} to a file in {@code files} and starts the gateway on it, on a free port. */
    static dev.junction.testkit.Gateway start(Path files, JunctionConfig config) {
        Path file = files.resolve("junction-" + System.nanoTime() + ".yaml");
        try {
            Files.writeString(file, ConfigYaml.write(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        GatewayMain.Outcome outcome = GatewayMain.start(new String[] {"--port", "0", "--config", file.toString(),
                "--access-log", "off"}, new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Gateway gateway = outcome.gateway();
        assertThat(gateway).as(err.toString(StandardCharsets.UTF_8)).isNotNull();
        return new dev.junction.testkit.Gateway() {
            @Override
            public int port() {
                return gateway.port();
            }

            @Override
            public Junction junction() {
                return gateway.junction();
            }

            @Override
            public void closeJunction() {
                gateway.close();
            }

            @Override
            public void close() {
                gateway.close();
            }
        };
    }
}
