package io.ringloop.bench.measure;

import io.ringloop.bench.loop.LoopUnderTest;

import java.util.function.BooleanSupplier;

/**
 * A producer's inner loop: batches of {@code execute()} calls into a {@link Backlog}, throttled between batches, so
 * waiting is never inside a timed batch.
 */
final class Pump {
    static final int BATCH = 256;

    private final LoopUnderTest loop;
    private final Backlog backlog;

    Pump(LoopUnderTest loop, Backlog backlog) {
        this.loop = loop;
        this.backlog = backlog;
    }

    /**
     * Runs batches while the condition holds.
     *
     * @param keepGoing checked between batches
     * @param perExecute if not null, receives the mean ns per execute of each batch, weighted by the batch size
     * @return executes made
     */
    long run(BooleanSupplier keepGoing, Tally perExecute) {
        CountingTask task = backlog.task();
        long made = 0;
        while (keepGoing.getAsBoolean()) {
            backlog.throttle();
            long t0 = System.nanoTime();
            for (int i = 0; i < BATCH; i++) {
                loop.execute(task);
            }
            long t1 = System.nanoTime();
            if (perExecute != null) {
                perExecute.record((t1 - t0 + BATCH / 2) / BATCH, BATCH);
            }
            backlog.submitted(BATCH);
            made += BATCH;
        }
        return made;
    }
}
