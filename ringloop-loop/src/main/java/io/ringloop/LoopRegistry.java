package io.ringloop;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Running loops by a small id, so that a failed MSG_RING wake (whose CQE carries only its {@code user_data}) can be
 * traced back to the loop it was for and rung through that loop's own doorbell. Touched when a loop starts and ends
 * and on that rare failure, never on a hot path.
 */
final class LoopRegistry {
    /** Ids fit the low 32 bits of the sender's {@code user_data}; they are never reused while a loop holds one. */
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final ConcurrentHashMap<Integer, EventLoop> LOOPS = new ConcurrentHashMap<>();

    private LoopRegistry() {
    }

    static int register(EventLoop loop) {
        while (true) {
            int id = NEXT.incrementAndGet() & Integer.MAX_VALUE;
            if (LOOPS.putIfAbsent(id, loop) == null) {
                return id;
            }
        }
    }

    static void unregister(int id) {
        LOOPS.remove(id);
    }

    /** Every running loop, for the recorder's periodic events. */
    static Collection<EventLoop> all() {
        return LOOPS.values();
    }

    /**
     * The loop with this id.
     *
     * @return the loop, or null once it has terminated
     */
    static EventLoop get(int id) {
        return LOOPS.get(id);
    }
}
