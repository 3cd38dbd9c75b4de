package io.ringloop.bench.loop;

import io.ringloop.Doorbell;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * ringloop with every doorbell the enum has, AUTO last (so a new doorbell joins the showdown without a change here);
 * a doorbell this kernel lacks is reported with the loop's own message. MSG_RING, the path between loops, is left to
 * loop_to_loop_roundtrip.
 */
public final class RingloopLoops implements LoopFamily {
    /** Public for the roster, which finds this class by name. */
    public RingloopLoops() {
    }

    @Override
    public List<LoopUnderTest> open(Consumer<Unavailable> unavailable) {
        List<LoopUnderTest> loops = new ArrayList<>();
        List<Doorbell> order = new ArrayList<>(List.of(Doorbell.values()));
        order.remove(Doorbell.AUTO);
        order.add(Doorbell.AUTO);
        // Not a loop's own doorbell but how loops wake each other: loop_to_loop_roundtrip measures it.
        order.remove(Doorbell.MSG_RING);
        for (Doorbell d : order) {
            try {
                loops.add(RingloopLoop.open(d));
            } catch (RuntimeException | LinkageError e) {
                unavailable.accept(Unavailable.of("ringloop", d.name(), e));
            }
        }
        return loops;
    }
}
