package io.ringloop;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** Two producers offer while the loop is armed: exactly one of them rings. Result: (first rang, second rang). */
@JCStressTest
@Description("two offers into one armed sleep: RUNG latches exactly one wake syscall")
@Outcome(id = {"true, false", "false, true"}, expect = ACCEPTABLE, desc = "one ring for the sleep")
@Outcome(id = "true, true", expect = FORBIDDEN, desc = "two rings for one sleep: the RUNG latch failed")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "no ring for an armed loop: lost wake")
@State
public class WakeOneRingPerSleepTest {
    private final WakeWord word = new WakeWord();
    private final TaskQueue queue = new TaskQueue(word, 0, QueueFullPolicy.BLOCK);

    public WakeOneRingPerSleepTest() {
        word.arm();
    }

    @Actor
    public void producer1(ZZ_Result r) {
        long before = queue.tryOffer(() -> { });
        r.r1 = WakeWord.shouldRing(before) && word.claimRing();
    }

    @Actor
    public void producer2(ZZ_Result r) {
        long before = queue.tryOffer(() -> { });
        r.r2 = WakeWord.shouldRing(before) && word.claimRing();
    }
}
