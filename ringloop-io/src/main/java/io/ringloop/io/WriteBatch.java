package io.ringloop.io;

import io.ringloop.LoopCounter;
import io.ringloop.binding.Errno;
import io.ringloop.binding.Iovec;
import io.ringloop.binding.MsgHdr;
import io.ringloop.binding.SubmissionQueue;
import io.ringloop.binding.Syscalls;
import io.ringloop.internal.LoopInternals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Writes of one socket that queued behind each other, leaving as one {@code sendmsg}: one SQE, one CQE and one pass
 * through the TCP stack for what would have been one of each per write.
 *
 * <p>A socket hands the kernel one write at a time (so that bytes leave in call order); the writes called meanwhile
 * wait in its queue. When the write in flight ends and two or more are waiting, the socket takes the longest run of
 * them from the head of the queue that may share a send: plain {@code write}s and {@code writeAll}s without a time
 * limit, none cancelled, at most {@link #MAX_WRITES}. A write with a time limit goes alone, as before: its limit is
 * its own.
 *
 * <p>The kernel answers with the bytes it took, counted across the writes in order, and each write gets its share:
 * <ul>
 * <li>a write wholly sent completes with its length;</li>
 * <li>the write the count ends in: a {@code write} completes with the part sent (it promises no more); a
 *     {@code writeAll} goes back to the head of the queue and sends its rest alone, unless it was cancelled or its
 *     socket is closing, in which case it fails part-way (and breaks the stream, as a lone one would);</li>
 * <li>the writes after it got nothing: they go back to the head of the queue in order, and leave with the next send
 *     (a cancelled one ends cancelled instead).</li>
 * </ul>
 * An error the kernel reports ends every write of the batch with it; a cancel ({@code ECANCELED}) or an
 * interruption ({@code EINTR}, {@code EAGAIN}) ends the cancelled ones and queues the rest again.
 *
 * <p>Cancelling one write of a batch in flight cancels the whole {@code sendmsg} in the kernel, and the write reports
 * its cancel only when the batch's CQE has arrived: before that the kernel may still be reading its buffer. The
 * others go back to the queue.
 *
 * <p>The order of the end matters: the writes that go back are queued first, then the finished ones complete (so a
 * handler that writes again queues behind them), and only then does the socket take its next write.
 *
 * <p>Loop thread only. One per socket, reused: a socket has at most one write, or batch, in flight.
 */
final class WriteBatch extends ChannelOp {
    /** The most writes one batch carries; far below the kernel's {@code UIO_MAXIOV}. */
    static final int MAX_WRITES = 64;

    private final AsyncSocket socket;
    private final SocketWrites socketWrites;
    private final Op[] writes = new Op[MAX_WRITES];
    private int count;
    /** A {@link MsgHdr} followed by {@link #MAX_WRITES} iovecs, read by the kernel during the submit. */
    private final MemorySegment message;
    /** Where the iovecs start: the msghdr names them by address. */
    private final long iovecs;
    private boolean cancelAsked;

    WriteBatch(AsyncSocket socket, SocketWrites socketWrites) {
        super(socket);
        this.socket = socket;
        this.socketWrites = socketWrites;
        this.message = Arena.ofAuto().allocate(MsgHdr.SIZE + (long) MAX_WRITES * Iovec.SIZE, 8);
        this.iovecs = message.address() + MsgHdr.SIZE;
    }

    /** Whether a write may share a send: no time limit of its own, not cancelled, nothing sent yet. */
    static boolean fits(Op o) {
        return (o.kind == Op.Kind.SEND || o.kind == Op.Kind.SEND_ALL) && o.timeoutNanos == 0 && !o.cancelRequested
                && o.done == 0 && o.length > 0 && !o.zeroCopy;
    }

    /**
     * Takes the longest run of fitting writes from the head of the queue, if it has two or more.
     *
     * @return true if this batch now holds them; false if the queue's head goes alone
     */
    boolean takeFrom(ArrayDeque<Op> queue) {
        count = 0;
        cancelAsked = false;
        for (Op o : queue) {
            if (count == MAX_WRITES || !fits(o)) {
                break;
            }
            writes[count++] = o;
        }
        if (count < 2) {
            clear();
            return false;
        }
        for (int i = 0; i < count; i++) {
            queue.poll();
        }
        LoopInternals.count(socket.loop, LoopCounter.WRITE_BATCHES, 1);
        LoopInternals.count(socket.loop, LoopCounter.WRITES_COALESCED, count);
        return true;
    }

    /** Whether a write is in this batch. */
    boolean holds(Op o) {
        for (int i = 0; i < count; i++) {
            if (writes[i] == o) {
                return true;
            }
        }
        return false;
    }

    /** A write of this batch was cancelled: the batch's send is cancelled in the kernel (once). */
    void cancelOne() {
        if (!cancelAsked) {
            cancelAsked = true;
            LoopInternals.cancelIo(socket.loop, this);
        }
    }

    @Override
    String operation() {
        return "write";
    }

    /** Waits on the peer (a full send buffer), so it holds no CQ slot, like the writes it carries. */
    @Override
    public int cqReservation() {
        return 0;
    }

    @Override
    public void prepare(SubmissionQueue sq, long userData) {
        for (int i = 0; i < count; i++) {
            long iov = MsgHdr.SIZE + (long) i * Iovec.SIZE;
            message.set(JAVA_LONG, iov + Iovec.BASE, writes[i].buffer.address());
            message.set(JAVA_LONG, iov + Iovec.LEN, writes[i].length);
        }
        message.set(JAVA_LONG, MsgHdr.NAME, 0L);
        message.set(JAVA_INT, MsgHdr.NAMELEN, 0);
        message.set(JAVA_LONG, MsgHdr.IOV, iovecs);
        message.set(JAVA_LONG, MsgHdr.IOVLEN, count);
        message.set(JAVA_LONG, MsgHdr.CONTROL, 0L);
        message.set(JAVA_LONG, MsgHdr.CONTROLLEN, 0L);
        message.set(JAVA_INT, MsgHdr.FLAGS, 0);
        sq.sendmsg(socket.fd, message.address(), Syscalls.MSG_NOSIGNAL, userData);
    }

    @Override
    public boolean complete(int res, int flags) {
        if (res >= 0) {
            sent(res);
        } else if (res == -Errno.ECANCELED || res == -Errno.EINTR || res == -Errno.EAGAIN) {
            // Nothing was sent: the cancelled writes end, the others go again (or fail there if the socket closes).
            endNothingSent();
        } else {
            for (int i = 0; i < count; i++) {
                writes[i].finish(res);
            }
        }
        clear();
        socket.finished(this);
        return true;
    }

    /** Shares out the bytes the kernel took, in order. */
    private void sent(long bytes) {
        long left = bytes;
        int first = 0;
        while (first < count && left >= writes[first].length) {
            left -= writes[first].length;
            first++;
        }
        // writes[first], if any, got `left` bytes (maybe 0), and every later one none.
        boolean partAll = first < count && left > 0 && writes[first].kind == Op.Kind.SEND_ALL;
        boolean resumes = partAll && !writes[first].cancelRequested && !socket.isClosing();
        int requeueFrom = left > 0 ? first + 1 : first;
        if (resumes) {
            writes[first].done = left;
            requeueFrom = first;
        }
        requeue(requeueFrom);
        for (int i = 0; i < first; i++) {
            writes[i].finish((int) writes[i].length);
        }
        if (first < count && left > 0 && !resumes) {
            // A write, or a writeAll that stops here (cancelled or closing: it fails part-way).
            writes[first].finish((int) left);
        }
        endCancelled(requeueFrom);
    }

    /** The writes from {@code from} on that stayed out of the queue were cancelled with nothing sent: they end so. */
    private void endCancelled(int from) {
        for (int i = from; i < count; i++) {
            if (writes[i] != null) {
                writes[i].finish(-Errno.ECANCELED);
            }
        }
    }

    private void endNothingSent() {
        requeue(0);
        endCancelled(0);
    }

    /** Puts the writes from {@code from} on back at the head of the socket's queue, in order; cancelled ones stay. */
    private void requeue(int from) {
        for (int i = count - 1; i >= from; i--) {
            Op o = writes[i];
            if (!o.cancelRequested || o.done > 0) {
                socketWrites.requeue(o);
                writes[i] = null;
            }
        }
    }

    @Override
    void abort(RingIoException error) {
        for (int i = 0; i < count; i++) {
            if (writes[i] != null) {
                writes[i].abort(error);
            }
        }
        clear();
        socket.finished(this);
    }

    private void clear() {
        for (int i = 0; i < count; i++) {
            writes[i] = null;
        }
        count = 0;
    }
}
