package io.ringloop.bench.loop;

import io.ringloop.LoopGroup;
import io.ringloop.LoopOptions;
import io.ringloop.LoopStats;
import io.ringloop.binding.Opcode;
import io.ringloop.internal.LoopInternals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Two loops of a ringloop {@link LoopGroup} with default options, waking each other either with MSG_RING from their
 * own rings (the default) or, with {@code msgRingFromLoops(false)}, through each other's doorbell as any thread would.
 */
public final class RingloopPair implements LoopPair {
    private final LoopGroup group;
    private final String variant;
    private final int tidB;

    private RingloopPair(LoopGroup group, String variant) {
        this.group = group;
        this.variant = variant;
        this.tidB = LoopTid.of(group.loop(1));
    }

    /**
     * Opens the pair.
     *
     * @param msgRing whether the loops wake each other with MSG_RING
     * @return the running pair
     * @throws UnavailableException when MSG_RING is asked for but the feature mask hides it
     */
    public static RingloopPair open(boolean msgRing) throws UnavailableException {
        LoopOptions options = LoopOptions.builder().msgRingFromLoops(msgRing)
                .threadName("ringloop-l2l-" + (msgRing ? "msgring" : "doorbell")).build();
        if (msgRing && LoopInternals.featureMask(options).masksOpcode(Opcode.MSG_RING)) {
            throw new UnavailableException(new Unavailable("ringloop", "MSG_RING", "the feature mask hides MSG_RING"));
        }
        LoopGroup group = LoopGroup.open(2, options);
        try {
            return new RingloopPair(group, msgRing ? "MSG_RING" : group.loop(1).doorbell().name());
        } catch (RuntimeException e) {
            group.close();
            throw e;
        }
    }

    @Override
    public String system() {
        return "ringloop";
    }

    @Override
    public String variant() {
        return variant;
    }

    @Override
    public Executor a() {
        return group.loop(0);
    }

    @Override
    public Executor b() {
        return group.loop(1);
    }

    @Override
    public int tidB() {
        return tidB;
    }

    @Override
    public Map<String, Long> wakeCounters() {
        LoopStats a = group.loop(0).stats();
        LoopStats b = group.loop(1).stats();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("wakeups_rung", a.wakeupsRung() + b.wakeupsRung());
        m.put("msg_ring_wakes", a.msgRingWakes() + b.msgRingWakes());
        return m;
    }

    @Override
    public void close() {
        group.close();
    }
}
