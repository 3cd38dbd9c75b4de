package io.ringloop;

import io.ringloop.internal.AbandonableTask;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * What {@link EventLoop#submit} queues and returns at once: the task and its future in one object. It completes with
 * the callable's result or exception when it runs, or with the rejection if the loop gives up before it runs
 * ({@link AbandonableTask}), so the future never stays pending. A {@link VirtualMachineError} is rethrown after the
 * future has it, so that the loop still closes in order.
 */
final class Submission<T> extends CompletableFuture<T> implements AbandonableTask {
    private final Callable<T> callable;

    Submission(Callable<T> callable) {
        this.callable = callable;
    }

    @Override
    public void run() {
        try {
            complete(callable.call());
        } catch (Throwable e) {
            completeExceptionally(e);
            if (e instanceof VirtualMachineError vme) {
                throw vme;
            }
        }
    }

    @Override
    public void abandoned(RejectedExecutionException why) {
        completeExceptionally(why);
    }
}
