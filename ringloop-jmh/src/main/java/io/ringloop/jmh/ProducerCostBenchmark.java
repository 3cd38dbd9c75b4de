package io.ringloop.jmh;

import io.ringloop.bench.loop.LoopUnderTest;
import io.ringloop.bench.measure.Backlog;
import io.ringloop.bench.measure.CountingTask;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
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
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * producer_cost_busy: nanoseconds per {@code execute()} on the producer's side while the loop is busy.
 *
 * <p>A group of one producer against a loop kept busy by the producer's own tasks: each task does a few hundred ns
 * of arithmetic ({@link CountingTask#BUSY_STEPS}), more than an {@code execute()} costs, so the loop never runs dry.
 * An invocation is a batch of 256 {@code execute()} calls (timed together, reported per call). Before each batch an
 * invocation-level setup, excluded from the timing, holds the producer while more than 65536 tasks wait and until
 * half of them ran, so the backlog stays bounded and the loop stays busy (as the showdown's pump does).
 *
 * <p>Counters (JMH "events", summed over the measured iterations): {@code executes}, and for ringloop
 * {@code wakeupsRung}, the wake syscalls the producer made ({@code LoopStats.wakeupsRung}); Netty does not count
 * them (-1 per iteration, which JMH prints as ≈ 0). At the end of the trial the fork prints wake syscalls per 10^6
 * executes over the measured iterations. On a busy loop the ideal is 0: the loop is never armed, so no publish needs
 * a bell. Expect about one per iteration anyway: each iteration ends with a drain, after which the loop parks, and
 * the next iteration's first {@code execute()} wakes it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = Jvm.NATIVE_ACCESS)
@Warmup(iterations = Jvm.WARMUP_ITERATIONS, time = 1)
@Measurement(iterations = Jvm.MEASUREMENT_ITERATIONS, time = 1)
public class ProducerCostBenchmark {
    static final int BATCH = 256;

    /** Which loop: ringloop, ringloop:&lt;DOORBELL&gt;, netty-io_uring, netty-epoll. */
    @Param({"ringloop", "netty-io_uring"})
    public String system;

    LoopUnderTest loop;
    Backlog backlog;
    private long measuredExecutes;
    private long measuredWakeups;

    /** Opens the loop. */
    @Setup(Level.Trial)
    public void open() {
        loop = Systems.open(system);
        backlog = new Backlog(new CountingTask(CountingTask.BUSY_STEPS));
    }

    /** Lets the loop run everything, so that the next iteration starts from an empty queue. */
    @TearDown(Level.Iteration)
    public void drain() {
        backlog.drain(Jvm.DRAIN_TIMEOUT_NANOS);
    }

    synchronized void measured(long executes, long wakeups) {
        measuredExecutes += executes;
        measuredWakeups = wakeups < 0 || measuredWakeups < 0 ? -1 : measuredWakeups + wakeups;
    }

    /** Closes the loop and prints wake syscalls per 10^6 executes. */
    @TearDown(Level.Trial)
    public synchronized void close() {
        loop.close();
        System.out.println(measuredWakeups < 0 || measuredExecutes == 0
                ? "producer_cost_busy " + system + ": the loop does not count wake syscalls"
                : String.format(Locale.ROOT, "producer_cost_busy %s: %.3f wake syscalls per 10^6 executes (%d in %d "
                        + "measured executes)", system, measuredWakeups * 1e6 / measuredExecutes, measuredWakeups,
                        measuredExecutes));
    }

    /** The producer's throttle: runs before each batch, outside the timing. */
    @State(Scope.Thread)
    public static class Throttle {
        /**
         * Holds the producer while the backlog is full.
         *
         * @param b the benchmark
         */
        @Setup(Level.Invocation)
        public void throttle(ProducerCostBenchmark b) {
            b.backlog.throttle();
        }
    }

    /** Per-iteration counters of the producer. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Wakes {
        /** {@code execute()} calls made in this iteration. */
        public long executes;
        /**
         * Wake syscalls producers made in this iteration, taken when it ends (before the trial's teardown closes the
         * loop, which may ring once more); -1 if the loop does not count them (JMH prints a negative count as ≈ 0).
         */
        public long wakeupsRung;
        private LoopUnderTest loop;
        private OptionalLong rungBefore;

        /**
         * Resets the counters.
         *
         * @param b the benchmark
         */
        @Setup(Level.Iteration)
        public void reset(ProducerCostBenchmark b) {
            loop = b.loop;
            executes = 0;
            wakeupsRung = 0;
            rungBefore = loop.wakeupsRung();
        }

        /**
         * Takes the wake count and adds a measured iteration's counts to the trial's totals.
         *
         * @param b the benchmark
         * @param iteration warm-up or measurement
         */
        @TearDown(Level.Iteration)
        public void total(ProducerCostBenchmark b, IterationParams iteration) {
            OptionalLong now = loop.wakeupsRung();
            wakeupsRung = now.isPresent() && rungBefore.isPresent() ? now.getAsLong() - rungBefore.getAsLong() : -1;
            if (iteration.getType() == IterationType.MEASUREMENT) {
                b.measured(executes, wakeupsRung);
            }
        }
    }

    /**
     * One batch of {@code execute()} calls into the busy loop.
     *
     * @param throttle holds the producer between batches (not timed)
     * @param wakes the producer's counters
     */
    @Benchmark
    @Group("producer_cost_busy")
    @GroupThreads(1)
    @OperationsPerInvocation(BATCH)
    public void producer(Throttle throttle, Wakes wakes) {
        LoopUnderTest l = loop;
        CountingTask task = backlog.task();
        for (int i = 0; i < BATCH; i++) {
            l.execute(task);
        }
        backlog.submitted(BATCH);
        wakes.executes += BATCH;
    }
}
