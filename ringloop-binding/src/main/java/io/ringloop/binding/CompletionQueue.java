package io.ringloop.binding;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The completion side of a {@link Ring}: owns the CQ ring's offsets.
 *
 * <p>Only the ring's owner thread calls it. The kernel's tail is read with acquire order, which makes every CQE
 * field the kernel wrote before its release store of the tail visible to our plain loads; our head is stored with
 * release order after the CQEs are read, so that the kernel never overwrites a CQE we are still reading.
 */
public final class CompletionQueue {
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final MemorySegment ring;
    private final long headOffset;
    private final long tailOffset;
    private final long overflowOffset;
    private final long cqesOffset;
    private final int mask;
    private final int entries;
    private final Ring owner;
    /** Our head: the next CQE to read. Published to the kernel at the end of each {@link #reap}. */
    private int head;
    private boolean closed;

    CompletionQueue(MemorySegment ring, long headOffset, long tailOffset, long overflowOffset, long cqesOffset,
            int mask, int entries, Ring owner) {
        this.ring = ring;
        this.headOffset = headOffset;
        this.tailOffset = tailOffset;
        this.overflowOffset = overflowOffset;
        this.cqesOffset = cqesOffset;
        this.mask = mask;
        this.entries = entries;
        this.owner = owner;
        this.head = (int) INT.getAcquire(ring, headOffset);
    }

    /**
     * The number of CQ slots.
     *
     * @return {@code cq_entries}
     */
    public int entries() {
        return entries;
    }

    /**
     * CQEs posted and not yet reaped.
     *
     * @return the count; cheap (one acquire load), no syscall
     */
    public int ready() {
        return (int) INT.getAcquire(ring, tailOffset) - head;
    }

    /**
     * CQEs the kernel could not post (counted by the kernel; with {@code FEAT_NODROP} they wait in an overflow
     * list instead and the SQ flag {@code IORING_SQ_CQ_OVERFLOW} is set).
     *
     * @return {@code cq.overflow}
     */
    public int overflow() {
        return (int) INT.getAcquire(ring, overflowOffset);
    }

    void close() {
        closed = true;
    }

    /**
     * Hands up to {@code max} CQEs to a handler, then returns their slots to the kernel.
     *
     * @param handler receives each CQE; if it throws, the CQEs up to and including the one it threw on are consumed
     *     (never handed over again) and the exception propagates
     * @param max the most CQEs to hand over, so that the caller can bound one pass
     * @return how many CQEs were handed over (internal ones excluded)
     */
    public int reap(CompletionHandler handler, int max) {
        if (closed) {
            throw new IllegalStateException("ring is closed");
        }
        int tail = (int) INT.getAcquire(ring, tailOffset);
        int h = head;
        int n = 0;
        try {
            while (h != tail && n < max) {
                long o = cqesOffset + (long) (h & mask) * Cqe.SIZE;
                long userData = ring.get(JAVA_LONG, o + Cqe.USER_DATA);
                int res = ring.get(JAVA_INT, o + Cqe.RES);
                int flags = ring.get(JAVA_INT, o + Cqe.FLAGS);
                h++;
                if (userData == Ring.INTERNAL_TIMEOUT_USER_DATA) {
                    owner.internalTimeoutCompleted(res);
                    continue;
                }
                if (userData == Ring.INTERNAL_TIMEOUT_CONTROL_USER_DATA) {
                    continue;
                }
                n++;
                handler.onCompletion(userData, res, flags);
            }
        } finally {
            head = h;
            INT.setRelease(ring, headOffset, h);
        }
        return n;
    }
}
