package io.ringloop.jmh;

import io.ringloop.bench.loop.LoopUnderTest;
import io.ringloop.bench.measure.Answer;
import io.ringloop.bench.measure.ThreadState;
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

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * roundtrip_parked: the producer (the benchmark thread) hands a task to a loop that is asleep in the kernel and spins
 * until the loop has run it; the time of that is the sample (from just before {@code execute} to the answer seen).
 *
 * <p>What "asleep" means, checked before every sample in an invocation-level setup (excluded from the timing): the
 * loop thread's scheduler state in {@code /proc/self/task/<tid>/stat} is 'S', and for ringloop also
 * {@code LoopStats.parks} has grown since the previous sample, i.e. the loop armed, re-checked and entered
 * {@code io_uring_enter(GETEVENTS)} after running the previous task. So every sample pays a full wake: the
 * producer's publish, its wake syscall (eventfd write or futex wake), the kernel waking the loop thread, the loop's
 * drain, and the cache-line transfer of the answer. Netty's loop is checked for 'S' only (it counts no sleeps).
 *
 * <p>ringloop runs with its default options: on a machine with 2 CPUs or fewer that means no spin before sleeping;
 * with more the loop spins 50 µs first, and the wait for 'S' makes sure the sample still starts after the spin.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = Jvm.NATIVE_ACCESS)
@Warmup(iterations = Jvm.WARMUP_ITERATIONS, time = 1)
@Measurement(iterations = Jvm.MEASUREMENT_ITERATIONS, time = 1)
public class RoundtripBenchmark {
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Which loop: ringloop, ringloop:&lt;DOORBELL&gt;, netty-io_uring, netty-epoll. */
    @Param({"ringloop", "netty-io_uring"})
    public String system;

    private LoopUnderTest loop;
    private ThreadState loopState;
    private final Answer answer = new Answer();
    /** The loop's park count when the last sample started; -1 lets the first sample start at any count. */
    private long parksSeen = -1;

    /** Opens the loop and makes one unmeasured roundtrip. */
    @Setup(Level.Trial)
    public void open() {
        loop = Systems.open(system);
        loopState = new ThreadState(loop.loopTid());
        roundtrip_parked();
    }

    /** Waits until the loop sleeps in the kernel (not timed). */
    @Setup(Level.Invocation)
    public void awaitParked() {
        long start = System.nanoTime();
        OptionalLong parks = loop.parks();
        if (parks.isPresent()) {
            while (parks.getAsLong() <= parksSeen) {
                check(start, "did not park");
                Thread.onSpinWait();
                parks = loop.parks();
            }
            parksSeen = parks.getAsLong();
        }
        if (!loopState.awaitSleeping(TIMEOUT_NANOS - (System.nanoTime() - start))) {
            throw timedOut("did not fall asleep");
        }
    }

    private void check(long start, String what) {
        if (System.nanoTime() - start > TIMEOUT_NANOS) {
            throw timedOut(what);
        }
    }

    private IllegalStateException timedOut(String what) {
        return new IllegalStateException(system + ": the loop " + what + " within 10 s of its last task");
    }

    /**
     * One roundtrip through a parked loop.
     *
     * @return the answer count, so that nothing is dead code
     */
    @Benchmark
    public long roundtrip_parked() {
        long target = answer.count() + 1;
        loop.execute(answer);
        int spins = 0;
        long start = 0;
        while (answer.count() < target) {
            Thread.onSpinWait();
            if ((++spins & 0xFFFF) == 0) {
                // rarely: the clock is not part of the figure unless the answer is already very late
                if (start == 0) {
                    start = System.nanoTime();
                } else if (System.nanoTime() - start > TIMEOUT_NANOS) {
                    throw new IllegalStateException(system + ": a task handed to a parked loop did not run within 10 s"
                            + " (lost wake?)");
                }
            }
        }
        return target;
    }

    /** Closes the loop. */
    @TearDown(Level.Trial)
    public void close() {
        loopState.close();
        loop.close();
    }
}
