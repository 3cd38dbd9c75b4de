package io.ringloop.io.blocking;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of the hand-off between blocking callers and the loops, for this JVM: how many blocking calls needed no
 * loop at all, how many waited for a completion, how many found it already there, how many were interrupted. Read two
 * snapshots and subtract.
 *
 * <p>A call that can finish at once finishes {@linkplain #inline() inline}: a socket read of bytes the socket's
 * receive has already delivered (a copy, no system call), a send that fits in the socket's buffer, a file read the
 * page cache holds (one non-blocking system call) run on the caller's thread, with no task for the loop, no doorbell
 * and no unpark.
 *
 * <p>A call that {@linkplain #parked() parked} costs one unpark when it can go on: the loop thread makes the waiting
 * virtual thread runnable again on the scheduler (a platform thread is woken by the kernel). A socket read parks
 * until its receive's next arrival and hands the loop nothing; a write or file call that would wait hands its
 * operation to the loop with one task, so at most one doorbell ring ({@link io.ringloop.LoopStats#wakeupsRung()},
 * the loop's own counter) per such call, fewer when the loop is already awake. A call that found its operation
 * already complete when it came to wait costs none.
 *
 * @param calls blocking calls: those that waited (for an operation on the loop, or for a socket's next arrival)
 *     and those that finished inline
 * @param parked those that had to wait: the operation was not complete, or no bytes had arrived, when the caller came
 *     to wait
 * @param interrupted those ended by an interrupt (the operation cancelled, the channel closed)
 * @param inline those that finished on the caller's thread without the loop
 */
public record HandOffStats(long calls, long parked, long interrupted, long inline) {
    private static final LongAdder CALLS = new LongAdder();
    private static final LongAdder PARKED = new LongAdder();
    private static final LongAdder INTERRUPTED = new LongAdder();
    private static final LongAdder INLINE = new LongAdder();

    /**
     * The counts so far.
     *
     * @return a snapshot (each count read separately: a snapshot taken while calls run is approximate)
     */
    public static HandOffStats snapshot() {
        return new HandOffStats(CALLS.sum(), PARKED.sum(), INTERRUPTED.sum(), INLINE.sum());
    }

    /**
     * The counts between an earlier snapshot and this one.
     *
     * @param earlier a snapshot taken before this one
     * @return this minus earlier
     */
    public HandOffStats minus(HandOffStats earlier) {
        return new HandOffStats(calls - earlier.calls, parked - earlier.parked, interrupted - earlier.interrupted,
                inline - earlier.inline);
    }

    static void call(boolean alreadyDone) {
        CALLS.increment();
        if (!alreadyDone) {
            PARKED.increment();
        }
    }

    static void inlineCall() {
        CALLS.increment();
        INLINE.increment();
    }

    static void countInterrupt() {
        INTERRUPTED.increment();
    }
}
