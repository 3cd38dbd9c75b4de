package io.ringloop.bench.loop;

import java.util.OptionalLong;

/**
 * One event loop in the showdown, seen the way a producer sees it: a place to hand tasks to.
 *
 * <p>Every adapter runs tasks on exactly one thread, so that {@link #loopTid()} names the thread whose sleep the
 * roundtrip benchmarks watch.
 */
public interface LoopUnderTest extends AutoCloseable {
    /**
     * The system's name in the results: ringloop, netty-io_uring, netty-epoll, netty-nio or jdk-nio.
     *
     * @return the system
     */
    String system();

    /**
     * Which flavour of the system: the doorbell for ringloop, the IoHandler for Netty.
     *
     * @return the variant
     */
    String variant();

    /**
     * Hands a task to the loop from another thread.
     *
     * @param task what the loop thread runs
     */
    void execute(Runnable task);

    /**
     * The kernel id of the loop thread.
     *
     * @return the tid
     */
    int loopTid();

    /**
     * How many wake syscalls the loop's producers made so far, if the loop counts them itself.
     *
     * @return the count, or empty when only an outside observer (strace) can tell
     */
    default OptionalLong wakeupsRung() {
        return OptionalLong.empty();
    }

    /**
     * How many times the loop went to sleep in the kernel so far, if the loop counts it itself.
     *
     * @return the count, or empty when only the thread's scheduler state tells
     */
    default OptionalLong parks() {
        return OptionalLong.empty();
    }

    /**
     * How many empty passes the loop made so far, if it counts them: ringloop counts the empty looks of its spin,
     * Netty's loop counts its passes only when opened to spin ({@link NettyLoop#openSpinning}).
     *
     * @return the count, or empty when the loop does not count its passes
     */
    default OptionalLong emptyIterations() {
        return OptionalLong.empty();
    }

    /**
     * Measures the loop's cost of one pass with nothing pending, if the loop can tell.
     *
     * @param windowNanos how long to observe
     * @return nanoseconds per empty iteration, or why it cannot be measured
     */
    default EmptyIteration emptyIteration(long windowNanos) {
        return EmptyIteration.unmeasurable("the loop blocks in the kernel when idle and exposes no iteration count, "
                + "so an empty pass cannot be observed from outside without changing the loop");
    }

    @Override
    void close();
}
