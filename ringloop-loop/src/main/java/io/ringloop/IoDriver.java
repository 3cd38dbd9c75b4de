package io.ringloop;

import io.ringloop.binding.CompletionHandler;
import io.ringloop.binding.Errno;
import io.ringloop.binding.IoUringFlags;
import io.ringloop.binding.KernelFeature;
import io.ringloop.binding.Ring;
import io.ringloop.binding.SubmissionQueue;
import io.ringloop.internal.IoRequest;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The loop's I/O requests between their callers and the kernel: admission within the CQ budget, cancellation, the
 * hand-over of each CQE to its request, and the close, which cancels everything and waits for the kernel to let go.
 * Loop thread only.
 */
final class IoDriver {
    /** CQ slots kept for the loop's own SQEs (doorbell poll or wait, its cancel, the internal timeout, slack). */
    private static final int RESERVED_CQ_SLOTS = 8;
    /**
     * How long a closing loop waits for the kernel to answer the cancels of its in-flight I/O. A socket operation is
     * cancelled at once and a regular file's read or write finishes within milliseconds; only a stuck device or
     * network file system takes longer, and close() must end even then.
     */
    private static final long CLOSE_IO_GRACE_NANOS = 10_000_000_000L;
    /** Requests the kernel never answered: reachable for the life of the process (see {@link #abandon()}). */
    private static final Queue<IoRequest> ABANDONED = new ConcurrentLinkedQueue<>();
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    private final Ring ring;
    private final IoTable io;
    private final LoopCounters counters;
    private final FailureReporter failures;
    /** Submits the SQEs queued so far, making room in a full SQ. */
    private final Runnable submitPending;
    /** When the close first cancelled the loop's I/O (0: not yet); the kernel gets {@link #CLOSE_IO_GRACE_NANOS}. */
    private long cancelStartedAt;
    /** {@code IO_SUBMITTED} when the close last cancelled everything in flight; -1 before the first cancel. */
    private long submittedAtCancel = -1;
    /** Set once the ring is released: from then on nothing may touch the ring's memory. */
    private boolean released;
    /** Whether one {@code ASYNC_CANCEL} can match every request ({@code CANCEL_ANY | CANCEL_ALL}, 5.19). */
    private final boolean cancelAny;
    /** Whether a cancel's CQE can be skipped on success ({@code CQE_SKIP_SUCCESS}, 5.17). */
    private final boolean cqeSkip;
    private final boolean canCancel;

    IoDriver(Ring ring, LoopCounters counters, FailureReporter failures, Runnable submitPending) {
        this.ring = ring;
        this.io = new IoTable(Math.max(1, ring.cqEntries() - RESERVED_CQ_SLOTS));
        this.counters = counters;
        this.failures = failures;
        this.submitPending = submitPending;
        this.cancelAny = ring.supports(KernelFeature.ASYNC_CANCEL_ANY) && ring.supports(KernelFeature.ASYNC_CANCEL_ALL);
        this.cqeSkip = ring.supports(KernelFeature.CQE_SKIP);
        this.canCancel = ring.supports(KernelFeature.ASYNC_CANCEL);
    }

    void submit(IoRequest request) {
        if (released) {
            // A completion callback of the loop's very end (a channel swept at termination): nothing reaches the ring.
            completeGuarded(request, -Errno.ECANCELED);
            return;
        }
        if (io.waitingCount() == 0 && io.fits(request) && ring.sq().available() >= request.sqes()) {
            prepare(request);
        } else {
            counters.increment(LoopCounter.IO_DEFERRED);
            io.defer(request);
        }
    }

    private void prepare(IoRequest request) {
        long userData = io.register(request);
        request.prepare(ring.sq(), userData);
        counters.increment(LoopCounter.IO_SUBMITTED);
    }

