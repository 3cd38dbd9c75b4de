package io.ringloop.io;

import io.ringloop.Backend;
import io.ringloop.EventLoop;
import io.ringloop.LoopCounter;
import io.ringloop.binding.Syscalls;
import io.ringloop.internal.LoopInternals;

import java.lang.foreign.MemorySegment;

/**
 * A socket write's first try, made on the loop thread when the write is started, before the ring: a direct
 * {@code send(MSG_DONTWAIT | MSG_NOSIGNAL)}. On the epoll backend the ring's send would be this same call, only a
 * pass later and behind an SQE, its emulation and a CQE; Netty's epoll transport likewise writes at flush. On io_uring
 * the ring stays the way (one entry carries many sends), so this is for the epoll backend only.
 *
 * <pre>
 *   started, first in line (SocketWrites: nothing in flight) --send--> all of it: the write ends on the loop's next
 *      |                                                                run of tasks (Op.endInline)
 *      |                                                 part of it: the rest goes to the ring (a writeAll); a plain
 *      |                                                           write ends with the part, as a short send does
 *      +--EAGAIN, an error, a time limit, zero copy-------> the ring, as before (it reports any error in order)
 * </pre>
 *
 * <p>Why it is safe: the write is the socket's one in flight (SocketWrites let it go), so no earlier byte is still
 * queued; it is linked to its channel before the call, so a close waits for its end before the fd is released, and a
 * cancel finds nothing in the kernel to cancel and leaves it to end with what was sent; the kernel has finished with
 * the buffer when {@code send} returns, so the buffer is free before the write ends. Loop thread only.
 */
final class InlineSend {
    private InlineSend() {
    }

    /** Whether sockets of this loop try a direct send first. */
    static boolean enabled(EventLoop loop) {
        return loop.backend() == Backend.EPOLL;
    }

    /**
     * Tries the op's bytes with a direct send.
     *
     * @return true if the op is done (it ends later, on the loop); false if it goes to the ring
     */
    static boolean trySend(AsyncSocket socket, Op op) {
        if (op.kind != Op.Kind.SEND && op.kind != Op.Kind.SEND_ALL || op.timeoutNanos > 0 || op.zeroCopy
                || op.cancelRequested || op.buffer == null || op.length - op.done <= 0) {
            return false;
        }
        MemorySegment rest = op.done == 0 && op.buffer.byteSize() == op.length ? op.buffer
                : op.buffer.asSlice(op.done, op.length - op.done);
        long r = Syscalls.send(socket.fd, rest, Syscalls.MSG_DONTWAIT | Syscalls.MSG_NOSIGNAL);
        if (r <= 0) {
            // Would wait, or failed: the ring's send waits, or reports the error where the write's order puts it.
            return false;
        }
        LoopInternals.count(socket.loop, LoopCounter.INLINE_SENDS, 1);
        if (op.kind == Op.Kind.SEND_ALL && op.done + r < op.length) {
            // The socket's buffer took part: the ring sends the rest once it has room.
            op.done += r;
            return false;
        }
        op.endInline((int) r);
        return true;
    }
}
