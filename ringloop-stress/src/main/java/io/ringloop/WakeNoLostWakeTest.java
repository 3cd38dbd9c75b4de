package io.ringloop;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * One producer against a loop that falls asleep: the task is never stranded. Result: (rang, taken, sleeps).
 *
 * <p>The real queue and word: the producer's offer is one atomic add that claims a slot and reads the loop's bits,
 * then a store; the loop drains, arms and compares the sequence the arm returned with the slots it took.
 */
@JCStressTest
@Description("execute() against park(): task queued, loop asleep, no bell must never happen")
@Outcome(id = "false, false, true", expect = FORBIDDEN,
        desc = "lost wake: the loop sleeps, the task is queued, nobody rang")
@Outcome(id = "true, .*, false", expect = FORBIDDEN,
        desc = "a ring although the loop stayed awake (one producer cannot)")
@Outcome(id = "true, true, true", expect = FORBIDDEN,
        desc = "a ring for a task the loop took: a taken task was claimed before the arm, and saw no ARMED")
@Outcome(id = "true, false, true", expect = ACCEPTABLE, desc = "the loop armed first; the producer rings for the task")
@Outcome(id = "false, true, true", expect = ACCEPTABLE, desc = "the loop took the task, then slept; no ring needed")
@Outcome(id = "false, false, false", expect = ACCEPTABLE,
        desc = "claimed before the arm, after the drain: SEQ is ahead of the slots taken, it drains again")
@State
public class WakeNoLostWakeTest {
    private final WakeWord word = new WakeWord();
    private final TaskQueue queue = new TaskQueue(word, 0, QueueFullPolicy.BLOCK);

    /** EventLoop.execute: claim a slot, store the task, ring if the claim saw the loop armed and wins the bell. */
    @Actor
    public void producer(ZZZ_Result r) {
        long before = queue.tryOffer(() -> { });
        r.r1 = WakeWord.shouldRing(before) && word.claimRing();
    }

    /** LoopAgent.doWork then park: drain, arm, re-check; a SEQ ahead of the slots taken means do not sleep. */
    @Actor
    public void loop(ZZZ_Result r) {
        r.r2 = queue.poll(WakeWord.sequence(word.get())) != null;
        long armed = word.arm();
        boolean sleeps = WakeWord.sequence(armed) == queue.consumed();
        if (!sleeps) {
            word.disarm();
        }
        r.r3 = sleeps;
    }
}