    /** After a reap freed CQ room: prepares the waiting requests that now fit, in order. */
    void admitWaiting() {
        if (io.waitingCount() == 0) {
            return;
        }
        SubmissionQueue sq = ring.sq();
        IoRequest r;
        while ((r = io.nextWaiting()) != null) {
            if (sq.available() < r.sqes()) {
                submitPending.run();
                if (sq.available() < r.sqes()) {
                    io.putBack(r);
                    return;
                }
            }
            prepare(r);
        }
    }

    /**
     * Cancels a request: one still waiting for CQ room completes with {@code -ECANCELED} at once; one in flight
     * gets an {@code ASYNC_CANCEL} and completes when the kernel says (with {@code -ECANCELED}, or with its result
     * if it finished first).
     */
    boolean cancel(IoRequest request) {
        if (io.removeWaiting(request)) {
            try {
                request.complete(-Errno.ECANCELED, 0, 0);
            } catch (Throwable e) {
                failures.report(new FailedCompletion(-1, -Errno.ECANCELED), e);
            }
            return true;
        }
        long target = io.userDataOf(request);
        if (target < 0) {
            return false;
        }
        CancelRequest cancel = new CancelRequest(target);
        if (released) {
            completeGuarded(cancel, -Errno.ECANCELED);
        } else if (ring.sq().available() >= cancel.sqes()) {
            prepare(cancel);
        } else {
            // First in line, ahead of requests waiting for CQ room: admitted as soon as the SQ has room.
            io.putBack(cancel);
        }
        return true;
    }

    /**
     * An {@code ASYNC_CANCEL} of one request by its {@code user_data}; its own result needs no handling. A cancel
     * frees CQ room, so it never waits for any: it reserves none (it posts one CQE per request it targets, and in the
     * worst case that CQE waits in the kernel's overflow list), or a ring whose CQ budget is held by reads that never
     * complete could not cancel them, and could not close.
     */
    private record CancelRequest(long target) implements IoRequest {
        @Override
        public int cqReservation() {
            return 0;
        }

        @Override
        public void prepare(SubmissionQueue sq, long userData) {
            sq.asyncCancel(target, 0, userData);
        }

        @Override
        public boolean complete(int res, int flags) {
            return true;
        }
    }

    boolean owns(long userData) {
        return io.owns(userData);
    }

    /**
     * Hands a CQE to its request. A request whose completion throws is reported like a task that threw, and the loop
     * carries on; the I/O table frees its slot anyway once the kernel has posted the request's last CQE, so that a
     * close never waits for a request the kernel is done with. A VirtualMachineError still ends the loop.
     */
    void complete(long userData, int res, int flags) {
        try {
            if (io.complete(userData, res, flags)) {
                counters.increment(LoopCounter.IO_COMPLETED);
            }
        } catch (Throwable e) {
            failures.report(new FailedCompletion(userData, res), e);
        }
    }

    /** What the error handler is told ran, when an I/O completion threw. */
    private record FailedCompletion(long userData, int res) implements Runnable {
        @Override
        public void run() {
        }

        @Override
        public String toString() {
            return "the completion of I/O request " + Long.toHexString(userData) + " (res " + res + ")";
        }
    }

    /**
     * One pass of the close: fails every request still waiting for CQ room, cancels in the kernel every request
     * handed to it since the last such pass (tasks that run while the loop closes may still start I/O), and, once
     * the kernel has had {@link #CLOSE_IO_GRACE_NANOS} to answer, abandons what is left.
     *
     * @return true when no request is in flight any more
     */
    boolean closePass() {
        IoRequest r;
        while ((r = io.pollWaiting()) != null) {
            completeGuarded(r, -Errno.ECANCELED);
        }
        if (cancelStartedAt == 0) {
            cancelStartedAt = System.nanoTime();
        }
        if (io.live() == 0) {
            return true;
        }
        if (System.nanoTime() - cancelStartedAt >= CLOSE_IO_GRACE_NANOS) {
            abandon();
            return true;
        }
        long submitted = counters.get(LoopCounter.IO_SUBMITTED);
        if (submitted != submittedAtCancel && canCancel) {
            submittedAtCancel = submitted;
            if (cancelAny) {
                DoorbellDriver.queueThroughFullSq(ring, () -> ring.sq().asyncCancel(0, IoUringFlags.ASYNC_CANCEL_ANY
                        | IoUringFlags.ASYNC_CANCEL_ALL, DoorbellDriver.USER_DATA_CANCEL));
            } else {
                cancelEachInFlight();
            }
        }
        return false;
    }

