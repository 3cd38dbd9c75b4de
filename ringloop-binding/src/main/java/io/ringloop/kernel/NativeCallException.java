package io.ringloop.kernel;

import io.ringloop.binding.Errno;

/**
 * A system call failed in a way the caller cannot handle: carries the errno and names it.
 */
public class NativeCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The positive errno value. */
    private final int errno;

    /**
     * Creates an exception for a failed call.
     *
     * @param call the call that failed
     * @param negativeErrno its result, {@code -errno}
     */
    public NativeCallException(String call, long negativeErrno) {
        this(Errno.describe(call, negativeErrno), (int) -negativeErrno);
    }

    /**
     * Creates an exception with a message of the caller's.
     *
     * @param message the full message, which should name the errno
     * @param errno the positive errno value
     */
    public NativeCallException(String message, int errno) {
        super(message);
        this.errno = Math.abs(errno);
    }

    /**
     * The errno of the failed call.
     *
     * @return the positive errno value
     */
    public int errno() {
        return errno;
    }

    /**
     * The errno's symbolic name.
     *
     * @return for example {@code "EBADF"}
     */
    public String errnoName() {
        return Errno.name(errno);
    }
}
