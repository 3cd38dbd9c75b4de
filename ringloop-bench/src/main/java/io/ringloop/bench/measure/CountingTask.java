package io.ringloop.bench.measure;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A task that counts its runs, after doing a fixed amount of work.
 *
 * <p>With no work the loop drains faster than one producer can fill it, falls idle between batches, and the
 * "busy loop" benchmark would really measure wakes of an idle loop. About a thousand cycles of dependent arithmetic
 * make each task slower than an {@code execute()}, so a producer that is throttled at a backlog keeps the loop busy.
 */
public final class CountingTask implements Runnable {
    /**
     * Steps of work that make a task cost a few hundred ns on current x86 (a dependent multiply-add chain, about four
     * cycles a step): several times an {@code execute()}, even the slowest peer's.
     */
    public static final int BUSY_STEPS = 256;

    private static final VarHandle RUNS;

    static {
        try {
            RUNS = MethodHandles.lookup().findVarHandle(CountingTask.class, "runs", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int steps;
    private long runs;
    private long state = 1;

    /**
     * A task with the given work.
     *
     * @param steps linear-congruential steps per run; 0 for a task that only counts
     */
    public CountingTask(int steps) {
        this.steps = steps;
    }

    @Override
    public void run() {
        long x = state;
        for (int i = 0; i < steps; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        // kept in a field so the JIT cannot drop the work
        state = x;
        RUNS.setRelease(this, runs + 1);
    }

    /**
     * How many times the loop ran the task.
     *
     * @return the count
     */
    public long runs() {
        return (long) RUNS.getAcquire(this);
    }
}
