package io.ringloop;

import io.ringloop.binding.KernelFeature;
import io.ringloop.binding.SetupFlags;
import io.ringloop.internal.AbandonableTask;
import io.ringloop.internal.LoopInternals;
import io.ringloop.kernel.IoUringUnavailableException;
import io.ringloop.kernel.NativeCallException;

import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * An io_uring event loop: one thread that owns one ring and is the only thread that ever touches it.
 *
 * <p>Other threads hand it work with {@link #execute}: the task goes into a lock-free queue whose slot is claimed by
 * one atomic add on the loop's wake word, and that same add tells whether the loop announced that it is going to
 * sleep. Only then does the producer make a wake syscall, and of all producers racing for the same sleep only one
 * does (the protocol and its proof sketch are in the project's architecture notes, and checked by a model checker).
 * While the loop is awake, {@code execute} costs one atomic add and a store, and no syscall.
 *
 * <pre>
 * try (EventLoop loop = EventLoop.open()) {
 *     loop.execute(() -&gt; System.out.println("on " + Thread.currentThread().getName()));
 *     int answer = loop.submit(() -&gt; 42).join();
 * }
 * </pre>
 */
public final class EventLoop implements Executor, AutoCloseable {
    /** {@link #state}: accepting tasks. */
    static final int RUNNING = 0;
    /** {@link #state}: closing (or dying): new tasks are rejected, accepted ones still run. */
    static final int CLOSING = 1;
    /** {@link #state}: the loop thread has finished. */
    static final int TERMINATED = 2;

    private final LoopOptions options;
    /** Package-private, like the fields below, so that the loop's tests can watch the protocol directly. */
    final WakeWord word = new WakeWord();
    final TaskQueue queue;
    final LoopCounters counters = new LoopCounters();
    final DoorbellDriver doorbell;
    final LoopThread thread;
    /** This loop's {@link LoopRegistry} id: a failed MSG_RING wake finds the loop by it. */
    final int id;
    /** Opening, dying, closing and ending: everything that moves {@link #state}. */
    final LoopLifecycle life;
    private final BooleanSupplier closedCheck = this::isClosed;
    private final AtomicLong timerSequence = new AtomicLong();
    /** What producers check before they publish; written only by {@link LoopLifecycle}. */
    volatile int state = RUNNING;
    /**
     * Written by the loop thread before {@code started} completes; other threads read it only after open() joined
     * {@code started}.
     */
    LoopAgent agent;
    /** The CPUs the loop thread may run on, read back after pinning; published like {@code agent}. */
    BitSet cpuAffinity;

    static {
        LoopEvents.init();
        LoopInternals.install(new InternalAccess());
    }

    EventLoop(LoopOptions options, Doorbell chosen, int attachWqFd) {
        this.options = options;
        this.life = new LoopLifecycle(this);
        this.queue = new TaskQueue(word, options.boundedQueue(), options.queueFullPolicy());
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
     * @throws IoUringUnavailableException if io_uring cannot be used here, saying why
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
     * @throws IoUringUnavailableException if io_uring cannot be used here, saying why
     * @throws UnsupportedOperationException if the kernel (less the feature mask and the kernel profile) is below the
     *     loop's floor or lacks the doorbell asked for, naming the missing feature and the release that has it
     * @throws IllegalArgumentException if the loop thread cannot be pinned to the CPUs asked for, naming them and the
     *     errno
     */
    public static EventLoop open(LoopOptions options) {
        return LoopLifecycle.open(options, -1);
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
        afterOffer(queue.offer(task, closedCheck));
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
        afterOffer(queue.offerEvenIfFull(task));
    }

    /**
     * Rings if the offer saw the loop armed and wins this sleep's bell; rejects if it came after the last drain.
     *
     * @param before the word before the offer's claim
     */
    void afterOffer(long before) {
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
            // Claimed after the loop's last drain: the task was not stored and will never run.
            throw rejected();
        }
    }

    RejectedExecutionException rejected() {
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
        Submission<T> s = new Submission<>(callable);
        execute(s);
        return s;
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
        ScheduledTask t = new ScheduledTask(task, ScheduledTask.deadline(unit.toNanos(delay)),
                timerSequence.getAndIncrement());
        if (inEventLoop()) {
            if (state == TERMINATED) {
                throw rejected();
            }
            agent.addTimer(t);
        } else {
            // A timer the loop gave up on before it was added is cancelled, as are those already in its heap.
            execute(AbandonableTask.of(() -> agent.addTimer(t), why -> t.cancel(false)));
        }
        return t;
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
     * @throws NativeCallException if the kernel refuses (ENOMEM: over RLIMIT_MEMLOCK, EFAULT)
     */
    public void registerBuffers(MemorySegment... buffers) {
        requireLoopThread("registerBuffers");
        agent.buffers().registerBuffers(BufferRegistry.checked(buffers));
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

    void requireLoopThread(String what) {
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

    /** @return the doorbell in use (AUTO resolved) */
    public Doorbell doorbell() {
        return doorbell.kind();
    }

    /** @return the options this loop was opened with */
    public LoopOptions options() {
        return options;
    }

    /** Whether the ring may use a {@link KernelFeature}, from any thread; see {@link LoopInternals#supports}. */
    boolean supports(KernelFeature feature) {
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

    /** @return the CQ size of this loop's ring ({@code cq_entries}) */
    public int cqEntries() {
        return agent.ring().cqEntries();
    }

    /**
     * A snapshot of the counters; callable from any thread.
     *
     * @return the counters
     */
    public LoopStats stats() {
        return LoopStats.of(counters, doorbell, word, queue, options.backend());
    }

    /**
     * What this loop runs on: {@link Backend#IO_URING} or {@link Backend#EPOLL}, never AUTO (the options' AUTO is
     * resolved when the loop opens).
     *
     * @return the backend
     */
    public Backend backend() {
        return options.backend();
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
        return life.terminated.isDone();
    }

    /**
     * A future completed when the loop thread has finished (after every accepted task ran and all I/O completed):
     * normally after {@link #close()}, exceptionally with {@link #failure()} if an error ended the loop.
     *
     * @return a new dependent future; completing or cancelling it does not affect the loop
     */
    public CompletableFuture<Void> terminationFuture() {
        return life.terminated.copy();
    }

    /**
     * The error that killed the loop thread, if one did.
     *
     * @return the error, or null
     */
    public Throwable failure() {
        return life.failure;
    }

    /**
     * Closes the loop: rejects new tasks, runs every task accepted before, cancels scheduled tasks and in-flight
     * I/O and waits for their completions, closes the doorbell only after any producer ringing it has left, then
     * joins the loop thread (unless called on it). Idempotent.
     */
    @Override
    public void close() {
        life.beginClose();
        if (!inEventLoop()) {
            life.awaitTermination();
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + options.threadName() + ", doorbell=" + doorbell.kind() + ", state=" + state + "]";
    }
}
