package io.ringloop;

import io.ringloop.binding.CompletionHandler;
import io.ringloop.binding.CompletionQueue;
import io.ringloop.binding.Errno;
import io.ringloop.binding.Features;
import io.ringloop.binding.IoUringFlags;
import io.ringloop.binding.NativeCallException;
import io.ringloop.binding.Iovec;
import io.ringloop.binding.Opcode;
import io.ringloop.binding.ProvidedBufferRing;
import io.ringloop.binding.RegisterOp;
import io.ringloop.binding.Ring;
import io.ringloop.binding.SubmissionQueue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * The loop thread's side of an {@link EventLoop}: an agent whose {@link #doWork()} returns how much it did, and an
 * idle step that turns a zero into spin, arm, re-check, sleep.
 *
 * <pre>
 *   while (running) {
 *       int work = doWork();         // reap CQEs (a syscall only if TASKRUN/CQ_OVERFLOW says so), run tasks,
 *       if (work == 0) idle();       // fire timers, submit SQEs
 *   }
 *   idle(): spin for spinNanos: looks at the wake word, the CQ tail and the SQ flags word, a PAUSE every 32
 *           looks, the clock (timers, spin end, yield) and local tasks/close every 64;
 *           then doorbell.beforePark; word.arm(); re-check; doorbell.armed; io_uring_enter(GETEVENTS, 1, timeout);
 *           word.disarm()
 * </pre>
 *
 * Everything here runs on the loop thread; the only shared state is the wake word, the task queue and the counters.
 */
