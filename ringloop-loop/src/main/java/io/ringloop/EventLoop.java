package io.ringloop;

import io.ringloop.binding.KernelFeature;
import io.ringloop.binding.ProvidedBufferRing;
import io.ringloop.binding.SetupFlags;

import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * An io_uring event loop: one thread that owns one ring and is the only thread that ever touches it.
 *
 * <p>Other threads hand it work with {@link #execute}: the task goes into a lock-free queue, then a publish on the
 * loop's wake word tells whether the loop announced that it is going to sleep. Only then does the producer make a
 * wake syscall, and of all producers racing for the same sleep only one does (the protocol and its proof sketch are
 * in the project's architecture notes, and checked by a model checker). While the loop is awake, {@code execute}
 * costs the queue's offer and one atomic add, and no syscall.
 *
 * <pre>
 * try (EventLoop loop = EventLoop.open()) {
 *     loop.execute(() -&gt; System.out.println("on " + Thread.currentThread().getName()));
 *     int answer = loop.submit(() -&gt; 42).join();
 * }
 * </pre>
 */
public final class EventLoop implements Executor, AutoCloseable {
    private static final int RUNNING = 0;
    private static final int CLOSING = 1;
    private static final int TERMINATED = 2;
    private static final Runnable NOOP = () -> { };

    private final LoopOptions options;
    /** Package-private, like the fields below, so that the loop's tests can watch the protocol directly. */
    final WakeWord word = new WakeWord();
    private final TaskQueue queue;
    final LoopCounters counters = new LoopCounters();
    final DoorbellDriver doorbell;
    private final LoopThread thread;
    /** This loop's {@link LoopRegistry} id: a failed MSG_RING wake finds the loop by it. */
    private final int id;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final BooleanSupplier closedCheck = this::isClosed;
    private final AtomicLong timerSequence = new AtomicLong();
    private volatile int state = RUNNING;
    private volatile Throwable failure;
    /**
     * Written by the loop thread before {@code started} completes; other threads read it only after open() joined
     * {@code started}.
     */
    LoopAgent agent;
    /** The CPUs the loop thread may run on, read back after pinning; published like {@code agent}. */
    private BitSet cpuAffinity;

    static {
        LoopEvents.init();
    }

    private EventLoop(LoopOptions options, Doorbell chosen, int attachWqFd) {
        this.options = options;
        this.queue = new TaskQueue(options.boundedQueue(), options.queueFullPolicy());
        this.doorbell = DoorbellChoice.create(chosen, options.syscalls(), counters);
        this.thread = new LoopThread(new LoopRunner(this, options, word, queue, doorbell, counters, attachWqFd),
                options.threadName());
        this.thread.setDaemon(options.daemon());
        this.id = LoopRegistry.register(this);
    }

    /**
     * Opens a loop with the default options.
     *
     * @return a running loop
     * @throws io.ringloop.binding.IoUringUnavailableException if io_uring cannot be used here, saying why
     */
    public static EventLoop open() {
        return open(LoopOptions.defaults());
    }

    /**
     * Opens a loop: starts its thread, which sets up the ring (so that it is the ring's single issuer) and arms the
     * doorbell, and returns once it runs.
     *
     * @param options the options
     * @return a running loop
     * @throws io.ringloop.binding.IoUringUnavailableException if io_uring cannot be used here, saying why
     * @throws UnsupportedOperationException if the kernel (less the feature mask and the kernel profile) is below the
     *     loop's floor or lacks the doorbell asked for, naming the missing feature and the release that has it
     * @throws IllegalArgumentException if the loop thread cannot be pinned to the CPUs asked for, naming them and the
     *     errno
     */
    public static EventLoop open(LoopOptions options) {
        return open(options, -1);
    }

    /**
     * Opens a loop whose ring shares another ring's async workers ({@code ATTACH_WQ}); the ring opens without it if
     * the kernel refuses.
     *
     * @param options the options
     * @param attachWqFd the other ring's fd, or -1
     * @return a running loop
     */
    static EventLoop open(LoopOptions options, int attachWqFd) {
        Objects.requireNonNull(options, "options");
        Doorbell chosen = DoorbellChoice.resolve(options);
        OperatorLog.doorbellChosen(options.doorbell(), chosen);
        EventLoop loop = new EventLoop(options, chosen, attachWqFd);
        try {
            loop.thread.start();
            loop.started.join();
        } catch (Throwable e) {
            // No thread (OutOfMemoryError: unable to create native thread) or no ring: nothing may stay registered
            // or open.
            LoopRegistry.unregister(loop.id);
            loop.doorbell.close();
            if (e instanceof CompletionException ce && ce.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
        return loop;
    }

    /** Loop thread, once the ring is set up and the agent made: the loop runs from now on. */
    void started(LoopAgent a, BitSet cpus) {
        OperatorLog.flagsRefused(options.ringOptions().wantedFlags(), a.ring().setupFlags());
        agent = a;
        cpuAffinity = cpus;
        started.complete(null);
        thread.agent(a);
    }

    /** Loop thread: the ring or the agent could not be set up; open() throws what came of it. */
    void failedToStart(Throwable e) {
        state = TERMINATED;
        terminated.complete(null);
        started.completeExceptionally(e);
    }

    /** Loop thread: an error the loop does not survive; from now on it closes (see {@link LoopRunner}). */
    void died(Throwable e) {
        failure = e;
        state = CLOSING;
    }

    /** Loop thread, last: the agent has stopped, normally or not. */
    void ended(LoopAgent a) {
        state = TERMINATED;
        // No MSG_RING from this thread once its ring may be closing.
        thread.agent(null);
        queue.wakeAll();
        try {
            a.release();
        } finally {
            LoopRegistry.unregister(id);
            Throwable f = failure;
            if (f == null) {
                terminated.complete(null);
            } else {
                terminated.completeExceptionally(f);
            }
        }
    }

    /**
     * Runs a task on the loop thread. From the loop thread itself it is queued locally (no atomic, no bell).
     *
     * @param task the task
     * @throws NullPointerException if task is null
     * @throws RejectedExecutionException if the loop is closed, or the bounded queue is full under
     *     {@link QueueFullPolicy#REJECT}
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (Thread.currentThread() == thread) {
            if (state == TERMINATED) {
                throw rejected();
            }
            agent.executeLocal(task);
            return;
        }
        if (state != RUNNING) {
            throw rejected();
        }
        queue.offer(task, closedCheck);
        publish();
    }

    /**
     * Runs a task on the loop thread even if a bounded queue is full: for actions whose loss would break a promise
     * already made, such as cancelling an operation or closing a channel. Under {@link QueueFullPolicy#REJECT} it
     * never throws for a full queue and never blocks; the bound is for ordinary tasks only.
     *
     * @param task the task
     * @throws NullPointerException if task is null
     * @throws RejectedExecutionException if the loop is closed
     */
    public void executeEvenIfFull(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (Thread.currentThread() == thread) {
            execute(task);
            return;
        }
        if (state != RUNNING) {
            throw rejected();
        }
        queue.offerEvenIfFull(task);
        publish();
    }

    private void publish() {
        long before = word.publish();
        if (WakeWord.shouldRing(before)) {
            if (word.claimRing()) {
                // Won this sleep's one bell. A producer that is itself a loop sends it as a MSG_RING from its own
                // ring (Doorbell.MSG_RING); any other thread rings the doorbell.
                LoopAgent sender = LoopThread.currentAgent();
                if (sender != null) {
                    doorbell.ringFromLoop(sender);
                } else {
                    doorbell.ring();
                }
            }
        } else if (WakeWord.terminated(before)) {
            // Published after the loop's last drain: the task is in the queue but will never run.
            throw rejected();
        }
    }

    /** A MSG_RING wake another loop sent us failed in the kernel: ring our own doorbell instead (guarded). */
    void ringOwnDoorbell() {
        doorbell.ring();
    }

    /** This loop's ring fd, for another ring's {@code ATTACH_WQ}; valid while this loop is open. */
    int attachableRingFd() {
        return agent.ring().fd();
    }

    /** This loop's registry id. */
    int id() {
        return id;
    }

    private RejectedExecutionException rejected() {
        return new RejectedExecutionException("event loop '" + options.threadName() + "' is "
                + (state == TERMINATED ? "terminated" : "closed"));
    }

    /**
     * Runs a callable on the loop.
     *
     * @param callable the work
     * @param <T> its result type
     * @return a future completed with its result or exception
     * @throws RejectedExecutionException if the loop is closed
     */
    public <T> CompletableFuture<T> submit(Callable<T> callable) {
        Objects.requireNonNull(callable, "callable");
        CompletableFuture<T> f = new CompletableFuture<>();
        execute(() -> {
            try {
                f.complete(callable.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
                if (e instanceof VirtualMachineError vme) {
                    throw vme;
                }
            }
        });
        return f;
    }

    /**
     * Runs a task once after a delay, on the loop thread, with no timer thread: the loop's sleep is bounded by the
     * earliest deadline.
     *
     * @param task the task
     * @param delay how long from now, {@code >= 0}
     * @param unit the delay's unit
     * @return a handle whose {@code cancel} works from any thread and returns true only if the task will not run;
     *     it completes when the task has run
     * @throws IllegalArgumentException if delay is negative
     * @throws RejectedExecutionException if the loop is closed
     */
    public ScheduledFuture<Void> schedule(Runnable task, long delay, TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(unit, "unit");
        if (delay < 0) {
            throw new IllegalArgumentException("delay must be >= 0, was " + delay + " " + unit);
        }
        long nanos = unit.toNanos(delay);
        long deadline = System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4);
        ScheduledTask t = new ScheduledTask(task, deadline, timerSequence.getAndIncrement());
        if (inEventLoop()) {
            if (state == TERMINATED) {
                throw rejected();
            }
            agent.addTimer(t);
        } else {
            execute(() -> agent.addTimer(t));
        }
        return t;
    }

    /**
     * Hands an I/O request to the loop. Must be called on the loop thread.
     *
     * @param request the request
     * @throws IllegalStateException if called from another thread
     */
    public void submitIo(IoRequest request) {
        Objects.requireNonNull(request, "request");
        if (!inEventLoop()) {
            throw new IllegalStateException("submitIo must be called on the loop thread; use execute() to get there");
        }
        agent.io().submit(request);
    }

    /**
     * Cancels an I/O request handed to {@link #submitIo}: if it still waits for CQ room it completes at once with
     * {@code -ECANCELED}; if the kernel has it, an {@code IORING_OP_ASYNC_CANCEL} is queued and the request completes
     * when the kernel answers ({@code -ECANCELED}, or its own result if it finished first). Must be called on the
     * loop thread.
     *
     * @param request the request
     * @return false if the request is neither waiting nor in flight (it already finished)
     * @throws IllegalStateException if called from another thread
     */
    public boolean cancelIo(IoRequest request) {
        Objects.requireNonNull(request, "request");
        requireLoopThread("cancelIo");
        return agent.io().cancel(request);
    }

    /**
     * Registers a ring of provided buffers on this loop's ring for receives with buffer selection (multishot
     * receive). It is unregistered and freed when the loop terminates. Must be called on the loop thread.
     *
     * @param count how many buffers: a power of two up to 32768
     * @param bufferSize bytes per buffer
     * @return the registered buffer ring, with a fresh group id
     * @throws IllegalArgumentException if count or size is out of range
     * @throws UnsupportedOperationException before 5.19 (or under an older kernel profile): no buffer rings
     * @throws io.ringloop.binding.NativeCallException if the kernel refuses
     * @throws IllegalStateException if called from another thread
     */
    public ProvidedBufferRing openBufferRing(int count, int bufferSize) {
        requireLoopThread("openBufferRing");
        return agent.buffers().openBufferRing(count, bufferSize);
    }

    /**
     * Registers buffers with the ring ({@code IORING_REGISTER_BUFFERS}) for fixed-buffer file I/O
     * ({@code io.ringloop.io.AsyncFile#readFixed}): the kernel pins their pages once instead of mapping them on every
     * operation. The segments must stay valid (their arena open) until {@link #unregisterBuffers()} or the loop's end;
     * the loop keeps them reachable meanwhile. Must be called on the loop thread.
     *
     * @param buffers native segments, 1 to 16384 of up to 1 GiB each
     * @throws IllegalStateException if buffers are already registered, or off the loop thread
     * @throws IllegalArgumentException if a buffer is not native or the count is out of range
     * @throws io.ringloop.binding.NativeCallException if the kernel refuses (ENOMEM: over RLIMIT_MEMLOCK, EFAULT)
     */
    public void registerBuffers(MemorySegment... buffers) {
        requireLoopThread("registerBuffers");
        Objects.requireNonNull(buffers, "buffers");
        if (buffers.length < 1 || buffers.length > 16384) {
            throw new IllegalArgumentException("register 1 to 16384 buffers, not " + buffers.length);
        }
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i] == null || !buffers[i].isNative()) {
                throw new IllegalArgumentException("buffers[" + i + "] must be a native segment");
            }
        }
        agent.buffers().registerBuffers(buffers);
    }

    /**
     * Unregisters the buffers of {@link #registerBuffers}; operations still using one keep it until they complete.
     * Must be called on the loop thread.
     */
    public void unregisterBuffers() {
        requireLoopThread("unregisterBuffers");
        agent.buffers().unregisterBuffers();
    }

    /**
     * A registered buffer, from any thread.
     *
     * @param index its index in {@link #registerBuffers}
     * @return the segment, or null if no buffer has that index
     */
    public MemorySegment registeredBuffer(int index) {
        LoopAgent a = agent;
        return a == null ? null : a.buffers().registeredBuffer(index);
    }

    private void requireLoopThread(String what) {
        if (!inEventLoop()) {
            throw new IllegalStateException(what + " must be called on the loop thread; use execute() to get there");
        }
    }

    /**
     * Whether the caller is the loop thread.
     *
     * @return true on the loop thread
     */
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * The doorbell in use (AUTO resolved).
     *
     * @return the doorbell
     */
    public Doorbell doorbell() {
        return doorbell.kind();
    }

    /**
     * The options this loop was opened with.
     *
     * @return the options
     */
    public LoopOptions options() {
        return options;
    }

    /**
     * Whether this loop's kernel, less the feature mask and the kernel profile, has an entry of the
     * {@link KernelFeature} table (see {@link io.ringloop.binding.Ring#supports}). Callable from any thread: the
     * answers were worked out on the loop thread before {@link #open} returned.
     *
     * @param feature the entry
     * @return true if the loop's ring may use it
     */
    public boolean supports(KernelFeature feature) {
        return agent.ring().supported().contains(feature);
    }

    /**
     * The setup flags the kernel granted this loop's ring, by name.
     *
     * @return for example {@code [SINGLE_ISSUER, DEFER_TASKRUN, ...]}
     */
    public List<String> ringFlags() {
        return SetupFlags.names(agent.ring().setupFlags());
    }

    /**
     * The CPUs the loop thread may run on, as {@code sched_getaffinity} reported them on the loop thread after any
     * pinning asked for in {@link LoopOptions.Builder#cpuAffinity}.
     *
     * @return a copy of the set
     */
    public BitSet cpuAffinity() {
        return (BitSet) cpuAffinity.clone();
    }

    /**
     * The CQ size of this loop's ring.
     *
     * @return {@code cq_entries}
     */
    public int cqEntries() {
        return agent.ring().cqEntries();
    }

    /**
     * A snapshot of the counters; callable from any thread.
     *
     * @return the counters
     */
    public LoopStats stats() {
        long[] v = counters.snapshot();
        // The counters producers write: the wake word's sequence counts every publish, the doorbell every bell.
        long rung = doorbell.rung();
        v[LoopCounter.WAKEUPS_RUNG.ordinal()] = rung;
        v[LoopCounter.WAKEUPS_ELIDED.ordinal()] = Math.max(0, WakeWord.sequence(word.get()) - rung);
        v[LoopCounter.PRODUCERS_BLOCKED.ordinal()] = queue.producersBlocked();
        v[LoopCounter.MSG_RING_WAKES.ordinal()] = doorbell.msgRingWakes();
        v[LoopCounter.DOORBELL_FALLBACKS.ordinal()] = doorbell.fallbacks();
        return new LoopStats(v);
    }

    /**
     * Whether {@link #close()} was called (or the loop died).
     *
     * @return true once closing has begun
     */
    public boolean isClosed() {
        return state != RUNNING;
    }

    /**
     * Whether the loop thread has finished.
     *
     * @return true once terminated
     */
    public boolean isTerminated() {
        return terminated.isDone();
    }

    /**
     * A future completed when the loop thread has finished (after every accepted task ran and all I/O completed):
     * normally after {@link #close()}, exceptionally with {@link #failure()} if an error ended the loop.
     *
     * @return a new dependent future; completing or cancelling it does not affect the loop
     */
    public CompletableFuture<Void> terminationFuture() {
        return terminated.copy();
    }

    /**
     * The error that killed the loop thread, if one did.
     *
     * @return the error, or null
     */
    public Throwable failure() {
        return failure;
    }

    /**
     * Closes the loop: rejects new tasks, runs every task accepted before, cancels scheduled tasks and in-flight
     * I/O and waits for their completions, closes the doorbell only after any producer ringing it has left, then
     * joins the loop thread (unless called on it). Idempotent.
     */
    @Override
    public void close() {
        beginClose();
        if (!inEventLoop()) {
            awaitTermination();
        }
    }

    /** The first half of {@link #close()}: from now on new tasks are rejected; a sleeping loop is woken. */
    void beginClose() {
        if (state == RUNNING) {
            state = CLOSING;
            // Wake a sleeping loop so that it sees the state, with a task like any other: the loop terminates only
            // when the tasks it polled equal the publishes it saw, so a publish without a task would never match.
            // A full bounded queue needs no wake: its tasks were published, so the loop is awake or being woken.
            if (queue.tryOffer(NOOP)) {
                try {
                    publish();
                } catch (RejectedExecutionException alreadyDead) {
                    // The loop thread died after the state check: there is nothing left to wake.
                }
            }
        }
    }

    /** The second half of {@link #close()}: waits for the loop thread to finish, keeping the interrupt status. */
    void awaitTermination() {
        boolean interrupted = false;
        while (true) {
            try {
                terminated.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + options.threadName() + ", doorbell=" + doorbell.kind() + ", state=" + state + "]";
    }
}
