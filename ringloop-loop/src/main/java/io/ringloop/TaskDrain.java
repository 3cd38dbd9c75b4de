package io.ringloop;

import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

/**
 * The tasks of one loop, on the loop thread: the loop's own (queued by tasks it runs, no atomic) and what producers
 * queued, drained in batches; and the two numbers the idle step and the close decide by.
 *
 * <p>{@link #caughtUp()} is the wake word's sequence as of the last drain that found the producers' queue empty: the
 * arm-and-recheck baseline. {@link #tasksPolled} counts every task ever taken from that queue. Each queued task is
 * published exactly once, after it is queued, so when the two differ some producer is between its offer and its
 * publish.
 */
final class TaskDrain {
    private final WakeWord word;
    private final TaskQueue queue;
    private final LoopCounters counters;
    private final FailureReporter failures;
    private final int batch;
    private final ArrayDeque<Runnable> local = new ArrayDeque<>();
    /** See the class comment; written only by {@link #run()}. */
    private long caughtUp;
    /**
     * Tasks taken from the producers' queue, ever. When this exceeds {@code caughtUp} a producer is between its
     * offer and its publish: its task already ran, and terminating now would make its publish report a rejection for
     * a task that ran (found by the model, {@code model/wake.pml}, STRICT_FATE).
     */
    private long tasksPolled;

    TaskDrain(WakeWord word, TaskQueue queue, LoopCounters counters, FailureReporter failures, int batch) {
        this.word = word;
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

    /** @return the sequence of the last drain that emptied the producers' queue */
    long caughtUp() {
        return caughtUp;
    }

    /** @return whether every task taken from the queue has also been published (no producer is mid-execute) */
    boolean allPublished() {
        return tasksPolled == caughtUp;
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
        // Acquire: every task counted in s was enqueued before its publish, so the drain below finds it.
        long s = WakeWord.sequence(word.get());
        if (s != caughtUp) {
            int polled = 0;
            boolean emptied = false;
            try {
                while (polled < batch) {
                    t = queue.poll();
                    if (t == null) {
                        emptied = true;
                        break;
                    }
                    // Counted before it runs: a task that kills the loop (a VirtualMachineError) was still taken, and
                    // the close that follows must find tasksPolled equal to the publishes it saw, or it would wait
                    // forever for a producer that does not exist.
                    polled++;
                    tasksPolled++;
                    n++;
                    runTask(t);
                }
            } finally {
                if (polled > 0) {
                    queue.afterPolls();
                }
            }
            if (emptied) {
                caughtUp = s;
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

    /** The loop gave up: every task still waiting is reported to the error handler as rejected. Never throws. */
    void rejectAll(Throwable cause) {
        Runnable t;
        while ((t = local.poll()) != null || (t = queue.poll()) != null) {
            try {
                failures.tell(t, new RejectedExecutionException("the event loop died", cause));
            } catch (Throwable ignored) {
                // Nothing more can be done for it.
            }
        }
    }
}
