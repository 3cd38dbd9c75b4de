package io.ringloop.io;

import io.ringloop.binding.Errno;

/** An operation's timeout ({@code IORING_OP_LINK_TIMEOUT}) fired before it completed; the kernel cancelled it. */
public final class IoTimeoutException extends RingIoException {
    private static final long serialVersionUID = 1L;

    IoTimeoutException(String operation, String target, long timeoutNanos) {
        super(operation, target, Errno.ETIME, "timed out after " + formatNanos(timeoutNanos));
    }

    static String formatNanos(long nanos) {
        return nanos % 1_000_000 == 0 ? nanos / 1_000_000 + " ms" : nanos / 1_000 + " µs";
    }
}
