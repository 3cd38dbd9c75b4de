package io.ringloop;

import io.ringloop.binding.Ring;
import io.ringloop.binding.SyscallLayer;

/**
 * {@link Doorbell#EVENTFD_READ}: a one-shot {@code READ} of the eventfd, queued before each sleep unless one is still
 * pending. The loop never touches the eventfd from another thread: producers only write it, so the ring keeps
 * {@code SINGLE_ISSUER}. The read itself consumes the counter, so there is nothing to drain. The eventfd is blocking so
 * that io_uring parks the read on the fd's wait queue instead of failing it with {@code EAGAIN}; a producer's write
 * can block only if the counter reaches 2^64-2, and the loop empties it on every wake.
 */
class EventfdReadDoorbell extends EventfdDoorbell {
    private boolean readPending;

    EventfdReadDoorbell(SyscallLayer sys, LoopCounters counters) {
        super(sys, counters, false);
    }

    @Override
    Doorbell kind() {
        return Doorbell.EVENTFD_READ;
    }

    @Override
    void install(Ring ring, WakeWord word) {
        // Nothing until the first sleep: a read queued now would only complete for a wake nobody needs.
    }

    @Override
    boolean beforePark(Ring ring) {
        if (readPending) {
            return true;
        }
        long buf = readBuffer.address();
        if (ring.sq().read(fd, buf, Long.BYTES, 0, USER_DATA)
                || queueThroughFullSq(ring, () -> ring.sq().read(fd, buf, Long.BYTES, 0, USER_DATA))) {
            readPending = true;
            counters.increment(LoopCounter.DOORBELL_REARMS);
        }
        return readPending;
    }

    @Override
    void onCompletion(long userData, int res, int flags) {
        readPending = false;
    }
}
