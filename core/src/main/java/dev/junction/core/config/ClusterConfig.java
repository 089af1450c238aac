package dev.junction.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Worker processes Junction runs itself and balances over (cluster mode, as PM2's): {@code workers} copies of
 * {@code command}, worker {@code i} listening on {@code basePort + i}, each the backend of the routes the cluster
 * serves. A worker that exits or fails its health checks is restarted after a delay that doubles with each exit
 * within {@code crashLoopWindow}; one that exits more than {@code crashLoopRestarts} times within it is left down and
 * reported. A rolling restart starts each worker's replacement on a free port of the range
 * {@code basePort .. basePort + workers} (one more port than workers), waits until it is healthy, then drains and
 * stops the old one.
 *
 * <p>Each worker is told who it is by environment variables ({@link dev.junction.core.cluster.Worker}), and the
 * placeholders {@code {port}} and {@code {id}} in the command's arguments are replaced by its port and number.
 *
 * @param workers how many workers run; 0 for no cluster ({@link #NONE})
 * @param command the program and its arguments; {@code {port}} and {@code {id}} are replaced in each
 * @param basePort the first worker's port; the cluster uses {@code basePort .. basePort + workers}
 * @param host the address the workers listen on and are reached at; default {@code 127.0.0.1}
 * @param environment variables added to the supervisor's own environment for each worker
 * @param directory the workers' working directory, or null for the supervisor's
 * @param routes the names of the routes whose backends are the workers; empty (the default) for every route that
 *     lists no backends of its own
 * @param startTimeout how long a worker may take to answer its health check after it is started; default 30 s
 * @param gracePeriod how long a stopped worker has between {@code SIGTERM} and {@code SIGKILL}, and a drained one to
 *     finish its requests; default 10 s
 * @param healthPath the path a worker's health check asks for with {@code GET}; a 2xx or 3xx answer passes; default
 *     {@code /}
 * @param healthInterval how often a running worker is checked; default 2 s
 * @param healthTimeout how long a check waits for its answer; default 1 s
 * @param healthFailures how many checks in a row a running worker may fail before it is restarted; default 3
 * @param restartDelay how long the first restart after an exit waits; doubled for each exit within
 *     {@code crashLoopWindow}; default 500 ms
 * @param maxRestartDelay the longest a restart waits; default 30 s
 * @param crashLoopRestarts how many exits within {@code crashLoopWindow} are restarted; one more leaves the worker
 *     down until a rolling restart; default 5
 * @param crashLoopWindow the span exits are counted over; default 60 s
 */
public record ClusterConfig(int workers, List<String> command, int basePort, String host,
        Map<String, String> environment, @Nullable String directory, List<String> routes, Duration startTimeout,
        Duration gracePeriod, String healthPath, Duration healthInterval, Duration healthTimeout, int healthFailures,
        Duration restartDelay, Duration maxRestartDelay, int crashLoopRestarts, Duration crashLoopWindow) {

    /** The first worker's port when none is given. */
    public static final int DEFAULT_BASE_PORT = 9000;

    /** No cluster: Junction runs no process. */
    public static final ClusterConfig NONE = new ClusterConfig(0, List.of(), DEFAULT_BASE_PORT, "127.0.0.1", Map.of(),
            null, List.of(), Duration.ofSeconds(30), Duration.ofSeconds(10), "/", Duration.ofSeconds(2),
            Duration.ofSeconds(1), 3, Duration.ofMillis(500), Duration.ofSeconds(30), 5, Duration.ofSeconds(60));

    /**
     * Checks that the components other than {@code directory} are not null and copies the lists and the map, which are
     * then unmodifiable.
     *
     * @param workers how many workers run; 0 for no cluster ({@link #NONE})
     * @param command the program and its arguments; {@code {port}} and {@code {id}} are replaced in each
     * @param basePort the first worker's port; the cluster uses {@code basePort .. basePort + workers}
     * @param host the address the workers listen on and are reached at; default {@code 127.0.0.1}
     * @param environment variables added to the supervisor's own environment for each worker
     * @param directory the workers' working directory, or null for the supervisor's
     * @param routes the names of the routes whose backends are the workers; empty (the default) for every route that
     *     lists no backends of its own
     * @param startTimeout how long a worker may take to answer its health check after it is started; default 30 s
     * @param gracePeriod how long a stopped worker has between {@code SIGTERM} and {@code SIGKILL}, and a drained one
     *     to finish its requests; default 10 s
     * @param healthPath the path a worker's health check asks for with {@code GET}; a 2xx or 3xx answer passes; default
     *     {@code /}
     * @param healthInterval how often a running worker is checked; default 2 s
     * @param healthTimeout how long a check waits for its answer; default 1 s
     * @param healthFailures how many checks in a row a running worker may fail before it is restarted; default 3
     * @param restartDelay how long the first restart after an exit waits; doubled for each exit within
     *     {@code crashLoopWindow}; default 500 ms
     * @param maxRestartDelay the longest a restart waits; default 30 s
     * @param crashLoopRestarts how many exits within {@code crashLoopWindow} are restarted; one more leaves the worker
     *     down until a rolling restart; default 5
     * @param crashLoopWindow the span exits are counted over; default 60 s
     */
    public ClusterConfig {
        command = List.copyOf(command);
        Objects.requireNonNull(host, "host");
        environment = Map.copyOf(environment);
        routes = List.copyOf(routes);
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(healthPath, "healthPath");
        Objects.requireNonNull(healthInterval, "healthInterval");
        Objects.requireNonNull(healthTimeout, "healthTimeout");
        Objects.requireNonNull(restartDelay, "restartDelay");
        Objects.requireNonNull(maxRestartDelay, "maxRestartDelay");
        Objects.requireNonNull(crashLoopWindow, "crashLoopWindow");
    }

    /**
     * {@return a cluster of {@code workers} copies of {@code command} from {@code basePort}, the rest by default}
     *
     * @param workers how many workers run
     * @param command the program and its arguments; {@code {port}} and {@code {id}} are replaced in each
     * @param basePort the first worker's port
     */
    public static ClusterConfig of(int workers, List<String> command, int basePort) {
        return builder().workers(workers).command(command).basePort(basePort).build();
    }

    /** {@return whether Junction runs workers} */
    public boolean enabled() {
        return workers > 0;
    }

    /**
     * {@return whether the route's backends are the workers} With no {@code routes} named, those are the routes that
     * list no backends of their own; false when there is no cluster.
     *
     * @param route a route of the same configuration
     */
    public boolean serves(RouteConfig route) {
        return enabled() && (routes.isEmpty() ? route.backends().isEmpty() : routes.contains(route.name()));
    }

    /**
     * {@return the worker's command line: {@code {port}} and {@code {id}} replaced in each argument}
     *
     * @param id the worker's number
     * @param port the port the worker listens on
     */
    public List<String> commandFor(int id, int port) {
        List<String> line = new ArrayList<>(command.size());
        for (String argument : command) {
            line.add(argument.replace("{port}", String.valueOf(port)).replace("{id}", String.valueOf(id)));
        }
        return line;
    }

    /** {@return a builder with the defaults of {@link #NONE}} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Splits a command line as a POSIX shell splits words, without expanding anything: blanks separate arguments,
     * {@code '...'} keeps everything literally, {@code "..."} keeps everything but {@code \"} and {@code \\}, and a
     * backslash outside quotes keeps the next character.
     *
     * @param line the command line
     * @return the words, in order; empty for a blank line
     * @throws IllegalArgumentException if a quote is not closed or the line ends in a backslash, saying where
     */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("the quote ' at character " + (i + 1) + " is not closed");
                }
                word.append(line, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                int start = i;
                i++;
                while (i < line.length() && line.charAt(i) != '"') {
                    char inner = line.charAt(i);
                    if (inner == '\\' && i + 1 < line.length()
                            && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                        i++;
                        inner = line.charAt(i);
                    }
                    word.append(inner);
                    i++;
                }
                if (i >= line.length()) {
                    throw new IllegalArgumentException("the quote \" at character " + (start + 1) + " is not closed");
                }
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new IllegalArgumentException("the line ends in a backslash");
                }
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Builds a {@link ClusterConfig}; not validated until the configuration it is part of is. */
    public static final class Builder {
        private int workers;
        private List<String> command = List.of();
        private int basePort = NONE.basePort;
        private String host = NONE.host;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private @Nullable String directory;
        private List<String> routes = List.of();
        private Duration startTimeout = NONE.startTimeout;
        private Duration gracePeriod = NONE.gracePeriod;
        private String healthPath = NONE.healthPath;
        private Duration healthInterval = NONE.healthInterval;
        private Duration healthTimeout = NONE.healthTimeout;
        private int healthFailures = NONE.healthFailures;
        private Duration restartDelay = NONE.restartDelay;
        private Duration maxRestartDelay = NONE.maxRestartDelay;
        private int crashLoopRestarts = NONE.crashLoopRestarts;
        private Duration crashLoopWindow = NONE.crashLoopWindow;

        private Builder() {
        }

        /**
         * Sets how many workers run; 0 (the default) for no cluster.
         *
         * @param workers how many workers run
         * @return this builder
         */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /**
         * Sets the program and its arguments.
         *
         * @param command the program and its arguments; {@code {port}} and {@code {id}} are replaced in each
         * @return this builder
         */
        public Builder command(List<String> command) {
            this.command = List.copyOf(command);
            return this;
        }

        /**
         * Sets the program and its arguments as one line, split as {@link ClusterConfig#split} does.
         *
         * @param line the command line
         * @return this builder
         * @throws IllegalArgumentException if a quote is not closed or the line ends in a backslash
         */
        public Builder command(String line) {
            return command(split(line));
        }

        /**
         * Sets {@link ClusterConfig#basePort()}.
         *
         * @param basePort the first worker's port; the cluster uses {@code basePort .. basePort + workers}
         * @return this builder
         */
        public Builder basePort(int basePort) {
            this.basePort = basePort;
            return this;
        }

        /**
         * Sets {@link ClusterConfig#host()}.
         *
         * @param host the address the workers listen on and are reached at; default {@code 127.0.0.1}
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Adds one variable to each worker's environment, replacing one of the same name set before.
         *
         * @param name the variable's name
         * @param value its value
         * @return this builder
         */
        public Builder environment(String name, String value) {
            environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Adds every variable of a map, as {@link #environment(String, String)} does for each.
         *
         * @param variables the variables to add, by name
         * @return this builder
         */
        public Builder environment(Map<String, String> variables) {
            variables.forEach(this::environment);
            return this;
        }

        /**
         * Sets {@link ClusterConfig#directory()}.
         *
         * @param directory the workers' working directory, or null for the supervisor's
         * @return this builder
         */
        public Builder directory(@Nullable String directory) {
            this.directory = directory;
            return this;
        }

        /**
         * Sets {@link ClusterConfig#routes()}.
         *
         * @param routes the names of the routes whose backends are the workers; empty (the default) for every route
         *     that lists no backends of its own
         * @return this builder
         */
        public Builder routes(List<String> routes) {
            this.routes = List.copyOf(routes);
            return this;
        }

        /**
         * Sets {@link ClusterConfig#startTimeout()}.
         *
         * @param startTimeout how long a worker may take to answer its health check after it is started; default 30 s
         * @return this builder
         */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
            return this;
        }

        /**
         * Sets {@link ClusterConfig#gracePeriod()}.
         *
         * @param gracePeriod how long a stopped worker has between {@code SIGTERM} and {@code SIGKILL}, and a drained
         *     one to finish its requests; default 10 s
         * @return this builder
         */
        public Builder gracePeriod(Duration gracePeriod) {
            this.gracePeriod = Objects.requireNonNull(gracePeriod, "gracePeriod");
            return this;
        }

        /**
         * Sets {@link ClusterConfig#healthPath()}.
         *
         * @param healthPath the path a worker's health check asks for with {@code GET}; a 2xx or 3xx answer passes;
         *     default {@code /}
         * @return this builder
         */
        public Builder healthPath(String healthPath) {
            this.healthPath = Objects.requireNonNull(healthPath, "healthPath");
            return this;
        }

        /**
         * Sets {@link ClusterConfig#healthInterval()}.
         *
         * @param healthInterval how often a running worker is checked; default 2 s
         * @return this builder
         */
        public Builder healthInterval(Duration healthInterval) {
            this.healthInterval = Objects.requireNonNull(healthInterval, "healthInterval");
            return this;
        }

        /**
         * Sets {@link ClusterConfig#healthTimeout()}.
         *
         * @param healthTimeout how long a check waits for its answer; default 1 s
         * @return this builder
         */
        public Builder healthTimeout(Duration healthTimeout) {
            this.healthTimeout = Objects.requireNonNull(healthTimeout, "healthTimeout");
            return this;
        }

        /**
         * Sets {@link ClusterConfig#healthFailures()}.
         *
         * @param healthFailures how many checks in a row a running worker may fail before it is restarted; default 3
         * @return this builder
         */
        public Builder healthFailures(int healthFailures) {
            this.healthFailures = healthFailures;
            return this;
        }

        /**
         * Sets {@link ClusterConfig#restartDelay()}.
         *
         * @param restartDelay how long the first restart after an exit waits; doubled for each exit within
         *     {@code crashLoopWindow}; default 500 ms
         * @return this builder
         */
        public Builder restartDelay(Duration restartDelay) {
            this.restartDelay = Objects.requireNonNull(restartDelay, "restartDelay");
            return this;
        }

        /**
         * Sets {@link ClusterConfig#maxRestartDelay()}.
         *
         * @param maxRestartDelay the longest a restart waits; default 30 s
         * @return this builder
         */
        public Builder maxRestartDelay(Duration maxRestartDelay) {
            this.maxRestartDelay = Objects.requireNonNull(maxRestartDelay, "maxRestartDelay");
            return this;
        }

        /**
         * Sets {@link ClusterConfig#crashLoopRestarts()}.
         *
         * @param crashLoopRestarts how many exits within {@code crashLoopWindow} are restarted; one more leaves the
         *     worker down until a rolling restart; default 5
         * @return this builder
         */
        public Builder crashLoopRestarts(int crashLoopRestarts) {
            this.crashLoopRestarts = crashLoopRestarts;
            return this;
        }

        /**
         * Sets {@link ClusterConfig#crashLoopWindow()}.
         *
         * @param crashLoopWindow the span exits are counted over; default 60 s
         * @return this builder
         */
        public Builder crashLoopWindow(Duration crashLoopWindow) {
            this.crashLoopWindow = Objects.requireNonNull(crashLoopWindow, "crashLoopWindow");
            return this;
        }

        /** {@return the cluster's settings, not yet validated} */
        public ClusterConfig build() {
            return new ClusterConfig(workers, command, basePort, host, environment, directory, routes, startTimeout,
                    gracePeriod, healthPath, healthInterval, healthTimeout, healthFailures, restartDelay,
                    maxRestartDelay, crashLoopRestarts, crashLoopWindow);
        }
    }
}
