package io.ringloop;

/**
 * The spin half of a loop's idle strategy: before it arms the wake word and sleeps in the kernel, a loop with a spin
 * window watches for work in user space, where a producer's task or a completion costs it no wake-up at all.
 *
 * <pre>
 *   LOOKS_PER_CLOCK times: look (wake word, CQ tail, SQ flags word), a PAUSE every LOOKS_PER_PAUSE looks;
 *   then the rare checks (local tasks, close) and the clock: the spin's end, a timer due, a yield every few µs
 * </pre>
 * Loop thread only.
 */
final class IdleSpin {
    /** What the spin watches: the loop's sources of work. */
    interface Watch {
        /**
         * One look at what other threads and the kernel write; no call, no clock.
         *
         * @return true if work arrived
         */
        boolean workArrived();

        /**
         * The rare checks, once every {@link #LOOKS_PER_CLOCK} looks.
         *
         * @return true if work arrived
         */
        boolean rareWorkArrived();
    }

    /**
     * The first part of the spin window that busy-waits; after it the loop yields every few microseconds. On a small or
     * shared machine the producer that just woke us is often on our CPU (the scheduler wakes onto the waker's CPU),
     * and a pure busy-wait would hold it off for the whole window: the showdown measured 57 µs instead of 8 µs for a
     * parked round trip with a 50 µs pure spin. Yielding lets it run; with nobody else runnable, yield returns at once.
     */
    private static final long PURE_SPIN_NANOS = 2_000;
    /** After the pure part, how often the spin yields: often enough for a co-located producer, rarely enough that an
     * empty look (wake word, CQ tail, SQ flags) stays syscall-free almost always. */
    private static final long YIELD_INTERVAL_NANOS = 4_000;
    /**
     * Empty looks between two spin-wait hints. {@code Thread.onSpinWait()} is a PAUSE, which takes 65+ cycles on AMD
     * Zen 2 and later and about 140 on Intel since Skylake (27 ns measured on the 2-vCPU EPYC showdown machine, where
     * a look takes about 6 ns): after every look it made the look five times dearer. It follows every 32 looks (about
     * 0.2 µs of looking between two hints, an eighth of the spin spent in PAUSE instead of four fifths).
     */
    private static final int LOOKS_PER_PAUSE = 32;
    /**
     * Empty looks between two clock reads ({@code System.nanoTime()}, about 30 ns through the vDSO) and the rare
     * checks (local tasks, close). 64 looks and 2 pauses take about 0.5 µs here and well under 1 µs with Intel's
     * longer PAUSE, so the spin still ends, yields and meets a timer within about a microsecond of the time set.
     */
    private static final int LOOKS_PER_CLOCK = 64;
    private final LoopCounters counters;

    IdleSpin(LoopCounters counters) {
        this.counters = counters;
    }

    /**
     * Spins until work arrives, the next timer falls due, or the window ends.
     *
     * @param watch what to look at
     * @param now the clock when the loop went idle
     * @param spinNanos the window
     * @param untilTimer nanoseconds from {@code now} to the next timer, or {@code Long.MAX_VALUE}
     * @return -1 if work arrived or the timer fell due (the loop goes back to work); otherwise the nanoseconds left
     *     until the timer when the window ended (the loop parks for at most that long)
     */
    long spin(Watch watch, long now, long spinNanos, long untilTimer) {
        long spinEnd = now + Math.min(spinNanos, untilTimer);
        long timerDue = untilTimer == Long.MAX_VALUE ? Long.MAX_VALUE : now + untilTimer;
        long nextYield = now + PURE_SPIN_NANOS;
        long passes = 0;
        while (true) {
            // LOOKS_PER_CLOCK empty looks, a spin-wait hint after every LOOKS_PER_PAUSE of them: no call, no clock
            for (int i = 0; i < LOOKS_PER_CLOCK; i += LOOKS_PER_PAUSE) {
                for (int j = 0; j < LOOKS_PER_PAUSE; j++) {
                    if (watch.workArrived()) {
                        return foundWork(passes + i + j);
                    }
                }
                Thread.onSpinWait();
            }
            passes += LOOKS_PER_CLOCK;
            if (watch.rareWorkArrived()) {
                return foundWork(passes);
            }
            long t = System.nanoTime();
            if (t - timerDue >= 0) {
                counters.add(LoopCounter.IDLE_ITERATIONS, passes);
                return -1;
            }
            if (t - spinEnd >= 0) {
                counters.add(LoopCounter.IDLE_ITERATIONS, passes);
                return timerDue == Long.MAX_VALUE ? Long.MAX_VALUE : timerDue - t;
            }
            if (t - nextYield >= 0) {
                counters.add(LoopCounter.IDLE_ITERATIONS, passes);
                passes = 0;
                Thread.yield();
                nextYield = t + YIELD_INTERVAL_NANOS;
            }
        }
    }

    private long foundWork(long looks) {
        counters.add(LoopCounter.IDLE_ITERATIONS, looks);
        counters.increment(LoopCounter.SPIN_WAKEUPS);
        return -1;
    }
}
