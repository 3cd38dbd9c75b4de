package io.ringloop.jmh;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A task that counts its runs after a fixed amount of work (as in the showdown). With work, each task costs the loop
 * more than an {@code execute()} costs a producer, so a producer held at a backlog keeps the loop busy.
 */
final class CountingTask implements Runnable {
    /** Linear-congruential steps that make a task cost a few hundred ns (about four cycles a step). */
    static final int BUSY_STEPS = 256;

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

    CountingTask(int steps) {
        this.steps = steps;
    }

    @Override
    public void run() {
        long x = state;
        for (int i = 0; i < steps; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        state = x;
        RUNS.setRelease(this, runs + 1);
    }

    long runs() {
        return (long) RUNS.getAcquire(this);
    }
}
