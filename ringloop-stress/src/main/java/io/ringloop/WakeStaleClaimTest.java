package io.ringloop;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A producer offers while the loop is armed, and the loop wakes (a timeout), disarms, drains and re-arms while
 * the producer is between its offer and its bell claim. Result: (offer saw ARMED, rang, taken, sleeps).
 *
 * <p>A bell claim that lands after the disarm must fail, and then the loop sees the slot claimed; a bell claim that
 * lands after the re-arm wins that sleep's bell: a spurious wake, never a lost one. Any outcome not listed (a ring
 * without having seen ARMED, a ring while the loop stays awake, a failed claim whose task the loop did not see) is
 * forbidden.
 */
@JCStressTest
@Description("a claim that straddles a disarm/re-arm is harmless: never a lost wake")
@Outcome(id = ".*, false, false, true", expect = FORBIDDEN,
        desc = "lost wake: the loop sleeps, the task is queued, nobody rang")
@Outcome(id = "true, true, false, true", expect = ACCEPTABLE, desc = "offer after the re-arm: it rings for the sleep")
@Outcome(id = "true, true, true, true", expect = ACCEPTABLE_INTERESTING,
        desc = "a spurious ring, the task already taken: a stale claim won the re-armed sleep's bell")
@Outcome(id = "true, false, true, true", expect = ACCEPTABLE,
        desc = "the offer saw the first sleep, the claim lost to the disarm; the drain saw the task")
@Outcome(id = "false, false, true, true", expect = ACCEPTABLE,
        desc = "offered while awake, the drain saw it, the loop sleeps")
@Outcome(id = ".*, true, false", expect = FORBIDDEN,
        desc = "taken, yet the loop stays awake: the sequence ahead of the slots taken with one offer taken")
@Outcome(id = "false, false, false, false", expect = ACCEPTABLE,
        desc = "offered while awake, after the drain: SEQ is ahead of the slots taken, the loop stays awake")
@State
public class WakeStaleClaimTest {
    private final WakeWord word = new WakeWord();
    private final TaskQueue queue = new TaskQueue(word, 0, QueueFullPolicy.BLOCK);

    public WakeStaleClaimTest() {
        word.arm();
    }

    @Actor
    public void producer(ZZZZ_Result r) {
        long before = queue.tryOffer(() -> { });
        boolean sawArmed = WakeWord.shouldRing(before);
        r.r1 = sawArmed;
        r.r2 = sawArmed && word.claimRing();
    }

    /** The loop wakes from its first sleep without a bell (timeout), then runs one doWork and one park. */
    @Actor
    public void loop(ZZZZ_Result r) {
        word.disarm();
        r.r3 = queue.poll(WakeWord.sequence(word.get())) != null;
        long armed = word.arm();
        boolean sleeps = WakeWord.sequence(armed) == queue.consumed();
        if (!sleeps) {
            word.disarm();
        }
        r.r4 = sleeps;
    }
}
