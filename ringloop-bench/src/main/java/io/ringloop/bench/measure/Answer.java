package io.ringloop.bench.measure;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The task of every roundtrip: it bumps a counter that the producer spins on.
 *
 * <p>Spinning on a counter is the one answer mechanism that adds nothing but a cache-line transfer (about 100 ns) to
 * the figure: answering by {@code unpark} or by another eventfd would add a second wake of a second sleeping thread,
 * which is the very thing being measured. The C limit answers the same way. Only the loop thread writes the counter,
 * so a release store of count + 1 is enough.
 */
public final class Answer implements Runnable {
    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(Answer.class, "count", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long count;

    @Override
    public void run() {
        COUNT.setRelease(this, count + 1);
    }

    /**
     * How many times the task has run.
     *
     * @return the count, read with acquire semantics
     */
    public long count() {
        return (long) COUNT.getAcquire(this);
    }
}
