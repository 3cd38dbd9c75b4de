package io.ringloop.binding;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The downcalls: one {@code static final MethodHandle} per libc function, each linked with errno capture, each in a
 * holder class of its own so that it is linked the first time it is called. Linking a downcall handle spins classes
 * and lambda forms: about 10 ms each in a fresh JVM, so linking all of them up front was the largest part of a first
 * {@code EventLoop.open()}, and a process that never reads a file paid for {@code open}, {@code lseek} and
 * {@code preadv2} anyway. Once its holder is initialized, a handle is a constant to the JIT, as a plain static final.
 *
 * <p>Every method returns the call's result, or {@code -errno} when libc reported failure, so callers on the hot
 * path never allocate. The errno capture segment is per thread: producers ring doorbells from any thread.
 * No handle is {@code critical}: several of these calls block, and capture is not combinable with it anyway.
 */
@SuppressWarnings("restricted")
final class Native {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE = CALL_STATE.varHandle(PathElement.groupElement("errno"));

    /** One capture segment per thread, freed with the thread; the loop thread reuses its own forever. */
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

    /** {@code long syscall(long number, ...)}: variadic, so every argument is passed as a 64-bit long. */
    private static final class Syscall {
        static final MethodHandle HANDLE = link("syscall",
                FunctionDescriptor.of(JAVA_LONG,
                JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
    }

    private static final class Read {
        static final MethodHandle HANDLE = link("read",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), -1);
    }

    private static final class Write {
        static final MethodHandle HANDLE = link("write",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), -1);
    }

    private static final class Close {
        static final MethodHandle HANDLE = link("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);
    }

    private static final class Mmap {
        static final MethodHandle HANDLE = link("mmap",
                FunctionDescriptor.of(ADDRESS,
                ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), -1);
    }

    private static final class Munmap {
        static final MethodHandle HANDLE = link("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), -1);
    }

    private static final class Eventfd {
        static final MethodHandle HANDLE = link("eventfd",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), -1);
    }

    private static final class Pipe2 {
        static final MethodHandle HANDLE = link("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), -1);
    }

    private static final class Socket {
        static final MethodHandle HANDLE = link("socket",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), -1);
    }

    private static final class Bind {
        static final MethodHandle HANDLE = link("bind",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), -1);
    }

    private static final class Listen {
        static final MethodHandle HANDLE = link("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), -1);
    }

    private static final class Setsockopt {
        static final MethodHandle HANDLE = link("setsockopt",
                FunctionDescriptor.of(JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), -1);
    }

    private static final class Getsockname {
        static final MethodHandle HANDLE = link("getsockname",
                FunctionDescriptor.of(JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS), -1);
    }

    /** {@code int open(const char *path, int flags, ...)}: the mode is the variadic argument. */
    private static final class Open {
        static final MethodHandle HANDLE = link("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    }

    private static final class Lseek {
        static final MethodHandle HANDLE = link("lseek",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), -1);
    }

    private static final class Ftruncate {
        static final MethodHandle HANDLE = link("ftruncate",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), -1);
    }

    private static final class Recv {
        static final MethodHandle HANDLE = link("recv",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), -1);
    }

