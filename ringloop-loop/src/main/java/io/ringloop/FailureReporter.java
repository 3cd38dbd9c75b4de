package io.ringloop;

/**
 * Where the loop tells what user code threw: a task, a timer, an I/O completion. Counted, then handed to the
 * {@link TaskErrorHandler}; the loop carries on, except after a {@link VirtualMachineError}, which is rethrown so that
 * the loop closes in order (see {@code EventLoop.runToTheEnd}). Loop thread only.
 */
final class FailureReporter {
    private final LoopCounters counters;
    private final TaskErrorHandler errorHandler;

    FailureReporter(LoopCounters counters, TaskErrorHandler errorHandler) {
        this.counters = counters;
        this.errorHandler = errorHandler;
    }

    /**
     * Counts and reports a failure.
     *
     * @param task what ran
     * @param e what it threw
     * @throws VirtualMachineError if that is what it threw
     */
    void report(Runnable task, Throwable e) {
        counters.increment(LoopCounter.TASKS_FAILED);
        if (e instanceof VirtualMachineError vme) {
            throw vme;
        }
        tell(task, e);
    }

    /** Hands a failure to the error handler, never throwing: a handler that throws is reported by printing. */
    void tell(Runnable task, Throwable e) {
        try {
            errorHandler.onError(task, e);
        } catch (Throwable handlerFailure) {
            if (handlerFailure instanceof VirtualMachineError vme) {
                throw vme;
            }
            TaskErrorHandler.PRINT.onError(task, handlerFailure);
        }
    }
}
