package io.ringloop.io;

import io.ringloop.binding.ProvidedBufferRing;

import java.lang.foreign.MemorySegment;

/**
 * Provided receive buffers that writes keep past their receive handler's return, so that received bytes can be sent
 * on without a copy ({@link AsyncSocket#writeAllReceived}).
 *
 * <p>A provided buffer normally goes back to the kernel's pool as soon as {@link ReceiveHandler#onData} returns. A
 * write of bytes inside it holds it instead: the buffer goes back when the last write holding it has ended, that is
 * after the write's CQE, when the kernel no longer reads it. Until then no receive can select it, so the kernel never
 * writes new bytes over ones a send has yet to read.
 *
 * <pre>
 *   kernel's pool --CQE--> in onData --return, no holds--> kernel's pool
 *                             | write holds it
 *                             v
 *                          held (n writes) --last write's end--> kernel's pool
 * </pre>
 *
 * <p>Loop thread only: receives, writes and their ends all run there. A buffer held too long starves the loop's
 * receives ({@code ENOBUFS}, then a re-arm), which is the back-pressure a slow peer should cause.
 */
final class HeldBuffers {
    private final ProvidedBufferRing ring;
    private final int[] holds;
    /** The buffer whose bytes a receive handler has now, or -1. */
    private int current = -1;
    private long currentStart;
    private long currentEnd;
    /** Buffers out of the kernel's pool because writes hold them. */
    private int held;

    HeldBuffers(ProvidedBufferRing ring) {
        this.ring = ring;
        this.holds = new int[ring.count()];
    }

    /** A receive hands buffer {@code bid}'s bytes to its handler. */
    void enter(int bid, MemorySegment data) {
        current = bid;
        currentStart = data.address();
        currentEnd = currentStart + ring.bufferSize();
    }

    /** The handler returned: the buffer goes back to the kernel unless a write holds it. */
    void leave(int bid) {
        current = -1;
        if (holds[bid] == 0) {
            ring.recycle(bid);
        } else {
            held++;
        }
    }

    /**
     * A write of {@code data} holds the buffer it lies in, if that is the buffer a handler has now.
     *
     * @return the buffer id held, or -1 if {@code data} is not inside it (the caller copies instead)
     */
    int hold(MemorySegment data) {
        if (current < 0 || !data.isNative() || data.address() < currentStart
                || data.address() + data.byteSize() > currentEnd) {
            return -1;
        }
        holds[current]++;
        return current;
    }

    /** A write that held {@code bid} has ended: the kernel reads it no more. */
    void release(int bid) {
        if (--holds[bid] == 0 && bid != current) {
            held--;
            ring.recycle(bid);
        }
    }

    /** @return buffers out of the kernel's pool because writes hold them (for tests) */
    int held() {
        return held;
    }
}
