package io.ringloop.binding;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One submission the epoll backend has taken from the SQ and not yet completed: the SQE's fields, copied at submit
 * (the slot is the user's again once the SQ head moves), and where the request waits.
 *
 * <pre>
 *   submitted ──try──► done (CQE posted)
 *       │
 *       ├─ EAGAIN ──► PARKED on its fd's read or write side ──readiness──► try again
 *       ├─ TIMEOUT / LINK_TIMEOUT ──► TIMED in the timer set ──expiry──► done (-ETIME)
 *       └─ regular file ──► QUEUED for a file worker ──taken──► RUNNING ──result──► done
 * </pre>
 *
 * Only the loop thread touches an op, except {@link #pool}, which a file worker moves from QUEUED to RUNNING with a
 * CAS that a cancel races (the loser of the CAS learns who has it). A field with a VarHandle, not an AtomicInteger:
 * every SQE becomes an op, and most never see a worker.
 */
final class EmulatedOp {
    static final int QUEUED = 0;
    static final int RUNNING = 1;
    static final int CANCELLED = 2;

    byte opcode;
    byte flags;
    int fd;
    long off;
    long addr;
    int len;
    int opFlags;
    long userData;

    /** When a TIMEOUT or LINK_TIMEOUT expires, in {@link System#nanoTime()} terms; a tie is broken by {@link #seq}. */
    long deadline;
    long seq;
    /** A CONNECT's first call was made; later tries only ask how it went. */
    boolean started;
    /** On a request: its LINK_TIMEOUT, armed while it waits. On a LINK_TIMEOUT: the request it bounds. */
    EmulatedOp link;
    /** The fd side the request waits on, while it is parked; null otherwise. */
    EpollFd parkedOn;
    /** Another pending request with the same {@code user_data}, for cancels that match by it. */
    EmulatedOp sameUserData;
    private static final VarHandle POOL;

    static {
        try {
            POOL = MethodHandles.lookup().findVarHandle(EmulatedOp.class, "pool", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A file worker's hold on the request: {@link #QUEUED}, {@link #RUNNING} or {@link #CANCELLED}; only by CAS. */
    @SuppressWarnings("unused")
    private volatile int pool = QUEUED;
    /** The file worker's result, read by the loop thread after it takes the op from the completion queue. */
    long result;

    /**
     * Moves the worker's hold from {@code from} to {@code to}: the worker taking a queued request and a cancel
     * taking it back race here, and exactly one wins. The CAS is a full fence, so a worker that wins sees the fields
     * the loop wrote before it queued the op (the executor's queue orders them too).
     *
     * @return whether this caller won
     */
    boolean claim(int from, int to) {
        return POOL.compareAndSet(this, from, to);
    }

    boolean linked() {
        return (flags & IoUringFlags.SQE_IO_LINK) != 0;
    }

    boolean skipSuccess() {
        return (flags & IoUringFlags.SQE_CQE_SKIP_SUCCESS) != 0;
    }
}
