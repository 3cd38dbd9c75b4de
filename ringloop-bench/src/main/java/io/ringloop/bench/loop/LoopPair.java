package io.ringloop.bench.loop;

import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Two event loops of one system, for loop-to-loop benchmarks: a task that loop {@link #a()} hands to loop
 * {@link #b()} from its own thread, and the answer {@code b} hands back.
 */
public interface LoopPair extends AutoCloseable {
    /**
     * The system's name in the results: ringloop, netty-io_uring or netty-epoll.
     *
     * @return the system
     */
    String system();

    /**
     * How one loop wakes the other: MSG_RING or a doorbell for ringloop, the IoHandler for Netty.
     *
     * @return the variant
     */
    String variant();

    /**
     * The loop that starts each roundtrip and receives the answer.
     *
     * @return loop A
     */
    Executor a();

    /**
     * The loop that is woken and answers.
     *
     * @return loop B
     */
    Executor b();

    /**
     * The kernel id of loop B's thread, whose sleep the benchmark waits for.
     *
     * @return the tid
     */
    int tidB();

    /**
     * Monotonic counters the loops keep about their own wakes, summed over both loops; empty when they keep none.
     *
     * @return counter name to value
     */
    default Map<String, Long> wakeCounters() {
        return Map.of();
    }

    @Override
    void close();
}
