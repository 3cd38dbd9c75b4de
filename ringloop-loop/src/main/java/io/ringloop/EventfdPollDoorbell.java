package io.ringloop;

import io.ringloop.binding.IoUringFlags;
import io.ringloop.binding.Ring;
import io.ringloop.binding.SyscallLayer;

/**
 * {@link Doorbell#EVENTFD_POLL_MULTISHOT}: one multishot {@code POLL_ADD} on a non-blocking eventfd, armed once and
 * re-armed whenever the kernel ends it.
 *
 * <p>The kernel ends a multishot poll (a CQE without {@code IORING_CQE_F_MORE}) when it cannot post into a
 * full CQ, and on errors and cancellation; {@code FEAT_NODROP} keeps the CQE, not the arming. Every doorbell CQE is
 * checked for {@code F_MORE}; a re-arm is owed from then on and paid in {@link #afterReap}, after the CQ has been
 * drained (re-arming inside the CQE iteration would race the very overflow that ended it), through a full SQ if need
 * be. Until it is paid, the loop never sleeps without a timeout.
 *
 * <p>The counter is drained after every reap that saw a doorbell CQE. The poll posts one CQE per write even while
 * the counter stays non-zero (edge-triggered CQEs, measured on 6.18), but a readable eventfd keeps the poll's task
 * work coming back: measured on 6.18, {@code IORING_SQ_TASKRUN} then stayed set with an idle loop, so every pass
 * entered the kernel (230,000 empty {@code io_uring_enter} calls in 0.4 s). It is also drained before a re-arm, so
 * that the new poll does not fire at once on a stale count.
 */
final class EventfdPollDoorbell extends EventfdDoorbell {
    private Ring ring;
    private boolean rearmOwed;
    private boolean drainOwed;

    EventfdPollDoorbell(SyscallLayer sys, LoopCounters counters) {
        super(sys, counters, true);
    }

    @Override
    Doorbell kind() {
        return Doorbell.EVENTFD_POLL_MULTISHOT;
    }

    @Override
    void install(Ring r, WakeWord word) {
        this.ring = r;
        rearmOwed = !arm();
    }

    private boolean arm() {
        return ring.sq().pollAdd(fd, IoUringFlags.POLLIN, true, USER_DATA)
                || queueThroughFullSq(ring, () -> ring.sq().pollAdd(fd, IoUringFlags.POLLIN, true, USER_DATA));
    }

    @Override
    void onCompletion(long userData, int res, int flags) {
        drainOwed = true;
        if ((flags & IoUringFlags.CQE_F_MORE) == 0) {
            rearmOwed = true;
        }
    }

    @Override
    boolean afterReap(Ring r) {
        if (drainOwed || rearmOwed) {
            drainOwed = false;
            drain();
            counters.increment(LoopCounter.LOOP_SYSCALLS);
        }
        if (rearmOwed) {
            if (arm()) {
                rearmOwed = false;
                counters.increment(LoopCounter.DOORBELL_REARMS);
                OperatorLog.doorbellRearmed(loopName());
                LoopEvents.doorbellRearmed(loopName(), kind().name());
            }
        }
        return !rearmOwed;
    }

    @Override
    boolean beforePark(Ring r) {
        return afterReap(r);
    }
}
