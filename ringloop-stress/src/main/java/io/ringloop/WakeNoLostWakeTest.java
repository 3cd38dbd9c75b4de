package io.ringloop;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * One producer against a loop that falls asleep: the task is never stranded. Result: (rang, taken, sleeps).
 *
 * <p>The queue is a plain field, weaker than any real queue's element store: the only order between the producer's
 * enqueue and the loop's drain is the one {@link WakeWord#publish()} and {@link WakeWord#get()} give.
 */
@JCStressTest
@Description("execute() against park(): task queued, loop asleep, no bell must never happen")
@Outcome(id = "false, false, true", expect = FORBIDDEN,
        desc = "lost wake: the loop sleeps, the task is queued, nobody rang")
@Outcome(id = "true, .*, false", expect = FORBIDDEN,
        desc = "a ring although the loop stayed awake (one producer cannot)")
@Outcome(id = "true, false, true", expect = ACCEPTABLE, desc = "the loop armed first; the producer rings for the task")
@Outcome(id = "true, true, true", expect = ACCEPTABLE_INTERESTING, desc = "spurious ring: the loop took the task early")
@Outcome(id = "false, true, true", expect = ACCEPTABLE, desc = "the loop took the task, then slept; no ring needed")
@Outcome(id = "false, true, false", expect = ACCEPTABLE, desc = "the loop took the task; SEQ moved, it stays awake")
@Outcome(id = "false, false, false", expect = ACCEPTABLE, desc = "the drain missed it, but SEQ moved: it drains again")
@State
public class WakeNoLostWakeTest {
    private final WakeWord word = new WakeWord();
    private boolean queued;

    /** EventLoop.execute: enqueue, publish, ring if the loop armed and nobody claimed the bell. */
    @Actor
    public void producer(ZZZ_Result r) {
        queued = true;
        long before = word.publish();
        r.r1 = WakeWord.shouldRing(before) && word.claimRing();
    }

    /** LoopAgent.doWork then park: read SEQ, drain, arm, re-check; a SEQ that moved means do not sleep. */
    @Actor
    public void loop(ZZZ_Result r) {
        long caughtUp = WakeWord.sequence(word.get());
        r.r2 = queued;
        long armed = word.arm();
        boolean sleeps = WakeWord.sequence(armed) == caughtUp;
        if (!sleeps) {
            word.disarm();
        }
        r.r3 = sleeps;
    }
}
