package io.ringloop;

/**
 * How producers wake a sleeping loop. Whatever the mechanism, producers make a wake syscall only when the loop has
 * announced that it is about to sleep, and at most one per sleep.
 */
public enum Doorbell {
    /** The best this kernel offers: settled by the showdown's numbers; falls back under the feature mask. */
    AUTO,
    /**
     * An eventfd watched by one multishot {@code POLL_ADD}, re-armed whenever the kernel ends it (a CQE without
     * {@code IORING_CQE_F_MORE}, e.g. on CQ overflow). Kernel 5.13+.
     */
    EVENTFD_POLL_MULTISHOT,
    /** An eventfd with a one-shot {@code READ} kept pending while the loop sleeps. Kernel 5.6+. */
    EVENTFD_READ,
    /**
     * No eventfd at all: the loop sleeps inside the ring with {@code IORING_OP_FUTEX_WAIT} on the wake word itself,
     * and producers {@code futex_wake} it. Kernel 6.7+.
     */
    FUTEX_WAIT,
    /**
     * No eventfd and nothing armed: producers post a MSG_RING message straight into the loop's CQ with
     * {@code IORING_REGISTER_SEND_MSG_RING}, one syscall from any thread. Kernel 6.13+. A message the kernel refuses
     * is rung through a backup eventfd read, pending from the loop's first sleep on ({@link
     * LoopStats#doorbellFallbacks()}).
     */
    SEND_MSG_RING,
    /**
     * Not a loop's own doorbell but the path between loops: when the producer is itself a ringloop loop thread, it
     * posts the wake CQE into the parked loop's CQ with {@code IORING_OP_MSG_RING} from its own ring, whatever the
     * target's own doorbell is. Gated by the same wake word; counted in {@link LoopStats#msgRingWakes()}. On by
     * default ({@link LoopOptions.Builder#msgRingFromLoops}), off when the feature mask hides {@code MSG_RING}.
     * Kernel 5.18+. {@link LoopOptions.Builder#doorbell} rejects it: every loop still needs a doorbell for the
     * threads that are not loops.
     */
    MSG_RING
}
