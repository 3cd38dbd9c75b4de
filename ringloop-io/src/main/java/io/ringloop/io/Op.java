package io.ringloop.io;

import io.ringloop.LoopCounter;
import io.ringloop.binding.Errno;
import io.ringloop.binding.IoUringFlags;
import io.ringloop.binding.KernelTimespec;
import io.ringloop.binding.SubmissionQueue;
import io.ringloop.binding.Syscalls;
import io.ringloop.internal.AbandonableTask;
import io.ringloop.internal.IoRequest;
import io.ringloop.internal.LoopInternals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One single-shot kernel operation of a channel, reusable: read, write, vectored read and write, fsync, receive,
 * send, send-all, connect, accept, shutdown. Optionally linked to an {@code IORING_OP_LINK_TIMEOUT} (its CQE comes
 * tagged as part 1).
 *
 * <p>Lifetime of memory: the buffer (and any heap copy or iovec array) is referenced from here until the last CQE of
 * the operation has arrived, and the loop's I/O table references this object until then, so the kernel never writes
 * into memory the collector could free, whether the operation completes, times out, is cancelled, or its channel or
 * loop is closed.
 */
final class Op extends ChannelOp {
    enum Kind {
        READ("read", true, false), WRITE("write", true, false), READ_FIXED("readFixed", true, false),
        WRITE_FIXED("writeFixed", true, false), WRITE_ALL("write", true, false), READV("readv", true, false),
        WRITEV("writev", true, false), FSYNC("fsync", true, false), FDATASYNC("fdatasync", true, false),
        RECV("read", true, true), SEND("write", true, true), SEND_ALL("writeAll", true, true),
        CONNECT("connect", false, true), ACCEPT("accept", true, true), SHUTDOWN("shutdownOutput", true, false);

        final String operation;
        /** Whether an EINTR or EAGAIN result means nothing happened, so that the same request may simply go again. */
        final boolean retryable;
        /**
         * Whether the operation ends when a peer acts (sends, reads, connects), which may be never: such a request
         * holds no CQ slot (see {@link #cqReservation()}).
         */
        final boolean waitsOnPeer;

        Kind(String operation, boolean retryable, boolean waitsOnPeer) {
            this.operation = operation;
            this.retryable = retryable;
            this.waitsOnPeer = waitsOnPeer;
        }
    }

    Kind kind;
    MemorySegment buffer;
    /** Keeps a ByteBuffer, iovec array or sockaddr reachable while the kernel may use it. */
    Object keepAlive;
    /** A heap ByteBuffer a read lands in, through the direct copy {@link #buffer}. */
    ByteBuffer heapTarget;
    /** A ByteBuffer whose position moves by the bytes transferred. */
    ByteBuffer advance;
    long position;
    long length;
    long done;
    /** For READ_FIXED and WRITE_FIXED: the registered buffer's index. */
    int bufferIndex;
    /** For READV and WRITEV: how many iovecs {@link #buffer} holds. */
    int iovecs;
    long timeoutNanos;
    private long deadline;
    IoHandler<Object> handler;
    Object attachment;
    IoFuture<Object> future;
    boolean pooled;
    /** A send without a copy (SEND_ZC): it ends at the kernel's notification, not at its result. */
    boolean zeroCopy;
    /** A receive on a socket its caller just found empty: the kernel waits for readiness before trying it. */
    boolean pollFirst;
    /** A provided receive buffer this write sends from and keeps out of the kernel's pool until it ends, or null. */
    HeldBuffers heldBy;
    int heldBid;
    /** The pool this write's copy of received bytes came from, and the copy; null when it sends no pooled copy. */
    CopyBuffers copiedFrom;
    MemorySegment copy;
    /**
     * The bytes are a receive handler's, sent from where they lie: they must be made the write's own before the
     * handler returns, unless a direct send took them all ({@link ReceivedBytes}).
     */
    boolean borrowed;

