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
 * A producer offers the last task of a chunk and the first of the next while the loop drains: the loop follows the
 * producer into the new chunk (waiting for a claimed slot, or for a chunk not linked yet) and takes both once, in
 * order. Result: (taken while the producer ran, taken in all with the tasks in order, else -1).
 */
@JCStressTest
@Description("the loop drains across a chunk the producer is appending: every task once, in order")
@Outcome(id = {"0, 2", "1, 2", "2, 2"}, expect = ACCEPTABLE, desc = "both tasks taken once, in order")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "a task lost, taken twice, or out of order")
@State
public class TaskQueueChunkDrainTest {
    private final WakeWord word = new WakeWord();
    private final TaskQueue queue = new TaskQueue(word, 0, QueueFullPolicy.BLOCK);
    private final Runnable first = () -> { };
    private final Runnable second = () -> { };
    private final Runnable[] taken = new Runnable[4];
    private int n;

    public TaskQueueChunkDrainTest() {
        TaskQueueChunkTest.toLastSlotOfAChunk(queue, word);
    }

    @Actor
    public void producer() {
        queue.tryOffer(first);
        queue.tryOffer(second);
    }

    @Actor
    public void loop(II_Result r) {
        drain();
        r.r1 = n;
    }

    @Arbiter
    public void arbiter(II_Result r) {
        drain();
        r.r2 = n == 2 && taken[0] == first && taken[1] == second ? 2 : -1;
    }

    private void drain() {
        Runnable t;
        while ((t = queue.poll(WakeWord.sequence(word.get()))) != null) {
            taken[n++] = t;
        }
    }
}
