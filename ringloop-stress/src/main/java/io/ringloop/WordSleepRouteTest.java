package io.ringloop;

import io.ringloop.binding.SyscallLayer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZI_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The bell's route ({@link WordSleep}): the loop's last sleep was on its word; now, with I/O in flight, it arms for a
 * sleep in its ring, while a producer offers. Result: (the loop sleeps: its re-check found nothing claimed; how the
 * producer woke it: 0 no bell, 1 a futex wake of the word, 2 the doorbell).
 *
 * <p>A loop that sleeps in its ring must get the doorbell. A producer that read the last sleep's "word" would wake
 * nobody: the loop would sleep with a task queued until its timeout.
 */
@JCStressTest
@Description("a sleep in the ring after one on the word: its bell goes to the doorbell, never to the stale futex")
@Outcome(id = "true, 2", expect = ACCEPTABLE, desc = "armed first: the producer saw ARMED and rang the doorbell")
@Outcome(id = "false, 0", expect = ACCEPTABLE, desc = "offered first: the loop's re-check saw it, no bell needed")
@Outcome(id = "false, 2", expect = ACCEPTABLE,
        desc = "the re-check failed for another reason (never here), or the bell rang a loop that did not sleep")
@Outcome(id = "true, 1", expect = FORBIDDEN, desc = "the bell went to the futex of the last sleep: wake lost")
@Outcome(id = "true, 0", expect = FORBIDDEN, desc = "the loop sleeps with a task claimed and no bell")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "anything else")
@State
public class WordSleepRouteTest {
    private final WakeWord word = new WakeWord();
    private final TaskQueue queue = new TaskQueue(word, 0, QueueFullPolicy.BLOCK);
    private final WordSleep sleep = new WordSleep(SyscallLayer.NATIVE, word);

    public WordSleepRouteTest() {
        // The last sleep was on the word and has ended (disarmed).
        sleep.chooseAndArm(word, true);
        word.disarm();
    }

    /** LoopAgent.park for a sleep in the ring: choose and arm, then the re-check against the slots taken (none). */
    @Actor
    public void loop(ZI_Result r) {
        long armed = sleep.chooseAndArm(word, false);
        r.r1 = WakeWord.sequence(armed) == queue.consumed();
    }

    /** EventLoop.execute then DoorbellDriver.ring's choice; the wake syscall itself is left out. */
    @Actor
    public void producer(ZI_Result r) {
        long before = queue.tryOffer(() -> { });
        if (WakeWord.shouldRing(before) && word.claimRing()) {
            r.r2 = sleep.chosen() ? 1 : 2;
        }
    }
}