    private long userData = -1;
    private int expected;
    private int received;
    private int mainRes;
    private int timeoutRes;
    private MemorySegment timespec;
    /** What a direct send took ({@link InlineSend}), for {@link #endInline}; the runnable is made once per op. */
    private int inlineSent;
    private Runnable endInline;

    Op(AsyncChannel channel) {
        super(channel);
    }

    /**
     * A direct send took the op's bytes: it ends with {@code sent} on the loop's next run of tasks, not inside the
     * call that started it, so that a handler never runs inside the write that its own code is still making (and a
     * handler that writes again from its callback cannot recurse).
     */
    void endInline(int sent) {
        inlineSent = sent;
        if (endInline == null) {
            // If the loop gives up before this runs, the bytes left all the same: the write ends as sent.
            endInline = AbandonableTask.of(() -> finish(inlineSent), why -> finish(inlineSent));
        }
        try {
            channel.loop.executeEvenIfFull(endInline);
        } catch (RejectedExecutionException e) {
            // The loop is closing: the bytes left all the same, so the write ends now, on this (the loop's) thread.
            finish(sent);
        }
    }

    /** Sets the operation; the caller then sets buffer, position and the completion target, and starts it. */
    Op set(Kind kind, long timeoutNanos) {
        this.kind = kind;
        this.timeoutNanos = timeoutNanos;
        this.deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        this.done = 0;
        this.cancelRequested = false;
        this.zeroCopy = false;
        this.pollFirst = false;
        this.borrowed = false;
        return this;
    }

    @SuppressWarnings("unchecked")
    <T> IoFuture<T> withFuture() {
        IoFuture<Object> f = new IoFuture<>(this);
        this.future = f;
        return (IoFuture<T>) (IoFuture<?>) f;
    }

    @SuppressWarnings("unchecked")
    <A> void withHandler(IoHandler<? super A> h, A a) {
        this.handler = (IoHandler<Object>) h;
        this.attachment = a;
    }

    @Override
    String operation() {
        return kind.operation;
    }

    @Override
    public int sqes() {
        return timeoutNanos > 0 ? 2 : 1;
    }

    /**
     * A socket operation waits on its peer, for as long as the peer likes, so it reserves no CQ slot. A
     * thread-per-connection server keeps a read waiting on every idle connection: were each to hold a slot, a few
     * hundred idle peers would fill the loop's CQ budget, and every later request, the server's accept included,
     * would wait for room that only those peers can free. Unreserved, their CQEs can outrun the CQ when many peers
     * act at once; the kernel's overflow list keeps the excess (NODROP) and the loop flushes it, as it does for the
     * multishot requests. A file operation ends on its own, so it keeps its reservation.
     */
    @Override
    public int cqReservation() {
        return kind.waitsOnPeer ? 0 : sqes();
    }

    @Override
    public void prepare(SubmissionQueue sq, long ud) {
        userData = ud;
        expected = sqes();
        received = 0;
        mainRes = 0;
        timeoutRes = 0;
        int fd = channel.fd;
        long addr = buffer == null ? 0 : buffer.address();
        switch (kind) {
            case READ -> sq.read(fd, addr, (int) length, position, ud);
            case WRITE -> sq.write(fd, addr, (int) length, position, ud);
            case READ_FIXED -> sq.readFixed(fd, addr, (int) length, position, bufferIndex, ud);
            case WRITE_FIXED -> sq.writeFixed(fd, addr, (int) length, position, bufferIndex, ud);
            case WRITE_ALL -> sq.write(fd, addr + done, (int) (length - done), position + done, ud);
            case READV -> sq.readv(fd, addr, iovecs, position, ud);
            case WRITEV -> sq.writev(fd, addr, iovecs, position, ud);
            case FSYNC -> sq.fsync(fd, false, ud);
            case FDATASYNC -> sq.fsync(fd, true, ud);
            case RECV -> sq.recv(fd, addr, (int) length, 0, pollFirst, ud);
            case SEND -> send(sq, fd, addr, (int) length, ud);
            case SEND_ALL -> send(sq, fd, addr + done, (int) (length - done), ud);
            case CONNECT -> sq.connect(fd, addr, (int) length, ud);
            case ACCEPT -> sq.accept(fd, 0, 0, Syscalls.SOCK_CLOEXEC, false, ud);
            case SHUTDOWN -> sq.shutdown(fd, Syscalls.SHUT_WR, ud);
        }
        if (timeoutNanos > 0) {
            sq.orFlagsOfLast(IoUringFlags.SQE_IO_LINK);
            long remaining = Math.max(1, deadline - System.nanoTime());
            if (timespec == null) {
                timespec = Arena.ofAuto().allocate(KernelTimespec.LAYOUT);
            }
            // The kernel copies the timespec while preparing the link timeout, during the submit that follows.
            timespec.set(JAVA_LONG, KernelTimespec.TV_SEC, remaining / 1_000_000_000L);
            timespec.set(JAVA_LONG, KernelTimespec.TV_NSEC, remaining % 1_000_000_000L);
            sq.linkTimeout(timespec.address(), 0, ud | (1L << IoRequest.PART_SHIFT));
        }
    }

