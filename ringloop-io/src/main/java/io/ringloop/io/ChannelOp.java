package io.ringloop.io;

import io.ringloop.internal.AbandonableTask;
import io.ringloop.internal.IoRequest;

import java.util.concurrent.RejectedExecutionException;

/**
 * A request a channel has handed to its loop and not yet seen finish: the channel links it so that closing can cancel
 * every one, and closes its fd only when the last has finished (the kernel never touches a closed fd's buffers or a
 * reused fd number). Loop thread only, apart from {@link #run()}'s hop.
 */
abstract class ChannelOp implements IoRequest, AbandonableTask {
    final AsyncChannel channel;
    ChannelOp prev;
    ChannelOp next;
    boolean linked;
    /** A future's cancel asked for this request to end: it is not (re-)submitted, and its end reports a cancel. */
    boolean cancelRequested;

    ChannelOp(AsyncChannel channel) {
        this.channel = channel;
    }

    /** Arrived on the loop thread after a hop from another thread. */
    @Override
    public void run() {
        if (!cancelRequested) {
            // Otherwise it was cancelled, and completed, while this hop waited in the loop's queue.
            channel.submit(this);
        }
    }

    /** The loop gave up before the hop arrived: the request fails as closed, as it would if it had arrived. */
    @Override
    public void abandoned(RejectedExecutionException why) {
        if (!cancelRequested) {
            abort(new IoClosedException(operation(), channel.description, "the loop is closed"));
        }
    }

    /** Fails the request before the kernel ever saw it (its channel is closed, or its loop rejected the hop). */
    abstract void abort(RingIoException error);

    /** The operation's name for errors. */
    abstract String operation();
}
