package io.ringloop.binding;

import io.ringloop.kernel.IoUringUnavailableException;
import io.ringloop.kernel.NativeCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One io_uring instance: set up with the strongest flags the kernel grants, its rings mapped, its
 * {@link SubmissionQueue} and {@link CompletionQueue} ready.
 *
 * <p>Not thread-safe by design: with {@code SINGLE_ISSUER} the kernel itself rejects ({@code EEXIST}) submissions
 * from any thread but the one that created the ring, so the owner creates it on the thread that will use it.
 * Kernel results stay {@code -errno} ints on the running path; setup failures throw.
 */
public final class Ring implements AutoCloseable {
    /** {@code user_data} of the ring's own wait timeout, used only when {@code EXT_ARG} is unavailable. */
    public static final long INTERNAL_TIMEOUT_USER_DATA = 0xFFFF_FFFF_FFFF_FF00L;
    /** {@code user_data} of the SQEs that update or remove the internal timeout; their CQEs are swallowed too. */
    public static final long INTERNAL_TIMEOUT_CONTROL_USER_DATA = INTERNAL_TIMEOUT_USER_DATA + 1;

    /** mmap offsets, include/uapi/linux/io_uring.h. */
    static final long IORING_OFF_SQ_RING = 0L;
    static final long IORING_OFF_CQ_RING = 0x8000000L;
    static final long IORING_OFF_SQES = 0x10000000L;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_SHARED_POPULATE = 0x01 | 0x08000;
    /** {@code _NSIG / 8}, as liburing passes it. */
    private static final int SIGSET_SIZE = 8;
    /** Setup flags in the order to give them up on EINVAL: the newest first. */
    private static final int[] DROP_ORDER = {SetupFlags.NO_SQARRAY, SetupFlags.DEFER_TASKRUN,
        SetupFlags.SINGLE_ISSUER, SetupFlags.TASKRUN_FLAG, SetupFlags.COOP_TASKRUN, SetupFlags.SUBMIT_ALL};

    private final int fd;
    private final SyscallLayer sys;
    private final FeatureMask mask;
    private final int setupFlags;
    private final int features;
    private final int sqEntries;
    private final int cqEntries;
    private final long sqRingAddress;
    private final long sqRingSize;
    private final long cqRingAddress;
    private final long cqRingSize;
    private final long sqesAddress;
    private final long sqesSize;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    /** Scratch for waits: getevents_arg followed by a timespec; only the owner thread writes it. */
    private final Arena arena = Arena.ofShared();
    private final MemorySegment waitArg;
    private final MemorySegment waitTimespec;
    private final int waitFlags;
    /** The ring fd's slot in its owner thread's table, by which that thread enters. */
    private final RingFdRegistration ringFd;
    private Probe probe;
    /** What {@link #supports} answers, worked out once with the probe; owner thread. */
    private Set<KernelFeature> supported;
    private int evidentRelease;
    /** Internal timeouts armed whose CQE has not been reaped: at most two, while one replaces another. */
    private int internalTimeouts;
    /** When the newest internal timeout expires, in {@link System#nanoTime()} terms. */
    private long internalDeadline;
    private boolean closed;