    private void send(SubmissionQueue sq, int fd, long addr, int len, long ud) {
        if (zeroCopy) {
            LoopInternals.count(channel.loop, LoopCounter.ZERO_COPY_SENDS, 1);
            sq.sendZc(fd, addr, len, Syscalls.MSG_NOSIGNAL, ud);
        } else {
            sq.send(fd, addr, len, Syscalls.MSG_NOSIGNAL, ud);
        }
    }

    @Override
    public boolean complete(int res, int flags) {
        return complete(res, flags, 0);
    }

    @Override
    public boolean complete(int res, int flags, int part) {
        if (userData < 0) {
            // Never prepared: cancelled while it waited for CQ room, or the loop closed first.
            finish(res);
            return true;
        }
        if (part == 1) {
            timeoutRes = res;
        } else if ((flags & IoUringFlags.CQE_F_NOTIF) != 0) {
            // A zero-copy send's notification: the kernel reads the buffer no more. Its result came before.
            LoopInternals.count(channel.loop, LoopCounter.ZERO_COPY_NOTIFICATIONS, 1);
        } else {
            mainRes = res;
            if ((flags & IoUringFlags.CQE_F_MORE) != 0) {
                // A zero-copy send's result, with its notification still to come: the buffer is the kernel's till then.
                expected++;
            }
        }
        if (++received < expected) {
            return false;
        }
        userData = -1;
        finish(mainRes);
        return true;
    }

    /**
     * Ends the operation with the kernel's result, or goes again where it may (an interrupted try; the rest of a
     * writeAll). A {@link WriteBatch} calls it for its writes with their share of the batch's result.
     */
    void finish(int res) {
        boolean timedOut = timeoutRes == -Errno.ETIME;
        if ((res == -Errno.EINTR || res == -Errno.EAGAIN) && kind.retryable) {
            if (cancelRequested || !timedOut && channel.isClosing()) {
                // Nothing happened, and the caller asked for it to end (a cancel), or the channel or loop is closing
                // (the close's cancel interrupted it): it ends as cancelled, not with the bare EINTR.
                res = -Errno.ECANCELED;
            } else if (!timedOut) {
                LoopInternals.submitIo(channel.loop, this);
                return;
            }
        }
        if (res >= 0 && (kind == Kind.SEND_ALL || kind == Kind.WRITE_ALL)) {
            done += res;
            if (done < length) {
                boolean stopping = timedOut || channel.isClosing() || cancelRequested;
                if (res > 0 && !stopping) {
                    LoopInternals.submitIo(channel.loop, this);
                    return;
                }
                // Stopped short: a writeAll never succeeds with fewer bytes than it was given.
                res = stopping ? -Errno.ECANCELED : -Errno.EIO;
            }
        }
        RingIoException error = res < 0 ? error(res, timedOut) : null;
        if (error instanceof IoCancelledException && done > 0) {
            // A writeAll cancelled after part of its bytes left is not a cancel (a cancelled future means that none
            // of it was written): it failed part-way, and says how far it got.
            RingIoException partial = new RingIoException(kind.operation, channel.description, Errno.ECANCELED,
                    "cancelled after " + done + " of " + length + " bytes were written");
            partial.initCause(error);
            error = partial;
        }
        long value = res < 0 ? 0 : (kind == Kind.SEND_ALL || kind == Kind.WRITE_ALL) ? done : res;
        if (error == null) {
            error = copyOut(value);
        }
        deliver(value, error);
    }

