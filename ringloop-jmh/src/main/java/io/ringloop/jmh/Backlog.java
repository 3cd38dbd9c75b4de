package io.ringloop.jmh;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tasks handed to a loop and not yet run, kept bounded (as the showdown's pump does): without a bound an unbounded
 * queue grows by millions of nodes and the figures turn into a garbage-collector benchmark. The throttle waits,
 * spinning and without syscalls, until the backlog is half drained, so the loop has work all the while.
 */
final class Backlog {
    /** Producers stop when this many tasks wait and go on when half of them ran. */
    static final long MAX = 1 << 16;
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    final CountingTask task;
    private final AtomicLong submitted = new AtomicLong();

    Backlog(CountingTask task) {
        this.task = task;
    }

    void submitted(int n) {
        submitted.getAndAdd(n);
    }

    void throttle() {
        if (submitted.get() - task.runs() > MAX) {
            while (submitted.get() - task.runs() > MAX / 2) {
                Thread.onSpinWait();
            }
        }
    }

    /** Waits (spinning) until the loop ran everything submitted, so that the next iteration starts empty. */
    void drain() {
        long start = System.nanoTime();
        while (task.runs() < submitted.get()) {
            if (System.nanoTime() - start > DRAIN_TIMEOUT_NANOS) {
                throw new IllegalStateException("the loop did not drain its backlog within 10 s ("
                        + (submitted.get() - task.runs()) + " tasks left): lost wake?");
            }
            Thread.onSpinWait();
        }
    }
}
