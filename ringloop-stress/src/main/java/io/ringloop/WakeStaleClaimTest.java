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
 * A producer publishes while the loop is armed, and the loop wakes (a timeout), disarms, drains and re-arms while
 * the producer is between its publish and its claim. Result: (publish saw ARMED, rang, taken, sleeps).
 *
 * <p>A claim that lands after the disarm must fail, and then the disarm made the task visible to the drain; a
 * claim that lands after the re-arm wins that sleep's bell: a spurious wake, never a lost one. Any outcome not
 * listed (a ring without having seen ARMED, a ring while the loop stays awake, a failed claim whose task the loop
 * did not see) is forbidden.
 */
@JCStressTest
@Description("a claim that straddles a disarm/re-arm is harmless: never a lost wake")
@Outcome(id = ".*, false, false, true", expect = FORBIDDEN,
        desc = "lost wake: the loop sleeps, the task is queued, nobody rang")
@Outcome(id = "true, true, false, true", expect = ACCEPTABLE, desc = "publish after the re-arm: it rings for the sleep")
@Outcome(id = "true, true, true, true", expect = ACCEPTABLE_INTERESTING,
        desc = "a spurious ring, the task already taken: a stale claim won the re-armed sleep's bell, or the enqueue "
        + "showed before its publish")
@Outcome(id = "true, false, true, true", expect = ACCEPTABLE,
        desc = "publish saw the first sleep, the claim lost to the disarm; the drain saw the task")
@Outcome(id = "false, false, true, true", expect = ACCEPTABLE,
        desc = "published while awake, the drain saw it, the loop sleeps")
@Outcome(id = "false, false, true, false", expect = ACCEPTABLE,
        desc = "published while awake, taken, SEQ moved: the loop stays awake")
@Outcome(id = "false, false, false, false", expect = ACCEPTABLE,
        desc = "published while awake, the drain missed it, SEQ moved: the loop stays awake")
@State
public class WakeStaleClaimTest {
    private final WakeWord word = new WakeWord();
    private boolean queued;

    public WakeStaleClaimTest() {
        word.arm();
    }

    @Actor
    public void producer(ZZZZ_Result r) {
        queued = true;
        long before = word.publish();
        boolean sawArmed = WakeWord.shouldRing(before);
        r.r1 = sawArmed;
        r.r2 = sawArmed && word.claimRing();
    }

    /** The loop wakes from its first sleep without a bell (timeout), then runs one doWork and one park. */
    @Actor
    public void loop(ZZZZ_Result r) {
        word.disarm();
        long caughtUp = WakeWord.sequence(word.get());
        r.r3 = queued;
        long armed = word.arm();
        boolean sleeps = WakeWord.sequence(armed) == caughtUp;
        if (!sleeps) {
            word.disarm();
        }
        r.r4 = sleeps;
    }
}
