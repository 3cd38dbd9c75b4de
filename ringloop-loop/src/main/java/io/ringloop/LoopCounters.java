package io.ringloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The loop thread's own counters. One writer (the loop thread) and any number of readers ({@code stats()}):
 * opaque stores and loads are enough, since a reader needs each value whole (no torn longs) but no ordering
 * between them; on x86 an opaque store is a plain store, so counting costs the loop nothing extra.
 */
final class LoopCounters {
    static final int TASKS_RUN = 0;
    static final int DOORBELL_REARMS = 1;
    static final int CQ_OVERFLOWS = 2;
    static final int PARKS = 3;
    static final int SPIN_WAKEUPS = 4;
    static final int TIMERS_FIRED = 5;
    static final int TASKS_FAILED = 6;
    static final int LOOP_SYSCALLS = 7;
    static final int IO_SUBMITTED = 8;
    static final int IO_COMPLETED = 9;
    static final int IO_DEFERRED = 10;
    static final int ARMS = 11;
    static final int DOORBELL_CQES = 12;
    static final int IDLE_ITERATIONS = 13;
    /** MSG_RING wake CQEs another loop posted into our CQ (Doorbell.MSG_RING, receiving side). */
    static final int LOOP_WAKE_CQES = 14;
    /** MSG_RING wakes we sent that the kernel failed (sending side); each was rung again through the doorbell. */
    static final int MSG_RING_FAILURES = 15;
    private static final int COUNT = 16;

    private static final VarHandle VALUE = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] values = new long[COUNT];

    /**
     * Loop thread only.
     *
     * @param counter which
     * @param delta how much to add
     */
    void add(int counter, long delta) {
        VALUE.setOpaque(values, counter, (long) VALUE.getOpaque(values, counter) + delta);
    }

    void increment(int counter) {
        add(counter, 1);
    }

    long get(int counter) {
        return (long) VALUE.getOpaque(values, counter);
    }
}
