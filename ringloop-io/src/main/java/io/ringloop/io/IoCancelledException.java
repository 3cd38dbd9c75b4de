package io.ringloop.io;

import io.ringloop.binding.Errno;

/** The operation was cancelled ({@code IORING_OP_ASYNC_CANCEL}) before it completed. */
public final class IoCancelledException extends RingIoException {
    private static final long serialVersionUID = 1L;

    IoCancelledException(String operation, String target) {
        super(operation, target, Errno.ECANCELED, "cancelled");
    }
}
