package dev.junction.core.internal.accesslog;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import dev.junction.core.config.AccessLogConfig;

/**
 * Writes one line per exchange to the SLF4J logger {@value #LOGGER}, at INFO, from a daemon thread of its own: the
 * thread that ends an exchange only offers its {@link AccessEntry} to a bounded queue and never waits. When the
 * logger cannot keep up and the queue is full, entries are dropped and counted ({@link #dropped()}, the
 * {@code junction.access.log.dropped} counter), and a warning says so at most once a minute, as a proxy must not
 * slow its traffic down for its log. The writer wakes on a timer and writes what has queued, so handing an entry over
 * costs the request's thread a queue insertion and no wake-up.
 *
 * <p>Thread-safe. {@link #close()} writes what is queued (for up to a second) and stops the thread.
 */
public final class AccessLog implements AutoCloseable {

    /** The logger lines are written to. */
    public static final String LOGGER = "junction.access";
    /** The most entries waiting to be written. */
    static final int CAPACITY = 16 * 1024;
    /** How often the writer looks for entries. */
    static final long WRITE_EVERY_MILLIS = 20;
    /** The most entries written before the writer looks again. */
    private static final int BATCH = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
    private static final DateTimeFormatter COMBINED_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Logger access;
    private final AccessLogConfig.Format format;
    private final ZoneId zone;
    private final BlockingQueue<AccessEntry> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private volatile boolean closed;
    private long lastWarnNanos;
    /** The second {@link #formattedTime} formats; written and read by the writer thread (and tests) only. */
    private long formattedSecond = Long.MIN_VALUE;
    private String formattedTime = "";
    private long droppedWhenWarned;

    /** Starts the writer of a log in {@code format}, with times in {@code zone} (combined's {@code $time_local}). */
    public AccessLog(AccessLogConfig.Format format, ZoneId zone) {
        this(LoggerFactory.getLogger(LOGGER), format, zone);
    }

    AccessLog(Logger access, AccessLogConfig.Format format, ZoneId zone) {
        this.access = access;
        this.format = format;
        this.zone = zone;
        this.writer = new Thread(this::write, "junction-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues {@code entry} to be written; drops it if the queue is full. Never blocks. */
    public void offer(AccessEntry entry) {
        if (!queue.offer(entry)) {
            dropped.increment();
        }
    }

    /** Returns the entries dropped because the log could not keep up. */
    public long dropped() {
        return dropped.sum();
    }

    /** Returns the line of {@code entry}, as this log writes it. */
    public String format(AccessEntry entry) {
        return format == AccessLogConfig.Format.JSON ? json(entry) : combined(entry);
    }

    /**
     * Wakes every {@value #WRITE_EVERY_MILLIS} ms and writes what has queued since. The threads that offer entries
     * never wake this one (no signal per line, so no context switch per request): at any rate, a line waits at most
     * that long.
     */
    private void write() {
        List<AccessEntry> batch = new ArrayList<>(BATCH);
        while (true) {
            boolean last = closed;
            queue.drainTo(batch, BATCH);
            for (AccessEntry entry : batch) {
                try {
                    access.info(format(entry));
                } catch (RuntimeException e) {
                    LOG.warn("The access log could not write a line", e);
                }
            }
            boolean more = batch.size() == BATCH;
            batch.clear();
            warnOfDrops();
            if (last && queue.isEmpty()) {
                return;
            }
            if (!more) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(WRITE_EVERY_MILLIS));
            }
        }
    }

    private void warnOfDrops() {
        long now = System.nanoTime();
        if (now - lastWarnNanos < WARN_EVERY_NANOS) {
            return;
        }
        long total = dropped.sum();
        if (total > droppedWhenWarned) {
            LOG.warn("The access log dropped {} line(s): its logger could not keep up with the traffic",
                    total - droppedWhenWarned);
            droppedWhenWarned = total;
        }
        lastWarnNanos = now;
    }

    /** Writes what is queued, for up to a second, and stops the writer. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * nginx's combined: {@code $remote_addr - - [$time_local] "$request" $status $body_bytes_sent "$http_referer"
     * "$http_user_agent"}, values escaped as nginx does ({@code "}, {@code \} and control bytes as {@code \xHH}).
     */
    String combined(AccessEntry entry) {
        StringBuilder line = new StringBuilder(160);
        AccessRequest request = entry.request();
        line.append(request.client()).append(" - - [").append(localTime(entry.endMillis())).append("] \"");
        escaped(line, request.method() + " " + request.target() + " " + request.protocol());
        line.append("\" ").append(entry.status()).append(' ').append(entry.responseBytes()).append(" \"");
        escaped(line, request.referer() == null ? "-" : request.referer());
        line.append("\" \"");
        escaped(line, request.userAgent() == null ? "-" : request.userAgent());
        return line.append('"').toString();
    }

    /** Returns {@code $time_local} of {@code millis}: one format per second, as nginx caches it. Writer thread only. */
    private String localTime(long millis) {
        long second = Math.floorDiv(millis, 1000);
        if (second != formattedSecond) {
            formattedTime = COMBINED_TIME.format(ZonedDateTime.ofInstant(Instant.ofEpochSecond(second), zone));
            formattedSecond = second;
        }
        return formattedTime;
    }

    private static void escaped(StringBuilder line, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || c == 0x7F) {
                line.append("\\x").append(Character.forDigit(c >> 4 & 0xF, 16))
                        .append(Character.forDigit(c & 0xF, 16));
            } else {
                line.append(c);
            }
        }
    }

    /** One JSON object; times in seconds with millisecond precision, as nginx's {@code $request_time}. */
    String json(AccessEntry entry) {
        AccessRequest request = entry.request();
        StringBuilder line = new StringBuilder(400).append('{');
        field(line, "time", Instant.ofEpochMilli(entry.endMillis()).toString()).append(',');
        field(line, "client", request.client()).append(',');
        field(line, "method", request.method()).append(',');
        field(line, "target", request.target()).append(',');
        field(line, "protocol", request.protocol()).append(',');
        line.append("\"status\":").append(entry.status())
                .append(",\"bytes_in\":").append(entry.requestBytes())
                .append(",\"bytes_out\":").append(entry.responseBytes()).append(',');
        field(line, "route", entry.route()).append(',');
        field(line, "backend", entry.backend()).append(',');
        line.append("\"attempts\":").append(entry.attempts())
                .append(",\"upstream_time\":")
                .append(entry.upstreamNanos() < 0 ? "null" : seconds(entry.upstreamNanos()))
                .append(",\"total_time\":").append(seconds(entry.totalNanos())).append(',');
        field(line, "request_id", entry.requestId()).append(',');
        field(line, "outcome", entry.outcome()).append(',');
        field(line, "referer", request.referer()).append(',');
        field(line, "user_agent", request.userAgent());
        return line.append('}').toString();
    }

    private static StringBuilder field(StringBuilder line, String name, @Nullable String value) {
        line.append('"').append(name).append("\":");
        if (value == null) {
            return line.append("null");
        }
        return line.append('"').append(JsonStringEncoder.getInstance().quoteAsString(value)).append('"');
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }
}
