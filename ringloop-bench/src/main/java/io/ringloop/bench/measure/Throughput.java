package io.ringloop.bench.measure;

import io.ringloop.bench.loop.LoopUnderTest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Tasks per second a loop runs while one or more producers feed it as fast as the backlog limit allows. */
public final class Throughput {
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private Throughput() {
    }

    /**
     * Tasks run within a measured window.
     *
     * @param tasks how many the loop ran
     * @param nanos the window
     * @param wakeSyscalls wake syscalls the producers made within the window, or -1 if the loop does not count them
     */
    public record Rate(long tasks, long nanos, long wakeSyscalls) {
        /** @return tasks per second */
        public double perSecond() {
            return tasks * 1e9 / nanos;
        }
    }

    /**
     * Runs producers for a ramp-up plus the window and counts what the loop ran within the window.
     *
     * @param loop the loop
     * @param producers how many producer threads
     * @param windowNanos the measured window
     * @return the count and the exact window
     */
    public static Rate run(LoopUnderTest loop, int producers, long windowNanos) {
        Backlog backlog = new Backlog(new CountingTask(0));
        AtomicLong phase = new AtomicLong(); // 0 = wait, 1 = produce, 2 = stop
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < producers; i++) {
            Pump pump = new Pump(loop, backlog);
            threads.add(Thread.ofPlatform().name("showdown-producer-" + i).start(() -> {
                Pinning.pinProducer();
                while (phase.get() == 0) {
                    Thread.onSpinWait();
                }
                pump.run(() -> phase.get() == 1, null);
            }));
        }
        phase.set(1);
        try {
            // a tenth of the window to let producers and the loop reach their steady state
            sleepNanos(windowNanos / 10);
            long w0 = loop.wakeupsRung().orElse(-1);
            long r0 = backlog.task().runs();
            long t0 = System.nanoTime();
            sleepNanos(windowNanos);
            long r1 = backlog.task().runs();
            long t1 = System.nanoTime();
            long w1 = loop.wakeupsRung().orElse(-1);
            return new Rate(r1 - r0, t1 - t0, w0 < 0 || w1 < 0 ? -1 : w1 - w0);
        } finally {
            phase.set(2);
            for (Thread t : threads) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            backlog.drain(DRAIN_TIMEOUT_NANOS);
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
