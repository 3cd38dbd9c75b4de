package io.ringloop.binding;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The calls the epoll backend makes for a request instead of the kernel's ring: each tried without waiting, so that
 * {@code -EAGAIN} can mean "wait for the fd's next edge". One per emulated ring, loop thread only (the scratch
 * memory is the ring's own).
 */
final class EpollCalls {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment sockError = arena.allocate(8, 8);
    private final MemorySegment event = arena.allocate(16, 8);
    private final MemorySegment pollfd = arena.allocate(EpollNative.POLLFD_SIZE, 8);

    /**
     * Registers an fd with epoll, edge-triggered for input, output and the peer's hang-up, and makes it non-blocking
     * (an accept or connect on a blocking socket would stall the loop).
     *
     * @return 0, {@code -EPERM} for a file epoll cannot watch (a regular file: always ready), or another
     *     {@code -errno}
     */
    int register(int epfd, int fd, long data) {
        event.set(JAVA_INT, EpollNative.EVENT_EVENTS, EpollNative.EPOLLIN | EpollNative.EPOLLOUT
                | EpollNative.EPOLLRDHUP | EpollNative.EPOLLET);
        event.set(JAVA_LONG_UNALIGNED, EpollNative.EVENT_DATA, data);
        int r = EpollNative.epollCtl(epfd, EpollNative.EPOLL_CTL_ADD, fd, event.address());
        if (r == -Errno.EEXIST) {
            // Registered under a number our table forgot (closed behind our back, the file kept by a dup): take it.
            r = EpollNative.epollCtl(epfd, EpollNative.EPOLL_CTL_MOD, fd, event.address());
        }
        if (r == 0) {
            int fl = EpollNative.fcntl(fd, EpollNative.F_GETFL, 0);
            if (fl >= 0 && (fl & Syscalls.O_NONBLOCK) == 0) {
                EpollNative.fcntl(fd, EpollNative.F_SETFL, fl | Syscalls.O_NONBLOCK);
            }
        }
        return r;
    }

    /** {@code poll(2)} of one fd without waiting: the events it has now, or 0. */
    int pollNow(int fd, int events) {
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, EpollNative.POLLFD_EVENTS, (short) events);
        pollfd.set(JAVA_SHORT, EpollNative.POLLFD_REVENTS, (short) 0);
        int r = EpollNative.poll(pollfd.address(), 1, 0);
        return r > 0 ? pollfd.get(JAVA_SHORT, EpollNative.POLLFD_REVENTS) & 0xFFFF : 0;
    }

    /**
     * The non-blocking call for a request on a pollable fd: {@code -EAGAIN} means "wait for an edge". Sends never
     * raise SIGPIPE (io_uring's do not either: the error comes back as EPIPE).
     */
    long attempt(EmulatedOp op) {
        int dontWait = EpollNative.MSG_DONTWAIT;
        return switch (op.opcode) {
            case Opcode.READ, Opcode.READ_FIXED -> Native.read(op.fd, op.addr, op.len);
            case Opcode.WRITE, Opcode.WRITE_FIXED -> Native.write(op.fd, op.addr, op.len);
            case Opcode.READV -> Native.preadv2(op.fd, op.addr, op.len, -1, 0);
            case Opcode.WRITEV -> EpollNative.pwritev2(op.fd, op.addr, op.len, -1, 0);
            case Opcode.RECV -> Native.recv(op.fd, op.addr, op.len, op.opFlags | dontWait);
            case Opcode.SEND -> Native.send(op.fd, op.addr, op.len, op.opFlags | dontWait | EpollNative.MSG_NOSIGNAL);
            case Opcode.SENDMSG -> EpollNative.sendmsg(op.fd, op.addr, op.opFlags | dontWait
                    | EpollNative.MSG_NOSIGNAL);
            case Opcode.ACCEPT -> EpollNative.accept4(op.fd, op.addr, op.off, op.opFlags);
            case Opcode.CONNECT -> connect(op);
            default -> -Errno.EINVAL;
        };
    }

    /**
     * A non-blocking connect: the first call starts it; once the fd turns writable, {@code SO_ERROR} tells a
     * failure, and a second connect tells "connected" ({@code EISCONN}) from "still connecting" ({@code EALREADY}).
     * The second look matters: a socket registered before its connect reports writable at once.
     */
    private long connect(EmulatedOp op) {
        if (!op.started) {
            op.started = true;
            int r = EpollNative.connect(op.fd, op.addr, (int) op.off);
            return r == -Errno.EINPROGRESS ? -Errno.EAGAIN : r;
        }
        sockError.set(JAVA_INT, 0, 0);
        sockError.set(JAVA_INT, 4, 4);
        int r = EpollNative.getsockopt(op.fd, EpollNative.SOL_SOCKET, EpollNative.SO_ERROR, sockError.address(),
                sockError.address() + 4);
        if (r < 0) {
            return r;
        }
        int err = sockError.get(JAVA_INT, 0);
        if (err != 0) {
            return -err;
        }
        r = EpollNative.connect(op.fd, op.addr, (int) op.off);
        return r == -Errno.EISCONN ? 0 : r == -Errno.EALREADY || r == -Errno.EINPROGRESS ? -Errno.EAGAIN : r;
    }

    /**
     * A positional read of a regular file tried on the loop thread with {@code RWF_NOWAIT}, as io_uring tries it
     * before it hands the read to a worker: what the page cache holds whole is read here, with no hand-off.
     *
     * @return the bytes read, or -1 when a worker must read: not cached (EAGAIN), partly cached (the worker reads
     *     the whole range again, over the same bytes), not a read, or a file system without RWF_NOWAIT
     */
    long cachedRead(EmulatedOp op) {
        if (op.off < 0 || op.opcode != Opcode.READ && op.opcode != Opcode.READ_FIXED && op.opcode != Opcode.READV) {
            return -1;
        }
        long r;
        long wanted;
        if (op.opcode == Opcode.READV) {
            MemorySegment iovecs = Native.at(op.addr, Iovec.SIZE * op.len);
            wanted = 0;
            for (int i = 0; i < op.len; i++) {
                wanted += iovecs.get(JAVA_LONG, i * Iovec.SIZE + Iovec.LEN);
            }
            r = Native.preadv2(op.fd, op.addr, op.len, op.off, Syscalls.RWF_NOWAIT);
        } else {
            wanted = op.len & 0xFFFF_FFFFL;
            r = Syscalls.preadv2(op.fd, Native.at(op.addr, wanted), op.off, Syscalls.RWF_NOWAIT);
        }
        // A short read may be the end of the file or the end of what is cached: only a worker's read tells them apart.
        return r == 0 || r > 0 && r == wanted ? r : -1;
    }

    void close() {
        arena.close();
    }
}
