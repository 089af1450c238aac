package dev.junction.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the content of configuration files: every interval each file is read and hashed, and when a hash differs
 * from the last one the change is told once. Content rather than modification times or file events: a file replaced
 * by a rename (an editor's save, a Kubernetes ConfigMap's symbolic link swap), touched without change, or on a file
 * system without events is seen as it is. A file that cannot be read counts as a content of its own, so its return
 * is a change too.
 *
 * <p>Its thread, {@code junction-config-watch}, is a daemon and ends with {@link #stop}. Reloads asked for by the
 * admin endpoint run on {@link #EXECUTOR}: reading a file never happens on an adapter's I/O thread.
 */
public final class ConfigWatch {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatch.class);

    /** Runs reloads asked for by the admin endpoint, one at a time; its thread ends when idle. */
    public static final Executor EXECUTOR = reloadExecutor();

    private final List<Path> files;
    private final Runnable changed;
    private final ScheduledExecutorService timer;
    private final List<byte[]> digests = new ArrayList<>();

    private ConfigWatch(List<Path> files, Runnable changed) {
        this.files = List.copyOf(files);
        this.changed = changed;
        ScheduledThreadPoolExecutor made = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "junction-config-watch");
            thread.setDaemon(true);
            return thread;
        });
        made.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.timer = made;
        for (Path file : this.files) {
            digests.add(digest(file));
        }
    }

    /**
     * Starts watching {@code files}, their content as it is now being the one running; {@code changed} runs on the
     * watch's thread after a change is seen, and the next look is an interval after it has returned.
     */
    public static ConfigWatch start(List<Path> files, Duration interval, Runnable changed) {
        ConfigWatch watch = new ConfigWatch(files, changed);
        watch.timer.scheduleWithFixedDelay(watch::look, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("Watching {} for changes every {} ms", files, interval.toMillis());
        return watch;
    }

    /** Stops watching; a change being applied finishes. */
    public void stop() {
        timer.shutdown();
    }

    private void look() {
        boolean any = false;
        for (int i = 0; i < files.size(); i++) {
            byte[] now = digest(files.get(i));
            if (!Arrays.equals(now, digests.get(i))) {
                digests.set(i, now);
                LOG.info("Configuration file {} changed: reloading", files.get(i));
                any = true;
            }
        }
        if (any) {
            try {
                changed.run();
            } catch (RuntimeException e) {
                LOG.error("Reloading after a change of {} failed", files, e);
            }
        }
    }

    /** Returns the SHA-256 of a file's content, or of a marker naming why it cannot be read. */
    private static byte[] digest(Path file) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
        try {
            return sha.digest(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return sha.digest(new byte[] {0});
        } catch (IOException e) {
            return sha.digest(new byte[] {1});
        }
    }

    private static Executor reloadExecutor() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "junction-config-reload");
                    thread.setDaemon(true);
                    return thread;
                });
        return executor;
    }
}