final class LoopAgent implements CompletionHandler {
    /** CQ slots kept for the loop's own SQEs (doorbell poll or wait, its cancel, the internal timeout, slack). */
    private static final int RESERVED_CQ_SLOTS = 8;
    /**
     * The first part of the spin window that busy-waits; after it the loop yields every few microseconds. On a small or
     * shared machine the producer that just woke us is often on our CPU (the scheduler wakes onto the waker's CPU),
     * and a pure busy-wait would hold it off for the whole window: the showdown measured 57 µs instead of 8 µs for a
     * parked round trip with a 50 µs pure spin. Yielding lets it run; with nobody else runnable, yield returns at once.
     */
    private static final long PURE_SPIN_NANOS = 2_000;
    /** After the pure part, how often the spin yields: often enough for a co-located producer, rarely enough that an
     * empty look (wake word, CQ tail, SQ flags) stays syscall-free almost always. */
    private static final long YIELD_INTERVAL_NANOS = 4_000;
    /**
     * Empty looks between two spin-wait hints. {@code Thread.onSpinWait()} is a PAUSE, which takes 65+ cycles on AMD
     * Zen 2 and later and about 140 on Intel since Skylake (27 ns measured on the 2-vCPU EPYC showdown machine, where
     * a look takes about 6 ns): after every look it made the look five times dearer. It follows every 32 looks (about
     * 0.2 µs of looking between two hints, an eighth of the spin spent in PAUSE instead of four fifths).
     */
    private static final int LOOKS_PER_PAUSE = 32;
    /**
     * Empty looks between two clock reads ({@code System.nanoTime()}, about 30 ns through the vDSO) and the rare
     * checks (local tasks, close). 64 looks and 2 pauses take about 0.5 µs here and well under 1 µs with Intel's
     * longer PAUSE, so the spin still ends, yields and meets a timer within about a microsecond of the time set.
     */
    private static final int LOOKS_PER_CLOCK = 64;
    /** Most CQEs handed out per reap, so that tasks and timers still run under a completion storm. */
    private static final int REAP_BATCH = 4096;
    /**
     * {@code user_data} of the MSG_RING wakes this loop sends to others, the target's {@link LoopRegistry} id in the
     * low 32 bits. Negative, so apart from I/O slots, and below the doorbell's and the ring's reserved values.
     */
    static final long MSG_RING_SENT = 0xFFFF_FFFE_0000_0000L;
    private static final long MSG_RING_TARGET = 0xFFFF_FFFFL;
    /** Submits tried for one MSG_RING wake before it is revoked and the target's own doorbell rung instead. */
    private static final int WAKE_SUBMIT_ATTEMPTS = 16;
    /**
     * How long a closing loop waits for the kernel to answer the cancels of its in-flight I/O. A socket operation is
     * cancelled at once and a regular file's read or write finishes within milliseconds; only a stuck device or
     * network file system takes longer, and close() must end even then.
     */
    private static final long CLOSE_IO_GRACE_NANOS = 10_000_000_000L;
    /** Requests the kernel never answered: reachable for the life of the process (see {@link #abandonIo()}). */
    private static final Queue<IoRequest> ABANDONED = new ConcurrentLinkedQueue<>();
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    private final EventLoop loop;
    private final WakeWord word;
    private final TaskQueue queue;
    private final DoorbellDriver doorbell;
    private final LoopCounters counters;
    private final ArrayDeque<Runnable> localTasks = new ArrayDeque<>();
    private final TimerQueue timers = new TimerQueue();
    private final Ring ring;
    private final IoTable io;
    private final TaskErrorHandler errorHandler;
    private final int taskBatch;
    private final long spinNanos;
    private final long maxParkNanos;
    /** The sequence of the last drain that found the queue empty: the arm-and-recheck baseline. */
    private long caughtUp;
    /**
     * Tasks taken from the queue, ever. Every queued task is published exactly once, after it is queued, so when
     * this exceeds {@code caughtUp} some producer is between its offer and its publish: its task already ran, and
     * terminating now would make its publish report a rejection for a task that ran (found by the model,
     * {@code model/wake.pml}, STRICT_FATE).
     */
    private long tasksPolled;
    /** When the close first cancelled the loop's I/O (0: not yet); the kernel gets {@link #CLOSE_IO_GRACE_NANOS}. */
    private long ioCancelStartedAt;
    /** {@code IO_SUBMITTED} when the close last cancelled everything in flight; -1 before the first cancel. */
    private long ioSubmittedAtCancel = -1;
    /** Set by {@link #release()}: from then on nothing may touch the ring's memory. */
    private boolean released;
    /**
     * Set when a GETEVENTS for {@code IORING_SQ_TASKRUN} posted no CQE; the idle spin then stops treating the flag as
     * work, until a GETEVENTS posts something again. Measured on 6.18 with the multishot poll doorbell and a spinning
     * loop: the flag sometimes stays set while no CQE ever comes of it (draining the eventfd does not clear it), and a
     * spin that took the flag for work entered the kernel about two million times a second with nothing to do,
     * never parking. A park is still correct with the flag set: the sleeping GETEVENTS runs any real task work first
     * and returns on its CQE.
     */
    private boolean taskRunFlagsIgnored;
    private final List<ProvidedBufferRing> bufferRings = new ArrayList<>();
    private int nextBufferGroup;
    /** Whether this loop can send MSG_RING wakes to other loops (opcode supported and not masked). */
    private final boolean sendsMsgRing;
    /** Whether the kernel can skip a successful SQE's CQE (5.17): then only a failed wake posts a CQE here. */
    private final boolean cqeSkip;
    /** The MSG_RING being prepared by {@link #sendWake}; fields, so that retrying through a full SQ allocates nothing. */
    private int wakeFd;
    private long wakeUserData;
    private final BooleanSupplier prepareWake = this::prepareWake;

    LoopAgent(EventLoop loop, LoopOptions options, WakeWord word, TaskQueue queue, DoorbellDriver doorbell,
            LoopCounters counters, Ring ring) {
        this.loop = loop;
        this.word = word;
        this.queue = queue;
        this.doorbell = doorbell;
        this.counters = counters;
        this.ring = ring;
        this.io = new IoTable(Math.max(1, ring.cqEntries() - RESERVED_CQ_SLOTS));
        this.errorHandler = options.errorHandler();
        this.taskBatch = options.taskBatch();
        this.spinNanos = options.spinNanos();
        this.maxParkNanos = options.maxParkNanos();
        this.sendsMsgRing = ring.probe().supports(Opcode.MSG_RING);
        this.cqeSkip = (ring.features() & Features.CQE_SKIP) != 0;
        doorbell.attach(ring.fd(), loop.id(), sendsMsgRing && options.msgRingFromLoops());
        doorbell.install(ring, word);
    }

    Ring ring() {
        return ring;
    }

