package io.ringloop.binding;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The downcalls the epoll backend makes in place of a ring: readiness ({@code epoll_*}, {@code poll}) and the
 * non-blocking calls it retries when an fd turns ready. One {@code static final MethodHandle} per libc function,
 * errno captured and linked on first use as in {@link Native}; every method returns the result or {@code -errno}.
 * Pointers are raw addresses.
 */
@SuppressWarnings("restricted")
final class EpollNative {
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;
    static final int EPOLLIN = 0x001;
    static final int EPOLLPRI = 0x002;
    static final int EPOLLOUT = 0x004;
    static final int EPOLLERR = 0x008;
    static final int EPOLLHUP = 0x010;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLLET = 1 << 31;

    /**
     * {@code struct epoll_event} is packed on x86-64 (12 bytes, data at 4) and naturally aligned elsewhere (16 bytes,
     * data at 8).
     */
    static final long EVENT_SIZE = SyscallNumbers.X86_64 ? 12 : 16;
    static final long EVENT_EVENTS = 0;
    static final long EVENT_DATA = SyscallNumbers.X86_64 ? 4 : 8;
    /** {@code struct pollfd}: int fd, short events, short revents. */
    static final long POLLFD_SIZE = 8;
    static final long POLLFD_EVENTS = 4;
    static final long POLLFD_REVENTS = 6;

    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int SOL_SOCKET = 1;
    static final int SO_ERROR = 4;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_NOSIGNAL = 0x4000;
    /** {@code epoll_pwait2} (5.11) has the same number on x86-64 and aarch64. */
    private static final long EPOLL_PWAIT2 = 441;

    private static final class EpollCreate1 {
        static final MethodHandle HANDLE = Native.link("epoll_create1",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);
    }

    private static final class EpollCtl {
        static final MethodHandle HANDLE = Native.link("epoll_ctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), -1);
    }

    private static final class EpollWait {
        static final MethodHandle HANDLE = Native.link("epoll_wait",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), -1);
    }

