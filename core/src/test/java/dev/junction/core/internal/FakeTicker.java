package dev.junction.core.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.junction.core.spi.Ticker;

/** A {@link Ticker} that moves only when a test advances it. */
public final class FakeTicker implements Ticker {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long nanos() {
        return nanos.get();
    }

    public FakeTicker advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
        return this;
    }
}