    /** The loop: runs until close() has been called and everything accepted has run. */
    void run() {
        while (true) {
            int work = doWork();
            if (loop.isClosing()) {
                if (work == 0 && finishIfQuiet()) {
                    return;
                }
            } else if (work == 0) {
                idle();
            }
        }
    }

    /**
     * One pass over every source of work.
     *
     * @return how many CQEs, tasks and timers were handled
     */
    int doWork() {
        int work = reapCompletions();
        work += runTasks();
        work += runTimers();
        submitPending();
        return work;
    }

    // ---------------------------------------------------------------- completions

    private int reapCompletions() {
        if (ring.cq().ready() == 0) {
            // Seed 002: with DEFER_TASKRUN a completion is task work that only our own GETEVENTS runs; the kernel
            // announces it in the SQ flags word, so an empty CQ with clear flags costs one load, no syscall.
            if (!ring.needsGetEvents()) {
                return afterReap(0);
            }
            if ((ring.sq().kernelFlags() & IoUringFlags.SQ_CQ_OVERFLOW) != 0) {
                counters.increment(LoopCounters.CQ_OVERFLOWS);
            }
            enterResult(ring.getEvents());
            // See taskRunFlagsIgnored: a GETEVENTS that ran the task work the flags word announced but posted nothing.
            taskRunFlagsIgnored = ring.cq().ready() == 0;
        }
        int n = ring.cq().reap(this, REAP_BATCH);
        return afterReap(n);
    }

    private int afterReap(int n) {
        // Re-arming happens here, after the CQ has been drained, never inside the CQE iteration (seed 000).
        doorbell.afterReap(ring);
        admitWaitingIo();
        return n;
    }

    @Override
    public void onCompletion(long userData, int res, int flags) {
        if (io.owns(userData)) {
            completeIo(userData, res, flags);
        } else if (userData == DoorbellDriver.USER_DATA_LOOP_WAKE) {
            // Another loop's MSG_RING: its whole job was to end our sleep; the task it announced is in the queue,
            // and nothing was armed for it, so the doorbell has nothing to drain or re-arm.
            counters.increment(LoopCounters.DOORBELL_CQES);
            counters.increment(LoopCounters.LOOP_WAKE_CQES);
        } else if (userData != DoorbellDriver.USER_DATA_CANCEL && DoorbellDriver.owns(userData)) {
            counters.increment(LoopCounters.DOORBELL_CQES);
            doorbell.onCompletion(userData, res, flags);
        } else if ((userData & ~MSG_RING_TARGET) == MSG_RING_SENT && res < 0) {
            onWakeFailed((int) (userData & MSG_RING_TARGET));
        }
    }

    /**
     * Hands a CQE to its request. A request whose completion throws is reported like a task that threw, and the loop
     * carries on; the I/O table frees its slot anyway once the kernel has posted the request's last CQE, so that a
     * close never waits for a request the kernel is done with. A VirtualMachineError still ends the loop.
     */
    private void completeIo(long userData, int res, int flags) {
        try {
            if (io.complete(userData, res, flags)) {
                counters.increment(LoopCounters.IO_COMPLETED);
            }
        } catch (Throwable e) {
            reportFailure(new FailedCompletion(userData, res), e);
        }
    }

    /** What the error handler is told ran, when an I/O completion threw. */
    private record FailedCompletion(long userData, int res) implements Runnable {
        @Override
        public void run() {
        }

        @Override
        public String toString() {
            return "the completion of I/O request " + Long.toHexString(userData) + " (res " + res + ")";
        }
    }

    // ---------------------------------------------------------------- MSG_RING wakes to other loops

