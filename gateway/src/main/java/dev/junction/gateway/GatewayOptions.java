package dev.junction.gateway;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.ClusterConfig;

/**
 * The gateway's command line, parsed: every problem is collected, so one run names them all.
 *
 * @param port the port to listen on; 0 for any free one
 * @param host the address to listen on
 * @param backends the backends of the one route {@code --backends} describes, as URLs; empty if not given
 * @param strategy the strategy of that route
 * @param admin where {@code --admin} mounts the admin endpoint of that route's gateway, or null for none
 * @param config the YAML file of {@code --config}, or null
 * @param configWatch whether the file's content is watched and read again when it changes ({@code --config-watch})
 * @param accessLog the access log {@code --access-log} asks for ({@code combined}, {@code json} or {@code off}), or
 *     null when not given: then the configuration file's, or combined
 * @param ioThreads Undertow's I/O threads
 * @param tls the gateway's own HTTPS as the {@code --tls-*} options describe it, or null for plain HTTP
 * @param http2 whether clients may speak HTTP/2: h2 by ALPN over TLS, h2c by prior knowledge or upgrade in clear text
 * @param http2MaxStreams the most streams one HTTP/2 client connection may have open at once
 * @param workers how many worker processes {@code --workers} runs, or 0 for none
 * @param workerCommand the command line each worker runs ({@code --worker-command}), or null
 * @param workerBasePort the first worker's port ({@code --worker-base-port})
 * @param checkConfig whether {@code --check-config} asked to validate the configuration and exit
 * @param version whether {@code --version} was asked for
 * @param help whether {@code --help} was asked for
 * @param problems what is wrong with the arguments; empty if nothing
 */