    private Ring(int fd, RingOptions options, MemorySegment params) {
        this.fd = fd;
        this.sys = options.syscalls();
        this.mask = options.mask();
        this.setupFlags = params.get(JAVA_INT, IoUringParams.FLAGS);
        this.features = params.get(JAVA_INT, IoUringParams.FEATURES) & ~mask.features();
        this.sqEntries = params.get(JAVA_INT, IoUringParams.SQ_ENTRIES);
        this.cqEntries = params.get(JAVA_INT, IoUringParams.CQ_ENTRIES);

        long sqArray = params.get(JAVA_INT, IoUringParams.SQ_OFF_ARRAY) & 0xffff_ffffL;
        long sqSize = sqArray + (long) sqEntries * Integer.BYTES;
        long cqSize = (params.get(JAVA_INT, IoUringParams.CQ_OFF_CQES) & 0xffff_ffffL) + (long) cqEntries * Cqe.SIZE;
        boolean singleMmap = (params.get(JAVA_INT, IoUringParams.FEATURES) & Features.SINGLE_MMAP) != 0;
        if (singleMmap) {
            sqSize = Math.max(sqSize, cqSize);
            cqSize = sqSize;
        }
        long sqAddr = 0;
        long cqAddr = 0;
        long sqesAddr = 0;
        long sqesBytes = (long) sqEntries * Sqe.SIZE;
        try {
            sqAddr = mapOrThrow(sqSize, IORING_OFF_SQ_RING);
            cqAddr = singleMmap ? sqAddr : mapOrThrow(cqSize, IORING_OFF_CQ_RING);
            sqesAddr = mapOrThrow(sqesBytes, IORING_OFF_SQES);
        } catch (RuntimeException e) {
            if (sqesAddr != 0) {
                sys.munmap(sqesAddr, sqesBytes);
            }
            if (cqAddr != 0 && cqAddr != sqAddr) {
                sys.munmap(cqAddr, cqSize);
            }
            if (sqAddr != 0) {
                sys.munmap(sqAddr, sqSize);
            }
            throw e;
        }
        this.sqRingAddress = sqAddr;
        this.sqRingSize = sqSize;
        this.cqRingAddress = cqAddr;
        this.cqRingSize = cqSize;
        this.sqesAddress = sqesAddr;
        this.sqesSize = sqesBytes;

        MemorySegment sqRing = Native.segment(sqAddr, sqSize, arena);
        MemorySegment cqRing = Native.segment(cqAddr, cqSize, arena);
        if ((setupFlags & SetupFlags.NO_SQARRAY) == 0) {
            // The indirection array maps ring slot i to SQE i forever, so SQEs are addressed by the tail alone.
            for (int i = 0; i < sqEntries; i++) {
                sqRing.setAtIndex(JAVA_INT, sqArray / Integer.BYTES + i, i);
            }
        }
        this.sq = new SubmissionQueue(sqRing, Native.segment(sqesAddr, sqesBytes, arena),
                off(params, IoUringParams.SQ_OFF_HEAD), off(params, IoUringParams.SQ_OFF_TAIL),
                off(params, IoUringParams.SQ_OFF_FLAGS), off(params, IoUringParams.SQ_OFF_DROPPED),
                sqRing.get(JAVA_INT, off(params, IoUringParams.SQ_OFF_RING_MASK)), sqEntries);
        this.cq = new CompletionQueue(cqRing, off(params, IoUringParams.CQ_OFF_HEAD),
                off(params, IoUringParams.CQ_OFF_TAIL), off(params, IoUringParams.CQ_OFF_OVERFLOW),
                off(params, IoUringParams.CQ_OFF_CQES),
                cqRing.get(JAVA_INT, off(params, IoUringParams.CQ_OFF_RING_MASK)), cqEntries, this);

        this.waitArg = arena.allocate(GeteventsArg.LAYOUT);
        this.waitTimespec = arena.allocate(KernelTimespec.LAYOUT);
        this.ringFd = new RingFdRegistration(arena);
        this.waitFlags = IoUringFlags.ENTER_GETEVENTS
                | ((features & Features.NO_IOWAIT) != 0 ? IoUringFlags.ENTER_NO_IOWAIT : 0);
        if (!has(SetupFlags.R_DISABLED)) {
            ringFd.register(this);
        }
    }


    /**
     * {@code io_uring_enter}, naming the ring by its registered slot when the owner thread calls (the slot means
     * nothing in another thread's table) and by its fd otherwise: a ring without {@code SINGLE_ISSUER} may be
     * entered from any thread, and one with it answers another thread's submit with {@code EEXIST} either way.
     */
    private int enter(int toSubmit, int minComplete, int flags, long arg, long argSize) {
        if (Thread.currentThread() == ringFd.owner()) {
            return (int) sys.ioUringEnter(ringFd.slot(), toSubmit, minComplete,
                    flags | IoUringFlags.ENTER_REGISTERED_RING, arg, argSize);
        }
        return (int) sys.ioUringEnter(fd, toSubmit, minComplete, flags, arg, argSize);
    }

    private static long off(MemorySegment params, long field) {
        return params.get(JAVA_INT, field) & 0xffff_ffffL;
    }