    /**
     * Sender side of {@link Doorbell#MSG_RING}, on this loop's thread while a task (or an I/O callback) hands work to
     * a parked loop whose claim it won: queues {@code IORING_OP_MSG_RING} on this ring and submits it at once. The
     * caller holds the target's doorbell guard, so {@code targetRingFd} is the target's ring until we return; we
     * return only once the kernel has consumed the SQE (it then holds its own reference to the target ring) or the
     * SQE has been revoked, so no SQE naming that fd number outlives the guard.
     *
     * <p>Submitting now, rather than with the rest of this pass's SQEs, costs one {@code io_uring_enter} per wake
     * (as an eventfd write would) but keeps the guard short (the target's close spins on it) and the wake early:
     * deferring would hold the guard across every later task of the batch. A chain of linked I/O SQEs is always
     * prepared whole, so the SQE before ours never links to it (a linked SQE would be issued, and its fd looked up,
     * only later).
     *
     * @param targetRingFd the target loop's ring fd
     * @param targetId the target loop's registry id, for the failure path
     * @return true if the kernel took the wake; false if it never will, and the caller must ring the target's doorbell
     */
    boolean sendWake(int targetRingFd, int targetId) {
        if (!sendsMsgRing || ring.isClosed()) {
            return false;
        }
        SubmissionQueue sq = ring.sq();
        wakeFd = targetRingFd;
        wakeUserData = MSG_RING_SENT | targetId;
        if (!prepareWake() && !DoorbellDriver.queueThroughFullSq(ring, prepareWake)) {
            return false;
        }
        for (int attempt = 0; attempt < WAKE_SUBMIT_ATTEMPTS; attempt++) {
            int r = ring.submit();
            counters.increment(LoopCounters.LOOP_SYSCALLS);
            if (sq.lastConsumed()) {
                return true;
            }
            if (r < 0 && r != -Errno.EINTR && r != -Errno.EAGAIN && r != -Errno.EBUSY) {
                break;
            }
            if (r <= 0) {
                // EAGAIN/EBUSY: short of requests or holding overflowed CQEs; a GETEVENTS pass frees both.
                ring.getEvents();
                counters.increment(LoopCounters.LOOP_SYSCALLS);
            }
        }
        sq.revokeLast();
        return false;
    }

    /**
     * The wake SQE: a MSG_RING DATA message whose target CQE is {@code (USER_DATA_LOOP_WAKE, res 0)}. With CQE_SKIP
     * our own CQE comes only on failure; without it a success CQE comes too and {@link #onCompletion} ignores it.
     */
    private boolean prepareWake() {
        SubmissionQueue sq = ring.sq();
        if (!sq.msgRing(wakeFd, 0, DoorbellDriver.USER_DATA_LOOP_WAKE, 0, wakeUserData)) {
            return false;
        }
        if (cqeSkip) {
            sq.orFlagsOfLast(IoUringFlags.SQE_CQE_SKIP_SUCCESS);
        }
        return true;
    }

    /**
     * A MSG_RING wake we sent failed in the kernel (allocation failure, a target gone): the target is still armed
     * with RUNG set, so no other producer will ring for this sleep; ring its own doorbell. At worst that is a spurious
     * wake of a loop that woke meanwhile. A target that has terminated needs nothing.
     */
    private void onWakeFailed(int targetId) {
        counters.increment(LoopCounters.MSG_RING_FAILURES);
        EventLoop target = LoopRegistry.get(targetId);
        if (target != null) {
            target.ringOwnDoorbell();
        }
    }

    // ---------------------------------------------------------------- tasks

    void executeLocal(Runnable task) {
        localTasks.add(task);
    }

    private int runTasks() {
        int n = 0;
        Runnable t;
        // Only the local tasks queued before this pass: one that re-queues itself runs once a pass and cannot starve
        // the other threads' tasks below, which have a batch of their own.
        int locals = Math.min(localTasks.size(), taskBatch);
        while (n < locals && (t = localTasks.poll()) != null) {
            runTask(t);
            n++;
        }
        // Acquire: every task counted in s was enqueued before its publish, so the drain below finds it.
        long s = WakeWord.sequence(word.get());
        if (s != caughtUp) {
            int polled = 0;
            boolean emptied = false;
            try {
                while (polled < taskBatch) {
                    t = queue.poll();
                    if (t == null) {
                        emptied = true;
                        break;
                    }
                    // Counted before it runs: a task that kills the loop (a VirtualMachineError) was still taken, and
                    // the close that follows must find tasksPolled equal to the publishes it saw, or it would wait
                    // forever for a producer that does not exist.
                    polled++;
                    tasksPolled++;
                    n++;
                    runTask(t);
                }
            } finally {
                if (polled > 0) {
                    queue.afterPolls();
                }
            }
            if (emptied) {
                caughtUp = s;
            }
        }
        if (n > 0) {
            counters.add(LoopCounters.TASKS_RUN, n);
        }
        return n;
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (Throwable e) {
            reportFailure(task, e);
        }
    }

