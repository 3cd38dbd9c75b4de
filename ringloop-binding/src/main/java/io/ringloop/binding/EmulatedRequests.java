package io.ringloop.binding;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The epoll backend's requests: what a kernel ring would do with each SQE, done with readiness and non-blocking
 * calls. A request is tried at once, as io_uring tries it inline; one that would block waits on its fd's side until
 * an edge says "try again" ({@link EpollFd}); timeouts wait in a set ordered by deadline; regular-file requests go to
 * {@link FileWorkers}. Every request ends in exactly one CQE (none for a {@code CQE_SKIP_SUCCESS} success), posted
 * through {@link EpollRing#post} on the loop thread. Loop thread only.
 *
 * <p>What it grants is what {@link EpollRing#OPCODES} lists: the requests of a 5.11 kernel that ringloop's loop and
 * I/O layer make, and links only in the form the I/O layer uses (a request followed by its {@code LINK_TIMEOUT}).
 */
final class EmulatedRequests {
    private final EpollRing ring;
    private final int epfd;
    private final EpollCalls calls = new EpollCalls();
    private EpollFd[] fds = new EpollFd[256];
    private int generation;
    private long timerSeq;
    /** Every request waiting on an fd, a timer or a worker, by {@code user_data}, for cancels. */
    private final Map<Long, EmulatedOp> byUserData = new HashMap<>();
    private final TreeSet<EmulatedOp> timers = new TreeSet<>((a, b) -> a.deadline != b.deadline
            ? Long.compare(a.deadline, b.deadline) : Long.compare(a.seq, b.seq));
    /** Requests waiting on fds or workers (timers are counted by their set). */
    private int waiting;

    EmulatedRequests(EpollRing ring, int epfd) {
        this.ring = ring;
        this.epfd = epfd;
    }

    /** Whether anything could still complete without a new submission: the ring then has work for GETEVENTS. */
    boolean pending() {
        return waiting > 0 || !timers.isEmpty();
    }

    /** Whether a request waits on readiness, so that a look at epoll could complete something. */
    boolean waitsOnFds() {
        return waiting > 0;
    }

    long nextDeadline() {
        return timers.isEmpty() ? Long.MAX_VALUE : timers.first().deadline;
    }

    // ---------------------------------------------------------------- issue

    /** Starts a request taken from the SQ; {@code timeout} is its LINK_TIMEOUT, or null. */
    void issue(EmulatedOp op, EmulatedOp timeout) {
        if (timeout != null) {
            op.link = timeout;
            timeout.link = op;
            timeout.deadline = System.nanoTime() + relative(timeout.addr);
            timeout.seq = timerSeq++;
        }
        if ((op.flags & (IoUringFlags.SQE_FIXED_FILE | IoUringFlags.SQE_BUFFER_SELECT)) != 0) {
            complete(op, -Errno.EINVAL);
            return;
        }
        switch (op.opcode) {
            case Opcode.NOP -> complete(op, 0);
            case Opcode.TIMEOUT -> armTimeout(op);
            case Opcode.TIMEOUT_REMOVE -> complete(op, removeTimeout(op));
            case Opcode.ASYNC_CANCEL -> complete(op, cancel(op.addr, Opcode.ASYNC_CANCEL));
            case Opcode.POLL_REMOVE -> complete(op, cancel(op.addr, Opcode.POLL_ADD));
            case Opcode.POLL_ADD -> pollAdd(op);
            case Opcode.SHUTDOWN -> complete(op, EpollNative.shutdown(op.fd, op.len));
            case Opcode.CLOSE -> {
                forget(op.fd, -Errno.ECANCELED);
                complete(op, Native.close(op.fd));
            }
            case Opcode.READ, Opcode.READ_FIXED, Opcode.READV, Opcode.RECV, Opcode.ACCEPT ->
                    readOrWrite(op, EpollFd.READ_SIDE);
            case Opcode.WRITE, Opcode.WRITE_FIXED, Opcode.WRITEV, Opcode.SEND, Opcode.SENDMSG, Opcode.CONNECT ->
                    readOrWrite(op, EpollFd.WRITE_SIDE);
            case Opcode.FSYNC -> toWorker(op);
            default -> complete(op, -Errno.EINVAL);
        }
    }

    private void readOrWrite(EmulatedOp op, int side) {
        EpollFd e = lookup(op.fd);
        if (e == null) {
            complete(op, -Errno.EBADF);
            return;
        }
        if (!e.pollable) {
            long r = calls.cachedRead(op);
            if (r >= 0) {
                complete(op, r);
            } else {
                toWorker(op);
            }
            return;
        }
        if (e.ready(side) && e.side(side).isEmpty()) {
            long r = calls.attempt(op);
            if (r != -Errno.EAGAIN) {
                drained(e, side, op, r);
                complete(op, r);
                return;
            }
            e.notReady(side);
        }
        park(op, e, side);
    }

    private void toWorker(EmulatedOp op) {
        index(op);
        waiting++;
        armLinkTimeout(op);
        FileWorkers.submit(op, ring);
    }

    /** A worker finished (or a cancel beat it, in which case it was completed already and is not here). */
    void fileDone(EmulatedOp op) {
        settle(op);
        complete(op, op.result);
    }

    private void park(EmulatedOp op, EpollFd e, int side) {
        op.parkedOn = e;
        e.side(side).add(op);
        index(op);
        waiting++;
        armLinkTimeout(op);
    }

    private void unpark(EmulatedOp op) {
        EpollFd e = op.parkedOn;
        if (!e.readers.remove(op) && !e.writers.remove(op)) {
            e.pollers.remove(op);
        }
        settle(op);
    }

    /** A request leaves its wait (already out of its fd's queue, or never in one): no longer cancellable by id. */
    private void settle(EmulatedOp op) {
        op.parkedOn = null;
        unindex(op);
        waiting--;
    }

    private void pollAdd(EmulatedOp op) {
        if ((op.len & IoUringFlags.POLL_ADD_MULTI) != 0) {
            complete(op, -Errno.EINVAL);
            return;
        }
        EpollFd e = lookup(op.fd);
        if (e == null) {
            complete(op, -Errno.EBADF);
            return;
        }
        int wanted = op.opFlags | EpollNative.EPOLLERR | EpollNative.EPOLLHUP;
        if (!e.pollable) {
            complete(op, wanted & (IoUringFlags.POLLIN | IoUringFlags.POLLOUT));
            return;
        }
        // The poll itself is the level check an edge-triggered registration cannot give.
        int revents = calls.pollNow(op.fd, op.opFlags);
        if ((revents & wanted) != 0) {
            complete(op, revents & wanted);
            return;
        }
        park(op, e, EpollFd.POLL_SIDE);
    }

    // ---------------------------------------------------------------- readiness

    /** An edge for a registration: retry what waits on the sides it names, complete the polls it matches. */
    void ready(long data, int events) {
        int fd = (int) data;
        EpollFd e = fd >= 0 && fd < fds.length ? fds[fd] : null;
        if (e == null || e.generation != (int) (data >>> 32)) {
            return;
        }
        int error = EpollNative.EPOLLERR | EpollNative.EPOLLHUP;
        if ((events & (error | EpollNative.EPOLLRDHUP)) != 0) {
            e.hangup = true;
        }
        if ((events & (EpollNative.EPOLLIN | EpollNative.EPOLLPRI | EpollNative.EPOLLRDHUP | error)) != 0) {
            e.readable = true;
        }
        if ((events & (EpollNative.EPOLLOUT | error)) != 0) {
            e.writable = true;
        }
        for (int i = e.pollers.size(); i > 0; i--) {
            EmulatedOp p = e.pollers.poll();
            int hit = events & (p.opFlags | error);
            if (hit != 0) {
                settle(p);
                complete(p, hit);
            } else {
                e.pollers.add(p);
            }
        }
        retry(e, EpollFd.READ_SIDE);
        retry(e, EpollFd.WRITE_SIDE);
    }

    private void retry(EpollFd e, int side) {
        ArrayDeque<EmulatedOp> q = e.side(side);
        while (e.ready(side) && !q.isEmpty()) {
            EmulatedOp op = q.peek();
            long r = calls.attempt(op);
            if (r == -Errno.EAGAIN) {
                e.notReady(side);
                return;
            }
            q.poll();
            settle(op);
            drained(e, side, op, r);
            complete(op, r);
        }
    }

    /**
     * A short transfer tells what an {@code EAGAIN} would, without the call: a receive that got fewer bytes than it
     * had room for emptied the socket, a send that took fewer than it was given filled it. Either way an edge comes
     * for the next change (a new one, or the one already pending since the last harvest), so the next request may
     * wait for it at once. Not once the peer has hung up: a receive stops short at the FIN, the next one returns 0,
     * and the FIN's edge may already have been taken, so no other edge would come (the echo streams of
     * WriteAllReceivedTest stalled on exactly that).
     */
    private static void drained(EpollFd e, int side, EmulatedOp op, long r) {
        if (r <= 0 || r >= (op.len & 0xFFFF_FFFFL)) {
            return;
        }
        boolean plain = side == EpollFd.READ_SIDE
                ? (op.opcode == Opcode.RECV || op.opcode == Opcode.READ || op.opcode == Opcode.READ_FIXED) && !e.hangup
                : op.opcode == Opcode.SEND || op.opcode == Opcode.WRITE || op.opcode == Opcode.WRITE_FIXED;
        if (plain) {
            e.notReady(side);
        }
    }

    /** The fd's registration, made on first use: edge-triggered in and out, and the fd made non-blocking. */
    private EpollFd lookup(int fd) {
        if (fd < 0) {
            return null;
        }
        if (fd >= fds.length) {
            fds = Arrays.copyOf(fds, Math.max(fd + 1, fds.length * 2));
        }
        EpollFd e = fds[fd];
        if (e != null) {
            return e;
        }
        EpollFd registered = new EpollFd(fd, ++generation, true);
        int r = calls.register(epfd, fd, registered.data());
        if (r < 0 && r != -Errno.EPERM) {
            return null;
        }
        e = r == 0 ? registered : new EpollFd(fd, registered.generation, false);
        fds[fd] = e;
        return e;
    }

    /**
     * An fd was closed (through {@link Syscalls#close} or a CLOSE request): its number may come back for another
     * file, which must be registered afresh. Requests still waiting on it end with {@code res}; closing the fd has
     * already removed it from epoll, unless a dup keeps the file open, whose late edges the generation rejects.
     */
    void forget(int fd, int res) {
        if (fd < 0 || fd >= fds.length || fds[fd] == null) {
            return;
        }
        EpollFd e = fds[fd];
        fds[fd] = null;
        for (ArrayDeque<EmulatedOp> q : List.of(e.readers, e.writers, e.pollers)) {
            EmulatedOp op;
            while ((op = q.poll()) != null) {
                settle(op);
                complete(op, res);
            }
        }
    }

    // ---------------------------------------------------------------- timeouts and cancels

    private static long relative(long timespec) {
        MemorySegment ts = Native.at(timespec, KernelTimespec.SIZE);
        return ts.get(JAVA_LONG, KernelTimespec.TV_SEC) * 1_000_000_000L + ts.get(JAVA_LONG, KernelTimespec.TV_NSEC);
    }

    private void armTimeout(EmulatedOp op) {
        long t = relative(op.addr);
        // CLOCK_MONOTONIC is System.nanoTime()'s clock on Linux, so an absolute timeout is a deadline as it is.
        op.deadline = (op.opFlags & IoUringFlags.TIMEOUT_ABS) != 0 ? t : System.nanoTime() + t;
        op.seq = timerSeq++;
        index(op);
        timers.add(op);
    }

    private void armLinkTimeout(EmulatedOp op) {
        if (op.link != null) {
            timers.add(op.link);
        }
    }

    private int removeTimeout(EmulatedOp op) {
        EmulatedOp t = byUserData.get(op.addr);
        while (t != null && t.opcode != Opcode.TIMEOUT) {
            t = t.sameUserData;
        }
        if (t == null) {
            return -Errno.ENOENT;
        }
        timers.remove(t);
        if ((op.opFlags & IoUringFlags.TIMEOUT_UPDATE) != 0) {
            long r = relative(op.off);
            t.deadline = (op.opFlags & IoUringFlags.TIMEOUT_ABS) != 0 ? r : System.nanoTime() + r;
            timers.add(t);
            return 0;
        }
        unindex(t);
        complete(t, -Errno.ECANCELED);
        return 0;
    }

    /**
     * {@code ASYNC_CANCEL} (any request) or {@code POLL_REMOVE} (a poll): the first waiting request with the
     * {@code user_data} ends with {@code -ECANCELED}. One a worker is running cannot be stopped: {@code -EALREADY}.
     */
    private int cancel(long userData, byte only) {
        EmulatedOp t = byUserData.get(userData);
        while (t != null && only == Opcode.POLL_ADD && t.opcode != Opcode.POLL_ADD) {
            t = t.sameUserData;
        }
        if (t == null) {
            return -Errno.ENOENT;
        }
        if (t.parkedOn != null) {
            unpark(t);
        } else if (t.opcode == Opcode.TIMEOUT) {
            timers.remove(t);
            unindex(t);
        } else if (t.claim(EmulatedOp.QUEUED, EmulatedOp.CANCELLED)) {
            settle(t);
        } else {
            return -Errno.EALREADY;
        }
        complete(t, -Errno.ECANCELED);
        return 0;
    }

    /** Ends every timeout whose deadline has passed; a link timeout cancels the request it bounds. */
    void expire(long now) {
        while (!timers.isEmpty() && timers.first().deadline - now <= 0) {
            EmulatedOp t = timers.pollFirst();
            if (t.opcode == Opcode.TIMEOUT) {
                unindex(t);
                complete(t, -Errno.ETIME);
                continue;
            }
            EmulatedOp target = t.link;
            t.link = null;
            target.link = null;
            if (target.parkedOn != null) {
                unpark(target);
                complete(target, -Errno.ECANCELED);
            } else if (target.claim(EmulatedOp.QUEUED, EmulatedOp.CANCELLED)) {
                settle(target);
                complete(target, -Errno.ECANCELED);
            }
            ring.post(t.userData, -Errno.ETIME, t.skipSuccess());
        }
    }

    /** Posts a request's CQE; a request that had a link timeout also ends the timeout ({@code -ECANCELED}). */
    private void complete(EmulatedOp op, long res) {
        ring.post(op.userData, (int) res, op.skipSuccess());
        EmulatedOp t = op.link;
        if (t != null) {
            op.link = null;
            t.link = null;
            timers.remove(t);
            ring.post(t.userData, -Errno.ECANCELED, false);
        }
    }

    private void index(EmulatedOp op) {
        op.sameUserData = byUserData.put(op.userData, op);
    }

    private void unindex(EmulatedOp op) {
        EmulatedOp head = byUserData.get(op.userData);
        if (head == op) {
            if (op.sameUserData == null) {
                byUserData.remove(op.userData);
            } else {
                byUserData.put(op.userData, op.sameUserData);
            }
        } else {
            while (head != null && head.sameUserData != op) {
                head = head.sameUserData;
            }
            if (head != null) {
                head.sameUserData = op.sameUserData;
            }
        }
        op.sameUserData = null;
    }

    void close() {
        calls.close();
    }
}