    private long mapOrThrow(long size, long offset) {
        long addr = sys.mmap(size, PROT_READ_WRITE, MAP_SHARED_POPULATE, fd, offset);
        if (addr < 0) {
            throw new NativeCallException("mmap of io_uring offset 0x" + Long.toHexString(offset), addr);
        }
        return addr;
    }

    /**
     * Sets up a ring on the calling thread, which becomes its only issuer when {@code SINGLE_ISSUER} is granted.
     *
     * <p>{@code ATTACH_WQ} is a wish, never a reason to fail or to lose a stronger flag: when the kernel rejects the
     * attach ({@code EINVAL}: not an io_uring fd; {@code ENXIO}: no such fd), the same flags are tried once without
     * it before any other flag is dropped. {@link #has(int)} tells whether it was granted.
     *
     * @param options what to ask for
     * @return the ring
     * @throws IoUringUnavailableException if io_uring cannot be used here (ENOSYS, EPERM, ENOMEM), saying why
     * @throws NativeCallException if setup or mapping fails otherwise
     */
    public static Ring open(RingOptions options) {
        int wanted = options.wantedFlags();
        if (options.cqEntries() != 0) {
            wanted |= SetupFlags.CQSIZE;
        }
        if (options.attachWqFd() >= 0) {
            wanted |= SetupFlags.ATTACH_WQ;
        }
        wanted &= ~options.mask().setupFlags();
        if (options.mask().hidesIoUring() && !options.syscalls().emulatesIoUring()) {
            // The IO_URING mask: behave as a host whose seccomp profile refuses io_uring_setup.
            throw IoUringUnavailableException.masked(FeatureMask.PROPERTY + " or LoopOptions.featureMask");
        }
        int dropped = 0;
        try (Arena setup = Arena.ofConfined()) {
            MemorySegment params = setup.allocate(IoUringParams.LAYOUT);
            for (int attempt = 0; ; attempt++) {
                int flags = consistent(wanted & ~dropped);
                long r = setup(options, params, flags);
                if (r < 0 && (r == -Errno.EINVAL || r == -Errno.ENXIO) && (flags & SetupFlags.ATTACH_WQ) != 0) {
                    flags &= ~SetupFlags.ATTACH_WQ;
                    r = setup(options, params, flags);
                }
                if (r >= 0) {
                    int fd = (int) r;
                    try {
                        return new Ring(fd, options, params);
                    } catch (RuntimeException e) {
                        options.syscalls().closeRing(fd);
                        throw e;
                    }
                }
                if (r == -Errno.EINVAL && attempt < DROP_ORDER.length) {
                    dropped |= DROP_ORDER[attempt];
                    continue;
                }
                if (r == -Errno.ENOSYS || r == -Errno.EPERM || r == -Errno.ENOMEM) {
                    throw IoUringUnavailableException.of(r);
                }
                throw new NativeCallException("io_uring_setup(entries=" + options.sqEntries() + ", flags="
                        + SetupFlags.names(flags) + ") failed: " + Errno.name((int) r) + " (" + r + ")", (int) -r);
            }
        }
    }

    private static long setup(RingOptions options, MemorySegment params, int flags) {
        params.fill((byte) 0);
        params.set(JAVA_INT, IoUringParams.FLAGS, flags);
        params.set(JAVA_INT, IoUringParams.CQ_ENTRIES, options.cqEntries());
        params.set(JAVA_INT, IoUringParams.WQ_FD, (flags & SetupFlags.ATTACH_WQ) != 0 ? options.attachWqFd() : 0);
        return options.syscalls().ioUringSetup(options.sqEntries(), params.address());
    }

