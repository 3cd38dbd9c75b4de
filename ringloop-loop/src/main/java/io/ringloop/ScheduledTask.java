package io.ringloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A task scheduled on a loop: the handle {@link EventLoop#schedule} returns.
 *
 * <p>{@link #cancel} works from any thread and returns true only if the task will never run: the loop and the
 * canceller race on one CAS from PENDING, to RUNNING or to CANCELLED. The future completes when the task has run.
 */
final class ScheduledTask extends CompletableFuture<Void> implements ScheduledFuture<Void> {
    private static final int PENDING = 0;
    private static final int RUNNING = 1;
    private static final int CANCELLED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ScheduledTask.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Runnable task;
    final long deadlineNanos;
    final long sequence;
    private volatile int state;

    /**
     * The {@code System.nanoTime()} deadline of a delay from now; a delay beyond about 73 years is capped so that
     * deadlines never overflow when compared.
     */
    static long deadline(long delayNanos) {
        return System.nanoTime() + Math.min(delayNanos, Long.MAX_VALUE / 4);
    }

    ScheduledTask(Runnable task, long deadlineNanos, long sequence) {
        this.task = task;
        this.deadlineNanos = deadlineNanos;
        this.sequence = sequence;
    }

    /** Loop: claims the task for running; false if it was cancelled. */
    boolean start() {
        return STATE.compareAndSet(this, PENDING, RUNNING);
    }

    boolean isCancelledState() {
        return state == CANCELLED;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
            super.cancel(false);
            return true;
        }
        return false;
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
        if (other instanceof ScheduledTask o) {
            int c = Long.compare(deadlineNanos - o.deadlineNanos, 0);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public String toString() {
        return "ScheduledTask[" + task + ", state=" + state + "]";
    }
}
