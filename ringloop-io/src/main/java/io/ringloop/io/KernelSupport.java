package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.binding.KernelFeature;
import io.ringloop.internal.LoopInternals;

/**
 * What the I/O layer asks of a loop's kernel (less the feature mask and the kernel profile), in one place.
 *
 * <p>The floor of ringloop-io is the loop's (5.10 is the oldest release tested). Files need nothing newer (READ,
 * WRITE, READV, WRITEV, FSYNC and the fixed-buffer opcodes are 5.1 to 5.6). Sockets fall back where a release lacks
 * the better way: a server accepts with one multishot accept from 5.19, else with one single-shot accept after
 * another; a receive is one multishot receive into the loop's provided buffers from 6.0, else one single-shot
 * receive after another into a buffer of the socket's own. {@link AsyncSocket#shutdownOutput()} needs
 * {@code IORING_OP_SHUTDOWN} (5.11) and is refused before, by name.
 */
final class KernelSupport {
    private KernelSupport() {
    }

    /** One accept SQE for every connection (5.19). */
    static boolean multishotAccept(EventLoop loop) {
        return LoopInternals.supports(loop, KernelFeature.ACCEPT_MULTISHOT);
    }

    /** One receive SQE for every arrival, into the loop's buffer ring (6.0, the buffer ring 5.19). */
    static boolean multishotReceive(EventLoop loop) {
        return LoopInternals.supports(loop, KernelFeature.RECV_MULTISHOT)
                && LoopInternals.supports(loop, KernelFeature.REGISTER_PBUF_RING);
    }

    /**
     * The refusal of an operation this kernel cannot do.
     *
     * @param loop the loop whose kernel lacks it
     * @param operation what was asked, e.g. {@code "shutdownOutput"}
     * @param feature what it needs
     * @return the exception, naming the feature, the release that has it and the mask in force
     */
    static UnsupportedOperationException missing(EventLoop loop, String operation, KernelFeature feature) {
        return new UnsupportedOperationException(operation + " needs " + feature.describe() + ", which this kernel"
                + " lacks or the feature mask hides (" + LoopInternals.featureMask(loop.options()).describe() + ")");
    }
}