    /** Drops flags whose prerequisites were dropped, so that a fallback never asks for an impossible mix. */
    private static int consistent(int flags) {
        int f = flags;
        if ((f & SetupFlags.SINGLE_ISSUER) == 0) {
            f &= ~SetupFlags.DEFER_TASKRUN;
        }
        if ((f & (SetupFlags.COOP_TASKRUN | SetupFlags.DEFER_TASKRUN)) == 0) {
            f &= ~SetupFlags.TASKRUN_FLAG;
        }
        return f;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("ring " + fd + " is closed");
        }
    }

    /**
     * The ring's fd, for MSG_RING targets and {@code ATTACH_WQ}.
     *
     * @return the fd
     */
    public int fd() {
        return fd;
    }

    /**
     * The setup flags the kernel granted.
     *
     * @return {@code IORING_SETUP_*}
     */
    public int setupFlags() {
        return setupFlags;
    }

    /**
     * Whether a setup flag was granted.
     *
     * @param flag one {@link SetupFlags} bit
     * @return true if granted
     */
    public boolean has(int flag) {
        return (setupFlags & flag) == flag;
    }

    /**
     * The kernel's features, less the masked ones.
     *
     * @return {@code IORING_FEAT_*}
     */
    public int features() {
        return features;
    }

    /**
     * The mask this ring was opened with.
     *
     * @return the mask
     */
    public FeatureMask mask() {
        return mask;
    }

    /**
     * The syscall layer this ring uses.
     *
     * @return the layer
     */
    public SyscallLayer syscalls() {
        return sys;
    }

    /**
     * SQ size granted.
     *
     * @return {@code sq_entries}
     */
    public int sqEntries() {
        return sqEntries;
    }

    /**
     * CQ size granted.
     *
     * @return {@code cq_entries}
     */
    public int cqEntries() {
        return cqEntries;
    }

    /**
     * The submission queue.
     *
     * @return the SQ
     */
    public SubmissionQueue sq() {
        return sq;
    }

    /**
     * The completion queue.
     *
     * @return the CQ
     */
    public CompletionQueue cq() {
        return cq;
    }

    /**
     * Whether the kernel has work for us that only {@code io_uring_enter(GETEVENTS)} runs: deferred task work
     * ({@code IORING_SQ_TASKRUN}) or overflowed CQEs ({@code IORING_SQ_CQ_OVERFLOW}). One acquire load, no syscall.
     *
     * @return true if a GETEVENTS pass would produce CQEs
     */
    public boolean needsGetEvents() {
        return (sq.kernelFlags() & (IoUringFlags.SQ_TASKRUN | IoUringFlags.SQ_CQ_OVERFLOW)) != 0;
    }

    /**
     * Whether a non-blocking GETEVENTS might complete requests that nothing announced: only on the epoll backend, while
     * requests wait there ({@link IoUringFlags#SQ_EMULATION_WAITING}). The kernel's io_uring announces every completion
     * (a CQE, or {@code SQ_TASKRUN}); epoll tells only whoever asks. A loop that is about to sleep need not ask: its
     * sleeping GETEVENTS is that question, blocking.
     *
     * @return true if looking might find completions
     */
    public boolean completesOnlyWhenAsked() {
        return (sq.kernelFlags() & IoUringFlags.SQ_EMULATION_WAITING) != 0;
    }

    /**
     * Whether a pass whose CQ is empty should enter with GETEVENTS: when {@link #needsGetEvents()} says so, or when
     * {@linkplain #completesOnlyWhenAsked() requests wait unannounced} (epoll) and {@code busyPass} says the pass will
     * not end in a sleep (whose GETEVENTS asks anyway). One load of the flags word, as {@link #needsGetEvents()}.
     *
     * @param busyPass asked only on the epoll backend with requests waiting
     * @return true if the pass should enter
     */
    public boolean needsGetEvents(BooleanSupplier busyPass) {
        int flags = sq.kernelFlags();
        return (flags & (IoUringFlags.SQ_TASKRUN | IoUringFlags.SQ_CQ_OVERFLOW)) != 0
                || (flags & IoUringFlags.SQ_EMULATION_WAITING) != 0 && busyPass.getAsBoolean();
    }

    /**
     * A pass's submission: with GETEVENTS, as {@link #getEvents()}, so that the same entry collects what completed
     * meanwhile; but where that look is an {@code epoll_wait} of its own (requests wait unannounced, epoll) and
     * {@link #needsGetEvents(BooleanSupplier)} says the pass will end in a sleep, whose wait looks anyway, a plain
     * {@link #submit()}.
     *
     * @param busyPass whether the pass will not end in a sleep; asked only on the epoll backend with requests waiting
     * @return SQEs consumed, or {@code -errno}
     */
    public int submitForPass(BooleanSupplier busyPass) {
        return completesOnlyWhenAsked() && !needsGetEvents(busyPass) ? submit() : getEvents();
    }

    /**
     * Submits every prepared SQE without waiting.
     *
     * @return SQEs the kernel consumed, or {@code -errno} (EBUSY/EAGAIN: resources short, retry after reaping)
     */
    public int submit() {
        checkOpen();
        sq.publish();
        int n = sq.pending();
        if (n == 0) {
            return 0;
        }
        return enter(n, 0, 0, 0, 0);
    }

    /**
     * Submits prepared SQEs and runs pending task work and overflow flushes, without waiting.
     *
     * @return SQEs consumed, or {@code -errno}
     */
    public int getEvents() {
        checkOpen();
        sq.publish();
        return enter(sq.pending(), 0, IoUringFlags.ENTER_GETEVENTS, 0, 0);
    }

    /**
     * Submits prepared SQEs and waits until {@code minComplete} CQEs are ready or the timeout passes.
     *
     * @param minComplete CQEs to wait for, at least 1
     * @param timeoutNanos how long at most; {@link Long#MAX_VALUE} waits without a timeout
     * @return SQEs consumed, or {@code -errno}: {@code -ETIME} on timeout, {@code -EINTR} on a signal
     * @throws IllegalArgumentException if {@code timeoutNanos} is negative or {@code minComplete < 1}
     */
    public int submitAndWait(int minComplete, long timeoutNanos) {
        checkOpen();
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("timeoutNanos must be >= 0, was " + timeoutNanos);
        }
        if (minComplete < 1) {
            throw new IllegalArgumentException("minComplete must be >= 1, was " + minComplete);
        }
        if (timeoutNanos == Long.MAX_VALUE) {
            sq.publish();
            return enter(sq.pending(), minComplete, waitFlags, 0, 0);
        }
        if ((features & Features.EXT_ARG) != 0) {
            waitTimespec.set(JAVA_LONG, KernelTimespec.TV_SEC, timeoutNanos / 1_000_000_000L);
            waitTimespec.set(JAVA_LONG, KernelTimespec.TV_NSEC, timeoutNanos % 1_000_000_000L);
            waitArg.set(JAVA_LONG, GeteventsArg.SIGMASK, 0L);
            waitArg.set(JAVA_INT, GeteventsArg.SIGMASK_SZ, SIGSET_SIZE);
            waitArg.set(JAVA_INT, GeteventsArg.MIN_WAIT_USEC, 0);
            waitArg.set(JAVA_LONG, GeteventsArg.TS, waitTimespec.address());
            sq.publish();
            return enter(sq.pending(), minComplete, waitFlags | IoUringFlags.ENTER_EXT_ARG,
                    waitArg.address(), GeteventsArg.SIZE);
        }
        return waitWithTimeoutSqe(minComplete, timeoutNanos);
    }

    /**
     * Kernels without {@code EXT_ARG} (or with it masked) bound the wait with a TIMEOUT SQE of our own, whose CQE
     * the {@link CompletionQueue} swallows. While one is armed, a later wait moves its expiry in place
     * ({@code TIMEOUT_REMOVE} with {@code IORING_TIMEOUT_UPDATE}, 5.11). Before 5.11 there is no update: a wait that
     * the armed timeout would end no later than asked just waits (an early end costs one more pass of the loop);
     * one that needs an earlier end removes the armed timeout and arms another in the same submission, and the removed
     * one's {@code -ECANCELED} CQE ends that wait at once (one spurious pass, then the new timeout holds). The update
     * and remove SQEs carry {@link #INTERNAL_TIMEOUT_CONTROL_USER_DATA}, so their own CQEs (posted on success too
     * before {@code CQE_SKIP_SUCCESS}, 5.17) are never taken for the end of a timeout.
     */
    private int waitWithTimeoutSqe(int minComplete, long timeoutNanos) {
        boolean update = supports(KernelFeature.TIMEOUT_UPDATE);
        long deadline = System.nanoTime() + timeoutNanos;
        if (internalTimeouts > 0 && !update && deadline - internalDeadline >= 0) {
            sq.publish();
            return enter(sq.pending(), minComplete, waitFlags, 0, 0);
        }
        if (sq.available() < 2) {
            int r = submit();
            if (r < 0) {
                return r;
            }
        }
        waitTimespec.set(JAVA_LONG, KernelTimespec.TV_SEC, timeoutNanos / 1_000_000_000L);
        waitTimespec.set(JAVA_LONG, KernelTimespec.TV_NSEC, timeoutNanos % 1_000_000_000L);
        byte skip = (features & Features.CQE_SKIP) != 0 ? IoUringFlags.SQE_CQE_SKIP_SUCCESS : 0;
        if (internalTimeouts > 0 && update) {
            // Fails with -ENOENT/-EALREADY only if the timeout already fired: its -ETIME CQE then ends this wait.
            sq.prep(Opcode.TIMEOUT_REMOVE, skip, (short) 0, -1, waitTimespec.address(), INTERNAL_TIMEOUT_USER_DATA,
                    0, IoUringFlags.TIMEOUT_UPDATE, INTERNAL_TIMEOUT_CONTROL_USER_DATA, (short) 0, 0, 0L);
        } else {
            if (internalTimeouts > 0) {
                // Only the old timeout is armed when this runs: SQEs of one submission are issued in order.
                sq.prep(Opcode.TIMEOUT_REMOVE, skip, (short) 0, -1, 0, INTERNAL_TIMEOUT_USER_DATA, 0, 0,
                        INTERNAL_TIMEOUT_CONTROL_USER_DATA, (short) 0, 0, 0L);
            }
            sq.timeout(waitTimespec.address(), 0, 0, INTERNAL_TIMEOUT_USER_DATA);
            internalTimeouts++;
        }
        internalDeadline = deadline;
        sq.publish();
        return enter(sq.pending(), minComplete, waitFlags, 0, 0);
    }

    /**
     * A CQE with {@link #INTERNAL_TIMEOUT_USER_DATA} was reaped: one internal timeout ended (-ETIME, or -ECANCELED
     * when removed). Update and remove SQEs carry another {@code user_data}, so every such CQE is an end.
     */
    void internalTimeoutCompleted(int res) {
        if (internalTimeouts > 0) {
            internalTimeouts--;
        }
    }

    /**
     * {@code io_uring_register(2)} on this ring.
     *
     * @param opcode a {@link RegisterOp}
     * @param arg the argument, or {@link MemorySegment#NULL}
     * @param count the argument count
     * @return the kernel's result or {@code -errno}
     */
    public int register(int opcode, MemorySegment arg, int count) {
        checkOpen();
        return (int) sys.ioUringRegister(fd, opcode, arg.address(), count);
    }

    /**
     * Enables a ring set up with {@code R_DISABLED}; the calling thread becomes its single issuer.
     *
     * @throws NativeCallException if the kernel refuses
     */
    public void enable() {
        int r = register(RegisterOp.REGISTER_ENABLE_RINGS, MemorySegment.NULL, 0);
        if (r < 0) {
            throw new NativeCallException("io_uring_register(ENABLE_RINGS)", r);
        }
        ringFd.register(this);
    }

    /**
     * The slot of this ring in the owner thread's table of registered ring fds, by which every
     * {@code io_uring_enter} names it ({@code IORING_ENTER_REGISTERED_RING}); {@code -1} when it is entered by fd
     * (kernel before 5.18, the thread's 16 slots taken, or {@code RING_FDS} masked).
     *
     * @return the slot, or -1
     */
    public int registeredRingSlot() {
        return ringFd.slot();
    }

    /**
     * Why the ring fd is not registered, when the kernel refused it.
     *
     * @return the kernel's {@code -errno}, or 0 if it registered or was not asked (masked, or disabled ring)
     */
    public int ringFdRefusal() {
        return ringFd.refusal();
    }

    /**
     * The opcodes this kernel supports, less the masked ones; probed once.
     *
     * @return the probe
     */
    public Probe probe() {
        checkOpen();
        if (probe == null) {
            BitSet supported = new BitSet();
            int lastOp = -1;
            try (Arena a = Arena.ofConfined()) {
                MemorySegment p = a.allocate(IoUringProbe.SIZE, 8);
                int r = register(RegisterOp.REGISTER_PROBE, p, IoUringProbe.MAX_OPS);
                if (r >= 0) {
                    lastOp = Byte.toUnsignedInt(p.get(JAVA_BYTE, IoUringProbe.LAST_OP));
                    int len = Byte.toUnsignedInt(p.get(JAVA_BYTE, IoUringProbe.OPS_LEN));
                    for (int i = 0; i < len; i++) {
                        long o = IoUringProbe.OPS + i * IoUringProbe.OP_SIZE;
                        int op = Byte.toUnsignedInt(p.get(JAVA_BYTE, o + IoUringProbe.OP_OP));
                        int flags = p.get(JAVA_SHORT, o + IoUringProbe.OP_FLAGS);
                        if ((flags & IoUringProbe.OP_SUPPORTED) != 0 && !mask.masksOpcode(op)) {
                            supported.set(op);
                        }
                    }
                }
            }
            probe = new Probe(supported, lastOp);
        }
        return probe;
    }

    /**
     * Whether this kernel, less the mask, has an entry of the {@link KernelFeature} table: a setup flag granted to this
     * ring, a feature bit reported, an opcode probed. Register operations and opcode flags are reported by nothing, so
     * they count as present when the kernel shows a release that has them ({@link #evidentRelease()}) and the mask does
     * not hide them. The first call probes (owner thread, like every register call).
     *
     * @param f the entry
     * @return true if ringloop may use it on this ring
     */
    public boolean supports(KernelFeature f) {
        return supported().contains(f);
    }

    /**
     * Every entry {@link #supports} grants, worked out once; the set may be read from any thread afterwards.
     *
     * @return an unmodifiable set
     */
    public Set<KernelFeature> supported() {
        if (supported == null) {
            Probe p = probe();
            int evident = 0;
            for (KernelFeature f : KernelFeature.values()) {
                boolean shown = switch (f.kind()) {
                    case SETUP_FLAG -> has(f.value());
                    case FEATURE -> (features & f.value()) != 0;
                    case OPCODE -> p.supports(f.value());
                    case REGISTER_OP, OPCODE_FLAG -> false;
                };
                if (shown) {
                    evident = Math.max(evident, f.sinceRelease());
                }
            }
            EnumSet<KernelFeature> s = EnumSet.noneOf(KernelFeature.class);
            for (KernelFeature f : KernelFeature.values()) {
                boolean yes = switch (f.kind()) {
                    case SETUP_FLAG -> has(f.value());
                    case FEATURE -> (features & f.value()) != 0;
                    case OPCODE -> p.supports(f.value());
                    case REGISTER_OP, OPCODE_FLAG -> !mask.hides(f) && f.sinceRelease() <= evident;
                };
                if (yes) {
                    s.add(f);
                }
            }
            evidentRelease = evident;
            supported = Collections.unmodifiableSet(s);
        }
        return supported;
    }

    /**
     * The newest release this kernel shows, less the mask: the newest entry of the {@link KernelFeature} table among
     * the setup flags granted, the feature bits reported and the opcodes probed. A lower bound of the real release
     * (a release that adds nothing visible looks like the one before it).
     *
     * @return {@link KernelFeature#release}-style number, for example 5019 for 5.19
     */
    public int evidentRelease() {
        supported();
        return evidentRelease;
    }

    /**
     * Whether the ring is closed.
     *
     * @return true after {@link #close()}
     */
    public boolean isClosed() {
        return closed;
    }

    /** Unmaps the rings and closes the fd; pending requests are cancelled by the kernel. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        // Before the fd closes: a registered ring fd keeps the ring alive until the owner thread lets go of it.
        ringFd.unregister(this);
        closed = true;
        sq.close();
        cq.close();
        // First the arena: every segment over the mappings is scoped to it, so a stray access after this point
        // throws instead of touching unmapped memory (a shared arena's close waits out accesses in progress).
        arena.close();
        sys.munmap(sqesAddress, sqesSize);
        if (cqRingAddress != sqRingAddress) {
            sys.munmap(cqRingAddress, cqRingSize);
        }
        sys.munmap(sqRingAddress, sqRingSize);
        sys.closeRing(fd);
    }

    @Override
    public String toString() {
        return "Ring[fd=" + fd + ", sq=" + sqEntries + ", cq=" + cqEntries + ", flags=" + SetupFlags.names(setupFlags)
                + ", features=" + Features.names(features)
                + (ringFd.slot() >= 0 ? ", registered ring slot " + ringFd.slot() : "") + "]";
    }
}
