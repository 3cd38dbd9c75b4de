package io.ringloop.io;

import java.util.concurrent.CompletableFuture;

/**
 * The future of one operation: cancelling it cancels the kernel operation ({@code IORING_OP_ASYNC_CANCEL}). The
 * operation keeps its buffer reachable until the kernel's last completion for it, so a cancelled read never writes
 * into memory that was freed.
 */
final class IoFuture<T> extends CompletableFuture<T> {
    private final ChannelOp op;

    IoFuture(ChannelOp op) {
        this.op = op;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            op.channel.cancel(op);
        }
        return cancelled;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
