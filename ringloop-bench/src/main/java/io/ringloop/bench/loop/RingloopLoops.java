package io.ringloop.bench.loop;

import io.ringloop.Doorbell;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** ringloop with each doorbell, AUTO last; a doorbell this kernel lacks is reported with the loop's own message. */
public final class RingloopLoops implements LoopFamily {
    /** Public for the roster, which finds this class by name. */
    public RingloopLoops() {
    }

    @Override
    public List<LoopUnderTest> open(Consumer<Unavailable> unavailable) {
        List<LoopUnderTest> loops = new ArrayList<>();
        for (Doorbell d : List.of(Doorbell.EVENTFD_POLL_MULTISHOT, Doorbell.EVENTFD_READ, Doorbell.FUTEX_WAIT,
                Doorbell.AUTO)) {
            try {
                loops.add(RingloopLoop.open(d));
            } catch (RuntimeException | LinkageError e) {
                unavailable.accept(Unavailable.of("ringloop", d.name(), e));
            }
        }
        return loops;
    }
}
