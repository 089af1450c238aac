package dev.junction.core.config;

import java.util.List;

/**
 * Thrown when a configuration is invalid; carries every problem found, each with its path, so a user fixes them all
 * in one pass rather than one per start.
 */
public final class ConfigException extends RuntimeException {

    /** Every problem found, in the order of the configuration. */
    private final List<ConfigProblem> problems;

    /**
     * Makes an exception carrying these problems; its message lists each on a line of its own.
     *
     * @param problems every problem found, in the order of the configuration
     * @throws IllegalArgumentException if {@code problems} is empty
     */
    public ConfigException(List<ConfigProblem> problems) {
        super(format(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems: empty (expected: at least one)");
        }
        this.problems = List.copyOf(problems);
    }

    /** {@return every problem found, in the order of the configuration} */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String format(List<ConfigProblem> problems) {
        StringBuilder sb = new StringBuilder("Invalid Junction configuration (")
                .append(problems.size())
                .append(problems.size() == 1 ? " problem)" : " problems)");
        for (ConfigProblem problem : problems) {
            sb.append(System.lineSeparator()).append("  ").append(problem);
        }
        return sb.toString();
    }
}