    private static final class Send {
        static final MethodHandle HANDLE = link("send",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), -1);
    }

    /** {@code ssize_t preadv2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags)}. */
    private static final class Preadv2 {
        static final MethodHandle HANDLE = link("preadv2",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT), -1);
    }

    private static final class Getpeername {
        static final MethodHandle HANDLE = link("getpeername",
                FunctionDescriptor.of(JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS), -1);
    }

    private static final class SchedSetaffinity {
        static final MethodHandle HANDLE = link("sched_setaffinity",
                FunctionDescriptor.of(JAVA_INT,
                JAVA_INT, JAVA_LONG, ADDRESS), -1);
    }

    private static final class SchedGetaffinity {
        static final MethodHandle HANDLE = link("sched_getaffinity",
                FunctionDescriptor.of(JAVA_INT,
                JAVA_INT, JAVA_LONG, ADDRESS), -1);
    }

    private Native() {
    }

    static MethodHandle link(String name, FunctionDescriptor descriptor, int firstVariadic) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return firstVariadic < 0
                ? LINKER.downcallHandle(symbol, descriptor, ERRNO)
                : LINKER.downcallHandle(symbol, descriptor, ERRNO, Linker.Option.firstVariadicArg(firstVariadic));
    }

    static MemorySegment capture() {
        return CAPTURE.get();
    }

    static long result(long r, MemorySegment capture) {
        return r == -1 ? -(int) ERRNO_VALUE.get(capture, 0L) : r;
    }

    static AssertionError unreachable(Throwable t) {
        return new AssertionError("downcall threw", t);
    }

    static long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6) {
        MemorySegment cs = capture();
        try {
            return result((long) Syscall.HANDLE.invokeExact(cs, number, a1, a2, a3, a4, a5, a6), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static long read(int fd, long address, long length) {
        MemorySegment cs = capture();
        try {
            return result((long) Read.HANDLE.invokeExact(cs, fd, MemorySegment.ofAddress(address), length), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static long write(int fd, long address, long length) {
        MemorySegment cs = capture();
        try {
            return result((long) Write.HANDLE.invokeExact(cs, fd, MemorySegment.ofAddress(address), length), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static int close(int fd) {
        MemorySegment cs = capture();
        try {
            return (int) result((int) Close.HANDLE.invokeExact(cs, fd), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    /** Returns the mapped address, or {@code -errno} ({@code MAP_FAILED} is -1). */
    static long mmap(long length, int prot, int flags, int fd, long offset) {
        MemorySegment cs = capture();
        try {
            MemorySegment m = (MemorySegment) Mmap.HANDLE.invokeExact(cs, MemorySegment.NULL, length, prot, flags, fd,
                    offset);
            return result(m.address(), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static int munmap(long address, long length) {
        MemorySegment cs = capture();
        try {
            return (int) result((int) Munmap.HANDLE.invokeExact(cs, MemorySegment.ofAddress(address), length), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static int eventfd(int initial, int flags) {
        MemorySegment cs = capture();
        try {
            return (int) result((int) Eventfd.HANDLE.invokeExact(cs, initial, flags), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static int pipe2(long fdsAddress, int flags) {
        MemorySegment cs = capture();
        try {
            return (int) result((int) Pipe2.HANDLE.invokeExact(cs, MemorySegment.ofAddress(fdsAddress), flags), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static int socket(int domain, int type, int protocol) {
        MemorySegment cs = capture();
        try {
            return (int) result((int) Socket.HANDLE.invokeExact(cs, domain, type, protocol), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static int bind(int fd, long address, int length) {
        MemorySegment cs = capture();
        try {
            return (int) result((int) Bind.HANDLE.invokeExact(cs, fd, MemorySegment.ofAddress(address), length), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static int listen(int fd, int backlog) {
        MemorySegment cs = capture();
        try {
            return (int) result((int) Listen.HANDLE.invokeExact(cs, fd, backlog), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static int setsockopt(int fd, int level, int name, long valueAddress, int length) {
        MemorySegment cs = capture();
        try {
            return (int) result((int) Setsockopt.HANDLE.invokeExact(cs, fd, level, name,
                    MemorySegment.ofAddress(valueAddress), length), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static int getsockname(int fd, long address, long lengthAddress) {
        MemorySegment cs = capture();
        try {
            return (int) result((int) Getsockname.HANDLE.invokeExact(cs, fd, MemorySegment.ofAddress(address),
                    MemorySegment.ofAddress(lengthAddress)), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static int open(long pathAddress, int flags, int mode) {
        MemorySegment cs = capture();
        try {
            return (int) result((int) Open.HANDLE.invokeExact(cs, MemorySegment.ofAddress(pathAddress), flags, mode),
                    cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static long lseek(int fd, long offset, int whence) {
        MemorySegment cs = capture();
        try {
            return result((long) Lseek.HANDLE.invokeExact(cs, fd, offset, whence), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static int ftruncate(int fd, long length) {
        MemorySegment cs = capture();
        try {
            return (int) result((int) Ftruncate.HANDLE.invokeExact(cs, fd, length), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static long recv(int fd, long address, long length, int flags) {
        MemorySegment cs = capture();
        try {
            return result((long) Recv.HANDLE.invokeExact(cs, fd, MemorySegment.ofAddress(address), length, flags), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static long send(int fd, long address, long length, int flags) {
        MemorySegment cs = capture();
        try {
            return result((long) Send.HANDLE.invokeExact(cs, fd, MemorySegment.ofAddress(address), length, flags), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static long preadv2(int fd, long iovecs, int count, long offset, int flags) {
        MemorySegment cs = capture();
        try {
            return result((long) Preadv2.HANDLE.invokeExact(cs, fd, MemorySegment.ofAddress(iovecs), count, offset,
                    flags), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static int getpeername(int fd, long address, long lengthAddress) {
        MemorySegment cs = capture();
        try {
            return (int) result((int) Getpeername.HANDLE.invokeExact(cs, fd, MemorySegment.ofAddress(address),
                    MemorySegment.ofAddress(lengthAddress)), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static int schedSetaffinity(int pid, long size, long maskAddress) {
        MemorySegment cs = capture();
        try {
            return (int) result((int) SchedSetaffinity.HANDLE.invokeExact(cs, pid, size,
                    MemorySegment.ofAddress(maskAddress)), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    static int schedGetaffinity(int pid, long size, long maskAddress) {
        MemorySegment cs = capture();
        try {
            return (int) result((int) SchedGetaffinity.HANDLE.invokeExact(cs, pid, size,
                    MemorySegment.ofAddress(maskAddress)), cs);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    /**
     * Gives a raw address a size and a lifetime: once {@code arena} closes, any access through the segment throws
     * {@code IllegalStateException} instead of reading memory that may have been unmapped.
     *
     * @param address a native address the kernel gave us (a mapping its owner unmaps after closing the arena)
     * @param size how many bytes are valid there
     * @param arena the owner's arena, closed before the memory is unmapped
     * @return a segment over them, alive as long as the arena
     */
    static MemorySegment segment(long address, long size, Arena arena) {
        return MemorySegment.ofAddress(address).reinterpret(size, arena, null);
    }


    /** A segment of {@code size} bytes at a raw address the kernel (or the caller's struct) gave, global scope. */
    static MemorySegment at(long address, long size) {
        return MemorySegment.ofAddress(address).reinterpret(size);
    }
}