    /** Counts and reports a task that threw; an Error the JVM cannot survive kills the loop instead. */
    private void reportFailure(Runnable task, Throwable e) {
        counters.increment(LoopCounters.TASKS_FAILED);
        if (e instanceof VirtualMachineError vme) {
            throw vme;
        }
        try {
            errorHandler.onError(task, e);
        } catch (Throwable handlerFailure) {
            if (handlerFailure instanceof VirtualMachineError vme) {
                throw vme;
            }
            TaskErrorHandler.PRINT.onError(task, handlerFailure);
        }
    }

    // ---------------------------------------------------------------- timers

    void addTimer(ScheduledTask task) {
        timers.add(task);
    }

    private int runTimers() {
        if (timers.isEmpty()) {
            return 0;
        }
        long now = System.nanoTime();
        int n = 0;
        ScheduledTask t;
        while (n < taskBatch && (t = timers.pollDue(now)) != null) {
            if (t.start()) {
                runTimer(t);
                n++;
            }
        }
        if (n > 0) {
            counters.add(LoopCounters.TIMERS_FIRED, n);
            counters.add(LoopCounters.TASKS_RUN, n);
        }
        return n;
    }

    private void runTimer(ScheduledTask t) {
        try {
            t.task.run();
            t.complete(null);
        } catch (Throwable e) {
            t.completeExceptionally(e);
            reportFailure(t.task, e);
        }
    }

    // ---------------------------------------------------------------- I/O

    void submitIo(IoRequest request) {
        if (released) {
            // A completion callback of the loop's very end (a channel swept at termination): nothing reaches the ring.
            completeGuarded(request, -Errno.ECANCELED);
            return;
        }
        if (io.waitingCount() == 0 && io.fits(request) && ring.sq().available() >= request.sqes()) {
            prepareIo(request);
        } else {
            counters.increment(LoopCounters.IO_DEFERRED);
            io.defer(request);
        }
    }

    private void prepareIo(IoRequest request) {
        long userData = io.register(request);
        request.prepare(ring.sq(), userData);
        counters.increment(LoopCounters.IO_SUBMITTED);
    }

    private void admitWaitingIo() {
        if (io.waitingCount() == 0) {
            return;
        }
        SubmissionQueue sq = ring.sq();
        IoRequest r;
        while ((r = io.nextWaiting()) != null) {
            if (sq.available() < r.sqes()) {
                submitPending();
                if (sq.available() < r.sqes()) {
                    io.putBack(r);
                    return;
                }
            }
            prepareIo(r);
        }
    }

    /**
     * Cancels a request: one still waiting for CQ room completes with {@code -ECANCELED} at once; one in flight
     * gets an {@code ASYNC_CANCEL} and completes when the kernel says (with {@code -ECANCELED}, or with its result
     * if it finished first).
     */
    boolean cancelIo(IoRequest request) {
        if (io.removeWaiting(request)) {
            try {
                request.complete(-Errno.ECANCELED, 0, 0);
            } catch (Throwable e) {
                reportFailure(new FailedCompletion(-1, -Errno.ECANCELED), e);
            }
            return true;
        }
        long target = io.userDataOf(request);
        if (target < 0) {
            return false;
        }
        CancelRequest cancel = new CancelRequest(target);
        if (released) {
            completeGuarded(cancel, -Errno.ECANCELED);
        } else if (ring.sq().available() >= cancel.sqes()) {
            prepareIo(cancel);
        } else {
            // First in line, ahead of requests waiting for CQ room: admitted as soon as the SQ has room.
            io.putBack(cancel);
        }
        return true;
    }

    /**
     * An {@code ASYNC_CANCEL} of one request by its {@code user_data}; its own result needs no handling. A cancel
     * frees CQ room, so it never waits for any: it reserves none (it posts one CQE per request it targets, and in the
     * worst case that CQE waits in the kernel's overflow list), or a ring whose CQ budget is held by reads that never
     * complete could not cancel them, and could not close.
     */
    private record CancelRequest(long target) implements IoRequest {
        @Override
        public int cqReservation() {
            return 0;
        }

        @Override
        public void prepare(SubmissionQueue sq, long userData) {
            sq.asyncCancel(target, 0, userData);
        }

