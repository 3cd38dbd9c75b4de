package io.ringloop;

import io.ringloop.binding.CompletionHandler;
import io.ringloop.binding.Errno;
import io.ringloop.binding.IoUringFlags;
import io.ringloop.binding.Ring;
import io.ringloop.kernel.NativeCallException;

import java.util.function.BooleanSupplier;

/**
 * The loop thread's side of an {@link EventLoop}: an agent whose {@link #doWork()} returns how much it did, and an
 * idle step that turns a zero into spin, arm, re-check, sleep.
 *
 * <pre>
 *   while (running) {
 *       int work = doWork();         // reap CQEs (a syscall only if TASKRUN/CQ_OVERFLOW says so, or, on epoll,
 *       if (work == 0) idle();       // if requests wait and the pass has tasks), run tasks, fire timers, submit
 *   }
 *   idle(): a producer mid-offer (the word's sequence ahead of the slots taken)? stand back backoffNanos, return;
 *           IdleSpin for spinNanos (looks at the wake word, the CQ tail and the SQ flags word);
 *           then doorbell.beforePark; word.arm(); re-check; doorbell.armed; io_uring_enter(GETEVENTS, 1, timeout);
 *           word.disarm()
 * </pre>
 *
 * Its helpers, each with one job: {@link TaskDrain} (the loop's own and the producers' tasks, and the re-check's
 * baseline), {@link IoDriver} (I/O requests: admission, cancel, close), {@link MsgRingSender}
 * (waking other loops), {@link BufferRegistry} (memory registered with the ring), {@link IdleSpin}, {@link TimerQueue}
 * and {@link FailureReporter}. Everything here runs on the loop thread; the only shared state is the wake word, the
 * task queue and the counters.
 */
final class LoopAgent implements CompletionHandler, IdleSpin.Watch {
    /** Most CQEs handed out per reap, so that tasks and timers still run under a completion storm. */
    private static final int REAP_BATCH = 4096;

    private final EventLoop loop;
    private final WakeWord word;
    private final DoorbellDriver doorbell;
    private final LoopCounters counters;
    private final TaskDrain tasks;
    private final TimerQueue timers = new TimerQueue();
    private final Ring ring;
    private final FailureReporter failures;
    private final IoDriver io;
    private final BufferRegistry buffers;
    private final MsgRingSender msgRing;
    private final IdleSpin spin;
    /** The sleep without the ring; null when the options turn it off. */
    private final WordSleep wordSleep;
    private final int taskBatch;
    private final long spinNanos;
    private final long backoffNanos;
    /** The slots taken at the last stand-back (see {@link #standBack()}); -1 before the first. */
    private long takenAtStandBack = -1;
    private final long maxParkNanos;
    /**
     * Set when a GETEVENTS for {@code IORING_SQ_TASKRUN} posted no CQE; the idle spin then stops treating the flag as
     * work, until a GETEVENTS posts something again. Measured on 6.18 with the multishot poll doorbell and a spinning
     * loop: the flag sometimes stays set while no CQE ever comes of it (draining the eventfd does not clear it), and a
     * spin that took the flag for work entered the kernel about two million times a second with nothing to do,
     * never parking. A park is still correct with the flag set: the sleeping GETEVENTS runs any real task work first
     * and returns on its CQE.
     */
    private boolean taskRunFlagsIgnored;
    /** {@link #moreWorkThisPass}, made once: the reap of every pass with an empty CQ passes it. */
    private final BooleanSupplier busyPass = this::moreWorkThisPass;

    LoopAgent(EventLoop loop, LoopOptions options, WakeWord word, TaskQueue queue, DoorbellDriver doorbell,
            LoopCounters counters, Ring ring) {
        this.loop = loop;
        this.word = word;
        this.doorbell = doorbell;
        this.counters = counters;
        this.ring = ring;
        // Probed here, on the ring's owner thread: from now on any thread may read the answers.
        ring.supported();
        this.failures = new FailureReporter(counters, options.errorHandler());
        this.io = new IoDriver(ring, counters, failures, this::submitPending);
        this.buffers = new BufferRegistry(ring);
        this.msgRing = new MsgRingSender(ring, counters);
        this.spin = new IdleSpin(counters);
        this.taskBatch = options.taskBatch();
        this.tasks = new TaskDrain(queue, counters, failures, taskBatch);
        this.spinNanos = options.spinNanos();
        this.backoffNanos = options.backoffNanos();
        this.maxParkNanos = options.maxParkNanos();
        this.wordSleep = options.wordSleep() ? new WordSleep(options.syscalls(), word) : null;
        doorbell.attach(ring.fd(), loop.id, msgRing.canSend() && options.msgRingFromLoops(), wordSleep);
        doorbell.install(ring, word);
    }

