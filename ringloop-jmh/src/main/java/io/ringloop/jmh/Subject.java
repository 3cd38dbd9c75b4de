package io.ringloop.jmh;

/**
 * One event loop under measurement, seen the way a producer sees it: a place to hand tasks to, plus whatever the loop
 * counts about itself. Every subject runs its tasks on exactly one thread.
 */
public interface Subject extends AutoCloseable {
    /** What a loop does not count: returned by the counters below. */
    long UNKNOWN = -1;

    /**
     * The system as given to the {@code system} parameter, e.g. {@code ringloop} or {@code netty-io_uring}.
     *
     * @return the name
     */
    String name();

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
     * Wake syscalls the loop's producers made so far (ringloop's {@code LoopStats.wakeupsRung}).
     *
     * @return the count, or {@link #UNKNOWN}
     */
    default long wakeupsRung() {
        return UNKNOWN;
    }

    /**
     * Times the loop went to sleep in the kernel so far (ringloop's {@code LoopStats.parks}).
     *
     * @return the count, or {@link #UNKNOWN}
     */
    default long parks() {
        return UNKNOWN;
    }

    /**
     * Empty loop iterations so far; only subjects opened with {@link Systems#openSpinning} count them.
     *
     * @return the count, or {@link #UNKNOWN}
     */
    default long emptyIterations() {
        return UNKNOWN;
    }

    @Override
    void close();
}
