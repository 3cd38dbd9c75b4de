package io.ringloop;

import io.ringloop.internal.AbandonableTask;

import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

/**
 * The tasks of one loop, on the loop thread: the loop's own (queued by tasks it runs, no atomic) and what producers
 * queued, drained in batches; and the number the idle step and the close decide by.
 *
 * <p>{@link #caughtUp()} is the slots the loop took from the producers' queue, ever: the arm-and-recheck baseline.
 * Producers claim slots before they store tasks, so "took as many as were claimed" is exactly "nothing left": no
 * task can be taken before it is counted, and terminating when the two agree rejects only tasks claimed after it.
 */
final class TaskDrain {
    private final TaskQueue queue;
    private final LoopCounters counters;
    private final FailureReporter failures;
    private final int batch;
    private final ArrayDeque<Runnable> local = new ArrayDeque<>();

    TaskDrain(TaskQueue queue, LoopCounters counters, FailureReporter failures, int batch) {
        this.queue = queue;
        this.counters = counters;
        this.failures = failures;
        this.batch = batch;
    }

    /** A task the loop thread hands itself: no atomic, no bell. */
    void executeLocal(Runnable task) {
        local.add(task);
    }

    /** @return whether the loop has tasks of its own waiting */
    boolean hasLocal() {
        return !local.isEmpty();
    }

    /** @return the slots taken from the producers' queue: equal to the word's sequence when it is empty */
    long caughtUp() {
        return queue.consumed();
    }

    /**
     * Runs a batch of local tasks, then, if producers published since the last drain, a batch of theirs.
     *
     * @return how many tasks ran
     */
    int run() {
        int n = 0;
        Runnable t;
        // Only the local tasks queued before this pass: one that re-queues itself runs once a pass and cannot starve
        // the other threads' tasks below, which have a batch of their own.
        int locals = Math.min(local.size(), batch);
        while (n < locals && (t = local.poll()) != null) {
            runTask(t);
            n++;
        }
        // No read of the word here: poll reads it only when it has taken every slot it knew to be claimed.
        int polled = 0;
        try {
            while (polled < batch && (t = queue.poll()) != null) {
                // Counted before it runs: the pass's count must include a task that kills the loop.
                polled++;
                n++;
                runTask(t);
            }
        } finally {
            if (polled > 0) {
                queue.afterPolls();
            }
        }
        if (n > 0) {
            counters.add(LoopCounter.TASKS_RUN, n);
        }
        return n;
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (Throwable e) {
            failures.report(task, e);
        }
    }

    /**
     * The loop gave up: every task still waiting is told, if it is an {@link AbandonableTask}, or else reported to the
     * error handler as rejected. Never throws.
     *
     * @param cause why the loop gave up
     * @param claimed the slots claimed before the word was marked terminated (see {@link WakeWord#terminateNow()})
     */
    void rejectAll(Throwable cause, long claimed) {
        Runnable t;
        while ((t = local.poll()) != null || (t = queue.poll(claimed)) != null) {
            RejectedExecutionException why = new RejectedExecutionException("the event loop died", cause);
            try {
                if (t instanceof AbandonableTask a) {
                    a.abandoned(why);
                } else {
                    failures.tell(t, why);
                }
            } catch (Throwable e) {
                try {
                    failures.tell(t, e);
                } catch (Throwable ignored) {
                    // Nothing more can be done for it.
                }
            }
        }
    }
}
