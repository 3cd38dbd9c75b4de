package io.ringloop;

import io.ringloop.binding.KernelFeature;
import io.ringloop.binding.SubmissionQueue;
import io.ringloop.internal.IoRequest;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Bounded waits with clear failure messages: no sleeps as synchronisation. */
final class LoopTestSupport {
    private LoopTestSupport() {
    }

    /**
     * Runs a task that holds the loop thread until the returned latch is counted down (at most a minute, so that a
     * failed test's close cannot hang); returns once the loop runs it. While held, the loop is awake and not armed:
     * producers publish without a bell.
     *
     * @param loop the loop
     * @return the latch that releases the loop
     * @throws InterruptedException if interrupted while waiting for the loop to take the task
     */
    static CountDownLatch holdTheLoop(EventLoop loop) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        loop.execute(() -> {
            blocked.countDown();
            try {
                if (!release.await(1, TimeUnit.MINUTES)) {
                    throw new AssertionError("the test never released the loop");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(blocked.await(10, TimeUnit.SECONDS)).as("the loop ran the holding task").isTrue();
        return release;
    }

    /**
     * An I/O request that is one NOP: it completes with the NOP's result, which is handed to {@code onComplete}.
     *
     * @param onComplete called on the loop thread with the CQE's result
     * @return the request
     */
    static IoRequest nop(IntConsumer onComplete) {
        return new IoRequest() {
            @Override
            public void prepare(SubmissionQueue sq, long userData) {
                sq.nop(userData);
            }

            @Override
            public boolean complete(int res, int flags) {
                onComplete.accept(res);
                return true;
            }
        };
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

    /**
     * Skips the rest of a test whose subject this loop's kernel lacks: it happens only under a kernel profile
     * ({@code ./ringloop test --kernels}), where KernelProfileLoopTest checks what the loop does instead.
     */
    static void assumeKernel(EventLoop loop, KernelFeature feature) {
        assumeTrue(loop.supports(feature), () -> "needs " + feature.describe() + "; kernel profile "
                + loop.options().featureMask().describe());
    }

    /**
     * A loop that sleeps in its ring through this doorbell: the doorbell tests' subject, which an idle loop's sleep on
     * its wake word (LoopOptions.wordSleep) would bypass.
     */
    static LoopOptions.Builder quiet(Doorbell doorbell) {
        return LoopOptions.builder().doorbell(doorbell).maxParkNanos(Duration.ofSeconds(30).toNanos())
                .threadName("test-" + doorbell).wordSleep(false);
    }
}