    private static final class Poll {
        static final MethodHandle HANDLE = Native.link("poll",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), -1);
    }

    /** {@code int fcntl(int fd, int cmd, ...)}: the argument is variadic. */
    private static final class Fcntl {
        static final MethodHandle HANDLE = Native.link("fcntl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), 2);
    }

    private static final class Accept4 {
        static final MethodHandle HANDLE = Native.link("accept4",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), -1);
    }

    private static final class Connect {
        static final MethodHandle HANDLE = Native.link("connect",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), -1);
    }

    private static final class Getsockopt {
        static final MethodHandle HANDLE = Native.link("getsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), -1);
    }

    private static final class Sendmsg {
        static final MethodHandle HANDLE = Native.link("sendmsg",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), -1);
    }

    private static final class Shutdown {
        static final MethodHandle HANDLE = Native.link("shutdown",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), -1);
    }

    /** {@code ssize_t pwritev2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags)}. */
    private static final class Pwritev2 {
        static final MethodHandle HANDLE = Native.link("pwritev2",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT), -1);
    }

    private static final class Fsync {
        static final MethodHandle HANDLE = Native.link("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);
    }

    private static final class Fdatasync {
        static final MethodHandle HANDLE = Native.link("fdatasync",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);
    }

    private EpollNative() {
    }

    private static MemorySegment at(long address) {
        return MemorySegment.ofAddress(address);
    }

    static int epollCreate1(int flags) {
        MemorySegment cs = Native.capture();
        try {
            return (int) Native.result((int) EpollCreate1.HANDLE.invokeExact(cs, flags), cs);
        } catch (Throwable t) {
            throw Native.unreachable(t);
        }
    }

    static int epollCtl(int epfd, int op, int fd, long event) {
        MemorySegment cs = Native.capture();
        try {
            return (int) Native.result((int) EpollCtl.HANDLE.invokeExact(cs, epfd, op, fd, at(event)), cs);
        } catch (Throwable t) {
            throw Native.unreachable(t);
        }
    }

    static int epollWait(int epfd, long events, int max, int timeoutMillis) {
        MemorySegment cs = Native.capture();
        try {
            return (int) Native.result((int) EpollWait.HANDLE.invokeExact(cs, epfd, at(events), max, timeoutMillis),
                    cs);
        } catch (Throwable t) {
            throw Native.unreachable(t);
        }
    }

    /** {@code epoll_pwait2(2)}: a nanosecond timeout ({@link KernelTimespec}, 0 for none); -ENOSYS before 5.11. */
    static int epollPwait2(int epfd, long events, int max, long timespec) {
        return (int) Native.syscall(EPOLL_PWAIT2, epfd, events, max, timespec, 0, 8);
    }

    static int poll(long pollfds, long count, int timeoutMillis) {
        MemorySegment cs = Native.capture();
        try {
            return (int) Native.result((int) Poll.HANDLE.invokeExact(cs, at(pollfds), count, timeoutMillis), cs);
        } catch (Throwable t) {
            throw Native.unreachable(t);
        }
    }

    static int fcntl(int fd, int cmd, int arg) {
        MemorySegment cs = Native.capture();
        try {
            return (int) Native.result((int) Fcntl.HANDLE.invokeExact(cs, fd, cmd, arg), cs);
        } catch (Throwable t) {
            throw Native.unreachable(t);
        }
    }

    static int accept4(int fd, long address, long lengthAddress, int flags) {
        MemorySegment cs = Native.capture();
        try {
            return (int) Native.result((int) Accept4.HANDLE.invokeExact(cs, fd, at(address), at(lengthAddress), flags),
                    cs);
        } catch (Throwable t) {
            throw Native.unreachable(t);
        }
    }

    static int connect(int fd, long address, int length) {
        MemorySegment cs = Native.capture();
        try {
            return (int) Native.result((int) Connect.HANDLE.invokeExact(cs, fd, at(address), length), cs);
        } catch (Throwable t) {
            throw Native.unreachable(t);
        }
    }

    static int getsockopt(int fd, int level, int name, long value, long lengthAddress) {
        MemorySegment cs = Native.capture();
        try {
            return (int) Native.result((int) Getsockopt.HANDLE.invokeExact(cs, fd, level, name, at(value),
                    at(lengthAddress)), cs);
        } catch (Throwable t) {
            throw Native.unreachable(t);
        }
    }

    static long sendmsg(int fd, long msghdr, int flags) {
        MemorySegment cs = Native.capture();
        try {
            return Native.result((long) Sendmsg.HANDLE.invokeExact(cs, fd, at(msghdr), flags), cs);
        } catch (Throwable t) {
            throw Native.unreachable(t);
        }
    }

    static int shutdown(int fd, int how) {
        MemorySegment cs = Native.capture();
        try {
            return (int) Native.result((int) Shutdown.HANDLE.invokeExact(cs, fd, how), cs);
        } catch (Throwable t) {
            throw Native.unreachable(t);
        }
    }

    /** {@code pwritev2(2)}: an offset of -1 writes at (and moves) the file position, as {@code writev} does. */
    static long pwritev2(int fd, long iovecs, int count, long offset, int flags) {
        MemorySegment cs = Native.capture();
        try {
            return Native.result((long) Pwritev2.HANDLE.invokeExact(cs, fd, at(iovecs), count, offset, flags), cs);
        } catch (Throwable t) {
            throw Native.unreachable(t);
        }
    }

    static int fsync(int fd, boolean dataOnly) {
        MemorySegment cs = Native.capture();
        try {
            return (int) Native.result(dataOnly ? (int) Fdatasync.HANDLE.invokeExact(cs, fd)
                    : (int) Fsync.HANDLE.invokeExact(cs, fd), cs);
        } catch (Throwable t) {
            throw Native.unreachable(t);
        }
    }
}
