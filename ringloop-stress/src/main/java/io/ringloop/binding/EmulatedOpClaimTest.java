package io.ringloop.binding;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The epoll backend's regular-file requests ({@link FileWorkers}): a worker thread taking a queued request races the
 * loop's cancel taking it back. Result: (the worker won; the cancel won; the worker saw the fields the loop wrote
 * before it queued the request).
 *
 * <p>Exactly one may win. Both would complete the request twice, the cancel's CQE while the worker still reads or
 * writes its buffer (the kernel-touches-a-buffer-after-its-future rule, broken by a thread of our own); neither would
 * leave it without a CQE, and its future for ever pending.
 */
@JCStressTest
@Description("a file worker and a cancel race for a queued epoll request: exactly one takes it")
@Outcome(id = "true, false, true", expect = ACCEPTABLE,
        desc = "the worker took it: the cancel reports EALREADY, the request ends with the worker's result")
@Outcome(id = "false, true, true", expect = ACCEPTABLE,
        desc = "the cancel took it: the request ends cancelled, the worker skips it")
@Outcome(id = "true, true, .*", expect = FORBIDDEN, desc = "both: two CQEs, one while the worker uses the buffer")
@Outcome(id = "false, false, .*", expect = FORBIDDEN, desc = "neither: the request never ends")
@Outcome(id = "true, false, false", expect = FORBIDDEN,
        desc = "the worker won but read a field from before the loop queued the request")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "anything else")
@State
public class EmulatedOpClaimTest {
    private final EmulatedOp op = new EmulatedOp();
    private boolean workerWon;
    private boolean cancelWon;

    public EmulatedOpClaimTest() {
        // The loop copies the SQE into the op before it hands the op to the pool (FileWorkers.submit).
        op.fd = 42;
        op.len = 4096;
    }

    /** FileWorkers.submit's task: take the request, then read what the call needs. */
    @Actor
    public void worker(ZZZ_Result r) {
        if (op.claim(EmulatedOp.QUEUED, EmulatedOp.RUNNING)) {
            workerWon = true;
            r.r3 = op.fd == 42 && op.len == 4096;
        } else {
            r.r3 = true;
        }
    }

    /** EmulatedRequests' cancel of a queued file request, on the loop thread. */
    @Actor
    public void cancel() {
        cancelWon = op.claim(EmulatedOp.QUEUED, EmulatedOp.CANCELLED);
    }

    @Arbiter
    public void outcome(ZZZ_Result r) {
        r.r1 = workerWon;
        r.r2 = cancelWon;
    }
}
