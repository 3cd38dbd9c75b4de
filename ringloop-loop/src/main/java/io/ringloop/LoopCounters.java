package io.ringloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The loop thread's own counters, one slot per {@link LoopCounter}. One writer (the loop thread) and any number of
 * readers ({@code stats()}): opaque stores and loads are enough, since a reader needs each value whole (no torn
 * longs) but no ordering between them; on x86 an opaque store is a plain store, so counting costs the loop nothing
 * extra. The slots of counters that producers write ({@link LoopCounter.Source#PRODUCERS}) stay zero here.
 */
final class LoopCounters {
    private static final VarHandle VALUE = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] values = new long[LoopCounter.count()];

    /**
     * Loop thread only.
     *
     * @param counter which
     * @param delta how much to add
     */
    void add(LoopCounter counter, long delta) {
        int i = counter.ordinal();
        VALUE.setOpaque(values, i, (long) VALUE.getOpaque(values, i) + delta);
    }

    void increment(LoopCounter counter) {
        add(counter, 1);
    }

    long get(LoopCounter counter) {
        return (long) VALUE.getOpaque(values, counter.ordinal());
    }

    /** Every slot, each read whole (opaque), for a snapshot. */
    long[] snapshot() {
        long[] copy = new long[values.length];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = (long) VALUE.getOpaque(values, i);
        }
        return copy;
    }
}
