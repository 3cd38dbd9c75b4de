package io.ringloop.io;

import io.ringloop.binding.Errno;

import java.io.IOException;

/**
 * An I/O operation failed in the kernel: names the operation, the errno (by name) and the path or address.
 *
 * <p>For example {@code "connect 127.0.0.1:1: ECONNREFUSED"} or {@code "open /no/such: ENOENT"}.
 */
public class RingIoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final String target;
    private final int errno;

    /**
     * Makes one.
     *
     * @param operation the operation, such as {@code "read"}
     * @param target the path or address it was on
     * @param errno the positive errno
     * @param detail more words, or null
     */
    public RingIoException(String operation, String target, int errno, String detail) {
        super(operation + " " + target + ": " + Errno.name(errno) + (detail == null ? "" : " (" + detail + ")"));
        this.operation = operation;
        this.target = target;
        this.errno = Math.abs(errno);
        IoErrorEvent.Recorder.emit(operation, target, this.errno, Errno.name(this.errno));
    }

    /**
     * The exception for a negative result, of the most specific subclass.
     *
     * @param operation the operation
     * @param target the path or address
     * @param negativeErrno the kernel's result
     * @return the exception
     */
    public static RingIoException of(String operation, String target, int negativeErrno) {
        return new RingIoException(operation, target, -negativeErrno, null);
    }

    /**
     * The operation, such as {@code "read"}, {@code "accept"}, {@code "connect"}.
     *
     * @return its name
     */
    public String operation() {
        return operation;
    }

    /**
     * The path or socket address the operation was on.
     *
     * @return its description
     */
    public String target() {
        return target;
    }

    /**
     * The errno.
     *
     * @return a positive errno value
     */
    public int errno() {
        return errno;
    }

    /**
     * The errno's symbolic name, such as {@code "ECONNRESET"}.
     *
     * @return the name
     */
    public String errnoName() {
        return Errno.name(errno);
    }
}
