package io.ringloop.binding;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A ring without io_uring: the same SQ and CQ memory layout a kernel ring shares, in memory of our own, so that
 * {@link Ring}, {@link SubmissionQueue} and {@link CompletionQueue} run unchanged on top of it. Where the kernel
 * would consume the SQ and post CQEs, {@link #enter} does: it takes the SQEs, starts each request
 * ({@link EmulatedRequests}), and when asked to wait, sleeps in {@code epoll_wait} until readiness, a timer or a file
 * worker completes enough of them. The ring's fd is the epoll fd.
 *
 * <p>Memory order is the kernel's: the SQ tail is read with acquire (the SQEs before it are the user's release), the
 * SQ head and the CQ tail are written with release (the CQEs before it are visible to the reaper's acquire), the CQ
 * head is read with acquire. Only the ring's owner thread enters it; file workers hand results over through a
 * concurrent queue and an eventfd that wakes the wait.
 *
 * <p>It grants no setup flag but {@code CQSIZE}, {@code CLAMP}, {@code ATTACH_WQ} (ignored: there is no io-wq) and
 * {@code R_DISABLED}, and the features and opcodes of {@link #FEATURES} and {@link #OPCODES}: a 5.11 kernel as the
 * loop and the I/O layer use it, so every choice they make is one their kernel-profile fallbacks already cover.
 */
final class EpollRing {
    static final int FEATURES = Features.SINGLE_MMAP | Features.NODROP | Features.SUBMIT_STABLE | Features.EXT_ARG;
    static final List<Byte> OPCODES = List.of(Opcode.NOP, Opcode.READV, Opcode.WRITEV, Opcode.FSYNC,
            Opcode.READ_FIXED, Opcode.WRITE_FIXED, Opcode.POLL_ADD, Opcode.POLL_REMOVE, Opcode.SENDMSG,
            Opcode.TIMEOUT, Opcode.TIMEOUT_REMOVE, Opcode.ACCEPT, Opcode.ASYNC_CANCEL, Opcode.LINK_TIMEOUT,
            Opcode.CONNECT, Opcode.CLOSE, Opcode.READ, Opcode.WRITE, Opcode.SEND, Opcode.RECV, Opcode.SHUTDOWN);
    static final int SETUP_FLAGS = SetupFlags.CQSIZE | SetupFlags.CLAMP | SetupFlags.ATTACH_WQ
            | SetupFlags.R_DISABLED;
    static final int MAX_ENTRIES = 32768;

    // Offsets in the rings' memory, the layout the params report (each side's indexes on a line of their own).
    static final int SQ_HEAD = 0;
    static final int SQ_TAIL = 4;
    static final int SQ_MASK = 8;
    static final int SQ_ENTRIES = 12;
    static final int SQ_FLAGS = 16;
    static final int SQ_DROPPED = 20;
    static final int CQ_HEAD = 64;
    static final int CQ_TAIL = 68;
    static final int CQ_MASK = 72;
    static final int CQ_ENTRIES = 76;
    static final int CQ_OVERFLOW = 80;
    static final int CQ_FLAGS = 84;
    static final int SQ_ARRAY = 128;

    /** The epoll {@code data} of the workers' eventfd; registrations use fd and generation, never all ones. */
    private static final long WAKE_DATA = -1L;
    private static final int MAX_EVENTS = 256;
    /**
     * Readiness events handled per entry, of those one {@code epoll_wait} harvested; the rest wait in {@link #events}
     * for the next entry. With a thousand connections ready at once, handling them all before the loop sees any
     * completion puts every receive ahead of every reply: the peers wait for the whole batch, and each socket's state
     * has left the cache by the time its reply is sent. Sixteen keeps a receive and its reply close, as a readiness
     * loop that serves each channel in turn does; a kernel ring reaps about as many per entry at that load.
     */
    static final int EVENTS_PER_ENTRY = 16;
    private static final VarHandle INT = JAVA_INT.varHandle();

    final int epfd;
    private final int wakeFd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment rings;
    private final MemorySegment sqes;
    private final MemorySegment events;
    private final MemorySegment timespec;
    private final MemorySegment scratch;
    private final int sqEntries;
    private final int cqEntries;
    private final long cqesOffset;
    private final EmulatedRequests requests;
    private final ArrayDeque<long[]> overflow = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<EmulatedOp> filesDone = new ConcurrentLinkedQueue<>();
    /**
     * Fds closed through {@link Syscalls#close} since the last entry, from any thread. A set, not a queue: a loop that
     * sleeps on its wake word may not enter for long while other loops close connection after connection, and the
     * numbers it must forget are bounded by the fd limit.
     */
    final Set<Integer> closedFds = ConcurrentHashMap.newKeySet();
    private final Object wakeLock = new Object();
    private int sqHead;
    private int cqTail;
    private boolean noPwait2;
    /** The harvested events not handled yet: {@link #events} from index {@code eventsAt} to {@code eventsEnd}. */
    private int eventsAt;
    private int eventsEnd;
    private boolean closed;

    private EpollRing(int epfd, int wakeFd, int sqEntries, int cqEntries) {
        this.epfd = epfd;
        this.wakeFd = wakeFd;
        this.sqEntries = sqEntries;
        this.cqEntries = cqEntries;
        this.cqesOffset = align(SQ_ARRAY + 4L * sqEntries);
        this.rings = arena.allocate(cqesOffset + Cqe.SIZE * cqEntries, 4096);
        this.sqes = arena.allocate(Sqe.SIZE * sqEntries, 4096);
        this.events = arena.allocate(EpollNative.EVENT_SIZE * MAX_EVENTS, 8);
        this.timespec = arena.allocate(KernelTimespec.LAYOUT);
        this.scratch = arena.allocate(16, 8);
        rings.set(JAVA_INT, SQ_MASK, sqEntries - 1);
        rings.set(JAVA_INT, SQ_ENTRIES, sqEntries);
        rings.set(JAVA_INT, CQ_MASK, cqEntries - 1);
        rings.set(JAVA_INT, CQ_ENTRIES, cqEntries);
        this.requests = new EmulatedRequests(this, epfd);
    }

    private static long align(long n) {
        return (n + 63) & ~63L;
    }

    /**
     * {@code io_uring_setup} for an emulated ring: checks the entries and flags as the kernel would, writes the
     * params, and returns the ring, or null with the errno in {@code errno[0]}.
     */
    static EpollRing setup(int entries, MemorySegment params, int[] errno) {
        int flags = params.get(JAVA_INT, IoUringParams.FLAGS);
        if ((flags & ~SETUP_FLAGS) != 0 || entries < 1
                || entries > MAX_ENTRIES && (flags & SetupFlags.CLAMP) == 0) {
            errno[0] = Errno.EINVAL;
            return null;
        }
        int sq = Integer.highestOneBit(Math.min(entries, MAX_ENTRIES) * 2 - 1);
        int cq = 2 * sq;
        if ((flags & SetupFlags.CQSIZE) != 0) {
            int asked = params.get(JAVA_INT, IoUringParams.CQ_ENTRIES);
            if (asked < 1 || asked < sq && (flags & SetupFlags.CLAMP) == 0) {
                errno[0] = Errno.EINVAL;
                return null;
            }
            cq = Integer.highestOneBit(Math.min(Math.max(asked, sq), 2 * MAX_ENTRIES) * 2 - 1);
        }
        int epfd = EpollNative.epollCreate1(EpollNative.EPOLL_CLOEXEC);
        if (epfd < 0) {
            errno[0] = -epfd;
            return null;
        }
        int wake = Native.eventfd(0, Syscalls.EFD_CLOEXEC | Syscalls.EFD_NONBLOCK);
        if (wake < 0) {
            Native.close(epfd);
            errno[0] = -wake;
            return null;
        }
        EpollRing ring = new EpollRing(epfd, wake, sq, cq);
        ring.scratch.set(JAVA_INT, EpollNative.EVENT_EVENTS, EpollNative.EPOLLIN);
        ring.scratch.set(JAVA_LONG_UNALIGNED, EpollNative.EVENT_DATA, WAKE_DATA);
        int r = EpollNative.epollCtl(epfd, EpollNative.EPOLL_CTL_ADD, wake, ring.scratch.address());
        if (r < 0) {
            ring.close();
            errno[0] = -r;
            return null;
        }
        ring.writeParams(params);
        return ring;
    }

    private void writeParams(MemorySegment p) {
        p.set(JAVA_INT, IoUringParams.SQ_ENTRIES, sqEntries);
        p.set(JAVA_INT, IoUringParams.CQ_ENTRIES, cqEntries);
        p.set(JAVA_INT, IoUringParams.FEATURES, FEATURES);
        p.set(JAVA_INT, IoUringParams.SQ_OFF_HEAD, SQ_HEAD);
        p.set(JAVA_INT, IoUringParams.SQ_OFF_TAIL, SQ_TAIL);
        p.set(JAVA_INT, IoUringParams.SQ_OFF_RING_MASK, SQ_MASK);
        p.set(JAVA_INT, IoUringParams.SQ_OFF_RING_ENTRIES, SQ_ENTRIES);
        p.set(JAVA_INT, IoUringParams.SQ_OFF_FLAGS, SQ_FLAGS);
        p.set(JAVA_INT, IoUringParams.SQ_OFF_DROPPED, SQ_DROPPED);
        p.set(JAVA_INT, IoUringParams.SQ_OFF_ARRAY, SQ_ARRAY);
        p.set(JAVA_INT, IoUringParams.CQ_OFF_HEAD, CQ_HEAD);
        p.set(JAVA_INT, IoUringParams.CQ_OFF_TAIL, CQ_TAIL);
        p.set(JAVA_INT, IoUringParams.CQ_OFF_RING_MASK, CQ_MASK);
        p.set(JAVA_INT, IoUringParams.CQ_OFF_RING_ENTRIES, CQ_ENTRIES);
        p.set(JAVA_INT, IoUringParams.CQ_OFF_OVERFLOW, CQ_OVERFLOW);
        p.set(JAVA_INT, IoUringParams.CQ_OFF_CQES, (int) cqesOffset);
        p.set(JAVA_INT, IoUringParams.CQ_OFF_FLAGS, CQ_FLAGS);
    }

    /** What {@code mmap} of the ring fd at a kernel offset maps: our memory, if it is large enough. */
    long map(long offset, long length) {
        MemorySegment m = offset == Ring.IORING_OFF_SQES ? sqes : rings;
        return length <= m.byteSize() ? m.address() : -Errno.EINVAL;
    }

    // ---------------------------------------------------------------- entering

    /** {@code io_uring_enter}: submits, and with {@code GETEVENTS} completes what is ready or waits for it. */
    int enter(int toSubmit, int minComplete, int flags, long arg, long argSize) {
        // Before the submissions: an SQE for a new file under a closed number was prepared after the close was
        // reported (the reporter adds to the set before close(2) frees the number), so the stale registration is
        // forgotten before that SQE is looked up. EpollBackendTest reuses numbers to check it; a mutant drops the
        // report.
        if (!closedFds.isEmpty()) {
            for (Iterator<Integer> i = closedFds.iterator(); i.hasNext(); ) {
                int closedFd = i.next();
                i.remove();
                requests.forget(closedFd, -Errno.ECANCELED);
            }
        }
        int submitted = submit(toSubmit);
        int r = 0;
        if ((flags & IoUringFlags.ENTER_GETEVENTS) != 0) {
            long deadline = Long.MAX_VALUE;
            if ((flags & IoUringFlags.ENTER_EXT_ARG) != 0 && arg != 0) {
                MemorySegment a = Native.at(arg, GeteventsArg.SIZE);
                long ts = a.get(JAVA_LONG, GeteventsArg.TS);
                if (ts != 0) {
                    MemorySegment t = Native.at(ts, KernelTimespec.SIZE);
                    deadline = System.nanoTime() + t.get(JAVA_LONG, KernelTimespec.TV_SEC) * 1_000_000_000L
                            + t.get(JAVA_LONG, KernelTimespec.TV_NSEC);
                }
            }
            r = complete(minComplete, deadline);
        }
        // TASKRUN only for what is known to be done (a file worker's result not yet posted, or readiness harvested and
        // not yet handled); requests that wait on readiness or a deadline are only "might be done": a busy loop
        // looks, a loop about to sleep waits for them.
        int kernelFlags = (overflow.isEmpty() ? 0 : IoUringFlags.SQ_CQ_OVERFLOW)
                | (filesDone.isEmpty() && eventsAt == eventsEnd ? 0 : IoUringFlags.SQ_TASKRUN)
                | (requests.pending() ? IoUringFlags.SQ_EMULATION_WAITING : 0);
        INT.setRelease(rings, (long) SQ_FLAGS, kernelFlags);
        return submitted > 0 ? submitted : r;
    }

    private int submit(int toSubmit) {
        int tail = (int) INT.getAcquire(rings, (long) SQ_TAIL);
        int n = Math.min(toSubmit, tail - sqHead);
        int done = 0;
        while (done < n) {
            EmulatedOp op = read(sqHead + done);
            done++;
            EmulatedOp timeout = null;
            if (op.linked() && done < n) {
                EmulatedOp next = read(sqHead + done);
                if (next.opcode == Opcode.LINK_TIMEOUT) {
                    timeout = next;
                    done++;
                }
            }
            requests.issue(op, timeout);
        }
        sqHead += done;
        INT.setRelease(rings, (long) SQ_HEAD, sqHead);
        return done;
    }

    private EmulatedOp read(int position) {
        int index = rings.get(JAVA_INT, SQ_ARRAY + 4L * (position & (sqEntries - 1)));
        long o = (long) index * Sqe.SIZE;
        EmulatedOp op = new EmulatedOp();
        op.opcode = sqes.get(JAVA_BYTE, o + Sqe.OPCODE);
        op.flags = sqes.get(JAVA_BYTE, o + Sqe.FLAGS);
        op.fd = sqes.get(JAVA_INT, o + Sqe.FD);
        op.off = sqes.get(JAVA_LONG, o + Sqe.OFF);
        op.addr = sqes.get(JAVA_LONG, o + Sqe.ADDR);
        op.len = sqes.get(JAVA_INT, o + Sqe.LEN);
        op.opFlags = sqes.get(JAVA_INT, o + Sqe.OP_FLAGS);
        op.userData = sqes.get(JAVA_LONG, o + Sqe.USER_DATA);
        return op;
    }

    /**
     * Completes what is ready, then, until {@code minComplete} CQEs wait in the CQ, sleeps in epoll until readiness,
     * the next timer, a worker's result or the deadline. With {@code minComplete} 0 it looks once without sleeping.
     * Events harvested earlier and not handled yet are handled first, {@link #EVENTS_PER_ENTRY} at a time, and count
     * as the look: they are older than anything a new {@code epoll_wait} would return.
     *
     * @return 0, {@code -ETIME} at the deadline, {@code -EINTR} on a signal
     */
    private int complete(int minComplete, long deadline) {
        boolean looked = false;
        while (true) {
            flushOverflow();
            takeFilesDone();
            long now = System.nanoTime();
            requests.expire(now);
            if (eventsAt < eventsEnd) {
                handleEvents();
                looked = true;
            }
            if (ready() >= minComplete && (looked || !requests.waitsOnFds())) {
                return 0;
            }
            if (eventsAt < eventsEnd) {
                continue;
            }
            long until = Math.min(deadline, requests.nextDeadline());
            if (ready() >= minComplete) {
                until = now;
            } else if (deadline != Long.MAX_VALUE && deadline - now <= 0) {
                return -Errno.ETIME;
            }
            int n = epollWait(until == Long.MAX_VALUE ? -1 : Math.max(0, until - now));
            looked = true;
            if (n == -Errno.EINTR) {
                return -Errno.EINTR;
            }
            if (n > 0) {
                eventsAt = 0;
                eventsEnd = n;
                handleEvents();
            }
        }
    }

    /**
     * Handles the next {@link #EVENTS_PER_ENTRY} harvested events. An event for an fd closed since the harvest finds
     * its registration forgotten, or replaced under a new generation, and is dropped (see
     * {@link EmulatedRequests#ready}).
     */
    private void handleEvents() {
        int end = Math.min(eventsEnd, eventsAt + EVENTS_PER_ENTRY);
        for (int i = eventsAt; i < end; i++) {
            long e = i * EpollNative.EVENT_SIZE;
            long data = events.get(JAVA_LONG_UNALIGNED, e + EpollNative.EVENT_DATA);
            if (data == WAKE_DATA) {
                Native.read(wakeFd, scratch.address(), 8);
            } else {
                requests.ready(data, events.get(JAVA_INT, e + EpollNative.EVENT_EVENTS));
            }
        }
        eventsAt = end;
    }

    /** {@code epoll_pwait2} with a nanosecond timeout (-1: none); {@code epoll_wait} in milliseconds before 5.11. */
    private int epollWait(long nanos) {
        if (!noPwait2) {
            long ts = 0;
            if (nanos >= 0) {
                timespec.set(JAVA_LONG, KernelTimespec.TV_SEC, nanos / 1_000_000_000L);
                timespec.set(JAVA_LONG, KernelTimespec.TV_NSEC, nanos % 1_000_000_000L);
                ts = timespec.address();
            }
            int n = EpollNative.epollPwait2(epfd, events.address(), MAX_EVENTS, ts);
            if (n != -Errno.ENOSYS) {
                return n;
            }
            noPwait2 = true;
        }
        int millis = nanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
        return EpollNative.epollWait(epfd, events.address(), MAX_EVENTS, millis);
    }

    private int ready() {
        return cqTail - (int) INT.getAcquire(rings, (long) CQ_HEAD);
    }

    // ---------------------------------------------------------------- completions

    /** Posts a CQE, or keeps it until the CQ has room (the ring never drops one: {@code NODROP}). */
    void post(long userData, int res, boolean skipSuccess) {
        if (skipSuccess && res >= 0) {
            return;
        }
        if (!overflow.isEmpty() || ready() >= cqEntries) {
            overflow.add(new long[] {userData, res});
            return;
        }
        write(userData, res);
    }

    private void write(long userData, int res) {
        long o = cqesOffset + (long) (cqTail & (cqEntries - 1)) * Cqe.SIZE;
        rings.set(JAVA_LONG, o + Cqe.USER_DATA, userData);
        rings.set(JAVA_INT, o + Cqe.RES, res);
        rings.set(JAVA_INT, o + Cqe.FLAGS, 0);
        cqTail++;
        INT.setRelease(rings, (long) CQ_TAIL, cqTail);
    }

    private void flushOverflow() {
        while (!overflow.isEmpty() && ready() < cqEntries) {
            long[] c = overflow.poll();
            write(c[0], (int) c[1]);
        }
    }

    /** From a file worker: hands the finished request to the loop and wakes its wait. */
    void fileDone(EmulatedOp op) {
        synchronized (wakeLock) {
            if (closed) {
                return;
            }
            filesDone.add(op);
            scratch.set(JAVA_LONG, 8, 1L);
            Native.write(wakeFd, scratch.address() + 8, 8);
        }
    }

    private void takeFilesDone() {
        EmulatedOp op;
        while ((op = filesDone.poll()) != null) {
            requests.fileDone(op);
        }
    }

    // ---------------------------------------------------------------- register and close

    /** {@code io_uring_register}: the probe, and the operations that need nothing here; others {@code EINVAL}. */
    int register(int opcode, long arg, int count) {
        return switch (opcode) {
            case RegisterOp.REGISTER_PROBE -> probe(arg, count);
            case RegisterOp.REGISTER_ENABLE_RINGS, RegisterOp.REGISTER_BUFFERS, RegisterOp.UNREGISTER_BUFFERS -> 0;
            default -> -Errno.EINVAL;
        };
    }

    private static int probe(long arg, int count) {
        MemorySegment p = Native.at(arg, IoUringProbe.SIZE);
        int last = 0;
        for (byte op : OPCODES) {
            last = Math.max(last, op);
        }
        int len = Math.min(count, last + 1);
        p.set(JAVA_BYTE, IoUringProbe.LAST_OP, (byte) last);
        p.set(JAVA_BYTE, IoUringProbe.OPS_LEN, (byte) len);
        for (int i = 0; i < len; i++) {
            long o = IoUringProbe.OPS + i * IoUringProbe.OP_SIZE;
            p.set(JAVA_BYTE, o + IoUringProbe.OP_OP, (byte) i);
            p.set(JAVA_SHORT, o + IoUringProbe.OP_FLAGS,
                    (short) (OPCODES.contains((byte) i) ? IoUringProbe.OP_SUPPORTED : 0));
        }
        return 0;
    }

    void close() {
        synchronized (wakeLock) {
            closed = true;
        }
        requests.close();
        Native.close(wakeFd);
        Native.close(epfd);
        arena.close();
    }
}
