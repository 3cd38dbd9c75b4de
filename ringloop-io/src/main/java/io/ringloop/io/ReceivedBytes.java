package io.ringloop.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * How a write of bytes a receive handler was just given ({@link AsyncSocket#writeAllReceived}) keeps them for as long
 * as the kernel may read them. The bytes lie in a receive buffer that the next receive writes over, so a write that
 * outlives the handler's call must either keep that buffer or send from a copy:
 *
 * <pre>
 *   a provided buffer (buffer ring) ---------------------------------> held: out of the kernel's pool until the end
 *   the loop thread, direct sends (epoll) --> borrowed: sent from where they lie, before the handler returns
 *        |                                       all sent: nothing to keep (no copy, no lend)
 *        +-- held back behind an earlier write, or not all sent ----> kept, as below, before the call returns
 *   the loop thread otherwise --> kept: the socket's own buffer lent (2 KiB and up), else a pooled copy (a fresh
 *                                 one past 256 KiB)
 *   off the loop -------------------> a fresh copy (the pool is the loop's)
 * </pre>
 *
 * <p>Why borrowing is safe: a borrowed write is started on the loop thread inside the handler's call, and every path
 * from its start to the ring or to a queue passes {@link #keep} first ({@code AsyncSocket.holdBack} when it waits
 * behind another write, {@code AsyncSocket.doneInline} when the direct send did not take it all); the direct send
 * itself is finished with the bytes when {@code send} returns. So no reference to the receive buffer outlives the
 * call, and on an echo of a 512-byte message, the common case, the write costs no copy and no pool traffic.
 */
final class ReceivedBytes {
    private ReceivedBytes() {
    }

    /**
     * Sets {@code op} up as a SEND_ALL of {@code data}: held, borrowed or kept.
     *
     * @param borrow whether the socket sends directly (then, on the loop thread, the bytes are borrowed)
     */
    static Op prepare(Op op, MemorySegment data, LoopResources resources, boolean onLoop, boolean borrow) {
        HeldBuffers held = onLoop ? resources.held() : null;
        int bid = held == null ? -1 : held.hold(data);
        if (bid >= 0) {
            sendAll(op, data);
            op.heldBy = held;
            op.heldBid = bid;
            return op;
        }
        if (onLoop) {
            sendAll(op, data);
            if (borrow && data.isNative()) {
                op.borrowed = true;
            } else {
                own(op, resources);
            }
            return op;
        }
        // Off the loop: the caller may free the bytes once it returns, so they are copied now, into memory of their
        // own (the pool is the loop's).
        MemorySegment copy = Arena.ofAuto().allocate(Math.max(1, data.byteSize()));
        MemorySegment.copy(data, 0, copy, 0, data.byteSize());
        return sendAll(op, copy.asSlice(0, data.byteSize()));
    }

    /**
     * On the loop thread, still inside the handler's call: makes a borrowed write's bytes its own, keeping
     * {@code op.done}; a no-op for any other write.
     */
    static void keep(Op op, LoopResources resources) {
        if (op.borrowed) {
            op.borrowed = false;
            own(op, resources);
        }
    }

    /**
     * The socket's own receive buffer is lent when the bytes lie in it and are worth it (the receive goes on in a
     * fresh one, the write gives this one to the pool when it ends); else the bytes are copied into a pooled buffer.
     */
    private static void own(Op op, LoopResources resources) {
        MemorySegment data = op.buffer;
        CopyBuffers pool = resources.copies();
        MemorySegment taken = resources.lend(data);
        if (taken != null) {
            op.copiedFrom = pool;
            op.copy = taken;
            return;
        }
        MemorySegment copy = pool.take(data.byteSize());
        if (copy == null) {
            pool = null;
            copy = Arena.ofAuto().allocate(Math.max(1, data.byteSize()));
        }
        MemorySegment.copy(data, 0, copy, 0, data.byteSize());
        op.buffer = copy.asSlice(0, data.byteSize());
        op.copiedFrom = pool;
        op.copy = pool == null ? null : copy;
    }

    private static Op sendAll(Op op, MemorySegment data) {
        op.set(Op.Kind.SEND_ALL, 0);
        op.buffer = data;
        op.length = data.byteSize();
        return op;
    }
}
