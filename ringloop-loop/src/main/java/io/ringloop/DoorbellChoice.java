package io.ringloop;

import io.ringloop.binding.KernelFeature;
import io.ringloop.binding.Ring;
import io.ringloop.binding.SyscallLayer;

import java.util.List;
import java.util.Set;

/**
 * Which doorbell a loop gets: the one its options ask for, if this kernel (less the feature mask) has it. Also where a
 * kernel below the loop's floor is refused, before any thread starts.
 */
final class DoorbellChoice {
    /**
     * What every loop needs whatever its doorbell: overflowed CQEs kept (a full CQ must not lose a completion), and
     * cancels and timeouts for the I/O layer's cancel, the close and the waits without {@code EXT_ARG}. All 5.5;
     * the oldest release tested is 5.10.
     */
    static final List<KernelFeature> LOOP_FLOOR = List.of(KernelFeature.NODROP, KernelFeature.ASYNC_CANCEL,
            KernelFeature.TIMEOUT, KernelFeature.TIMEOUT_REMOVE);

    private DoorbellChoice() {
    }

    /**
     * Picks the doorbell: the one asked for if the kernel (less the mask) supports it, AUTO's best otherwise.
     * Probing needs a ring of its own; it is tiny and closed at once.
     *
     * @throws UnsupportedOperationException naming the missing feature and the release that has it, if the kernel is
     *     below the loop's floor or lacks the doorbell asked for
     */
    static Doorbell resolve(LoopOptions options) {
        Set<KernelFeature> has;
        try (Ring probeRing = Ring.open(options.ringOptions().withCqEntries(0))) {
            has = probeRing.supported();
        }
        for (KernelFeature f : LOOP_FLOOR) {
            if (!has.contains(f)) {
                throw new UnsupportedOperationException("an event loop needs " + f.describe() + ", which this kernel"
                        + " lacks or the feature mask hides (" + options.featureMask().describe() + ")");
            }
        }
        boolean futex = has.contains(KernelFeature.FUTEX_WAIT);
        // POLL_ADD is as old as io_uring; its multishot mode (the flag, which the probe does not show) came in 5.13.
        boolean poll = has.contains(KernelFeature.POLL_ADD) && has.contains(KernelFeature.POLL_ADD_MULTI);
        boolean read = has.contains(KernelFeature.READ);
        // The kernel's real answer (one register call that fails harmlessly) rather than the inferred release, which
        // a kernel with the register operation backported would understate; the mask and the profile still hide it.
        boolean sendMsgRing = has.contains(KernelFeature.MSG_RING)
                && !options.featureMask().hides(KernelFeature.REGISTER_SEND_MSG_RING)
                && SendMsgRingDoorbell.supported(options.syscalls());
        return switch (options.doorbell()) {
            case AUTO -> poll ? Doorbell.EVENTFD_POLL_MULTISHOT : read ? Doorbell.EVENTFD_READ
                    : futex ? Doorbell.FUTEX_WAIT : fail(Doorbell.AUTO, "IORING_OP_POLL_ADD with "
                    + KernelFeature.POLL_ADD_MULTI.describe() + ", " + KernelFeature.READ.describe() + " or "
                    + KernelFeature.FUTEX_WAIT.describe());
            case EVENTFD_POLL_MULTISHOT -> poll ? Doorbell.EVENTFD_POLL_MULTISHOT
                    : fail(Doorbell.EVENTFD_POLL_MULTISHOT, has.contains(KernelFeature.POLL_ADD)
                            ? KernelFeature.POLL_ADD_MULTI.describe() : KernelFeature.POLL_ADD.describe());
            case EVENTFD_READ -> read ? Doorbell.EVENTFD_READ
                    : fail(Doorbell.EVENTFD_READ, KernelFeature.READ.describe());
            case FUTEX_WAIT -> futex ? Doorbell.FUTEX_WAIT
                    : fail(Doorbell.FUTEX_WAIT, KernelFeature.FUTEX_WAIT.describe());
            case SEND_MSG_RING -> sendMsgRing ? Doorbell.SEND_MSG_RING
                    : fail(Doorbell.SEND_MSG_RING, KernelFeature.REGISTER_SEND_MSG_RING.describe());
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
