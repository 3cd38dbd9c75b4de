package io.ringloop.binding;

import io.ringloop.kernel.NativeCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.BitSet;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Plain system calls outside the loop's hot path: fd lifecycle, sockets for tests and servers, affinity.
 *
 * <p>Each returns the kernel's result, or {@code -errno}. The loop's running calls go through {@link SyscallLayer}
 * instead, so that tests can inject faults there.
 */
public final class Syscalls {
    /** {@code EFD_CLOEXEC}. */
    public static final int EFD_CLOEXEC = 0x80000;
    /** {@code EFD_NONBLOCK}. */
    public static final int EFD_NONBLOCK = 0x800;
    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 0x80000;
    /** {@code O_NONBLOCK}. */
    public static final int O_NONBLOCK = 0x800;
    /** {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** {@code AF_INET6}. */
    public static final int AF_INET6 = 10;
    /** {@code SOCK_STREAM}. */
    public static final int SOCK_STREAM = 1;
    /** {@code SOCK_CLOEXEC}. */
    public static final int SOCK_CLOEXEC = 0x80000;
    /** {@code SOL_SOCKET}. */
    public static final int SOL_SOCKET = 1;
    /** {@code SO_REUSEADDR}. */
    public static final int SO_REUSEADDR = 2;
    /** {@code SO_KEEPALIVE}. */
    public static final int SO_KEEPALIVE = 9;
    /** {@code SO_REUSEPORT}. */
    public static final int SO_REUSEPORT = 15;
    /** {@code IPPROTO_TCP}. */
    public static final int IPPROTO_TCP = 6;
    /** {@code TCP_NODELAY}. */
    public static final int TCP_NODELAY = 1;
    /** {@code SHUT_WR}. */
    public static final int SHUT_WR = 1;
    /** {@code O_RDONLY}. */
    public static final int O_RDONLY = 0;
    /** {@code O_WRONLY}. */
    public static final int O_WRONLY = 1;
    /** {@code O_RDWR}. */
    public static final int O_RDWR = 2;
    /** {@code O_CREAT}. */
    public static final int O_CREAT = 0x40;
    /** {@code O_EXCL}. */
    public static final int O_EXCL = 0x80;
    /** {@code O_TRUNC}. */
    public static final int O_TRUNC = 0x200;
    /** {@code O_APPEND}. */
    public static final int O_APPEND = 0x400;
    /** {@code O_DSYNC}. */
    public static final int O_DSYNC = 0x1000;
    /** {@code O_DIRECT} (x86-64 and arm64 differ; this is x86-64's): reads and writes bypass the page cache. */
    public static final int O_DIRECT = 0x4000;
    /** {@code O_SYNC} (includes {@code O_DSYNC}). */
    public static final int O_SYNC = 0x101000;
    /** {@code SOCK_NONBLOCK}. */
    public static final int SOCK_NONBLOCK = 0x800;
    /** {@code MSG_NOSIGNAL}: a send on a reset connection returns EPIPE instead of raising SIGPIPE. */
    public static final int MSG_NOSIGNAL = 0x4000;
    /** {@code SHUT_RD}. */
    public static final int SHUT_RD = 0;
    /** {@code SO_RCVBUF}. */
    public static final int SO_RCVBUF = 8;
    /** {@code SO_SNDBUF}. */
    public static final int SO_SNDBUF = 7;
    /** {@code SEEK_END}. */
    public static final int SEEK_END = 2;
    /** {@code MSG_DONTWAIT}: this one call does not wait, whether or not the socket is non-blocking. */
    public static final int MSG_DONTWAIT = 0x40;
    /** {@code RWF_NOWAIT} (4.14): a {@code preadv2} that would wait (for the disk, or a lock) fails with EAGAIN. */
    public static final int RWF_NOWAIT = 0x8;
    /** One {@code struct iovec} per thread, for {@link #preadv2}: freed with the thread. */
    private static final ThreadLocal<MemorySegment> IOVEC =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(Iovec.LAYOUT));

    private Syscalls() {
    }

    /**
     * {@code eventfd(2)}.
     *
     * @param initial the counter's initial value
     * @param flags {@link #EFD_CLOEXEC}, {@link #EFD_NONBLOCK}
     * @return the fd or {@code -errno}
     */
    public static int eventfd(int initial, int flags) {
        return Native.eventfd(initial, flags);
    }

    /**
     * {@code close(2)}.
     *
     * @param fd the fd
     * @return 0 or {@code -errno}
     */
    public static int close(int fd) {
        // Before the number is free: an epoll backend's ring must not take a later file under it for this one.
        EpollKernel.fdClosing(fd);
        return Native.close(fd);
    }

    /**
     * {@code read(2)} into a segment.
     *
     * @param fd the fd
     * @param buffer where to read to
     * @return bytes read or {@code -errno}
     */
    public static long read(int fd, MemorySegment buffer) {
        return Native.read(fd, buffer.address(), buffer.byteSize());
    }

    /**
     * {@code write(2)} from a segment.
     *
     * @param fd the fd
     * @param buffer the bytes
     * @return bytes written or {@code -errno}
     */
    public static long write(int fd, MemorySegment buffer) {
        return Native.write(fd, buffer.address(), buffer.byteSize());
    }

    /**
     * {@code pipe2(2)}.
     *
     * @param flags {@link #O_CLOEXEC}, {@link #O_NONBLOCK}
     * @return the read end in the low 32 bits and the write end in the high 32 bits, or {@code -errno}
     */
    public static long pipe2(int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            int r = Native.pipe2(fds.address(), flags);
            if (r < 0) {
                return r;
            }
            return (fds.getAtIndex(JAVA_INT, 0) & 0xffff_ffffL) | ((long) fds.getAtIndex(JAVA_INT, 1) << 32);
        }
    }

    /**
     * {@code socket(2)}.
     *
     * @param domain {@link #AF_INET} or {@link #AF_INET6}
     * @param type {@link #SOCK_STREAM}, optionally with {@link #SOCK_CLOEXEC}
     * @param protocol 0 for the default
     * @return the fd or {@code -errno}
     */
    public static int socket(int domain, int type, int protocol) {
        return Native.socket(domain, type, protocol);
    }

    /**
     * {@code bind(2)}.
     *
     * @param fd the socket
     * @param address a {@link SockaddrIn} or {@link SockaddrIn6}
     * @return 0 or {@code -errno}
     */
    public static int bind(int fd, MemorySegment address) {
        return Native.bind(fd, address.address(), (int) address.byteSize());
    }

    /**
     * {@code listen(2)}.
     *
     * @param fd the socket
     * @param backlog the accept backlog
     * @return 0 or {@code -errno}
     */
    public static int listen(int fd, int backlog) {
        return Native.listen(fd, backlog);
    }

    /**
     * {@code setsockopt(2)} for an int option.
     *
     * @param fd the socket
     * @param level {@link #SOL_SOCKET} or {@link #IPPROTO_TCP}
     * @param name the option
     * @param value its value
     * @return 0 or {@code -errno}
     */
    public static int setsockopt(int fd, int level, int name, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocateFrom(JAVA_INT, value);
            return Native.setsockopt(fd, level, name, v.address(), Integer.BYTES);
        }
    }

    /**
     * {@code getsockname(2)}.
     *
     * @param fd the socket
     * @param address a buffer for the address, at least as large as {@link SockaddrIn6#LAYOUT}
     * @return the address length or {@code -errno}
     */
    public static int getsockname(int fd, MemorySegment address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment len = arena.allocateFrom(JAVA_INT, (int) address.byteSize());
            int r = Native.getsockname(fd, address.address(), len.address());
            return r < 0 ? r : len.get(JAVA_INT, 0);
        }
    }

    /**
     * {@code open(2)}.
     *
     * @param path a NUL-terminated path
     * @param flags {@code O_*}
     * @param mode the mode for a created file
     * @return the fd or {@code -errno}
     */
    public static int open(MemorySegment path, int flags, int mode) {
        return Native.open(path.address(), flags, mode);
    }

    /**
     * The size of an open file: {@code lseek(fd, 0, SEEK_END)}. Positioned I/O never uses the file offset, so moving
     * it is harmless for files used only through positions.
     *
     * @param fd the file
     * @return the size or {@code -errno}
     */
    public static long size(int fd) {
        return Native.lseek(fd, 0, SEEK_END);
    }

    /**
     * {@code ftruncate(2)}: cuts or extends an open file to a length.
     *
     * @param fd the file, open for writing
     * @param length the new size in bytes
     * @return 0 or {@code -errno}
     */
    public static int ftruncate(int fd, long length) {
        return Native.ftruncate(fd, length);
    }

    /**
     * {@code recv(2)} into a segment.
     *
     * @param fd the socket
     * @param buffer where to read to
     * @param flags {@link #MSG_DONTWAIT}
     * @return bytes read (0 at end of stream) or {@code -errno}
     */
    public static long recv(int fd, MemorySegment buffer, int flags) {
        return Native.recv(fd, buffer.address(), buffer.byteSize(), flags);
    }

    /**
     * {@code send(2)} from a segment.
     *
     * @param fd the socket
     * @param buffer the bytes
     * @param flags {@link #MSG_DONTWAIT}, {@link #MSG_NOSIGNAL}
     * @return bytes sent or {@code -errno}
     */
    public static long send(int fd, MemorySegment buffer, int flags) {
        return Native.send(fd, buffer.address(), buffer.byteSize(), flags);
    }

    /**
     * {@code preadv2(2)} into one segment, at a position.
     *
     * @param fd the file
     * @param buffer where to read to
     * @param position the file offset
     * @param flags {@link #RWF_NOWAIT}
     * @return bytes read (0 at end of file) or {@code -errno}
     */
    public static long preadv2(int fd, MemorySegment buffer, long position, int flags) {
        MemorySegment iov = IOVEC.get();
        iov.set(JAVA_LONG, Iovec.BASE, buffer.address());
        iov.set(JAVA_LONG, Iovec.LEN, buffer.byteSize());
        return Native.preadv2(fd, iov.address(), 1, position, flags);
    }

    /**
     * {@code pwritev2(2)} from one segment, at a position (-1: at the file position).
     *
     * @param fd the file
     * @param buffer the bytes to write
     * @param position the file offset, or -1
     * @param flags {@code RWF_*}, 0 for none
     * @return bytes written or {@code -errno}
     */
    public static long pwritev2(int fd, MemorySegment buffer, long position, int flags) {
        MemorySegment iov = IOVEC.get();
        iov.set(JAVA_LONG, Iovec.BASE, buffer.address());
        iov.set(JAVA_LONG, Iovec.LEN, buffer.byteSize());
        return EpollNative.pwritev2(fd, iov.address(), 1, position, flags);
    }

    /**
     * {@code getpeername(2)}.
     *
     * @param fd the socket
     * @param address a buffer for the address, at least as large as {@link SockaddrIn6#LAYOUT}
     * @return the address length or {@code -errno}
     */
    public static int getpeername(int fd, MemorySegment address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment len = arena.allocateFrom(JAVA_INT, (int) address.byteSize());
            int r = Native.getpeername(fd, address.address(), len.address());
            return r < 0 ? r : len.get(JAVA_INT, 0);
        }
    }

    /**
     * {@code gettid(2)}.
     *
     * @return the calling thread's kernel id
     */
    public static int gettid() {
        return (int) Native.syscall(SyscallNumbers.GETTID, 0, 0, 0, 0, 0, 0);
    }

    /**
     * {@code sched_setaffinity(2)} for the calling thread.
     *
     * @param cpus the CPUs to allow, as a bit set (bit i = CPU i), at most 1024 CPUs
     * @return 0 or {@code -errno}
     */
    public static int setAffinity(BitSet cpus) {
        long[] words = cpus.toLongArray();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(128, 8);
            for (int i = 0; i < words.length && i < 16; i++) {
                mask.setAtIndex(ValueLayout.JAVA_LONG, i, words[i]);
            }
            return Native.schedSetaffinity(0, mask.byteSize(), mask.address());
        }
    }

    /**
     * {@code sched_getaffinity(2)} for the calling thread.
     *
     * @return the CPUs the thread may run on
     * @throws NativeCallException if the call fails
     */
    public static BitSet getAffinity() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(128, 8);
            int r = Native.schedGetaffinity(0, mask.byteSize(), mask.address());
            if (r < 0) {
                throw new NativeCallException("sched_getaffinity", r);
            }
            return BitSet.valueOf(mask.toArray(ValueLayout.JAVA_LONG));
        }
    }
}
