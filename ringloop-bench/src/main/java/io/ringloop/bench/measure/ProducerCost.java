package io.ringloop.bench.measure;

import io.ringloop.bench.loop.LoopUnderTest;
import io.ringloop.binding.Syscalls;

import java.io.IOException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * What {@code execute()} costs the producer while the loop is busy, and how many syscalls it makes there.
 *
 * <p>Two separate phases: a timed one (no tracer attached) and a counted one under strace, because a traced thread's
 * syscalls are many times slower and would distort the timing.
 */
public final class ProducerCost {
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int UNTRACED_WARMUP_EXECUTES = 50_000;

    private ProducerCost() {
    }

    /**
     * The timed phase's outcome.
     *
     * @param executes how many {@code execute()} calls were timed
     * @param wakeupsRung the loop's own count of wake syscalls over the phase, or -1 if the loop does not count
     */
    public record Timed(long executes, long wakeupsRung) {
    }

    /**
     * The counted phase's outcome.
     *
     * @param executes how many {@code execute()} calls the traced producer made
     * @param syscalls its syscalls by name, empty when it could not be traced
     * @param error why it could not be traced, or null
     */
    public record Counted(long executes, Map<String, Long> syscalls, String error) {
        /**
         * All syscalls the producer made.
         *
         * @return the sum
         */
        public long total() {
            return syscalls.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Times batches of {@code execute()} on the calling thread.
     *
     * @param loop the loop
     * @param budgetNanos how long
     * @param into receives ns per execute, one value per batch
     * @return how many executes, and the loop's own wake count if it keeps one
     */
    public static Timed timed(LoopUnderTest loop, long budgetNanos, Tally into) {
        Backlog backlog = new Backlog(new CountingTask(CountingTask.BUSY_STEPS));
        OptionalLong before = loop.wakeupsRung();
        long end = System.nanoTime() + budgetNanos;
        long made = new Pump(loop, backlog).run(() -> System.nanoTime() - end < 0, into);
        backlog.drain(DRAIN_TIMEOUT_NANOS);
        OptionalLong after = loop.wakeupsRung();
        long rung = before.isPresent() && after.isPresent() ? after.getAsLong() - before.getAsLong() : -1;
        return new Timed(made, rung);
    }

    /**
     * Runs the same workload on a fresh producer thread while strace counts that thread's syscalls.
     *
     * @param loop the loop
     * @param executes how many executes to trace
     * @return the counts, or the reason there are none
     */
    public static Counted counted(LoopUnderTest loop, long executes) {
        if (!SyscallCount.available()) {
            return new Counted(0, Map.of(), "strace is not installed");
        }
        Backlog backlog = new Backlog(new CountingTask(CountingTask.BUSY_STEPS));
        TracedProducer producer = new TracedProducer(new Pump(loop, backlog), executes);
        Thread thread = Thread.ofPlatform().name("showdown-traced-producer").start(producer);
        try {
            int tid = producer.awaitReady();
            try (SyscallCount strace = SyscallCount.attach(tid)) {
                producer.go();
                producer.awaitFinished();
                Map<String, Long> calls = strace.finish();
                return new Counted(producer.made(), calls, null);
            } catch (IOException e) {
                return new Counted(0, Map.of(), e.getMessage());
            }
        } finally {
            producer.release();
            join(thread);
            backlog.drain(DRAIN_TIMEOUT_NANOS);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The traced thread. Every wait in it is a spin on a volatile: anything that blocks would show up as a futex call
     * in the count.
     */
    private static final class TracedProducer implements Runnable {
        private final Pump pump;
        private final long executes;
        private volatile int tid;
        private volatile boolean go;
        private volatile boolean finished;
        private volatile boolean released;
        private volatile long made;

        TracedProducer(Pump pump, long executes) {
            this.pump = pump;
            this.executes = executes;
        }

        @Override
        public void run() {
            Pinning.pinProducer();
            // before tracing: compile the pump and load every class it touches, so no class loading is counted
            long[] warm = {0};
            pump.run(() -> warm[0]++ < UNTRACED_WARMUP_EXECUTES / Pump.BATCH, null);
            tid = Syscalls.gettid();
            while (!go && !released) {
                Thread.onSpinWait();
            }
            if (!released) {
                long[] batches = {0};
                long target = executes / Pump.BATCH;
                made = pump.run(() -> batches[0]++ < target, null);
            }
            finished = true;
            while (!released) {
                Thread.onSpinWait();
            }
        }

        int awaitReady() {
            long start = System.nanoTime();
            while (tid == 0) {
                if (System.nanoTime() - start > DRAIN_TIMEOUT_NANOS) {
                    throw new LostWakeException("the traced producer did not start within 10 s");
                }
                Thread.onSpinWait();
            }
            return tid;
        }

        void go() {
            go = true;
        }

        void awaitFinished() {
            while (!finished) {
                Thread.onSpinWait();
            }
        }

        long made() {
            return made;
        }

        void release() {
            released = true;
        }
    }
}
