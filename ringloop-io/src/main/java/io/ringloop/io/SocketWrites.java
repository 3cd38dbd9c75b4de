package io.ringloop.io;

import io.ringloop.binding.KernelFeature;
import io.ringloop.internal.LoopInternals;

import java.util.ArrayDeque;

/**
 * A socket's writes in the order they were called: one in the kernel at a time (a write, a {@link WriteBatch} of
 * queued ones, or the shutdown of the sending side), the rest queued behind it.
 *
 * <pre>
 *   called --nothing in flight--> in flight --its end--> the queue's head goes: a batch of the run of writes that
 *      |                             ^                   may share a send, else the head alone
 *      +--something in flight--> queued
 * </pre>
 *
 * <p>A {@code writeAll} that stops part-way (failed, timed out, cancelled after some of its bytes left) breaks the
 * stream: whatever came next would follow a truncated message, so every later write fails unsent, naming that first
 * error as its cause, and nothing is batched any more. The shutdown still goes: it sends no bytes.
 *
 * <p>Loop thread only.
 */
final class SocketWrites {
    private final AsyncSocket socket;
    /** What the kernel has: a write, a batch, or the shutdown; null when nothing. */
    private ChannelOp writing;
    private final ArrayDeque<Op> queue = new ArrayDeque<>();
    /** Two, used in turn: the one whose CQE is being answered is still the loop's until that answer returns. */
    private WriteBatch batchA;
    private WriteBatch batchB;
    /** Whether queued writes may leave together: 0 not asked yet, 1 yes, -1 no (no SENDMSG, or masked). */
    private int coalesce;
    /** Why bytes can no longer be written in order (see the class comment), or null. */
    private RingIoException broken;
    private String brokenAt;

    SocketWrites(AsyncSocket socket) {
        this.socket = socket;
    }

    /** Writes, and the shutdown of the sending side, which follows the writes called before it. */
    static boolean inWriteOrder(Op.Kind kind) {
        return kind == Op.Kind.SEND || kind == Op.Kind.SEND_ALL || kind == Op.Kind.SHUTDOWN;
    }

    /**
     * On its way to the kernel: true if the request waits (queued) or has ended (failed unsent); false if it goes now.
     */
    boolean holdBack(ChannelOp op) {
        if (op instanceof WriteBatch b) {
            // Taken from the queue's head when nothing was in flight and the stream was whole (next).
            writing = b;
            return false;
        }
        if (op instanceof Op o && inWriteOrder(o.kind)) {
            if (broken != null && o.kind != Op.Kind.SHUTDOWN) {
                RingIoException e = new RingIoException(o.operation(), socket.description, broken.errno(),
                        "not sent: an earlier writeAll stopped after " + brokenAt + " bytes, and these would "
                                + "have followed its truncated message");
                e.initCause(broken);
                o.abort(e);
                return true;
            }
            if (writing != null) {
                queue.add(o);
                return true;
            }
            writing = o;
        }
        return false;
    }

    /** A cancel took a queued request out: true if it was queued. */
    boolean withdraw(ChannelOp op) {
        return queue.remove(op);
    }

    /** A request ended: if it was the one in flight, the queue's head goes next. */
    void finished(ChannelOp op) {
        if (op != writing) {
            return;
        }
        writing = null;
        // A write that fails at once (the stream is broken, the socket closing) takes the next one's turn.
        while (writing == null && !queue.isEmpty()) {
            // Not once the stream is broken: each write then goes alone, and holdBack fails it unsent.
            WriteBatch b = broken == null && coalesces() ? spareBatch(op) : null;
            socket.submit(b != null && b.takeFrom(queue) ? b : queue.poll());
        }
    }

    private boolean coalesces() {
        if (coalesce == 0) {
            coalesce = LoopInternals.supports(socket.loop, KernelFeature.SENDMSG) ? 1 : -1;
        }
        return coalesce > 0;
    }

    /** A batch other than the one that just finished (whose answer is still running). */
    private WriteBatch spareBatch(ChannelOp finished) {
        if (finished != batchA) {
            if (batchA == null) {
                batchA = new WriteBatch(socket, this);
            }
            return batchA;
        }
        if (batchB == null) {
            batchB = new WriteBatch(socket, this);
        }
        return batchB;
    }

    /** A write of a batch that got nothing sent (or a writeAll's rest) goes back to the head of the queue. */
    void requeue(Op o) {
        queue.addFirst(o);
    }

    /** Whether a write is inside the batch the kernel has now. */
    boolean batchInFlightHolds(Op op) {
        return writing instanceof WriteBatch b && b.holds(op);
    }

    /** A cancelled write inside the batch in flight cancels the batch: true if it was there. */
    boolean cancelWithin(Op op) {
        if (writing instanceof WriteBatch b && b.holds(op)) {
            b.cancelOne();
            return true;
        }
        return false;
    }

    /** A writeAll stopped part-way: the stream is broken from here on. */
    void stoppedPartWay(RingIoException error, long sent, long length) {
        if (broken == null) {
            broken = error;
            brokenAt = sent + " of " + length;
        }
    }

    /** Closing: the queued requests end unsent. */
    void abortQueued() {
        Op o;
        while ((o = queue.poll()) != null) {
            o.abort(new IoClosedException(o.operation(), socket.description, "the channel was closed"));
        }
    }
}
