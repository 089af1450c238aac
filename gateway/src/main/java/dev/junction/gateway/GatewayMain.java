package dev.junction.gateway;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.LoggerContext;
import sun.misc.Signal;

import dev.junction.core.Junction;
import dev.junction.core.config.ConfigException;
import dev.junction.core.tls.TlsFileException;

/**
 * The gateway's command line: {@code bin/junction [options]} in the distribution, or
 * {@code java -jar gateway/target/junction-gateway.jar [options]} in a build. With no options it runs the demo;
 * {@code --config FILE.yaml} or {@code --backends host:port,...} serve real backends. Bad arguments or configuration
 * print every problem and exit with 2; Ctrl-C (SIGINT or SIGTERM) stops it cleanly (its workers too,
 * in cluster mode); SIGHUP reads the {@code --config} file again and replaces the cluster's workers one at a time.
 * docs/gateway.md describes every option.
 */
public final class GatewayMain {

    private static final String LOGBACK_CONFIGURATION = "logback.configurationFile";

    private GatewayMain() {
    }

    /**
     * What a start came to: a running gateway, or none and the exit code.
     *
     * @param gateway the gateway, or null if it should not run
     * @param exitCode 0 (help), 1 (could not listen) or 2 (bad arguments or configuration) when there is none
     */
    record Outcome(@Nullable Gateway gateway, int exitCode) {
    }

    /**
     * Runs the gateway until it is stopped, or exits with the start's exit code.
     *
     * @param args the options, as docs/gateway.md describes them
     * @throws InterruptedException if the main thread is interrupted while the gateway runs
     */
    public static void main(String[] args) throws InterruptedException {
        // The gateway's logging (the distribution's conf/logback.xml, also in the jar under its package, so that a
        // jar depending on this one does not get a logback.xml at its root) unless the caller names another.
        if (System.getProperty(LOGBACK_CONFIGURATION) == null) {
            System.setProperty(LOGBACK_CONFIGURATION, "dev/junction/gateway/logback.xml");
        }
        // Undertow and XNIO log through JBoss Logging: send it to SLF4J, like the rest of the gateway.
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
        Outcome outcome = start(args, System.out, System.err);
        Gateway gateway = outcome.gateway();
        if (gateway == null) {
            stopLogging();
            System.exit(outcome.exitCode());
            return;
        }
        if (gateway.reloads()) {
            // nginx's and HAProxy's reload signal: read the configuration file again, without a restart, and roll
            // the cluster's workers, as nginx starts new workers.
            Signal.handle(new Signal("HUP"), signal -> gateway.reload("SIGHUP"));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gateway.close();
            } finally {
                stopLogging();
                stopped.countDown();
            }
        }, "junction-shutdown"));
        stopped.await();
    }

    /**
     * Starts the gateway the arguments describe, or prints why it should not run (help asked for, bad arguments or
     * configuration, the port taken).
     */
    static Outcome start(String[] args, PrintStream out, PrintStream err) {
        GatewayOptions options = GatewayOptions.parse(args);
        if (options.version()) {
            out.println("Junction gateway " + Junction.version());
            return new Outcome(null, 0);
        }
        if (options.help()) {
            out.println(GatewayOptions.USAGE);
            return new Outcome(null, 0);
        }
        if (!options.problems().isEmpty()) {
            options.problems().forEach(problem -> err.println("  " + problem));
            err.println(GatewayOptions.USAGE);
            return new Outcome(null, 2);
        }
        if (options.checkConfig()) {
            // As nginx -t: the file read and validated as a start would (strategies and checks included), nothing
            // started.
            try {
                out.println(Gateway.check(options));
                return new Outcome(null, 0);
            } catch (ConfigException e) {
                err.println(e.getMessage());
                return new Outcome(null, 2);
            } catch (RuntimeException e) {
                err.println("Cannot check " + options.config() + ": " + reason(e));
                return new Outcome(null, 2);
            }
        }
        try {
            return new Outcome(Gateway.start(options, out), 0);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return new Outcome(null, 2);
        } catch (TlsFileException e) {
            err.println("Cannot use the TLS certificate: " + e.getMessage());
            return new Outcome(null, 2);
        } catch (RuntimeException e) {
            err.println("Cannot start the gateway on " + options.host() + ":" + options.port() + ": " + reason(e));
            return new Outcome(null, 1);
        }
    }

    /** Writes out what the asynchronous appenders still hold (conf/logback.xml): their thread ends with the JVM. */
    private static void stopLogging() {
        ILoggerFactory loggers = LoggerFactory.getILoggerFactory();
        if (loggers instanceof LoggerContext logback) {
            logback.stop();
        }
    }

    private static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
