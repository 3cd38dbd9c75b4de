package io.ringloop;

import io.ringloop.binding.Errno;
import io.ringloop.binding.Opcode;
import io.ringloop.binding.Ring;
import io.ringloop.binding.SubmissionQueue;

import java.util.function.BooleanSupplier;

/**
 * The sending side of {@link Doorbell#MSG_RING}: a loop thread that wins the wake claim of another, parked loop wakes
 * it with an {@code IORING_OP_MSG_RING} from its own ring instead of ringing the target's doorbell. Loop thread only.
 */
final class MsgRingSender {
    /**
     * {@code user_data} of the MSG_RING wakes this loop sends to others, the target's {@link LoopRegistry} id in the
     * low 32 bits. Negative, so apart from I/O slots, and below the doorbell's and the ring's reserved values.
     */
    static final long MSG_RING_SENT = 0xFFFF_FFFE_0000_0000L;
    private static final long MSG_RING_TARGET = 0xFFFF_FFFFL;
    /** Submits tried for one MSG_RING wake before it is revoked and the target's own doorbell rung instead. */
    private static final int WAKE_SUBMIT_ATTEMPTS = 16;

    private final Ring ring;
    private final LoopCounters counters;
    /** Whether this loop can send MSG_RING wakes to other loops (opcode supported and not masked). */
    private final boolean sendsMsgRing;
    /**
     * Wakes the kernel took whose CQE has not come back yet. Every wake posts one here, success or not (no
     * {@code CQE_SKIP_SUCCESS}), so that the loop knows when none is left: a failure must reach {@link #onCompletion}
     * to be rung again through the target's doorbell, and only a sleep in the ring sees a late CQE arrive
     * ({@link WordSleep} is taken only when this is zero).
     */
    private int unsettled;
    /**
     * The MSG_RING being prepared by {@link #sendWake}; fields, so that retrying through a full SQ allocates nothing.
     */
    private int wakeFd;
    private long wakeUserData;
    private final BooleanSupplier prepareWake = this::prepareWake;

    MsgRingSender(Ring ring, LoopCounters counters) {
        this.ring = ring;
        this.counters = counters;
        this.sendsMsgRing = ring.probe().supports(Opcode.MSG_RING);
    }

    /** Whether this loop's ring can send MSG_RING at all. */
    boolean canSend() {
        return sendsMsgRing;
    }

    /**
     * Queues {@code IORING_OP_MSG_RING} on this ring and submits it at once, while a task (or an I/O callback) hands
     * work to a parked loop whose claim it won. The caller holds the target's doorbell guard, so
     * {@code targetRingFd} is the target's ring until we return; we return only once the kernel has consumed the SQE
     * (it then holds its own reference to the target ring) or the SQE has been revoked, so no SQE naming that fd
     * number outlives the guard.
     *
     * <p>Submitting now, rather than with the rest of this pass's SQEs, costs one {@code io_uring_enter} per wake
     * (as an eventfd write would) but keeps the guard short (the target's close spins on it) and the wake early:
     * deferring would hold the guard across every later task of the batch. A chain of linked I/O SQEs is always
     * prepared whole, so the SQE before ours never links to it (a linked SQE would be issued, and its fd looked up,
     * only later).
     *
     * @param targetRingFd the target loop's ring fd
     * @param targetId the target loop's registry id, for the failure path
     * @return true if the kernel took the wake; false if it never will, and the caller must ring the target's doorbell
     */
    boolean sendWake(int targetRingFd, int targetId) {
        if (!sendsMsgRing || ring.isClosed()) {
            return false;
        }
        SubmissionQueue sq = ring.sq();
        wakeFd = targetRingFd;
        wakeUserData = MSG_RING_SENT | targetId;
        if (!prepareWake() && !DoorbellDriver.queueThroughFullSq(ring, prepareWake)) {
            return false;
        }
        for (int attempt = 0; attempt < WAKE_SUBMIT_ATTEMPTS; attempt++) {
            int r = ring.submit();
            counters.increment(LoopCounter.LOOP_SYSCALLS);
            if (sq.lastConsumed()) {
                unsettled++;
                return true;
            }
            if (r < 0 && r != -Errno.EINTR && r != -Errno.EAGAIN && r != -Errno.EBUSY) {
                break;
            }
            if (r <= 0) {
                // EAGAIN/EBUSY: short of requests or holding overflowed CQEs; a GETEVENTS pass frees both.
                ring.getEvents();
                counters.increment(LoopCounter.LOOP_SYSCALLS);
            }
        }
        sq.revokeLast();
        return false;
    }

    /**
     * The wake SQE: a MSG_RING DATA message whose target CQE is {@code (USER_DATA_LOOP_WAKE, res 0)}. Our own CQE
     * comes back in every case (see {@link #unsettled}); {@link #onCompletion} acts only on a failure.
     */
    private boolean prepareWake() {
        return ring.sq().msgRing(wakeFd, 0, DoorbellDriver.USER_DATA_LOOP_WAKE, 0, wakeUserData);
    }

    /** @return whether a wake this loop sent may still post its CQE here */
    boolean unsettled() {
        return unsettled != 0;
    }

    /** Whether a CQE is our own, for a wake we sent. */
    static boolean owns(long userData) {
        return (userData & ~MSG_RING_TARGET) == MSG_RING_SENT;
    }

    /**
     * The CQE of a wake we sent. A failure (allocation failure, a target gone) leaves the target armed with RUNG set,
     * so no other producer will ring for this sleep: ring its own doorbell. At worst that is a spurious wake of a loop
     * that woke meanwhile. A target that has terminated needs nothing.
     */
    void onCompletion(long userData, int res) {
        unsettled--;
        if (res >= 0) {
            return;
        }
        counters.increment(LoopCounter.MSG_RING_FAILURES);
        EventLoop target = LoopRegistry.get((int) (userData & MSG_RING_TARGET));
        if (target != null) {
            // The doorbell guards itself against a target that is closing (see DoorbellDriver.ring).
            target.doorbell.ring();
        }
    }
}
