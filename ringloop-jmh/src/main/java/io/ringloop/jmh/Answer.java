package io.ringloop.jmh;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The task of every roundtrip: it bumps a counter that the producer spins on (as in the showdown). Spinning on a
 * counter adds only a cache-line transfer to the figure; answering by unpark or another eventfd would add a second
 * wake of a second sleeping thread, the very thing measured. Only the loop thread writes it.
 */
final class Answer implements Runnable {
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

    long count() {
        return (long) COUNT.getAcquire(this);
    }
}
