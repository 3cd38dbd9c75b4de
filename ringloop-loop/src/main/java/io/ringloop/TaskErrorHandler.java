package io.ringloop;

/**
 * Told about tasks that threw. Runs on the loop thread; the loop carries on afterwards.
 */
@FunctionalInterface
public interface TaskErrorHandler {
    /** Prints the failure with the loop thread's name to standard error. */
    TaskErrorHandler PRINT = (task, error) -> {
        System.err.println("ringloop: task " + task + " on " + Thread.currentThread().getName() + " threw:");
        error.printStackTrace();
    };

    /**
     * A task threw.
     *
     * @param task the task
     * @param error what it threw
     */
    void onError(Runnable task, Throwable error);
}
