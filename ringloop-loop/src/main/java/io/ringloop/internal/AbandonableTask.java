package io.ringloop.internal;

import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * A task that has made a promise it must keep even if it never runs: a future it completes, a handler it calls, an fd
 * it closes.
 *
 * <p>Every task a loop accepts runs, with one exception. A loop that fails again while it closes after a first fatal
 * error gives up: it cancels its I/O and never runs the tasks still queued. A plain task is then reported to the
 * loop's {@code TaskErrorHandler} as rejected, which is all that can be done for code the loop knows nothing about.
 * A task of this type is told instead, through {@link #abandoned}, so that it can fail its future, end its handler or
 * release its fd, and nobody waits for ever on a task that will never run.
 *
 * <p>{@link #abandoned} runs on the loop thread, after the loop has marked itself terminated (no new task is accepted)
 * and after its I/O was cancelled and completed; at most once per acceptance, and never for a task that ran.
 */
public interface AbandonableTask extends Runnable {
    /**
     * The loop gave up before this task ran, and it never will. Must not throw; what it throws is reported and
     * otherwise ignored.
     *
     * @param why a rejection whose cause is the loop's failure
     */
    void abandoned(RejectedExecutionException why);

    /**
     * A task from two lambdas.
     *
     * @param task what runs
     * @param ifAbandoned what keeps the task's promise if it never runs
     * @return the task
     */
    static AbandonableTask of(Runnable task, Consumer<? super RejectedExecutionException> ifAbandoned) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(ifAbandoned, "ifAbandoned");
        return new AbandonableTask() {
            @Override
            public void run() {
                task.run();
            }

            @Override
            public void abandoned(RejectedExecutionException why) {
                ifAbandoned.accept(why);
            }
        };
    }
}