    /**
     * Before 5.19 a cancel matches one request by its {@code user_data}: one cancel per request in flight. A request
     * cancelled by an earlier pass and still in flight is asked again, which the kernel answers with -ENOENT or
     * -EALREADY; a request with a linked timeout is cancelled by its first SQE, which takes the timeout with it.
     */
    private void cancelEachInFlight() {
        for (long target : io.inFlightUserData()) {
            DoorbellDriver.queueThroughFullSq(ring, () -> {
                if (!ring.sq().asyncCancel(target, 0, DoorbellDriver.USER_DATA_CANCEL)) {
                    return false;
                }
                if (cqeSkip) {
                    ring.sq().orFlagsOfLast(IoUringFlags.SQE_CQE_SKIP_SUCCESS);
                }
                return true;
            });
        }
    }

    /**
     * The loop failed during its close: one last cancel of everything, a bounded wait for the kernel's answers,
     * and whatever is still in flight after that is abandoned. Never throws.
     *
     * @param handler where the CQEs reaped meanwhile go
     * @param cause the failure, which collects anything thrown here
     */
    void giveUp(CompletionHandler handler, Throwable cause) {
        try {
            if (!released && !ring.isClosed()) {
                submittedAtCancel = -1;
                cancelStartedAt = 0;
                long deadline = System.nanoTime() + CLOSE_IO_GRACE_NANOS;
                while (!closePass() && System.nanoTime() - deadline < 0) {
                    int r = ring.submitAndWait(1, 10_000_000L);
                    if (r < 0 && r != -Errno.EINTR && r != -Errno.ETIME && r != -Errno.EAGAIN && r != -Errno.EBUSY) {
                        break;
                    }
                    ring.cq().reap(handler, Integer.MAX_VALUE);
                }
            }
        } catch (Throwable e) {
            cause.addSuppressed(e);
        }
        abandon();
    }

    /**
     * The kernel has not answered the cancels in time (or the loop can no longer ask it): the requests are failed so
     * that close() ends, and kept reachable for the life of the process, so that memory the loop allocated for them
     * is never freed under the kernel.
     */
    private void abandon() {
        List<IoRequest> left = io.abandonAll();
        if (left.isEmpty()) {
            return;
        }
        ABANDONED.addAll(left);
        LOG.log(System.Logger.Level.WARNING, "event loop {0}: the kernel did not finish {1} I/O request(s) after they "
                + "were cancelled; they are failed now and their memory is kept for the life of the process",
                Thread.currentThread().getName(), left.size());
        for (IoRequest r : left) {
            completeGuarded(r, -Errno.ECANCELED);
        }
    }

    /**
     * Completes a request the kernel will not complete, with {@code res} for each CQE its SQEs could post (a request
     * with a linked timeout waits for both), reporting, never throwing, what its completion throws.
     */
    private void completeGuarded(IoRequest r, int res) {
        try {
            for (int part = 0; part < r.sqes() && !r.complete(res, 0, part); part++) {
                // next part
            }
        } catch (Throwable e) {
            try {
                failures.tell(new FailedCompletion(-1, res), e);
            } catch (Throwable ignored) {
                // The loop is ending; the request has been told all it can be.
            }
        }
    }

    /** The ring is about to be released: nothing may reach it any more. */
    void release() {
        released = true;
    }

    int inFlight() {
        return io.live();
    }

    int waiting() {
        return io.waitingCount();
    }

    int budget() {
        return io.budget();
    }
}
