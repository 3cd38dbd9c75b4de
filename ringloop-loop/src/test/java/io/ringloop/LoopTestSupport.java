package io.ringloop;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.fail;

/** Bounded waits with clear failure messages: no sleeps as synchronisation. */
final class LoopTestSupport {
    private LoopTestSupport() {
    }

    static void await(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + limit + " waiting for: " + what);
            }
            Thread.onSpinWait();
        }
    }

    /** Waits until the loop has armed its wake word and entered its sleep (or is about to). */
    static void awaitArmed(EventLoop loop, WakeWord word, Duration limit) {
        await("loop " + loop + " to arm for sleep", limit, () -> (word.get() & WakeWord.ARMED) != 0);
    }

    static WakeWord wordOf(EventLoop loop) {
        return loop.word;
    }

    static LoopAgent agentOf(EventLoop loop) {
        return loop.agent;
    }

    static LoopCounters countersOf(EventLoop loop) {
        return loop.counters;
    }

    static DoorbellDriver doorbellOf(EventLoop loop) {
        return loop.doorbell;
    }

    static LoopOptions.Builder quiet(Doorbell doorbell) {
        return LoopOptions.builder().doorbell(doorbell).maxParkNanos(Duration.ofSeconds(30).toNanos())
                .threadName("test-" + doorbell);
    }
}
