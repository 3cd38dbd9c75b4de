package io.ringloop;

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
 * An offer races the loop's termination, which is one CAS that succeeds only if no slot was claimed beyond those the
 * loop took. Result: (the offer was accepted, the loop terminated, the loop took the task before or after).
 *
 * <p>Every accepted task must be taken; a task the offer saw rejected must never be taken (execute() threw).
 */
@JCStressTest
@Description("offer against terminate: accepted and run, or rejected and never run; never accepted and lost")
@Outcome(id = "true, false, true", expect = ACCEPTABLE,
        desc = "offered first: the terminate CAS failed, the loop drains")
@Outcome(id = "false, true, false", expect = ACCEPTABLE, desc = "terminated first: the offer sees TERMINATED, rejects")
@Outcome(id = "true, true, false", expect = FORBIDDEN, desc = "accepted after the last drain: the task is lost")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "a rejected task taken, or an accepted one not taken")
@State
public class WakeTerminateTest {
    private final WakeWord word = new WakeWord();
    private final TaskQueue queue = new TaskQueue(word, 0, QueueFullPolicy.BLOCK);
    private boolean terminated;

    @Actor
    public void producer(ZZZ_Result r) {
        r.r1 = !WakeWord.terminated(queue.tryOffer(() -> { }));
    }

    /** LoopAgent.finishIfQuiet: nothing taken yet, the queue looked empty; terminate if nothing was claimed. */
    @Actor
    public void loop(ZZZ_Result r) {
        terminated = word.terminate(queue.consumed());
        r.r2 = terminated;
    }

    /** A loop that did not terminate drains again; a terminated one never takes anything more. */
    @Arbiter
    public void arbiter(ZZZ_Result r) {
        r.r3 = !terminated && queue.poll(WakeWord.sequence(word.get())) != null;
    }
}
