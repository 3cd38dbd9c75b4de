package io.ringloop.io;

import io.ringloop.LoopCounter;
import io.ringloop.binding.Errno;
import io.ringloop.binding.IoUringFlags;
import io.ringloop.binding.KernelFeature;
import io.ringloop.binding.ProvidedBufferRing;
import io.ringloop.binding.SubmissionQueue;
import io.ringloop.internal.LoopInternals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A socket's multishot receive ({@code IORING_OP_RECV} with {@code IORING_RECV_MULTISHOT} and buffer selection):
 * one SQE, a CQE per arrival. The kernel ends it (a CQE without {@code F_MORE}) when the CQ overflows, when the
 * provided buffers run out ({@code -ENOBUFS}), or on error; the first two are re-armed here at once, because the
 * buffers of the CQEs handled so far have already been recycled.
 *
 * <p>Before 6.0 (no multishot receive) and on the epoll backend it is one single-shot receive after another into a
 * buffer of the socket's own, allocated with the first receive (8 KiB, doubled up to 256 KiB each time a receive
 * fills it, halved after receives that use little of it: {@link OwnBufferSize}): the same handler calls, one SQE per
 * arrival, and memory per receiving connection instead of per loop.
 */
final class MultishotReceive extends ChannelOp {
    private final AsyncSocket socket;
    private final ReceiveHandler handler;
    /** The loop's buffer ring, or null before 6.0. */
    private final ProvidedBufferRing buffers;
    /** The socket's own buffer when there is no buffer ring; reachable from here while the kernel may write it. */
    private MemorySegment own;
    /** How large {@link #own} should be: grows for a stream, shrinks when it slows down. */
    private final OwnBufferSize ownSize;
    /** Whether a CQE may cover several buffers (IORING_RECVSEND_BUNDLE, 6.10). */
    private final boolean bundles;
    /** The buffers of the bundle being handed over. */
    private int[] bids = new int[8];
    boolean stopped;
    long rearms;

    MultishotReceive(AsyncSocket socket, ReceiveHandler handler, ProvidedBufferRing buffers) {
        super(socket);
        this.socket = socket;
        this.handler = handler;
        this.buffers = buffers;
        this.own = buffers == null ? Arena.ofAuto().allocate(OwnBufferSize.MIN) : null;
        this.ownSize = buffers == null ? new OwnBufferSize() : null;
        this.bundles = buffers != null && LoopInternals.supports(socket.loop, KernelFeature.RECVSEND_BUNDLE);
    }

    @Override
    String operation() {
        return "receive";
    }

    /** Lives as long as its socket: holds no CQ slot (see {@code IoRequest.cqReservation()}). */
    @Override
    public int cqReservation() {
        return 0;
    }

    @Override
    public void prepare(SubmissionQueue sq, long userData) {
        if (buffers == null) {
            sq.recv(channel.fd, own.address(), (int) own.byteSize(), 0, userData);
        } else {
            sq.recvMultishot(channel.fd, buffers.group(), 0, bundles, userData);
        }
    }

    @Override
    public boolean complete(int res, int flags) {
        boolean more = (flags & IoUringFlags.CQE_F_MORE) != 0;
        if (res > 0) {
            LoopInternals.count(channel.loop, LoopCounter.RECEIVES, 1);
            int bid = flags >>> IoUringFlags.CQE_BUFFER_SHIFT;
            if (buffers == null) {
                LoopResources r = socket.resources;
                r.lendable(own);
                deliver(-1, own.asSlice(0, res));
                boolean lent = r.lendableDone();
                // Full: more was probably waiting, so the next receive gets twice the room; a stream that slowed
                // down gets half (see OwnBufferSize).
                long size = ownSize.received(res);
                if (lent || size != own.byteSize()) {
                    // A write sends from the old buffer now (it goes to the loop's pool when the write ends), or its
                    // size no longer fits and it goes to the pool now; the kernel is done with it either way (its CQE
                    // is here).
                    if (!lent) {
                        r.copies().give(own);
                    }
                    MemorySegment next = r.copies().take(size);
                    own = next != null ? next : Arena.ofAuto().allocate(size);
                }
            } else {
                // A bundle fills its buffers in ring order, each whole but the last; without bundles there is one.
                // The chain is read whole before any of its buffers is recycled (which would move it).
                int n = bundles ? (res + buffers.bufferSize() - 1) / buffers.bufferSize() : 1;
                if (bids.length < n) {
                    bids = new int[Math.max(n, bids.length * 2)];
                }
                bids[0] = bid;
                for (int k = 1; k < n; k++) {
                    bids[k] = buffers.next(bids[k - 1]);
                }
                int left = res;
                for (int k = 0; k < n; k++, left -= buffers.bufferSize()) {
                    deliver(bids[k], buffers.slice(bids[k], Math.min(left, buffers.bufferSize())));
                }
                LoopInternals.count(channel.loop, LoopCounter.RECEIVE_BUFFERS, n);
            }
            if (!more) {
                rearm();
            }
            return !more;
        }
        if ((flags & IoUringFlags.CQE_F_BUFFER) != 0 && buffers != null) {
            buffers.recycle(flags >>> IoUringFlags.CQE_BUFFER_SHIFT);
        }
        if (more) {
            return false;
        }
        if (res == -Errno.ENOBUFS) {
            LoopInternals.count(channel.loop, LoopCounter.RECEIVE_NO_BUFFERS, 1);
            rearm();
            return true;
        }
        end(res);
        return true;
    }

    /** Hands one buffer's bytes to the handler; the buffer goes back to the kernel after, unless a write holds it. */
    private void deliver(int bid, MemorySegment data) {
        HeldBuffers held = bid < 0 ? null : socket.resources.held();
        if (held != null) {
            held.enter(bid, data);
        }
        try {
            handler.onData(socket, data);
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
            channel.loop.options().errorHandler().onError(this, t);
        } finally {
            // Back to the kernel now, or when the last write of its bytes has ended (writeAllReceived).
            if (held != null) {
                held.leave(bid);
            }
        }
    }

    private void rearm() {
        if (stopped || channel.isClosing()) {
            end(-Errno.ECANCELED);
            return;
        }
        if (buffers != null) {
            rearms++;
            LoopInternals.count(channel.loop, LoopCounter.RECEIVE_REARMS, 1);
        }
        LoopInternals.submitIo(channel.loop, this);
    }

    private void end(int res) {
        channel.finished(this);
        socket.receiveEnded(this);
        RingIoException error = null;
        if (res < 0) {
            if (res == -Errno.ECANCELED && stopped && !channel.isClosing()) {
                error = new IoCancelledException("receive", channel.description);
            } else if (res == -Errno.ECANCELED) {
                error = new IoClosedException("receive", channel.description, "the channel was closed");
            } else {
                error = RingIoException.of("receive", channel.description, res);
            }
        }
        try {
            handler.onEnd(socket, error);
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
            channel.loop.options().errorHandler().onError(this, t);
        }
    }

    @Override
    void abort(RingIoException error) {
        socket.receiveEnded(this);
        handler.onEnd(socket, error);
    }
}