    /**
     * Lands the result in the caller's ByteBuffer: copies a heap read out of its direct bounce buffer, and moves the
     * buffer's position. The caller may have changed the buffer meanwhile (flipped it, shared it with another read):
     * that fails this operation, never the loop.
     */
    private RingIoException copyOut(long value) {
        try {
            if (heapTarget != null && value > 0) {
                heapTarget.put(heapTarget.position(), buffer.asByteBuffer(), 0, (int) value);
            }
            if (advance != null) {
                advance.position(advance.position() + (int) value);
            }
            return null;
        } catch (RuntimeException e) {
            RingIoException error = new RingIoException(kind.operation, channel.description, Errno.EFAULT,
                    value + " bytes arrived but the buffer no longer takes them (changed while the operation ran: "
                            + e + ")");
            error.initCause(e);
            return error;
        }
    }

    private RingIoException error(int res, boolean timedOut) {
        if (timedOut) {
            return new IoTimeoutException(kind.operation, channel.description, timeoutNanos);
        }
        if (res == -Errno.ECANCELED) {
            if (cancelRequested) {
                return new IoCancelledException(kind.operation, channel.description);
            }
            if (channel.loop.isClosed()) {
                return new IoClosedException(kind.operation, channel.description, "the loop was closed");
            }
            if (channel.isClosing()) {
                return new IoClosedException(kind.operation, channel.description, "the channel was closed");
            }
            return new IoCancelledException(kind.operation, channel.description);
        }
        return RingIoException.of(kind.operation, channel.description, res);
    }

    @Override
    void abort(RingIoException error) {
        deliver(0, error);
    }

    /** Hands the outcome to the future or handler, after releasing everything the kernel could have used. */
    private void deliver(long value, RingIoException error) {
        if (heldBy != null) {
            // The kernel reads the buffer no more: it may go back to the pool.
            heldBy.release(heldBid);
            heldBy = null;
        }
        if (copiedFrom != null) {
            copiedFrom.give(copy);
            copiedFrom = null;
            copy = null;
        }
        Kind k = kind;
        IoHandler<Object> h = handler;
        Object a = attachment;
        IoFuture<Object> f = future;
        handler = null;
        attachment = null;
        future = null;
        buffer = null;
        keepAlive = null;
        heapTarget = null;
        advance = null;
        if (error != null && done > 0 && kind == Kind.SEND_ALL) {
            channel.writeStoppedPartWay(error, done, length);
        }
        channel.finished(this);
        Object result = null;
        if (error == null && f != null) {
            result = channel.resultOf(k, value);
        } else if (error != null) {
            channel.failedOp(k);
        }
        try {
            if (f != null) {
                if (error instanceof IoCancelledException && cancelRequested) {
                    f.cancelled();
                } else if (error != null) {
                    f.completeExceptionally(error);
                } else if (!f.complete(result) && result instanceof AsyncChannel c) {
                    // The caller completed the future otherwise (orTimeout, complete): nobody will get this socket.
                    c.closeAsync();
                }
            } else if (h != null) {
                if (error != null) {
                    h.failed(error, a);
                } else {
                    h.completed(value, a);
                }
            }
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
            channel.loop.options().errorHandler().onError(this, t);
        }
        // Only now: an operation the handler starts must not reuse this one while the loop's I/O table still holds
        // it under the user_data just answered, or a cancel (a close) would target that finished request.
        channel.recycle(this);
    }
}
