package io.ringloop.io;

import io.ringloop.internal.AbandonableTask;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * The future of one operation. It is cancelled only once the kernel can no longer touch the operation's buffer (see
 * {@link AsyncChannel}, "Cancelling"): {@link #cancel} ends at once only an operation the kernel never saw; for one
 * the kernel has, it asks for {@code IORING_OP_ASYNC_CANCEL} and returns false, and the future completes when the
 * kernel answers.
 */
final class IoFuture<T> extends CompletableFuture<T> {
    private final Op op;

    IoFuture(Op op) {
        this.op = op;
    }

    /**
     * Cancels the operation if the kernel never saw it; otherwise asks the kernel to cancel it.
     *
     * @param mayInterruptIfRunning ignored
     * @return true if the future is now cancelled; false if it completed otherwise or will complete later (cancelled
     *     once the kernel has let go of the buffer, or with the result if the operation finished first)
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (isDone()) {
            return isCancelled();
        }
        AsyncChannel channel = op.channel;
        if (channel.loop.inEventLoop()) {
            channel.cancel(op);
            return isCancelled();
        }
        // Where the operation stands is loop-thread state: the loop decides, and this thread cannot wait for it.
        try {
            // Past a full bounded queue too: a cancel refused for lack of room would be silently lost.
            // If the loop gives up before it runs, the operation's own hop or the loop's last cancel ends it.
            channel.loop.executeEvenIfFull(AbandonableTask.of(() -> channel.cancel(op), why -> { }));
        } catch (RejectedExecutionException e) {
            // The loop is closing: it cancels every request itself, and this future completes when the kernel answers.
        }
        return false;
    }

    /** The operation behind this future, for tests in this package. */
    Op op() {
        return op;
    }

    /** The operation ended because it was cancelled, and the kernel no longer has it. */
    void cancelled() {
        super.cancel(false);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