        @Override
        public boolean complete(int res, int flags) {
            return true;
        }
    }

    /** Read from any thread (I/O calls check their buffer index against it); written on the loop thread. */
    private volatile MemorySegment[] registeredBuffers;

    void registerBuffers(MemorySegment[] buffers) {
        if (registeredBuffers != null) {
            throw new IllegalStateException("buffers are already registered on this loop; unregister them first");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iov = a.allocate(Iovec.LAYOUT, buffers.length);
            for (int i = 0; i < buffers.length; i++) {
                iov.set(ValueLayout.JAVA_LONG, i * Iovec.SIZE
                        + Iovec.BASE, buffers[i].address());
                iov.set(ValueLayout.JAVA_LONG, i * Iovec.SIZE
                        + Iovec.LEN, buffers[i].byteSize());
            }
            // The kernel copies the iovecs and pins the pages during the call.
            int r = ring.register(RegisterOp.REGISTER_BUFFERS, iov, buffers.length);
            if (r < 0) {
                throw new NativeCallException("io_uring_register(REGISTER_BUFFERS, " + buffers.length + " buffers)", r);
            }
        }
        registeredBuffers = buffers.clone();
    }

    void unregisterBuffers() {
        if (registeredBuffers == null) {
            return;
        }
        // The kernel keeps a registered buffer alive for requests still using it (5.13+ resource nodes).
        int r = ring.register(RegisterOp.UNREGISTER_BUFFERS, MemorySegment.NULL, 0);
        if (r < 0) {
            throw new NativeCallException("io_uring_register(UNREGISTER_BUFFERS)", r);
        }
        registeredBuffers = null;
    }

    MemorySegment registeredBuffer(int index) {
        MemorySegment[] b = registeredBuffers;
        return b == null || index < 0 || index >= b.length ? null : b[index];
    }

    ProvidedBufferRing openBufferRing(int count, int bufferSize) {
        int group = nextBufferGroup++;
        ProvidedBufferRing b =
                ProvidedBufferRing.register(ring, group, count, bufferSize);
        bufferRings.add(b);
        return b;
    }

    int ioInFlight() {
        return io.live();
    }

    int ioWaiting() {
        return io.waitingCount();
    }

    int ioBudget() {
        return io.budget();
    }

    private void submitPending() {
        if (ring.sq().hasPending()) {
            enterResult(ring.submit());
        }
    }

    private void enterResult(int r) {
        counters.increment(LoopCounters.LOOP_SYSCALLS);
        if (r >= 0 || r == -Errno.EINTR || r == -Errno.EAGAIN || r == -Errno.EBUSY || r == -Errno.ETIME) {
            // EAGAIN/EBUSY: the kernel is short of resources or holds overflowed CQEs; reaping frees both, and the
            // next pass retries. ETIME: the sleep's timeout.
            return;
        }
        if (r == -Errno.EBADR) {
            // 5.19+: a CQE was really dropped (allocation failure in the overflow path). Counted; nothing to redo.
            counters.increment(LoopCounters.CQ_OVERFLOWS);
            return;
        }
        throw new NativeCallException("io_uring_enter on the loop's ring", r);
    }

    // ---------------------------------------------------------------- idle

    /**
     * One look of the idle spin at what other threads and the kernel write: the wake word's sequence (producers), the
     * CQ tail and the SQ flags word (the kernel). Three loads, no call, no clock; the likeliest work comes first
     * (an empty look reads all three anyway). The caller passes the queues in locals.
     */
    private boolean workArrived(CompletionQueue cq, SubmissionQueue sq, long seen) {
        return WakeWord.sequence(word.get()) != seen || cq.ready() > 0
                || (sq.kernelFlags() & kernelWorkFlags()) != 0;
    }

    private int kernelWorkFlags() {
        return taskRunFlagsIgnored ? IoUringFlags.SQ_CQ_OVERFLOW : IoUringFlags.SQ_TASKRUN | IoUringFlags.SQ_CQ_OVERFLOW;
    }

