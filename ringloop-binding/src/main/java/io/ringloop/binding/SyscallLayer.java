package io.ringloop.binding;

/**
 * The seam between ringloop and the kernel for every call the loop makes while running.
 *
 * <p>{@link #NATIVE} goes straight to the kernel. Tests wrap it to make a chosen call fail with EINTR, EAGAIN,
 * EBUSY, ETIME, ENOMEM... so that every recovery path runs against a real ring, and benchmarks wrap it to count
 * syscalls. Results are the kernel's: a non-negative value or {@code -errno}. Pointers are raw addresses.
 */
public interface SyscallLayer {
    /** The real kernel. */
    SyscallLayer NATIVE = new SyscallLayer() {
    };

    /**
     * {@code io_uring_setup(2)}.
     *
     * @param entries SQ entries wanted
     * @param params address of an {@link IoUringParams} struct, read and written by the kernel
     * @return the ring fd or {@code -errno}
     */
    default long ioUringSetup(int entries, long params) {
        return Native.syscall(SyscallNumbers.IO_URING_SETUP, entries, params, 0, 0, 0, 0);
    }

    /**
     * {@code io_uring_enter(2)}.
     *
     * @param ringFd the ring
     * @param toSubmit SQEs to submit
     * @param minComplete CQEs to wait for (with {@code IORING_ENTER_GETEVENTS})
     * @param flags {@code IORING_ENTER_*} ({@link IoUringFlags})
     * @param arg a sigset or, with {@code EXT_ARG}, a {@link GeteventsArg}; 0 for none
     * @param argSize the size of {@code arg}
     * @return SQEs consumed or {@code -errno}
     */
    default long ioUringEnter(int ringFd, int toSubmit, int minComplete, int flags, long arg, long argSize) {
        return Native.syscall(SyscallNumbers.IO_URING_ENTER, ringFd, toSubmit, minComplete, flags, arg, argSize);
    }

    /**
     * {@code io_uring_register(2)}.
     *
     * @param ringFd the ring, or -1 for the ringless opcodes such as {@code SEND_MSG_RING}
     * @param opcode a {@link RegisterOp}
     * @param arg the argument's address
     * @param count the argument count
     * @return the kernel's result or {@code -errno}
     */
    default long ioUringRegister(int ringFd, int opcode, long arg, int count) {
        return Native.syscall(SyscallNumbers.IO_URING_REGISTER, ringFd, opcode, arg, count, 0, 0);
    }

    /**
     * {@code write(2)}; the doorbell's eventfd write goes through here.
     *
     * @param fd the fd
     * @param address the bytes
     * @param length how many
     * @return bytes written or {@code -errno}
     */
    default long write(int fd, long address, long length) {
        return Native.write(fd, address, length);
    }

    /**
     * {@code read(2)}; the doorbell's eventfd drain goes through here.
     *
     * @param fd the fd
     * @param address where to read to
     * @param length how many bytes at most
     * @return bytes read or {@code -errno}
     */
    default long read(int fd, long address, long length) {
        return Native.read(fd, address, length);
    }

    /**
     * futex2 {@code futex_wake(2)} (Linux 6.7).
     *
     * @param address the futex word
     * @param mask the wake bitmask, {@link Futex#FUTEX_BITSET_MATCH_ANY} for any; it must fit the futex size,
     *     so {@code -1L} fails with {@code -EINVAL} for a {@link Futex#FUTEX2_SIZE_U32} futex
     * @param count how many waiters to wake at most
     * @param flags futex2 flags ({@link Futex#FUTEX2_SIZE_U32}, optionally {@link Futex#FUTEX2_PRIVATE})
     * @return waiters woken or {@code -errno}
     */
    default long futexWake(long address, long mask, int count, int flags) {
        return Native.syscall(SyscallNumbers.FUTEX_WAKE, address, mask, count, flags, 0, 0);
    }

    /**
     * Classic {@code futex(2)} {@code FUTEX_WAIT | FUTEX_PRIVATE_FLAG}: sleeps while the 32-bit word at the address
     * holds the expected value, until a {@link #futexWakePrivate} of the same address, the timeout or a signal.
     *
     * @param address the futex word (4-byte aligned)
     * @param expected the value to sleep on; if the word differs the call returns {@code -EAGAIN} at once
     * @param timeoutAddress a {@link KernelTimespec}, relative (CLOCK_MONOTONIC), or 0 for no timeout
     * @return 0 when woken, or {@code -errno} ({@code EAGAIN}, {@code ETIMEDOUT}, {@code EINTR})
     */
    default long futexWaitPrivate(long address, int expected, long timeoutAddress) {
        return Native.syscall(SyscallNumbers.FUTEX, address, Futex.FUTEX_WAIT | Futex.FUTEX_PRIVATE_FLAG,
                expected & 0xFFFF_FFFFL, timeoutAddress, 0, 0);
    }

    /**
     * Classic {@code futex(2)} {@code FUTEX_WAKE | FUTEX_PRIVATE_FLAG}: wakes waiters of {@link #futexWaitPrivate} on
     * the address. A private futex is a different futex from a shared one on the same address.
     *
     * @param address the futex word
     * @param count how many waiters to wake at most
     * @return waiters woken or {@code -errno}
     */
    default long futexWakePrivate(long address, int count) {
        return Native.syscall(SyscallNumbers.FUTEX, address, Futex.FUTEX_WAKE | Futex.FUTEX_PRIVATE_FLAG, count,
                0, 0, 0);
    }

    /**
     * Whether this layer answers the io_uring calls itself rather than the kernel (the epoll backend,
     * {@link EpollKernel}); the {@code IO_URING} feature mask hides only the kernel's io_uring.
     *
     * @return false for the kernel
     */
    default boolean emulatesIoUring() {
        return false;
    }

    /**
     * {@code mmap(2)} of a ring fd at one of io_uring's offsets, shared and read-write.
     *
     * @param length bytes
     * @param prot {@code PROT_*}
     * @param flags {@code MAP_*}
     * @param fd the ring fd
     * @param offset {@code IORING_OFF_*}
     * @return the address or {@code -errno}
     */
    default long mmap(long length, int prot, int flags, int fd, long offset) {
        return Native.mmap(length, prot, flags, fd, offset);
    }

    /**
     * {@code munmap(2)} of what {@link #mmap} mapped.
     *
     * @param address the address
     * @param length bytes
     * @return 0 or {@code -errno}
     */
    default int munmap(long address, long length) {
        return Native.munmap(address, length);
    }

    /**
     * {@code close(2)} of a ring fd.
     *
     * @param fd the ring fd
     * @return 0 or {@code -errno}
     */
    default int closeRing(int fd) {
        return Native.close(fd);
    }
}
