package dev.junction.benchmarks.overload;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The overload benchmark's client (on Jetty's asynchronous HTTP client, as many connections as the load needs):
 * open-loop load in two priority classes, each at a fixed rate whatever the answers
 * take (a closed-loop client such as wrk slows down with the server and never offers more than it can take), with
 * each answer's latency recorded. Beside the load, it samples the gateway's resident memory and the queue depth its
 * status reports.
 *
 * <pre>java -cp ... dev.junction.benchmarks.overload.OverloadLoad URL STATUS_URL GATEWAY_PID PHASE...
 *   PHASE = name:seconds:criticalPerSecond:bulkPerSecond</pre>
 *
 * Prints one line per phase and class: requests sent, answered 200, answered 503, failed, and the latency of the 200s
 * (p50, p99, max), then the queue's deepest and the gateway's resident memory at the phase's start, highest and end.
 */
public final class OverloadLoad {

    private static final Pattern WAITING = Pattern.compile("\"waiting\"\\s*:\\s*(\\d+)");

    private OverloadLoad() {
    }

    /** What one class of one phase got. */
    private static final class Tally {
        final String name;
        final LongAdder sent = new LongAdder();
        final LongAdder ok = new LongAdder();
        final LongAdder refused = new LongAdder();
        final LongAdder failed = new LongAdder();
        private long[] latencies = new long[1 << 16];
        private int count;

        Tally(String name) {
            this.name = name;
        }

        synchronized void ok(long nanos) {
            ok.increment();
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }

        synchronized String line(String phase) {
            long[] sorted = Arrays.copyOf(latencies, count);
            Arrays.sort(sorted);
            double max = sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6;
            return String.format(Locale.ROOT, "%-10s %-8s sent %6d  200 %6d  503 %6d  failed %4d  p50 %7.1f ms"
                    + "  p99 %7.1f ms  max %7.1f ms", phase, name, sent.sum(), ok.sum(), refused.sum(), failed.sum(),
                    millis(sorted, 0.50), millis(sorted, 0.99), max);
        }

        private static double millis(long[] sorted, double quantile) {
            if (sorted.length == 0) {
                return 0;
            }
            int index = (int) Math.ceil(quantile * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        URI target = URI.create(args[0]);
        URI status = URI.create(args[1]);
        long pid = Long.parseLong(args[2]);
        QueuedThreadPool threads = new QueuedThreadPool(8);
        threads.setName("load");
        HttpClient http = new HttpClient();
        http.setExecutor(threads);
        http.setMaxConnectionsPerDestination(4096);
        http.setMaxRequestsQueuedPerDestination(1 << 20);
        http.setConnectTimeout(5000);
        http.start();
        for (int i = 3; i < args.length; i++) {
            String[] phase = args[i].split(":");
            run(http, target, status, pid, phase[0], Integer.parseInt(phase[1]), Double.parseDouble(phase[2]),
                    Double.parseDouble(phase[3]));
        }
        http.stop();
        System.exit(0);
    }

    private static void run(HttpClient http, URI target, URI status, long pid, String phase, int seconds,
            double criticalRate, double bulkRate) throws Exception {
        Tally critical = new Tally("critical");
        Tally bulk = new Tally("bulk");
        AtomicLong deepest = new AtomicLong();
        long rssStart = rss(pid);
        AtomicLong rssMax = new AtomicLong(rssStart);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        StringBuffer series = new StringBuffer();
        long phaseStart = System.nanoTime();
        Thread sampler = new Thread(() -> {
            long nextMark = phaseStart;
            while (System.nanoTime() < end) {
                long now = rss(pid);
                rssMax.accumulateAndGet(now, Math::max);
                if (System.nanoTime() - nextMark >= 0) {
                    series.append(' ').append(now >> 20);
                    nextMark += TimeUnit.SECONDS.toNanos(10);
                }
                try {
                    ContentResponse answer = http.newRequest(status).timeout(2, TimeUnit.SECONDS).send();
                    Matcher waiting = WAITING.matcher(answer.getContentAsString());
                    if (waiting.find()) {
                        deepest.accumulateAndGet(Long.parseLong(waiting.group(1)), Math::max);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // The status is sampled again in a moment.
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }, "sampler");
        sampler.start();
        LongAdder outstanding = new LongAdder();
        long start = System.nanoTime();
        // A class without a rate is never due.
        long criticalEvery = criticalRate <= 0 ? 0 : (long) (1e9 / criticalRate);
        long bulkEvery = bulkRate <= 0 ? 0 : (long) (1e9 / bulkRate);
        long nextCritical = criticalEvery == 0 ? Long.MAX_VALUE : start;
        long nextBulk = bulkEvery == 0 ? Long.MAX_VALUE : start;
        while (true) {
            long next = Math.min(nextCritical, nextBulk);
            if (next >= end) {
                break;
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            boolean isCritical = nextCritical <= nextBulk;
            Tally tally = isCritical ? critical : bulk;
            if (isCritical) {
                nextCritical += criticalEvery;
            } else {
                nextBulk += bulkEvery;
            }
            tally.sent.increment();
            long sent = System.nanoTime();
            outstanding.increment();
            http.newRequest(target).headers(fields -> fields.put("X-Priority", tally.name))
                    .timeout(10, TimeUnit.SECONDS).send(result -> {
                        if (result.isFailed()) {
                            tally.failed.increment();
                        } else if (result.getResponse().getStatus() == 200) {
                            tally.ok(System.nanoTime() - sent);
                        } else if (result.getResponse().getStatus() == 503) {
                            tally.refused.increment();
                        } else {
                            tally.failed.increment();
                        }
                        outstanding.decrement();
                    });
        }
        long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (outstanding.sum() > 0 && System.nanoTime() < settle) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        sampler.join(5000);
        System.out.println(critical.line(phase));
        System.out.println(bulk.line(phase));
        System.out.printf(Locale.ROOT, "%-10s queue deepest %d  gateway RSS %d MiB at start, %d MiB highest, %d MiB at"
                + " end; every 10 s:%s MiB%n", phase, deepest.get(), rssStart >> 20, rssMax.get() >> 20, rss(pid) >> 20,
                series);
    }

    /** Returns the resident memory of process {@code pid} in bytes, from /proc, or 0 if it cannot be read. */
    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
