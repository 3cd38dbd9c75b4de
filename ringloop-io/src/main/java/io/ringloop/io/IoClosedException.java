package io.ringloop.io;

import io.ringloop.binding.Errno;

/**
 * The channel (or its loop) was closed before the operation completed, or the operation was started on a closed
 * channel. In-flight operations are cancelled in the kernel first; their buffers stay untouched by the kernel from
 * the moment this is delivered.
 */
public final class IoClosedException extends RingIoException {
    private static final long serialVersionUID = 1L;

    IoClosedException(String operation, String target, String what) {
        super(operation, target, Errno.ECANCELED, what);
    }
}
