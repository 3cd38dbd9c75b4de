package io.ringloop.snippets;

import io.ringloop.Doorbell;
import io.ringloop.EventLoop;
import io.ringloop.LoopGroup;
import io.ringloop.LoopOptions;
import io.ringloop.LoopStats;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples in the {@code io.ringloop} package overview, compiled and run here so that they cannot rot: the
 * Javadoc shows the regions between the {@code @start} and {@code @end} markers.
 */
class LoopSnippets {
    @Test
    void shouldRunTheQuickStart() throws Exception {
        CountDownLatch later = new CountDownLatch(1);
        // @start region="quick-start"
        try (EventLoop loop = EventLoop.open(LoopOptions.builder().doorbell(Doorbell.AUTO).build())) {
            loop.execute(() -> System.out.println("on " + Thread.currentThread().getName()));
            int answer = loop.submit(() -> 42).join();
            loop.schedule(later::countDown, 10, TimeUnit.MILLISECONDS);
            LoopStats stats = loop.stats();   // tasksRun, wakeupsRung, wakeupsElided, parks, ...
            // @end
            assertThat(answer).isEqualTo(42);
            assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(stats).isNotNull();
            // The loop counts a pass's tasks after it has run them, so the snapshot above, taken as soon as the
            // submitted task completed its future, may not show them yet (it did not once in CI). The timer fired
            // in a later pass, and its countDown orders that pass's counting before this read.
            assertThat(loop.stats().tasksRun()).as("tasks run once the timer fired").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void shouldRunTheGroupExample() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        // @start region="group"
        try (LoopGroup group = LoopGroup.builder().loops(2).open()) {
            EventLoop a = group.next();
            EventLoop b = group.next();
            // a hands work to b; if b sleeps, a wakes it with IORING_OP_MSG_RING from its own ring
            a.execute(() -> b.execute(arrived::countDown));
            // @end
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
