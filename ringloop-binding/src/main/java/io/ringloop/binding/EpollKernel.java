package io.ringloop.binding;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The epoll backend's kernel: a {@link SyscallLayer} whose io_uring calls are answered by rings of our own
 * ({@link EpollRing}), for hosts where {@code io_uring_setup} is refused (container seccomp profiles,
 * {@code kernel.io_uring_disabled}, old kernels). {@link Ring} opens, maps, enters and registers it as it would a
 * kernel ring; every other call (the doorbell's eventfd write, futexes, reads and writes) goes to the layer beneath.
 *
 * <p>The rings are found by their fd (the epoll fd) in one table, so any number of loops may share one instance.
 * Fds closed through {@link Syscalls#close} are reported to every ring ({@link #fdClosing}) before the number can
 * come back, so that a new file under an old number is registered afresh.
 */
public final class EpollKernel implements SyscallLayer {
    /** The kernel release whose io_uring the emulated rings offer: what the loop and I/O layer may use on epoll. */
    public static final String RELEASE = "5.11";
    private static final Map<Integer, EpollRing> RINGS = new ConcurrentHashMap<>();
    private final SyscallLayer beneath;

    private EpollKernel(SyscallLayer beneath) {
        this.beneath = beneath;
    }

    /**
     * The epoll backend over a layer for the calls it does not answer itself.
     *
     * @param beneath the layer beneath, usually {@link SyscallLayer#NATIVE}
     * @return the layer
     */
    public static SyscallLayer over(SyscallLayer beneath) {
        return beneath instanceof EpollKernel ? beneath : new EpollKernel(beneath);
    }

    /** Called before an fd is closed: every emulated ring forgets it at its next entry. */
    static void fdClosing(int fd) {
        if (!RINGS.isEmpty()) {
            for (EpollRing r : RINGS.values()) {
                r.closedFds.add(fd);
            }
        }
    }

    @Override
    public boolean emulatesIoUring() {
        return true;
    }

    @Override
    public long ioUringSetup(int entries, long params) {
        int[] errno = new int[1];
        EpollRing ring = EpollRing.setup(entries,
                Native.at(params, IoUringParams.LAYOUT.byteSize()), errno);
        if (ring == null) {
            return -errno[0];
        }
        RINGS.put(ring.epfd, ring);
        return ring.epfd;
    }

    @Override
    public long ioUringEnter(int ringFd, int toSubmit, int minComplete, int flags, long arg, long argSize) {
        EpollRing ring = RINGS.get(ringFd);
        return ring == null || (flags & IoUringFlags.ENTER_REGISTERED_RING) != 0 ? -Errno.EBADF
                : ring.enter(toSubmit, minComplete, flags, arg, argSize);
    }

    @Override
    public long ioUringRegister(int ringFd, int opcode, long arg, int count) {
        EpollRing ring = RINGS.get(ringFd);
        return ring == null ? -Errno.EBADF : ring.register(opcode, arg, count);
    }

    @Override
    public long mmap(long length, int prot, int flags, int fd, long offset) {
        EpollRing ring = RINGS.get(fd);
        return ring == null ? -Errno.EBADF : ring.map(offset, length);
    }

    @Override
    public int munmap(long address, long length) {
        return 0;
    }

    @Override
    public int closeRing(int fd) {
        EpollRing ring = RINGS.remove(fd);
        if (ring == null) {
            return -Errno.EBADF;
        }
        ring.close();
        return 0;
    }

    @Override
    public long write(int fd, long address, long length) {
        return beneath.write(fd, address, length);
    }

    @Override
    public long read(int fd, long address, long length) {
        return beneath.read(fd, address, length);
    }

    @Override
    public long futexWake(long address, long mask, int count, int flags) {
        return beneath.futexWake(address, mask, count, flags);
    }

    @Override
    public long futexWaitPrivate(long address, int expected, long timeoutAddress) {
        return beneath.futexWaitPrivate(address, expected, timeoutAddress);
    }

    @Override
    public long futexWakePrivate(long address, int count) {
        return beneath.futexWakePrivate(address, count);
    }

    @Override
    public String toString() {
        return "EpollKernel[" + beneath + "]";
    }
}
