package dev.junction.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.LimitsConfig;
import dev.junction.core.config.QueueConfig;
import dev.junction.core.internal.metrics.RouteMeters;

/** The queue's order between classes; exchanges are mocks, as the queue only tells them how they left. */
class RouteQueueTest {

    private final AtomicLong now = new AtomicLong();

    private RouteQueue queue(int maxWaiting) {
        QueueConfig config = QueueConfig.of(maxWaiting, Duration.ofSeconds(10)).withClasses(
                List.of("critical", "default", "bulk"), "default", null, Duration.ZERO);
        return new RouteQueue(config, now::get, RouteMeters.NONE,
                new Admission(LimitsConfig.DEFAULT, List.of(new Admission.Slot())));
    }

    @Test
    void anArrivalKnowsWhetherAHigherClassWaits() {
        RouteQueue queue = queue(10);
        assertThat(queue.higherWaiting(2)).isFalse();

        queue.offer(mock(ProxyExchange.class), 1);

        assertThat(queue.higherWaiting(2)).as("bulk waits behind a default request").isTrue();
        assertThat(queue.higherWaiting(1)).isFalse();
        assertThat(queue.higherWaiting(0)).isFalse();
        assertThat(queue.poll()).isNotNull();
        assertThat(queue.higherWaiting(2)).isFalse();
    }

    @Test
    void aWokenWaiterThatFindsTheQueueFullShedsALowerClass() {
        RouteQueue queue = queue(2);
        ProxyExchange critical = mock(ProxyExchange.class);
        ProxyExchange bulk = mock(ProxyExchange.class);
        ProxyExchange other = mock(ProxyExchange.class);
        queue.offer(critical, 0);
        RouteQueue.Waiter woken = queue.poll();
        assertThat(woken).isNotNull();
        // While the critical request tried for a place, the queue filled with lower classes.
        queue.offer(other, 1);
        queue.offer(bulk, 2);

        assertThat(queue.requeue(woken)).isTrue();

        verify(bulk).queueShed(anyLong(), eq("critical"));
        verify(other, never()).queueShed(anyLong(), eq("critical"));
        assertThat(queue.depth()).isEqualTo(2);
        assertThat(queue.poll()).isSameAs(woken);
    }
}
