package io.ringloop.bench.measure;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Tasks handed to a loop and not yet run, kept bounded: the producers' side of every busy-loop benchmark.
 *
 * <p>Without a bound an unbounded queue (Netty's, the JDK's) grows by millions of nodes and the figures become a
 * garbage-collector benchmark. The throttle waits (spinning, no syscalls) until the backlog is half drained, so the
 * loop keeps work all the while. All producers of one loop share one backlog, and so one task whose runs it counts.
 */
public final class Backlog {
    /** Producers stop when this many tasks wait and go on when half of them ran. */
    public static final long MAX = 1 << 16;

    private final CountingTask task;
    private final AtomicLong submitted = new AtomicLong();

    /**
     * An empty backlog of one task.
     *
     * @param task what the producers hand over, again and again
     */
    public Backlog(CountingTask task) {
        this.task = task;
    }

    /**
     * The task the producers hand over.
     *
     * @return the task, whose runs tell how much of the backlog the loop has worked off
     */
    public CountingTask task() {
        return task;
    }

    /**
     * Adds tasks a producer has just handed over.
     *
     * @param n how many
     */
    public void submitted(int n) {
        submitted.getAndAdd(n);
    }

    /** Holds the calling producer, spinning, while more than {@link #MAX} tasks wait and until half of them ran. */
    public void throttle() {
        if (submitted.get() - task.runs() > MAX) {
            while (submitted.get() - task.runs() > MAX / 2) {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Waits (spinning) until the loop has run everything submitted, so the next measurement starts from an empty
     * queue.
     *
     * @param timeoutNanos the limit
     * @throws LostWakeException if the loop did not get through the backlog in time
     */
    public void drain(long timeoutNanos) {
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
