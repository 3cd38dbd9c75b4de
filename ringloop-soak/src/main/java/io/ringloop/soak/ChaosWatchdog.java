package io.ringloop.soak;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The chaos's stall detector: every operation must end within the bound, and while any is outstanding some must
 * end within the bound. On a stall it records a failure with the loops' stats and the outstanding operations, once.
 */
final class ChaosWatchdog implements AutoCloseable {
    private final ChaosOps ops;
    private final long boundNanos;
    private final Supplier<String> stats;
    private final Thread thread;
    private volatile boolean stop;
    private volatile boolean stalled;

    ChaosWatchdog(ChaosOps ops, long boundNanos, Supplier<String> stats) {
        this.ops = ops;
        this.boundNanos = boundNanos;
        this.stats = stats;
        this.thread = Thread.ofPlatform().name("chaos-watchdog").daemon().start(this::watch);
    }

    private void watch() {
        long lastEnded = ops.ended();
        long lastProgress = System.nanoTime();
        while (!stop && !stalled) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long ended = ops.ended();
            if (ended != lastEnded || ops.outstandingCount() == 0) {
                lastEnded = ended;
                lastProgress = now;
            }
            List<ChaosOps.Pending> old = ops.olderThan(boundNanos);
            if (!old.isEmpty()) {
                stalled = true;
                ops.fail(old.size() + " operation(s) outstanding for more than "
                        + TimeUnit.NANOSECONDS.toSeconds(boundNanos) + " s: " + old.subList(0, Math.min(20,
                        old.size())) + "; loops: " + stats.get());
            } else if (now - lastProgress > boundNanos) {
                stalled = true;
                ops.fail("no operation ended for " + TimeUnit.NANOSECONDS.toSeconds(boundNanos) + " s; outstanding "
                        + ops.outstanding(20) + "; loops: " + stats.get());
            }
        }
    }

    boolean stalled() {
        return stalled;
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}