record GatewayOptions(int port, String host, List<String> backends, String strategy, @Nullable String admin,
        @Nullable Path config, boolean configWatch, @Nullable String accessLog, int ioThreads,
        GatewayTls.@Nullable Settings tls, boolean http2, int http2MaxStreams, int workers,
        @Nullable String workerCommand, int workerBasePort, boolean checkConfig, boolean version, boolean help,
        List<String> problems) {

    /** The options that choose what the gateway serves: a file, a list of backends, or workers. */
    private static final List<String> MODE_FLAGS = List.of("--config", "--backends", "--workers", "--worker-command");

    /** The options that take a value; each may also come from the environment as {@code JUNCTION_<NAME>}. */
    static final List<String> VALUE_FLAGS = List.of("--port", "--host", "--backends", "--strategy", "--admin",
            "--access-log", "--config", "--config-watch", "--io-threads", "--http2", "--http2-max-streams",
            "--workers", "--worker-command", "--worker-base-port", "--tls-cert", "--tls-key", "--tls-key-password-file",
            "--tls-key-password-env", "--tls-client-auth", "--tls-client-ca");

    /** As nginx's {@code http2_max_concurrent_streams}. */
    static final int DEFAULT_HTTP2_MAX_STREAMS = 128;

    private static final List<String> TLS_FLAGS = List.of("--tls-cert", "--tls-key", "--tls-key-password-file",
            "--tls-key-password-env", "--tls-client-auth", "--tls-client-ca");

    static final String USAGE = """
            Usage: bin/junction [options]   (or: java -jar junction-gateway.jar [options])
              (no options)             demo: three demo backends behind the gateway on 127.0.0.1:8080
              --config FILE.yaml       serve the routes of a configuration file; it is read again, and the
                                       difference applied without a restart, when its content changes, on
                                       SIGHUP, and on POST <admin>/reload
              --config-watch on|off    whether a change of the file's content is noticed by itself (default on)
              --backends H:P,H:P,...   serve one route / over these backends
              --strategy NAME          the strategy of --backends (default round-robin)
              --admin PATH             with --backends: the admin endpoint (status, checks, metrics) at PATH
              --access-log FORMAT      combined (default), json, or off: one line per request on standard output
            Cluster mode (the gateway runs the backends itself, restarts them, rolls them on SIGHUP):
              --workers N|auto         run N worker processes (auto: one per processor) behind one route /
              --worker-command 'CMD'   each worker's command line; {port} and {id} are replaced in it, and
                                       JUNCTION_WORKER_ID, JUNCTION_WORKER_PORT are set
              --worker-base-port P     worker i listens on P+i; P+N is kept for rolling restarts (default 9000)
              --port N                 the port to listen on (default 8080, or 8443 with --tls-cert; 0 for any
                                       free port)
              --host ADDR              the address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
              --io-threads N           Undertow I/O threads (default: the number of processors)
              --http2 on|off           HTTP/2 from clients: h2 (ALPN) with --tls-cert, h2c (prior knowledge or
                                       Upgrade) without; default on
              --http2-max-streams N    streams one HTTP/2 connection may have open at once (default 128)
            HTTPS (TLS 1.3 and 1.2; the certificate is read again when its files change, no restart needed):
              --tls-cert FILE          the certificate chain (PEM), or a PKCS#12 file (.p12, .pfx) with the key too
              --tls-key FILE           the private key of a PEM certificate (PKCS#8 or PKCS#1 RSA, PEM)
              --tls-key-password-file FILE   a file whose first line is the key's password
              --tls-key-password-env VAR     an environment variable holding it
              --tls-client-auth MODE   none (default), want or need: ask clients for certificates
              --tls-client-ca FILE     the authorities (PEM) client certificates must chain to
              --check-config           validate the --config file and exit: 0 if valid, else 2 with every
                                       problem (what only a start finds, such as files and ports, is not tried)
              --version                the version, and exit
              --help                   this text
            Every option with a value may also be set in the environment: --port as JUNCTION_PORT,
            --worker-command as JUNCTION_WORKER_COMMAND, ...; the command line wins.""";

    static GatewayOptions parse(String... args) {
        return parse(System.getenv(), args);
    }

    /** Returns the environment variable that sets {@code flag}: {@code --worker-command} is JUNCTION_WORKER_COMMAND. */
    static String variable(String flag) {
        return "JUNCTION_" + flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * Parses the command line over what the environment sets ({@code JUNCTION_PORT} for {@code --port}, ...); a
     * problem with a value from the environment names its variable.
     */
    static GatewayOptions parse(Map<String, String> environment, String... given) {
        // The options the command line names (not the values it gives them): the environment sets only the others.
        List<String> onCommandLine = new ArrayList<>();
        for (int i = 0; i < given.length; i++) {
            onCommandLine.add(given[i]);
            if (VALUE_FLAGS.contains(given[i])) {
                i++;
            }
        }
        // What to serve is the command line's choice when it makes one: the environment's other choice is left out.
        boolean modeGiven = onCommandLine.stream().anyMatch(MODE_FLAGS::contains);
        List<String> fromEnvironment = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (String flag : VALUE_FLAGS) {
            String value = environment.get(variable(flag));
            if (value != null && !onCommandLine.contains(flag) && !(modeGiven && MODE_FLAGS.contains(flag))) {
                fromEnvironment.add(flag);
                all.add(flag);
                all.add(value);
            }
        }
        all.addAll(List.of(given));
        GatewayOptions parsed = parseArguments(all.toArray(String[]::new));
        if (fromEnvironment.isEmpty() || parsed.problems().isEmpty()) {
            return parsed;
        }
        List<String> problems = new ArrayList<>();
        for (String problem : parsed.problems()) {
            String named = problem;
            for (String flag : fromEnvironment) {
                named = named.replace(flag + ":", variable(flag) + " (" + flag + "):")
                        .replace(flag + " ", variable(flag) + " (" + flag + ") ");
            }
            problems.add(named);
        }
        return new GatewayOptions(parsed.port(), parsed.host(), parsed.backends(), parsed.strategy(), parsed.admin(),
                parsed.config(), parsed.configWatch(), parsed.accessLog(), parsed.ioThreads(), parsed.tls(),
                parsed.http2(), parsed.http2MaxStreams(), parsed.workers(), parsed.workerCommand(),
                parsed.workerBasePort(), parsed.checkConfig(), parsed.version(), parsed.help(), List.copyOf(problems));
    }

    private static GatewayOptions parseArguments(String... args) {
        int port = 8080;
        String host = "127.0.0.1";
        List<String> backends = new ArrayList<>();
        String strategy = null;
        String admin = null;
        String accessLog = null;
        Path config = null;
        boolean configWatch = true;
        int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        boolean help = false;
        boolean checkConfig = false;
        boolean version = false;
        boolean portGiven = false;
        boolean http2 = true;
        int http2MaxStreams = DEFAULT_HTTP2_MAX_STREAMS;
        int workers = 0;
        String workerCommand = null;
        int workerBasePort = ClusterConfig.DEFAULT_BASE_PORT;
        Map<String, String> tls = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                help = true;
                continue;
            }
            if (flag.equals("--version")) {
                version = true;
                continue;
            }
            if (flag.equals("--check-config")) {
                checkConfig = true;
                continue;
            }
            if (!VALUE_FLAGS.contains(flag)) {
                problems.add(flag + ": unknown option");
                continue;
            }
            if (i + 1 >= args.length) {
                problems.add(flag + ": needs a value");
                continue;
            }
            String value = args[++i];
            if (TLS_FLAGS.contains(flag)) {
                tls.put(flag, value);
                continue;
            }
            switch (flag) {
                case "--port" -> {
                    port = number(flag, value, 0, 65535, port, problems);
                    portGiven = true;
                }
                case "--host" -> host = value;
                case "--backends" -> backends = backends(value, problems);
                case "--strategy" -> strategy = value;
                case "--admin" -> admin = value;
                case "--access-log" -> {
                    if (List.of("combined", "json", "off").contains(value)) {
                        accessLog = value;
                    } else {
                        problems.add("--access-log: '" + value + "' (expected: combined, json or off)");
                    }
                }
                case "--config" -> config = Path.of(value);
                case "--config-watch" -> {
                    if (value.equals("on") || value.equals("off")) {
                        configWatch = value.equals("on");
                    } else {
                        problems.add("--config-watch: '" + value + "' (expected: on or off)");
                    }
                }
                case "--http2" -> {
                    if (value.equals("on") || value.equals("off")) {
                        http2 = value.equals("on");
                    } else {
                        problems.add("--http2: '" + value + "' (expected: on or off)");
                    }
                }
                case "--http2-max-streams" -> http2MaxStreams = number(flag, value, 1, 10_000, http2MaxStreams,
                        problems);
                case "--workers" -> workers = value.equals("auto") ? Runtime.getRuntime().availableProcessors()
                        : number(flag, value, 1, 1024, 0, problems);
                case "--worker-command" -> workerCommand = value;
                case "--worker-base-port" -> workerBasePort = number(flag, value, 1, 65535, workerBasePort, problems);
                default -> ioThreads = number(flag, value, 1, 256, ioThreads, problems);
            }
        }
        if (config != null && !backends.isEmpty()) {
            problems.add("--config and --backends: give one or the other");
        }
        if (strategy != null && backends.isEmpty()) {
            problems.add("--strategy: applies to --backends only (a configuration file names its strategies)");
        }
        boolean cluster = workers > 0 || workerCommand != null;
        if (admin != null && backends.isEmpty() && !cluster) {
            problems.add("--admin: applies to --backends and --workers only (a configuration file has its own admin"
                    + " section, and the demo serves it at /_junction)");
        }
        if (cluster) {
            if (workers == 0 && !problems.stream().anyMatch(problem -> problem.startsWith("--workers"))) {
                problems.add("--workers: required with --worker-command (how many workers to run, or auto)");
            }
            if (workerCommand == null) {
                problems.add("--worker-command: required with --workers (the command each worker runs, with {port})");
            } else {
                try {
                    if (ClusterConfig.split(workerCommand).isEmpty()) {
                        problems.add("--worker-command: empty (expected: a command line with {port})");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add("--worker-command: " + e.getMessage());
                }
            }
            if (config != null || !backends.isEmpty()) {
                problems.add("--workers: not with " + (config != null ? "--config (give the file a cluster section)"
                        : "--backends (the workers are the backends)"));
            }
        }
        if (checkConfig && config == null) {
            problems.add("--check-config: checks the file --config names (give --config FILE.yaml)");
        }
        GatewayTls.Settings settings = tls(tls, problems);
        if (settings != null && !portGiven) {
            port = 8443;
        }
        return new GatewayOptions(port, host, List.copyOf(backends), strategy == null ? "round-robin" : strategy,
                admin, config, configWatch, accessLog, ioThreads, settings, http2, http2MaxStreams, workers,
                workerCommand, workerBasePort, checkConfig, version, help, List.copyOf(problems));
    }

    /** Reads the {@code --tls-*} options: null when none is given, every inconsistency a problem. */
    private static GatewayTls.@Nullable Settings tls(Map<String, String> given, List<String> problems) {
        if (given.isEmpty()) {
            return null;
        }
        String certificate = given.get("--tls-cert");
        String key = given.get("--tls-key");
        String clientCa = given.get("--tls-client-ca");
        GatewayTls.ClientAuth clientAuth = GatewayTls.ClientAuth.NONE;
        String mode = given.get("--tls-client-auth");
        if (mode != null) {
            switch (mode) {
                case "none" -> clientAuth = GatewayTls.ClientAuth.NONE;
                case "want" -> clientAuth = GatewayTls.ClientAuth.WANT;
                case "need" -> clientAuth = GatewayTls.ClientAuth.NEED;
                default -> problems.add("--tls-client-auth: '" + mode + "' (expected: none, want or need)");
            }
        }
        int before = problems.size();
        if (certificate == null) {
            problems.add("--tls-cert: required with the other --tls options (the gateway's certificate)");
        } else {
            String lower = certificate.toLowerCase(Locale.ROOT);
            boolean pkcs12 = lower.endsWith(".p12") || lower.endsWith(".pfx");
            if (pkcs12 && key != null) {
                problems.add("--tls-key: not with a PKCS#12 --tls-cert, which holds the key");
            } else if (!pkcs12 && key == null) {
                problems.add("--tls-key: required with a PEM --tls-cert (its private key)");
            }
        }
        if (given.containsKey("--tls-key-password-file") && given.containsKey("--tls-key-password-env")) {
            problems.add("--tls-key-password-env: give it or --tls-key-password-file, not both");
        }
        if (clientAuth != GatewayTls.ClientAuth.NONE && clientCa == null) {
            problems.add("--tls-client-ca: required with --tls-client-auth " + mode
                    + " (the authorities client certificates must chain to)");
        }
        if (clientAuth == GatewayTls.ClientAuth.NONE && clientCa != null) {
            problems.add("--tls-client-ca: applies with --tls-client-auth want or need");
        }
        if (problems.size() > before || certificate == null) {
            return null;
        }
        return new GatewayTls.Settings(Path.of(certificate), key == null ? null : Path.of(key),
                given.get("--tls-key-password-file"), given.get("--tls-key-password-env"), clientAuth,
                clientCa == null ? null : Path.of(clientCa));
    }

    private static int number(String flag, String value, int min, int max, int fallback, List<String> problems) {
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        problems.add(flag + ": '" + value + "' (expected: an integer from " + min + " to " + max + ")");
        return fallback;
    }

    /** Reads {@code host:port,...}; an {@code http://} or {@code https://} prefix is kept, none means http. */
    private static List<String> backends(String value, List<String> problems) {
        List<String> urls = new ArrayList<>();
        for (String entry : value.split(",", -1)) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                problems.add("--backends: empty entry in '" + value + "' (expected: host:port,host:port,...)");
                continue;
            }
            urls.add(trimmed.startsWith("http://") || trimmed.startsWith("https://") ? trimmed
                    : "http://" + trimmed);
        }
        return urls;
    }
}
