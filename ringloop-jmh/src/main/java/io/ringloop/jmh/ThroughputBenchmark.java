package io.ringloop.jmh;

import io.ringloop.bench.loop.LoopUnderTest;
import io.ringloop.bench.measure.Backlog;
import io.ringloop.bench.measure.CountingTask;
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

import java.util.concurrent.TimeUnit;

/**
 * execute_throughput: tasks per microsecond (= millions per second) that 1, 2 or 4 producers get through a loop.
 *
 * <p>Each producer thread of the group hands over batches of 256 counting tasks (no work in the task: the loop's
 * per-task cost is what limits it). Unlike producer_cost_busy, the throttle is <em>inside</em> the timed batch: when
 * more than 65536 tasks wait, the producer spins until half of them ran, so the score is the rate the loop sustains
 * and never exceeds what it ran by more than the bounded backlog. The backlog is drained after every iteration.
 *
 * <p>The showdown's execute_throughput measures the same: the same task, batch and backlog bound, counted on the
 * loop's side instead (the two counts differ by at most the backlog). JMH runs one system per fork, one after
 * another, so a noisy moment of the machine lands on one system; compare ratios over several interleaved
 * invocations, as the showdown interleaves its rounds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = Jvm.NATIVE_ACCESS)
@Warmup(iterations = Jvm.WARMUP_ITERATIONS, time = 1)
@Measurement(iterations = Jvm.MEASUREMENT_ITERATIONS, time = 1)
public class ThroughputBenchmark {
    static final int BATCH = 256;

    /**
     * Which loop: ringloop, ringloop:&lt;DOORBELL&gt;, netty-io_uring, netty-epoll, netty-nio. The defaults are every
     * Netty peer, as in the showdown: its ratio is to the best peer, and here NIO is often the best (see
     * docs/PERFORMANCE.md), so a ratio to netty-io_uring alone is not the showdown's figure.
     */
    @Param({"ringloop", "netty-io_uring", "netty-epoll", "netty-nio"})
    public String system;

    private LoopUnderTest loop;
    private Backlog backlog;

    /** Opens the loop. */
    @Setup(Level.Trial)
    public void open() {
        loop = Systems.open(system);
        backlog = new Backlog(new CountingTask(0));
    }

    /** Lets the loop run everything, so that the next iteration starts from an empty queue. */
    @TearDown(Level.Iteration)
    public void drain() {
        backlog.drain(Jvm.DRAIN_TIMEOUT_NANOS);
    }

    /** Closes the loop. */
    @TearDown(Level.Trial)
    public void close() {
        loop.close();
    }

    private void batch() {
        backlog.throttle();
        LoopUnderTest l = loop;
        CountingTask task = backlog.task();
        for (int i = 0; i < BATCH; i++) {
            l.execute(task);
        }
        backlog.submitted(BATCH);
    }

    /** One producer. */
    @Benchmark
    @Group("execute_throughput_1p")
    @GroupThreads(1)
    @OperationsPerInvocation(BATCH)
    public void producer1() {
        batch();
    }

    /** Two producers. */
    @Benchmark
    @Group("execute_throughput_2p")
    @GroupThreads(2)
    @OperationsPerInvocation(BATCH)
    public void producer2() {
        batch();
    }

    /** Four producers: on 2 vCPUs they outnumber the cores, which is where a queue's contention shows. */
    @Benchmark
    @Group("execute_throughput_4p")
    @GroupThreads(4)
    @OperationsPerInvocation(BATCH)
    public void producer4() {
        batch();
    }
}
