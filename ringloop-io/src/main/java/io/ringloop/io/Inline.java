package io.ringloop.io;

import io.ringloop.binding.Errno;
import io.ringloop.binding.Syscalls;

import java.lang.foreign.MemorySegment;

/**
 * A channel's non-blocking system calls on the caller's own thread: the bodies of {@code readNow} and
 * {@code writeNow}. Each keeps the fd open while it runs ({@link AsyncChannel#enterDirect}, {@link FdUsers}), and
 * turns "would wait" into an answer rather than an error, so that the caller can go through the ring instead.
 */
final class Inline {
    /** {@link #preadNowait}: this file cannot be read without waiting at all (a pipe, no RWF_NOWAIT). */
    static final int REFUSED = -2;

    private Inline() {
    }

    /** {@code recv(MSG_DONTWAIT)}: the bytes, 0 at end of stream, or {@link AsyncChannel#WOULD_WAIT}. */
    static int recv(AsyncChannel ch, MemorySegment dst) throws RingIoException {
        Buffers.requireReadTarget(dst, "buffer");
        ch.enterDirect("read");
        long r;
        try {
            r = Syscalls.recv(ch.fd, dst, Syscalls.MSG_DONTWAIT);
        } finally {
            ch.exitDirect();
        }
        if (r >= 0) {
            return (int) r;
        }
        if (wouldWait(r)) {
            return AsyncChannel.WOULD_WAIT;
        }
        throw RingIoException.of("read", ch.description, (int) r);
    }

    /** {@code send(MSG_DONTWAIT | MSG_NOSIGNAL)}: the bytes sent, 0 when the socket's buffer is full. */
    static int send(AsyncChannel ch, MemorySegment src) throws RingIoException {
        Buffers.requireNative(src, "buffer");
        if (src.byteSize() == 0) {
            throw new IllegalArgumentException("buffer has no bytes to send");
        }
        ch.enterDirect("write");
        long r;
        try {
            r = Syscalls.send(ch.fd, src, Syscalls.MSG_DONTWAIT | Syscalls.MSG_NOSIGNAL);
        } finally {
            ch.exitDirect();
        }
        if (r >= 0) {
            return (int) r;
        }
        if (wouldWait(r)) {
            return 0;
        }
        throw RingIoException.of("write", ch.description, (int) r);
    }

    /**
     * {@code preadv2(RWF_NOWAIT)}: the bytes (fewer when only part is cached), 0 at end of file,
     * {@link AsyncChannel#WOULD_WAIT}, or {@link #REFUSED} for any other errno: the ring's read then reports it, if
     * it is an error at all (a pipe has no positions for {@code preadv2} but reads fine through the ring).
     */
    static int preadNowait(AsyncChannel ch, MemorySegment dst, long position) throws IoClosedException {
        // the caller (AsyncFile.readNow) has checked the segment and the position
        ch.enterDirect("read");
        long r;
        try {
            r = Syscalls.preadv2(ch.fd, dst, position, Syscalls.RWF_NOWAIT);
        } finally {
            ch.exitDirect();
        }
        if (r >= 0) {
            return (int) r;
        }
        return wouldWait(r) ? AsyncChannel.WOULD_WAIT : REFUSED;
    }

    private static boolean wouldWait(long r) {
        return r == -Errno.EAGAIN || r == -Errno.EINTR;
    }
}