    void idle() {
        long now = 0;
        long untilTimer = Long.MAX_VALUE;
        if (!timers.isEmpty()) {
            now = System.nanoTime();
            untilTimer = timers.nanosUntilNext(now);
            if (untilTimer == 0) {
                return;
            }
        }
        if (spinNanos > 0) {
            if (now == 0) {
                now = System.nanoTime();
            }
            long spinEnd = now + Math.min(spinNanos, untilTimer);
            long timerDue = untilTimer == Long.MAX_VALUE ? Long.MAX_VALUE : now + untilTimer;
            long nextYield = now + PURE_SPIN_NANOS;
            CompletionQueue cq = ring.cq();
            SubmissionQueue sq = ring.sq();
            long seen = caughtUp;
            long passes = 0;
            while (true) {
                // LOOKS_PER_CLOCK empty looks, a spin-wait hint after every LOOKS_PER_PAUSE of them: no call, no clock
                for (int i = 0; i < LOOKS_PER_CLOCK; i += LOOKS_PER_PAUSE) {
                    for (int j = 0; j < LOOKS_PER_PAUSE; j++) {
                        if (workArrived(cq, sq, seen)) {
                            counters.add(LoopCounters.IDLE_ITERATIONS, passes + i + j);
                            counters.increment(LoopCounters.SPIN_WAKEUPS);
                            return;
                        }
                    }
                    Thread.onSpinWait();
                }
                passes += LOOKS_PER_CLOCK;
                // Local tasks cannot appear while the loop thread spins (only the loop thread adds them); close()
                // also publishes a task. Both are checked here anyway, as before the spin was batched.
                if (!localTasks.isEmpty() || loop.isClosing()) {
                    counters.add(LoopCounters.IDLE_ITERATIONS, passes);
                    counters.increment(LoopCounters.SPIN_WAKEUPS);
                    return;
                }
                long t = System.nanoTime();
                if (t - timerDue >= 0) {
                    counters.add(LoopCounters.IDLE_ITERATIONS, passes);
                    return;
                }
                if (t - spinEnd >= 0) {
                    untilTimer = timerDue == Long.MAX_VALUE ? Long.MAX_VALUE : timerDue - t;
                    break;
                }
                if (t - nextYield >= 0) {
                    counters.add(LoopCounters.IDLE_ITERATIONS, passes);
                    passes = 0;
                    Thread.yield();
                    nextYield = t + YIELD_INTERVAL_NANOS;
                }
            }
            counters.add(LoopCounters.IDLE_ITERATIONS, passes);
        }
        park(untilTimer);
    }

    private void park(long untilTimer) {
        long timeout = Math.min(untilTimer, maxParkNanos);
        boolean armedFully = doorbell.beforePark(ring);
        long armed = word.arm();
        counters.increment(LoopCounters.ARMS);
        // The re-check (seed 003): the sequence returned by the arming read-modify-write is compared with the last
        // sequence whose tasks were all drained. A publish ordered before the arm shows up here; one ordered after it
        // sees ARMED and rings.
        if (WakeWord.sequence(armed) != caughtUp || !localTasks.isEmpty() || ring.cq().ready() > 0
                || (loop.isClosing() && tasksPolled == caughtUp)) {
            word.disarm();
            return;
        }
        armedFully &= doorbell.armed(ring, armed);
        if (!armedFully) {
            // A doorbell SQE is owed and could not be queued: sleeping unbounded could miss a wake.
            timeout = Math.min(timeout, 1_000_000L);
        }
        counters.increment(LoopCounters.PARKS);
        int r = ring.submitAndWait(1, timeout);
        word.disarm();
        enterResult(r);
    }

    // ---------------------------------------------------------------- termination

    /**
     * Close was requested and a pass found no work: cancel I/O, wait for its CQEs, and terminate if no producer
     * published since the last drain.
     */
    private boolean finishIfQuiet() {
        if (!localTasks.isEmpty()) {
            return false;
        }
        cancelAllIo();
        if (io.live() > 0) {
            if (System.nanoTime() - ioCancelStartedAt < CLOSE_IO_GRACE_NANOS) {
                enterResult(ring.submitAndWait(1, 10_000_000L));
                return false;
            }
            abandonIo();
        }
        timers.cancelAll();
        if (tasksPolled != caughtUp) {
            // A producer ran ahead of its publish. Sleep: its publish will see ARMED and ring, or the re-check will
            // see the sequence move.
            park(Long.MAX_VALUE);
            return false;
        }
        return word.terminate(caughtUp);
    }

