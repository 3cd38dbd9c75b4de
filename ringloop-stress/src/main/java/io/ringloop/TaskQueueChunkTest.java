package io.ringloop;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two producers claim the last slot of a chunk and the first of the next, and may both append the next chunk: one
 * append wins, and both tasks are taken exactly once and in claim order. Result: (taken, in claim order: 1 or 0).
 * (The loop drains in the arbiter: jcstress runs a three-actor test only on three CPUs, and CI has two;
 * {@link TaskQueueChunkDrainTest} races the loop against a producer crossing the boundary.)
 */
@JCStressTest
@Description("offers across a chunk boundary: every task taken once, in claim order")
@Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "both tasks taken once, in order")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "a task lost, taken twice, or out of claim order")
@State
public class TaskQueueChunkTest {
    private final WakeWord word = new WakeWord();
    private final TaskQueue queue = new TaskQueue(word, 0, QueueFullPolicy.BLOCK);
    private final Runnable[] taken = new Runnable[4];
    private final Runnable[] claimOrder = new Runnable[2];
    private int n;

    public TaskQueueChunkTest() {
        toLastSlotOfAChunk(queue, word);
    }

    /**
     * Takes a fresh queue to where its next claim is the last slot of the first chunk: the chunk tests start there.
     *
     * @param queue the queue
     * @param word its word
     */
    static void toLastSlotOfAChunk(TaskQueue queue, WakeWord word) {
        for (int i = 0; i < TaskSlots.CHUNK - 1; i++) {
            queue.tryOffer(TaskQueue.SKIPPED);
        }
        // poll passes over SKIPPED slots: this takes all of them and returns null.
        queue.poll(WakeWord.sequence(word.get()));
        queue.afterPolls();
    }

    @Actor
    public void producer1() {
        offer();
    }

    @Actor
    public void producer2() {
        offer();
    }

    private void offer() {
        Runnable task = new Runnable() {
            @Override
            public void run() {
            }
        };
        long before = queue.tryOffer(task);
        claimOrder[(int) (WakeWord.sequence(before) - (TaskSlots.CHUNK - 1))] = task;
    }

    @Arbiter
    public void arbiter(II_Result r) {
        Runnable t;
        while ((t = queue.poll(WakeWord.sequence(word.get()))) != null) {
            taken[n++] = t;
        }
        r.r1 = n;
        r.r2 = n == 2 && taken[0] == claimOrder[0] && taken[1] == claimOrder[1] ? 1 : 0;
    }
}
