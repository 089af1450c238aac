package dev.junction.gateway;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.OpenListener;
import io.undertow.server.protocol.http.AlpnOpenListener;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.server.protocol.http2.Http2OpenListener;
import io.undertow.server.protocol.http2.Http2UpgradeHandler;
import io.undertow.util.Headers;

import dev.junction.core.Junction;
import dev.junction.core.config.AccessLogConfig;
import dev.junction.core.config.AdminConfig;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.ClusterConfig;
import dev.junction.core.config.ConfigCheck;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigSource;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.undertow.JunctionHandler;

/**
 * The standalone gateway: an Undertow server whose only handler is Junction's, in front of the routes of a
 * configuration file, of a list of backends, or of three demo backends it starts itself.
 *
 * <p>{@link #start} returns once the gateway listens; {@link #close} drains as nginx's graceful shutdown does: the
 * listening socket closes at once (a new connection is refused, so a balancer in front tries another instance),
 * exchanges in flight finish up to Junction's grace period with their connections closed after them, and only then
 * do the server's I/O threads stop. The listener is made here on Undertow's own parts (XNIO's server channel and
 * Undertow's HTTP/1.1 open listener) because {@code Undertow.stop()} closes every connection at once, and its
 * listeners can only stop accepting, which leaves new connections waiting in the backlog.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    /** How often the configuration file's content is looked at for a change. */
    static final long CONFIG_WATCH_MILLIS = 1000;
    /** How often the certificate's files are looked at for a renewal. */
    static final long TLS_WATCH_MILLIS = 2000;
    /** Undertow's own buffer size for a heap over 128 MiB: 16 KiB, less what a TLS record adds. */
    private static final int BUFFER_SIZE = 16 * 1024 - 20;

    private final XnioWorker worker;
    private final AcceptingChannel<? extends StreamConnection> listener;
    private final @Nullable GatewayTls tls;
    private final JunctionHandler handler;
    private final List<DemoBackend> demoBackends;
    private final int port;

    private Gateway(XnioWorker worker, AcceptingChannel<? extends StreamConnection> listener,
            @Nullable GatewayTls tls, JunctionHandler handler, List<DemoBackend> demoBackends) {
        this.worker = worker;
        this.listener = listener;
        this.tls = tls;
        this.handler = handler;
        this.demoBackends = demoBackends;
        this.port = listener.getLocalAddress(InetSocketAddress.class).getPort();
    }

    /**
     * Starts a gateway as the options say and describes it on {@code out}.
     *
     * @throws dev.junction.core.config.ConfigException if the configuration is invalid (nothing is left running)
     * @throws dev.junction.core.tls.TlsFileException if a TLS file cannot be used, naming it (nothing is left
     *     running)
     * @throws RuntimeException if the server cannot listen (nothing is left running)
     */
    static Gateway start(GatewayOptions options, PrintStream out) {
        List<DemoBackend> demo = new ArrayList<>();
        JunctionHandler handler = null;
        XnioWorker worker = null;
        GatewayTls.Settings tlsSettings = options.tls();
        // The certificate is read first: a file that cannot be used stops the start before anything runs.
        SSLContext tlsContext = tlsSettings == null ? null : GatewayTls.context(tlsSettings);
        try {
            Junction.Builder junction = JunctionHandler.junctionBuilder();
            JunctionConfig config;
            Path file = options.config();
            if (file != null) {
                // The strategies and checks the file names are checked with it: every problem in one report. The
                // file is watched, and read again on SIGHUP and on the admin endpoint's POST <admin>/reload.
                ConfigSource source = fileSource(file, options.accessLog());
                junction.configSource(source);
                if (options.configWatch()) {
                    junction.watchConfig(Duration.ofMillis(CONFIG_WATCH_MILLIS));
                }
                config = source.load(junction.configCheck());
            } else if (options.workers() > 0 && options.workerCommand() != null) {
                // One route / over the workers the gateway runs; the rest of cluster's settings by default.
                config = JunctionConfig.builder()
                        .cluster(ClusterConfig.builder().workers(options.workers()).command(options.workerCommand())
                                .basePort(options.workerBasePort()).build())
                        .admin(options.admin() == null ? AdminConfig.DISABLED : AdminConfig.at(options.admin()))
                        .build();
            } else if (!options.backends().isEmpty()) {
                RouteConfig.Builder route = RouteConfig.builder().name("default").prefix("/")
                        .strategy(options.strategy());
                options.backends().forEach(route::backend);
                config = JunctionConfig.builder().route(route.build())
                        .admin(options.admin() == null ? AdminConfig.DISABLED : AdminConfig.at(options.admin()))
                        .build();
            } else {
                config = demoConfig(demo);
            }
            if (file == null) {
                config = withAccessLog(config, options.accessLog());
            }
            handler = JunctionHandler.create(junction.build(config), Gateway::noRoute);
            worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                    .set(Options.WORKER_NAME, "junction-gateway")
                    .set(Options.WORKER_IO_THREADS, options.ioThreads())
                    // Junction never blocks or dispatches: the task pool only serves Undertow's own odd jobs.
                    .set(Options.WORKER_TASK_CORE_THREADS, 2)
                    .set(Options.WORKER_TASK_MAX_THREADS, 2)
                    .set(Options.TCP_NODELAY, true)
                    .getMap());
            DefaultByteBufferPool buffers = new DefaultByteBufferPool(true, BUFFER_SIZE, -1, 4);
            OptionMap serving = OptionMap.builder()
                    // Junction streams bodies and applies its own header limit (431); Undertow's 2 MiB body
                    // limit is for servers that buffer.
                    .set(UndertowOptions.MAX_ENTITY_SIZE, Long.MAX_VALUE)
                    // A connection that sends no request for a minute is closed, as nginx's keepalive_timeout.
                    .set(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                    // A request head must arrive within 30 s: slow-header (slowloris) clients do not hold
                    // connections open for ever.
                    .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, 30_000)
                    // Raw non-ASCII bytes in a target are refused with 400, not decoded in some charset.
                    .set(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, false)
                    // HTTP/2 in clear text by prior knowledge (the connection preface) is read by the HTTP/1
                    // listener when this is on; h2c by Upgrade and h2 by ALPN are wired below.
                    .set(UndertowOptions.ENABLE_HTTP2, options.http2())
                    .set(UndertowOptions.HTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, options.http2MaxStreams())
                    // Told to clients in SETTINGS; Junction answers 431 above its own, lower limit first.
                    .set(UndertowOptions.HTTP2_SETTINGS_MAX_HEADER_LIST_SIZE,
                            2 * config.limits().maxRequestHeaderBytes())
                    .getMap();
            HttpOpenListener http = new HttpOpenListener(buffers, serving);
            // In clear text, an HTTP/1.1 request with Upgrade: h2c switches its connection to HTTP/2 (RFC 7540
            // §3.2); over TLS, HTTP/2 is negotiated by ALPN only (RFC 9113 §3.1 forbids h2c there).
            http.setRootHandler(options.http2() && tlsContext == null ? new Http2UpgradeHandler(handler) : handler);
            InetSocketAddress address = new InetSocketAddress(options.host(), options.port());
            OptionMap listening = OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, options.ioThreads())
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.REUSE_ADDRESSES, true)
                    .set(Options.BALANCING_TOKENS, 1)
                    .set(Options.BALANCING_CONNECTIONS, 2)
                    .set(Options.BACKLOG, 1000)
                    .getMap();
            AcceptingChannel<? extends StreamConnection> listener;
            GatewayTls watch = null;
            if (tlsSettings == null || tlsContext == null) {
                listener = worker.createStreamConnectionServer(address, ChannelListeners.openListenerAdapter(http),
                        listening);
            } else {
                UndertowXnioSsl ssl = new UndertowXnioSsl(worker.getXnio(), OptionMap.EMPTY, tlsContext);
                OpenListener open = http;
                if (options.http2()) {
                    // ALPN picks h2 when the client offers it, else HTTP/1.1 on the same port.
                    AlpnOpenListener alpn = new AlpnOpenListener(buffers, serving, http);
                    Http2OpenListener h2 = new Http2OpenListener(buffers, serving);
                    h2.setRootHandler(handler);
                    alpn.addProtocol(Http2OpenListener.HTTP2, h2, 10);
                    open = alpn;
                }
                listener = ssl.createSslConnectionServer(worker, address, ChannelListeners.openListenerAdapter(open),
                        OptionMap.builder().addAll(listening).addAll(GatewayTls.options(tlsSettings, tlsContext))
                                .getMap());
                watch = GatewayTls.watch(tlsSettings, TLS_WATCH_MILLIS, ssl::updateSSLContext);
            }
            listener.resumeAccepts();
            Gateway gateway = new Gateway(worker, listener, watch, handler, demo);
            gateway.describe(config, options, out);
            return gateway;
        } catch (IOException e) {
            stopAll(handler, worker, demo);
            throw new UncheckedIOException("cannot listen on " + options.host() + ":" + options.port() + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            stopAll(handler, worker, demo);
            throw e;
        }
    }

    /**
     * Reads and validates the {@code --config} file as a start would (the strategies and checks it names included),
     * starting nothing, and says what it holds.
     *
     * @throws ConfigException listing every problem
     */
    static String check(GatewayOptions options) {
        Path file = Objects.requireNonNull(options.config(), "--config");
        JunctionConfig config = fileSource(file, options.accessLog()).load(JunctionHandler.junctionBuilder()
                .configCheck());
        ClusterConfig cluster = config.cluster();
        return "Configuration " + file + " is valid: " + config.routes().size() + " route(s)"
                + (cluster.enabled() ? ", a cluster of " + cluster.workers() + " worker(s)" : "")
                + (config.admin().enabled() ? ", admin endpoint at " + config.admin().path() : "");
    }

    private static void stopAll(@Nullable JunctionHandler handler, @Nullable XnioWorker worker,
            List<DemoBackend> demo) {
        if (handler != null) {
            handler.close();
        }
        if (worker != null) {
            worker.shutdownNow();
        }
        demo.forEach(DemoBackend::close);
    }

    /**
     * Three demo backends, a (weight 3), b and c, under one route {@code /}: the balancing shows in a few curls, the
     * status at the admin endpoint (open: the demo listens on loopback).
     */
    private static JunctionConfig demoConfig(List<DemoBackend> demo) {
        RouteConfig.Builder route = RouteConfig.builder().name("demo").prefix("/").strategy("weighted-round-robin");
        for (String name : List.of("a", "b", "c")) {
            DemoBackend backend = new DemoBackend(name);
            demo.add(backend);
            route.backend(BackendConfig.builder().id(name).url(backend.url()).weight(name.equals("a") ? 3 : 1)
                    .build());
        }
        return JunctionConfig.builder().route(route.build()).admin(AdminConfig.at("/_junction")).build();
    }

    /**
     * Returns {@code config} with the access log {@code --access-log} asks for; without it, the configuration's own
     * if it has one, else the combined format: the gateway logs its requests unless told not to.
     */
    /** Returns the configuration file as a source, with the access log the command line sets. */
    private static ConfigSource fileSource(Path file, @Nullable String accessLog) {
        ConfigSource yaml = ConfigSource.yaml(file);
        return new ConfigSource() {
            @Override
            public JunctionConfig load(ConfigCheck check) {
                return withAccessLog(yaml.load(check), accessLog);
            }

            @Override
            public String describe() {
                return yaml.describe();
            }

            @Override
            public List<Path> files() {
                return yaml.files();
            }
        };
    }

    /** Returns whether SIGHUP does something: reads a configuration file again, or rolls the cluster's workers. */
    boolean reloads() {
        return handler.junction().configStatus().source() != null || handler.junction().clusterStatus().isPresent();
    }

    /**
     * Does what nginx's reload does: reads the configuration file again and applies it, as a change of its content
     * does (a refused one is logged and the one running keeps serving), then, in cluster mode, replaces the workers
     * one at a time, so a deploy that replaced their program takes effect without an error.
     */
    void reload(String trigger) {
        Junction junction = handler.junction();
        if (junction.configStatus().source() != null) {
            try {
                junction.reload(trigger);
            } catch (ConfigException e) {
                // Logged by Junction with every problem, and shown in the status.
            } catch (IllegalStateException e) {
                LOG.warn("Reload ({}) not possible: {}", trigger, e.getMessage());
            }
        }
        if (junction.clusterStatus().isPresent()) {
            try {
                junction.restartWorkers(trigger);
            } catch (IllegalStateException e) {
                LOG.warn("Rolling restart ({}) not possible: {}", trigger, e.getMessage());
            }
        }
    }

    static JunctionConfig withAccessLog(JunctionConfig config, @Nullable String option) {
        AccessLogConfig accessLog;
        if (option == null) {
            accessLog = config.accessLog().enabled() ? config.accessLog()
                    : AccessLogConfig.of(AccessLogConfig.Format.COMBINED);
        } else if (option.equals("off")) {
            accessLog = AccessLogConfig.DISABLED;
        } else {
            // GatewayOptions accepts only the formats' names and off.
            accessLog = AccessLogConfig.of(Objects.requireNonNull(AccessLogConfig.Format.fromConfigName(option)));
        }
        return config.withAccessLog(accessLog);
    }

    private static void noRoute(HttpServerExchange exchange) {
        exchange.setStatusCode(404);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain;charset=utf-8");
        exchange.getResponseSender().send("no route for " + exchange.getRequestPath() + "\n",
                StandardCharsets.UTF_8);
    }

    private void describe(JunctionConfig config, GatewayOptions options, PrintStream out) {
        GatewayTls.Settings secure = options.tls();
        String address = (secure == null ? "http://" : "https://")
                + (options.host().contains(":") ? "[" + options.host() + "]" : options.host()) + ":" + port;
        out.println("Junction gateway listening on " + address + " (HTTP/1.1"
                + (options.http2() ? (secure == null ? ", h2c" : ", h2") + " up to " + options.http2MaxStreams()
                        + " streams per connection" : "") + ")");
        if (secure != null) {
            out.println("  TLS: " + secure.certificate() + " (TLS 1.3 and 1.2; read again when it changes)"
                    + (secure.clientAuth() == GatewayTls.ClientAuth.NONE ? ""
                            : "; client certificates " + (secure.clientAuth() == GatewayTls.ClientAuth.NEED
                                    ? "required" : "asked for") + ", from " + secure.clientCa()));
        }
        for (RouteConfig route : config.routes()) {
            out.println("  " + route.prefix() + " -> " + (config.cluster().serves(route) ? "the cluster's workers"
                    : route.backends().stream().map(backend -> backend.id()
                            + (backend.weight() == 1 ? "" : " (weight " + backend.weight() + ")")
                            + (backend.backup() ? " (backup)" : "")
                            + (backend.protocol().http2() ? " (" + backend.protocol().id() + ")" : ""))
                    .collect(Collectors.joining(", "))) + "  [" + route.strategy().name() + "]");
        }
        ClusterConfig cluster = config.cluster();
        if (cluster.enabled()) {
            out.println("  cluster: " + cluster.workers() + " worker(s) on " + cluster.host() + ":" + cluster.basePort()
                    + "-" + (cluster.basePort() + cluster.workers() - 1) + " (" + String.join(" ", cluster.command())
                    + "); SIGHUP replaces them one at a time");
        }
        if (config.admin().enabled()) {
            String admin = config.admin().path();
            out.println("  admin: " + address + admin + " (status as JSON; POST " + admin + "/checks runs the checks"
                    + (config.admin().metrics() ? "; " + admin + "/metrics for Prometheus" : "") + ")");
        }
        if (config.accessLog().enabled()) {
            out.println("  access log: " + config.accessLog().format().configName() + ", one line per request on"
                    + " standard output (--access-log off turns it off)");
        }
        if (!demoBackends.isEmpty()) {
            out.println();
            out.println("Demo: three backends a, b, c on loopback, a with three times the weight. Try:");
            out.println("  for i in 1 2 3 4 5; do curl -s " + address + "/hello; done");
            out.println("  curl -si " + address + "/hello | grep X-Backend");
            out.println("Serve your own backends with --backends host:port,host:port or --config FILE.yaml.");
        }
        out.println("Ctrl-C stops it.");
    }

    /** {@return the port the gateway listens on} */
    public int port() {
        return port;
    }

    /** {@return the Junction the gateway serves} */
    public Junction junction() {
        return handler.junction();
    }

    /**
     * Refuses new connections, lets exchanges in flight finish (up to Junction's grace period), then closes the
     * connections left and stops the demo backends. Idempotent.
     */
    @Override
    public void close() {
        IoUtils.safeClose(listener);
        if (tls != null) {
            tls.close();
        }
        handler.close();
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
        demoBackends.forEach(DemoBackend::close);
    }
}
