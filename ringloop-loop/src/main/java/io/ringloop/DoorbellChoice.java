package io.ringloop;

import io.ringloop.binding.Opcode;
import io.ringloop.binding.Probe;
import io.ringloop.binding.Ring;
import io.ringloop.binding.SyscallLayer;

/** Which doorbell a loop gets: the one its options ask for, if this kernel (less the feature mask) has it. */
final class DoorbellChoice {
    private DoorbellChoice() {
    }

    /**
     * Picks the doorbell: the one asked for if the kernel (less the mask) supports it, AUTO's best otherwise.
     * Probing needs a ring of its own; it is tiny and closed at once.
     */
    static Doorbell resolve(LoopOptions options) {
        Probe probe;
        try (Ring probeRing = Ring.open(options.ringOptions().withCqEntries(0))) {
            probe = probeRing.probe();
        }
        boolean futex = probe.supports(Opcode.FUTEX_WAIT);
        boolean poll = probe.supports(Opcode.POLL_ADD);
        boolean read = probe.supports(Opcode.READ);
        boolean sendMsgRing = probe.supports(Opcode.MSG_RING) && !options.featureMask().masks("SEND_MSG_RING")
                && SendMsgRingDoorbell.supported(options.syscalls());
        return switch (options.doorbell()) {
            case AUTO -> poll ? Doorbell.EVENTFD_POLL_MULTISHOT : read ? Doorbell.EVENTFD_READ
                    : futex ? Doorbell.FUTEX_WAIT : fail(Doorbell.AUTO, "POLL_ADD, READ or FUTEX_WAIT");
            case EVENTFD_POLL_MULTISHOT -> poll ? Doorbell.EVENTFD_POLL_MULTISHOT
                    : fail(Doorbell.EVENTFD_POLL_MULTISHOT, "IORING_OP_POLL_ADD");
            case EVENTFD_READ -> read ? Doorbell.EVENTFD_READ : fail(Doorbell.EVENTFD_READ, "IORING_OP_READ");
            case FUTEX_WAIT -> futex ? Doorbell.FUTEX_WAIT
                    : fail(Doorbell.FUTEX_WAIT, "IORING_OP_FUTEX_WAIT (Linux 6.7+)");
            case SEND_MSG_RING -> sendMsgRing ? Doorbell.SEND_MSG_RING
                    : fail(Doorbell.SEND_MSG_RING, "IORING_REGISTER_SEND_MSG_RING (Linux 6.13+)");
            case MSG_RING -> throw new AssertionError("LoopOptions rejects MSG_RING as a loop's own doorbell");
        };
    }

    private static Doorbell fail(Doorbell asked, String missing) {
        throw new UnsupportedOperationException("doorbell " + asked + " needs " + missing
                + ", which this kernel lacks or the feature mask hides; use Doorbell.AUTO to fall back");
    }

    /** The doorbell's driver, for a doorbell {@link #resolve} chose. */
    static DoorbellDriver create(Doorbell chosen, SyscallLayer sys, LoopCounters counters) {
        return switch (chosen) {
            case EVENTFD_POLL_MULTISHOT -> new EventfdPollDoorbell(sys, counters);
            case EVENTFD_READ -> new EventfdReadDoorbell(sys, counters);
            case FUTEX_WAIT -> new FutexDoorbell(sys, counters);
            case SEND_MSG_RING -> new SendMsgRingDoorbell(sys, counters);
            case AUTO, MSG_RING -> throw new AssertionError(chosen + " is resolved before construction");
        };
    }
}
