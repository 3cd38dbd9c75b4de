package io.ringloop.bench.measure;

import io.ringloop.bench.loop.LoopUnderTest;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A producer's inner loop: batches of {@code execute()} calls, throttled so the loop's backlog stays bounded.
 *
 * <p>Without the throttle an unbounded queue (Netty's, the JDK's) grows by millions of nodes and the figures become a
 * garbage-collector benchmark. The throttle waits (spinning, no syscalls) until the backlog is half drained, so the loop
 * keeps work all the while. Waiting is never inside a timed batch.
 */
final class Pump {
    static final int BATCH = 256;
    static final long MAX_BACKLOG = 1 << 16;

    private final LoopUnderTest loop;
    private final CountingTask task;
    private final AtomicLong submitted;

    Pump(LoopUnderTest loop, CountingTask task, AtomicLong submitted) {
        this.loop = loop;
        this.task = task;
        this.submitted = submitted;
    }

    /**
     * Runs batches while the condition holds.
     *
     * @param keepGoing checked between batches
     * @param perExecute if not null, receives the mean ns per execute of each batch, weighted by the batch size
     * @return executes made
     */
    long run(BooleanSupplier keepGoing, Tally perExecute) {
        long made = 0;
        while (keepGoing.getAsBoolean()) {
            throttle();
            long t0 = System.nanoTime();
            for (int i = 0; i < BATCH; i++) {
                loop.execute(task);
            }
            long t1 = System.nanoTime();
            if (perExecute != null) {
                perExecute.record((t1 - t0 + BATCH / 2) / BATCH, BATCH);
            }
            submitted.addAndGet(BATCH);
            made += BATCH;
        }
        return made;
    }

    private void throttle() {
        if (submitted.get() - task.runs() > MAX_BACKLOG) {
            while (submitted.get() - task.runs() > MAX_BACKLOG / 2) {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Waits (spinning) until the loop has run everything submitted, so the next measurement starts from an empty queue.
     *
     * @param task the task
     * @param submitted how many were submitted
     * @param timeoutNanos the limit
     */
    static void drain(CountingTask task, AtomicLong submitted, long timeoutNanos) {
        long start = System.nanoTime();
        while (task.runs() < submitted.get()) {
            if (System.nanoTime() - start > timeoutNanos) {
                throw new LostWakeException("the loop did not drain its backlog within "
                        + timeoutNanos / 1_000_000 + " ms (" + (submitted.get() - task.runs()) + " tasks left)");
            }
            Thread.onSpinWait();
        }
    }
}