    /**
     * Fails every request still waiting for CQ room, and cancels in the kernel every request handed to it since the
     * last time: tasks that run while the loop closes may still start I/O, and each such request is cancelled too.
     */
    private void cancelAllIo() {
        IoRequest r;
        while ((r = io.pollWaiting()) != null) {
            completeGuarded(r, -Errno.ECANCELED);
        }
        if (ioCancelStartedAt == 0) {
            ioCancelStartedAt = System.nanoTime();
        }
        long submitted = counters.get(LoopCounters.IO_SUBMITTED);
        if (io.live() == 0 || submitted == ioSubmittedAtCancel) {
            return;
        }
        ioSubmittedAtCancel = submitted;
        if (ring.probe().supports(Opcode.ASYNC_CANCEL)) {
            DoorbellDriver.queueThroughFullSq(ring, () -> ring.sq().asyncCancel(0,
                    IoUringFlags.ASYNC_CANCEL_ANY | IoUringFlags.ASYNC_CANCEL_ALL, DoorbellDriver.USER_DATA_CANCEL));
        }
    }

    /**
     * The kernel has not answered the cancels within {@link #CLOSE_IO_GRACE_NANOS} (or the loop can no longer ask it):
     * the requests are failed so that close() ends, and kept reachable for the life of the process, so that memory the
     * loop allocated for them is never freed under the kernel.
     */
    private void abandonIo() {
        List<IoRequest> left = io.abandonAll();
        if (left.isEmpty()) {
            return;
        }
        ABANDONED.addAll(left);
        LOG.log(System.Logger.Level.WARNING, "event loop {0}: the kernel did not finish {1} I/O request(s) after they "
                + "were cancelled; they are failed now and their memory is kept for the life of the process",
                Thread.currentThread().getName(), left.size());
        for (IoRequest r : left) {
            completeGuarded(r, -Errno.ECANCELED);
        }
    }

    /**
     * Completes a request the kernel will not complete, with {@code res} for each CQE its SQEs could post (a request
     * with a linked timeout waits for both), reporting, never throwing, what its completion throws.
     */
    private void completeGuarded(IoRequest r, int res) {
        try {
            for (int part = 0; part < r.sqes() && !r.complete(res, 0, part); part++) {
                // next part
            }
        } catch (Throwable e) {
            try {
                errorHandler.onError(new FailedCompletion(-1, res), e);
            } catch (Throwable ignored) {
                // The loop is ending; the request has been told all it can be.
            }
        }
    }

    /**
     * The loop failed twice: once with an error that started an orderly close, and again during that close. It gives
     * up on running anything more: in-flight I/O gets one last cancel and a bounded wait for the kernel's answer, what
     * remains is abandoned, and tasks still queued are reported to the error handler as rejected. Never throws.
     */
    void abandon(Throwable cause) {
        try {
            if (!released && !ring.isClosed()) {
                ioSubmittedAtCancel = -1;
                cancelAllIo();
                long deadline = System.nanoTime() + CLOSE_IO_GRACE_NANOS;
                while (io.live() > 0 && System.nanoTime() - deadline < 0) {
                    int r = ring.submitAndWait(1, 10_000_000L);
                    if (r < 0 && r != -Errno.EINTR && r != -Errno.ETIME && r != -Errno.EAGAIN && r != -Errno.EBUSY) {
                        break;
                    }
                    ring.cq().reap(this, REAP_BATCH);
                }
            }
        } catch (Throwable e) {
            cause.addSuppressed(e);
        }
        abandonIo();
        timers.cancelAll();
        Runnable t;
        while ((t = localTasks.poll()) != null || (t = queue.poll()) != null) {
            try {
                errorHandler.onError(t, new RejectedExecutionException("the event loop died", cause));
            } catch (Throwable ignored) {
                // Nothing more can be done for it.
            }
        }
    }

    /** After the loop ended, normally or not: no bell can reach a closed fd, and the ring's memory is released. */
    void release() {
        released = true;
        timers.cancelAll();
        // After the I/O drained (or the loop died): no receive can still select from these buffers.
        for (ProvidedBufferRing b : bufferRings) {
            b.close();
        }
        doorbell.close();
        ring.close();
    }
}
