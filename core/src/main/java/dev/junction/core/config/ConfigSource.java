package dev.junction.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a Junction reads its configuration again when it reloads ({@code Junction.reload()}, the admin endpoint's
 * {@code POST <admin>/reload}, a watched file that changed, the gateway's {@code SIGHUP}).
 *
 * <pre>{@code
 * Path file = Path.of("/etc/junction/junction.yaml");
 * Junction.Builder builder = Junction.builder()
 *         .configSource(ConfigSource.yaml(file))
 *         .watchConfig(Duration.ofSeconds(1));            // reload when the file's content changes
 * Junction junction = builder.build(YamlConfigLoader.load(file, builder.configCheck())).start();
 * }</pre>
 *
 * <p>Implementations must be thread-safe; Junction calls {@link #load} from a thread of its own, never from an
 * adapter's I/O thread.
 */
public interface ConfigSource {

    /**
     * Reads the configuration, checked by its loader with {@code check} too (the strategies, checks and resolvers the
     * Junction knows).
     *
     * @param check the check of what only the Junction knows
     * @return the configuration read, valid
     * @throws ConfigException listing every problem, a source that cannot be read among them
     */
    JunctionConfig load(ConfigCheck check);

    /** {@return what the source is, for the log and the status: {@code /etc/junction/junction.yaml}} */
    String describe();

    /** {@return the files whose content changing means the configuration may have changed; empty for none} */
    default List<Path> files() {
        return List.of();
    }

    /**
     * {@return the source of a YAML file ({@link YamlConfigLoader}), whose content changing may be watched}
     *
     * @param file the YAML file
     */
    static ConfigSource yaml(Path file) {
        Objects.requireNonNull(file, "file");
        return new ConfigSource() {
            @Override
            public JunctionConfig load(ConfigCheck check) {
                return YamlConfigLoader.load(file, check);
            }

            @Override
            public String describe() {
                return file.toString();
            }

            @Override
            public List<Path> files() {
                return List.of(file);
            }
        };
    }
}