    Ring ring() {
        return ring;
    }

    IoDriver io() {
        return io;
    }

    BufferRegistry buffers() {
        return buffers;
    }

    MsgRingSender msgRing() {
        return msgRing;
    }

    /** The loop: runs until close() has been called and everything accepted has run. */
    void run() {
        while (true) {
            int work = doWork();
            if (loop.isClosed()) {
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
        work += tasks.run();
        work += runTimers();
        submitPending();
        return work;
    }

    // ---------------------------------------------------------------- completions

    private int reapCompletions() {
        if (ring.cq().ready() == 0) {
            // With DEFER_TASKRUN a completion is task work that only our own GETEVENTS runs; the kernel announces it
            // in the SQ flags word, so an empty CQ with clear flags costs one load, no syscall.
            if (!ring.needsGetEvents(busyPass)) {
                return afterReap(0);
            }
            countOverflow();
            enterResult(ring.getEvents());
            // See taskRunFlagsIgnored: a GETEVENTS that ran the task work the flags word announced but posted nothing.
            taskRunFlagsIgnored = ring.cq().ready() == 0;
        }
        int n = ring.cq().reap(this, REAP_BATCH);
        if (n > 0) {
            counters.add(LoopCounter.CQES_REAPED, n);
            counters.increment(LoopCounter.REAPS);
        }
        return afterReap(n);
    }

    /**
     * On the epoll backend, with requests waiting and nothing announced: whether this pass will not end in a sleep,
     * because tasks or a due timer wait. Then the loop looks (a non-blocking {@code epoll_wait}), as on every busy
     * pass, so that I/O never starves behind tasks; otherwise it leaves the look to the sleep's wait, which returns at
     * once if something is ready: one {@code epoll_wait} per idle pass instead of two. Reads the word's sequence, a
     * line producers write, but only here (epoll, an empty CQ, requests waiting), in place of a system call. A stale
     * answer costs at most one pass of I/O latency, never a lost completion: "busy" with nothing to run makes one
     * look too many; "idle" with a task just published runs it anyway in this pass's drain, and a pass that finds no
     * work goes to sleep through the arm's re-check and a GETEVENTS that looks.
     */
    private boolean moreWorkThisPass() {
        return tasks.hasLocal() || WakeWord.sequence(word.get()) != tasks.caughtUp()
                || !timers.isEmpty() && timers.nanosUntilNext(System.nanoTime()) == 0;
    }

    private int afterReap(int n) {
        // Re-arming happens here, after the CQ has been drained, never inside the CQE iteration: a multishot request
        // the kernel ended is re-armed only once every CQE it posted has been consumed.
        doorbell.afterReap(ring);
        io.admitWaiting();
        return n;
    }

    @Override
    public void onCompletion(long userData, int res, int flags) {
        if (io.owns(userData)) {
            io.complete(userData, res, flags);
        } else if (userData == DoorbellDriver.USER_DATA_LOOP_WAKE) {
            // Another loop's MSG_RING: its whole job was to end our sleep; the task it announced is in the queue,
            // and nothing was armed for it, so the doorbell has nothing to drain or re-arm.
            counters.increment(LoopCounter.DOORBELL_CQES);
            counters.increment(LoopCounter.LOOP_WAKE_CQES);
        } else if (userData != DoorbellDriver.USER_DATA_CANCEL && DoorbellDriver.owns(userData)) {
            counters.increment(LoopCounter.DOORBELL_CQES);
            doorbell.onCompletion(userData, res, flags);
        } else if (MsgRingSender.owns(userData)) {
            msgRing.onCompletion(userData, res);
        }
    }

    // ---------------------------------------------------------------- tasks

    void executeLocal(Runnable task) {
        tasks.executeLocal(task);
    }

    // ---------------------------------------------------------------- timers

    void addTimer(ScheduledTask task) {
        timers.add(task);
    }

    private int runTimers() {
        if (timers.isEmpty()) {
            return 0;
        }
        return timers.runDue(System.nanoTime(), taskBatch, failures, counters);
    }

    // ---------------------------------------------------------------- kernel entries

    /**
     * The pass's one kernel entry, if it queued SQEs: they are submitted with {@code GETEVENTS} and no wait, so the
     * same call also runs the completions that arrived meanwhile as deferred task work and posts their CQEs, which
     * the next pass then reaps without an entry of its own. (A plain submit would leave them to a second
     * {@code io_uring_enter} at the next pass's reap.) On the epoll backend that look is an {@code epoll_wait} of
     * its own, and a pass that will end in a sleep leaves it to the sleep's wait, as its reap does
     * ({@link Ring#submitForPass}: one wait per echo of a lone connection, not two).
     */
    private void submitPending() {
        if (ring.sq().hasPending()) {
            enterResult(ring.submitForPass(busyPass));
        }
    }

    private void enterResult(int r) {
        counters.increment(LoopCounter.LOOP_SYSCALLS);
        counters.increment(LoopCounter.RING_ENTERS);
        if (r > 0) {
            counters.add(LoopCounter.SQES_SUBMITTED, r);
        }
        if (r >= 0 || r == -Errno.EINTR || r == -Errno.EAGAIN || r == -Errno.EBUSY || r == -Errno.ETIME) {
            // EAGAIN/EBUSY: the kernel is short of resources or holds overflowed CQEs; reaping frees both, and the
            // next pass retries. ETIME: the sleep's timeout.
            return;
        }
        if (r == -Errno.EBADR) {
            // 5.19+: a CQE was really dropped (allocation failure in the overflow path). Counted; nothing to redo.
            counters.increment(LoopCounter.CQ_OVERFLOWS);
            return;
        }
        throw new NativeCallException("io_uring_enter on the loop's ring", r);
    }

    // ---------------------------------------------------------------- idle

    /**
     * One look of the idle spin at what other threads and the kernel write: the wake word's sequence (producers), the
     * CQ tail and the SQ flags word (the kernel). Three loads, no call, no clock; the likeliest work comes first
     * (an empty look reads all three anyway).
     */
    @Override
    public boolean workArrived() {
        return WakeWord.sequence(word.get()) != tasks.caughtUp() || ring.cq().ready() > 0
                || (ring.sq().kernelFlags() & kernelWorkFlags()) != 0;
    }

    /**
     * Local tasks cannot appear while the loop thread spins (only the loop thread adds them), and close() also
     * publishes a task; both are checked anyway, as before the spin was batched.
     */
    @Override
    public boolean rareWorkArrived() {
        return tasks.hasLocal() || loop.isClosed();
    }

    private int kernelWorkFlags() {
        return taskRunFlagsIgnored ? IoUringFlags.SQ_CQ_OVERFLOW
                : IoUringFlags.SQ_TASKRUN | IoUringFlags.SQ_CQ_OVERFLOW;
    }

    /**
     * No work this pass: stand back if a producer is mid-offer; else spin for {@code spinNanos} if the options ask
     * for it, then arm, re-check and sleep.
     */
    void idle() {
        if (backoffNanos > 0 && WakeWord.sequence(word.get()) != tasks.caughtUp()) {
            standBack();
            return;
        }
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
            untilTimer = spin.spin(this, now == 0 ? System.nanoTime() : now, spinNanos, untilTimer);
            if (untilTimer < 0) {
                return;
            }
        }
        park(untilTimer);
    }

    /**
     * A producer claimed a slot whose task this pass did not find stored: it is between its claim and its store, or
     * stored just after the look. Arming now would fail the re-check (the sequence is ahead), and the arm and the
     * disarm are two read-modify-writes on the line every producer adds on: on a loop that keeps running dry behind
     * a fast producer that was most of both threads' time. Wait instead, touching nothing producers write, and let
     * them fill a batch. Read acquire above, so no task is missed: the sequence is ahead until the loop takes it.
     */
    private void standBack() {
        counters.increment(LoopCounter.BACKOFFS);
        long taken = tasks.caughtUp();
        if (taken == takenAtStandBack) {
            // Nothing taken since the last stand-back: the producer between its claim and its store is likely off
            // its CPU (more runnable threads than CPUs). Spinning would hold it off; give it this CPU instead.
            Thread.yield();
        } else {
            long until = System.nanoTime() + backoffNanos;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }
        takenAtStandBack = taken;
    }

    private void park(long untilTimer) {
        long timeout = Math.min(untilTimer, maxParkNanos);
        boolean onWord = canSleepOnWord();
        boolean armedFully = onWord || doorbell.beforePark(ring);
        // Where the sleep will be is published before the arm: the producer that wins its bell reads it after.
        long armed = wordSleep != null ? wordSleep.chooseAndArm(word, onWord) : word.arm();
        counters.increment(LoopCounter.ARMS);
        // The re-check: the sequence returned by the arming read-modify-write is compared with the slots the loop
        // took. An offer ordered before the arm shows up here; one ordered after it sees ARMED and rings.
        if (WakeWord.sequence(armed) != tasks.caughtUp() || tasks.hasLocal() || ring.cq().ready() > 0
                || loop.isClosed() || onWord && ring.needsGetEvents()) {
            word.disarm();
            return;
        }
        if (onWord) {
            sleepOnWord(armed, timeout);
            return;
        }
        armedFully &= doorbell.armed(ring, armed);
        if (!armedFully) {
            // A doorbell SQE is owed and could not be queued: sleeping unbounded could miss a wake.
            timeout = Math.min(timeout, 1_000_000L);
        }
        counters.increment(LoopCounter.PARKS);
        countOverflow();
        LoopEvents.ParkEvent event = LoopEvents.parkBegin();
        int r = ring.submitAndWait(1, timeout);
        word.disarm();
        if (event != null) {
            // Only under a recording: outside one, a sleep computes nothing for its event.
            LoopEvents.parkEnd(event, loop.options().threadName(), timeout,
                    !armedFully ? "shortened" : timeout < maxParkNanos ? "timer" : "maxPark", r == -Errno.ETIME);
        }
        enterResult(r);
    }

    /**
     * Whether the coming sleep can be on the wake word: only if the ring holds nothing the kernel could complete
     * while the loop is not in {@code io_uring_enter}. Checked before arming; what the loop does not start itself
     * cannot appear later except task work (a late CQE), which the re-check after the arm looks for in the SQ flags.
     */
    private boolean canSleepOnWord() {
        return wordSleep != null && wordSleep.usable() && io.inFlight() == 0 && !ring.sq().hasPending()
                && !msgRing.unsettled() && !ring.needsGetEvents() && !ring.completesOnlyWhenAsked();
    }

    private void sleepOnWord(long armed, long timeout) {
        counters.increment(LoopCounter.PARKS);
        counters.increment(LoopCounter.WORD_SLEEPS);
        counters.increment(LoopCounter.LOOP_SYSCALLS);
        LoopEvents.ParkEvent event = LoopEvents.parkBegin();
        int r = wordSleep.sleep(armed, timeout);
        word.disarm();
        if (event != null) {
            LoopEvents.parkEnd(event, loop.options().threadName(), timeout,
                    timeout < maxParkNanos ? "timer" : "maxPark", r == -Errno.ETIMEDOUT);
        }
    }

    /** Overflowed CQEs are flushed by whichever GETEVENTS comes next, the sleeping one included: count them first. */
    private void countOverflow() {
        if ((ring.sq().kernelFlags() & IoUringFlags.SQ_CQ_OVERFLOW) != 0) {
            counters.increment(LoopCounter.CQ_OVERFLOWS);
            LoopEvents.cqOverflow(loop.options().threadName());
        }
    }

    // ---------------------------------------------------------------- termination

    /**
     * Close was requested and a pass found no work: cancel I/O, wait for its CQEs, and terminate if no producer
     * claimed a slot the loop has not taken.
     */
    private boolean finishIfQuiet() {
        if (tasks.hasLocal()) {
            return false;
        }
        if (!io.closePass()) {
            enterResult(ring.submitAndWait(1, 10_000_000L));
            return false;
        }
        timers.cancelAll();
        // One CAS: fails if a producer claimed a slot the loop has not taken; a later pass takes it once its store
        // has landed (until then idle() stands back: the sequence is ahead).
        return word.terminate(tasks.caughtUp());
    }

    /**
     * The loop failed twice: once with an error that started an orderly close, and again during that close. It gives
     * up on running anything more: in-flight I/O gets one last cancel and a bounded wait for the kernel's answer, what
     * remains is abandoned, and tasks still queued are reported to the error handler as rejected. Never throws.
     *
     * @param cause why
     * @param claimed the slots claimed before the word was marked terminated: each of them holds a task to report
     */
    void abandon(Throwable cause, long claimed) {
        io.giveUp(this, cause);
        timers.cancelAll();
        tasks.rejectAll(cause, claimed);
    }

    /** After the loop ended, normally or not: no bell can reach a closed fd, and the ring's memory is released. */
    void release() {
        io.release();
        timers.cancelAll();
        buffers.close();
        doorbell.close();
        ring.close();
    }
}
