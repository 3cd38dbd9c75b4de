package io.ringloop.jmh;

import io.ringloop.bench.loop.LoopUnderTest;
import io.ringloop.bench.measure.ThreadState;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * empty_iteration: nanoseconds per loop iteration with nothing pending. <b>The figure is the secondary result
 * {@code empty_iteration:loopIterations}</b> (ns per loop iteration); the primary score is only the length of the
 * benchmark thread's observation window (about 1 ms per invocation) and means nothing.
 *
 * <p>The loop runs on its own thread and nothing is handed to it; the benchmark thread sleeps 1 ms at a time and adds
 * up how many empty iterations the loop counted meanwhile (a JMH "operations" counter, so JMH reports measured time
 * divided by it).
 * <ul>
 *   <li>ringloop: a loop whose spin window is 1 s (the longest the options allow; then it parks at most 1 µs and
 *       spins again); an iteration is one empty look of the spin ({@code LoopStats.idleIterations}: the wake word,
 *       the CQ tail, the SQ flags word; the clock and the rarer checks are amortised over several looks). The time
 *       includes the spin's {@code Thread.yield()} (a sched_yield syscall every 4 µs) and its spin-wait hints.</li>
 *   <li>Netty: Netty has no spin mode and blocks in the kernel when idle, so its IoHandler is wrapped to count its
 *       {@code run} calls and to be told it may not block; an iteration is then one pass of Netty's loop: a
 *       non-blocking {@code IoHandler.run} (no syscall with nothing pending) plus an empty {@code runAllTasks}.</li>
 * </ul>
 *
 * <p>On a shared machine the loop thread is not always on a CPU, and wall time per iteration counts the time it was
 * off. So the fork also prints, at the end of the trial, the loop thread's own CPU time ({@code schedstat}) per empty
 * iteration over the measured iterations and the share of the wall time it was on a CPU.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = Jvm.NATIVE_ACCESS)
@Warmup(iterations = Jvm.WARMUP_ITERATIONS, time = 1)
@Measurement(iterations = Jvm.MEASUREMENT_ITERATIONS, time = 1)
public class EmptyIterationBenchmark {
    private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Which loop: ringloop, ringloop:&lt;DOORBELL&gt;, netty-io_uring, netty-epoll. */
    @Param({"ringloop", "netty-io_uring"})
    public String system;

    LoopUnderTest loop;
    private ThreadState loopThread;
    private long measuredIterations;
    private long measuredCpuNanos;
    private long measuredWallNanos;

    /** Opens a loop that never sleeps while idle. */
    @Setup(Level.Trial)
    public void open() {
        loop = Systems.openSpinning(system);
        if (loop.emptyIterations().isEmpty()) {
            loop.close();
            throw new IllegalStateException(system + " counts no empty iterations");
        }
        loopThread = new ThreadState(loop.loopTid());
    }

    /** Closes the loop and prints the CPU time per empty iteration. */
    @TearDown(Level.Trial)
    public synchronized void close() {
        loopThread.close();
        loop.close();
        if (measuredIterations > 0) {
            System.out.println(String.format(Locale.ROOT, "empty_iteration %s: %.2f ns of loop-thread CPU time per "
                    + "empty iteration (%d iterations); the loop thread was on a CPU %.0f%% of the wall time", system,
                    measuredCpuNanos / (double) measuredIterations, measuredIterations,
                    100.0 * measuredCpuNanos / measuredWallNanos));
        }
    }

    synchronized void measured(long iterations, long cpuNanos, long wallNanos) {
        measuredIterations += iterations;
        measuredCpuNanos += cpuNanos;
        measuredWallNanos += wallNanos;
    }

    /** The loop's empty iterations during this JMH iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Iterations {
        /** Empty loop iterations counted in this JMH iteration. */
        public long loopIterations;
        private long last;
        private long cpuStart;
        private long wallStart;

        /**
         * Starts counting from now.
         *
         * @param b the benchmark
         */
        @Setup(Level.Iteration)
        public void reset(EmptyIterationBenchmark b) {
            loopIterations = 0;
            last = b.loop.emptyIterations().getAsLong();
            cpuStart = b.loopThread.cpuNanos();
            wallStart = System.nanoTime();
        }

        /**
         * Adds a measured iteration's iterations and loop-thread CPU time to the trial's totals.
         *
         * @param b the benchmark
         * @param iteration warm-up or measurement
         */
        @TearDown(Level.Iteration)
        public void total(EmptyIterationBenchmark b, IterationParams iteration) {
            if (iteration.getType() == IterationType.MEASUREMENT) {
                b.measured(loopIterations, b.loopThread.cpuNanos() - cpuStart, System.nanoTime() - wallStart);
            }
        }

        void advance(long now) {
            loopIterations += now - last;
            last = now;
        }
    }

    /**
     * Sleeps through a window while the loop spins, then counts what it did.
     *
     * @param it the counter
     */
    @Benchmark
    public void empty_iteration(Iterations it) {
        LockSupport.parkNanos(WINDOW_NANOS);
        it.advance(loop.emptyIterations().getAsLong());
    }
}
