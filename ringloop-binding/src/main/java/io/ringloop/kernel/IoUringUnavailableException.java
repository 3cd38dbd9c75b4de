package io.ringloop.kernel;

import io.ringloop.binding.Errno;

/**
 * io_uring cannot be used in this process: the message says why and what to do.
 */
public final class IoUringUnavailableException extends NativeCallException {
    private static final long serialVersionUID = 1L;

    IoUringUnavailableException(String message, int errno) {
        super(message, errno);
    }

    /**
     * The exception for a failed {@code io_uring_setup}, with a message that says what the errno means here.
     *
     * @param negativeErrno the setup's result, {@code -errno}
     * @return the exception
     */
    public static IoUringUnavailableException of(long negativeErrno) {
        int errno = (int) -negativeErrno;
        String why = switch (errno) {
            case Errno.ENOSYS -> "the kernel has no io_uring (ENOSYS): it is older than 5.1 or built without"
                    + " CONFIG_IO_URING. Run on Linux >= 6.1 for the full feature set.";
            case Errno.EPERM -> "io_uring is forbidden in this process (EPERM): either the sysctl"
                    + " kernel.io_uring_disabled is 1 or 2 (set it to 0, or add this user to"
                    + " kernel.io_uring_group), or a seccomp profile (containers, systemd) blocks io_uring_setup;"
                    + " allow the io_uring_setup/io_uring_enter/io_uring_register syscalls.";
            case Errno.ENOMEM -> "the kernel could not allocate the ring (ENOMEM): on kernels before 5.12 ring memory"
                    + " counts against RLIMIT_MEMLOCK; raise 'ulimit -l' or use fewer or smaller rings.";
            default -> Errno.describe("io_uring_setup", negativeErrno);
        };
        return new IoUringUnavailableException("io_uring is unavailable: " + why, errno);
    }

    /**
     * The refusal the {@code IO_URING} feature mask stands in for: an {@code EPERM}, as a seccomp profile gives.
     *
     * @param mask the property that set the mask, for the message
     * @return the exception
     */
    public static IoUringUnavailableException masked(String mask) {
        return new IoUringUnavailableException("io_uring is unavailable: hidden by the feature mask IO_URING ("
                + mask + "), which refuses ring setup with EPERM as a seccomp profile does", Errno.EPERM);
    }
}
