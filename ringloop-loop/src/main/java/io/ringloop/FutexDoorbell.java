package io.ringloop;

import io.ringloop.binding.Features;
import io.ringloop.binding.Futex;
import io.ringloop.binding.IoUringFlags;
import io.ringloop.binding.Ring;
import io.ringloop.binding.SubmissionQueue;
import io.ringloop.binding.SyscallLayer;

/**
 * {@link Doorbell#FUTEX_WAIT}: the loop sleeps inside its ring on the wake word itself, so that one memory word is
 * both the producers' sleep check and the kernel's wait condition (possible since {@code IORING_OP_FUTEX_WAIT},
 * 6.7); producers {@code futex_wake} it. No eventfd, nothing to drain.
 *
 * <p>The wait is queued after arming, expecting the armed word's low 32 bits. The kernel compares them under the
 * futex bucket lock when it takes the SQE: if any producer published or claimed the bell since the arm, the value
 * differs and the wait completes at once with {@code -EAGAIN}; otherwise the waiter is queued before any later
 * producer's {@code futex_wake} can look for it. Either way the sleeping {@code io_uring_enter} returns.
 *
 * <p>A wait left pending by a wake from elsewhere (an I/O completion) is reused while the armed value is unchanged;
 * if the value moved, it is cancelled in the same submission that queues the new one. Two {@code user_data} values
 * alternate so that the cancelled wait's CQE is never mistaken for the live one's. The futex is shared, not
 * private: private futexes were reported to lose io_uring wakes on 6.16+ (kernel-facts.md).
 */
final class FutexDoorbell extends DoorbellDriver {
    private static final int FLAGS = Futex.FUTEX2_SIZE_U32;
    private long address;
    private boolean waitPending;
    private int pendingExpected;
    private long liveUserData = USER_DATA;

    FutexDoorbell(SyscallLayer sys, LoopCounters counters) {
        super(sys, counters);
    }

    @Override
    Doorbell kind() {
        return Doorbell.FUTEX_WAIT;
    }

    @Override
    void install(Ring ring, WakeWord word) {
        this.address = word.address();
    }

    @Override
    void doRing() {
        sys.futexWake(address, Futex.FUTEX_BITSET_MATCH_ANY, 1, FLAGS);
    }

    @Override
    boolean beforePark(Ring ring) {
        // Room for a cancel and a wait, so that armed() never meets a full SQ between arming and sleeping.
        return ring.sq().available() >= 2 || queueThroughFullSq(ring, () -> ring.sq().available() >= 2);
    }

    @Override
    boolean armed(Ring ring, long armedWord) {
        int expected = (int) armedWord;
        if (waitPending && pendingExpected == expected) {
            return true;
        }
        SubmissionQueue sq = ring.sq();
        if (sq.available() < 2) {
            return false;
        }
        if (waitPending) {
            sq.asyncCancel(liveUserData, 0, USER_DATA_CANCEL);
            if ((ring.features() & Features.CQE_SKIP) != 0) {
                // Without it (only when masked: FUTEX_WAIT is 6.7) the cancel's CQE comes and the loop ignores it.
                sq.orFlagsOfLast(IoUringFlags.SQE_CQE_SKIP_SUCCESS);
            }
            liveUserData = liveUserData == USER_DATA ? USER_DATA_ALT : USER_DATA;
        }
        sq.futexWait(address, expected, Futex.FUTEX_BITSET_MATCH_ANY, FLAGS, liveUserData);
        waitPending = true;
        pendingExpected = expected;
        counters.increment(LoopCounter.DOORBELL_REARMS);
        return true;
    }

    @Override
    void onCompletion(long userData, int res, int flags) {
        if (userData == liveUserData) {
            waitPending = false;
        }
    }

    @Override
    void release() {
        // The word's memory belongs to the WakeWord's automatic arena: nothing to free here.
    }
}
