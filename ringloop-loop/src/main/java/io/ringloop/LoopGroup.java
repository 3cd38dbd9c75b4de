package io.ringloop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of {@link EventLoop}s, handed out round robin.
 *
 * <p>Loops of a group wake each other without their doorbells: a task handed from one loop's thread to a parked loop
 * becomes an {@code IORING_OP_MSG_RING} from the sender's own ring ({@link Doorbell#MSG_RING}), gated by the target's
 * wake word like any bell, so a busy target costs no syscall. That holds between any two ringloop loops; the group
 * only makes it the common case. The rings after the first ask to share its async workers ({@code ATTACH_WQ}), and the
 * loop threads can be pinned one per CPU.
 *
 * <pre>
 * try (LoopGroup group = LoopGroup.open(4)) {
 *     EventLoop a = group.next();
 *     EventLoop b = group.next();
 *     a.execute(() -&gt; b.execute(() -&gt; System.out.println("from a to b, woken by MSG_RING if b slept")));
 * }
 * </pre>
 */
public final class LoopGroup implements Executor, AutoCloseable {
    private final EventLoop[] loops;
    private final List<EventLoop> view;
    /** {@code size - 1} when the size is a power of two (a mask replaces the division), else -1. */
    private final int mask;
    /** Round-robin position; an unsigned remainder keeps the order across the int wrap-around. */
    private final AtomicInteger next = new AtomicInteger();

    private LoopGroup(EventLoop[] loops) {
        this.loops = loops;
        this.view = List.of(loops);
        this.mask = Integer.bitCount(loops.length) == 1 ? loops.length - 1 : -1;
    }

    /**
     * Opens a group with the default options.
     *
     * @param loops how many loops, at least 1
     * @return the running group
     * @throws IllegalArgumentException if {@code loops < 1}
     */
    public static LoopGroup open(int loops) {
        return builder().loops(loops).open();
    }

    /**
     * Opens a group whose loops share these options; loop {@code i} is named {@code <threadName>-<i>}.
     *
     * @param loops how many loops, at least 1
     * @param options the options of every loop
     * @return the running group
     * @throws IllegalArgumentException if {@code loops < 1}
     */
    public static LoopGroup open(int loops, LoopOptions options) {
        return builder().loops(loops).options(options).open();
    }

    /**
     * A builder: loop count, options, pinning, name prefix, {@code ATTACH_WQ}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The next loop, round robin. Thread-safe; one atomic increment.
     *
     * @return a loop of this group
     */
    public EventLoop next() {
        int i = next.getAndIncrement();
        return loops[mask >= 0 ? i & mask : Integer.remainderUnsigned(i, loops.length)];
    }

    /**
     * Loop {@code i}, for work that must stay on one loop (a connection, a shard).
     *
     * @param i the index, {@code 0 <= i < size()}
     * @return the loop
     * @throws IndexOutOfBoundsException naming the index and the size
     */
    public EventLoop loop(int i) {
        if (i < 0 || i >= loops.length) {
            throw new IndexOutOfBoundsException("loop index " + i + " is outside 0.." + (loops.length - 1)
                    + " (a group of " + loops.length + ")");
        }
        return loops[i];
    }

    /**
     * The loops, in index order.
     *
     * @return an unmodifiable list
     */
    public List<EventLoop> loops() {
        return view;
    }

    /**
     * How many loops.
     *
     * @return the size
     */
    public int size() {
        return loops.length;
    }

    /**
     * Runs a task on the next loop, round robin: {@code next().execute(task)}.
     *
     * @param task the task
     * @throws RejectedExecutionException if that loop is closed
     */
    @Override
    public void execute(Runnable task) {
        next().execute(task);
    }

    /**
     * Whether the calling thread is one of this group's loop threads.
     *
     * @return true on a loop thread of the group
     */
    public boolean inEventLoop() {
        for (EventLoop l : loops) {
            if (l.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether every loop has finished.
     *
     * @return true once all loop threads have terminated
     */
    public boolean isTerminated() {
        for (EventLoop l : loops) {
            if (!l.isTerminated()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Closes every loop with {@link EventLoop#close()}'s guarantees: each rejects new tasks from now on and runs every
     * task it accepted before. First every loop is told to close, so none accepts work from another after this
     * call began; then, from any other thread, this waits for all of them. Called on a loop thread of the group it
     * returns without waiting (watch {@link #isTerminated()}): waiting there could deadlock, because another loop
     * may be waiting on this one (a bounded queue, a future). Idempotent.
     */
    @Override
    public void close() {
        for (EventLoop l : loops) {
            l.life.beginClose();
        }
        if (inEventLoop()) {
            return;
        }
        for (EventLoop l : loops) {
            l.life.awaitTermination();
        }
    }

    @Override
    public String toString() {
        return "LoopGroup" + Arrays.toString(loops);
    }

    /**
     * Builds a {@link LoopGroup}.
     */
    public static final class Builder {
        private int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        private LoopOptions options = LoopOptions.defaults();
        private String threadNamePrefix;
        private int[] cpus;
        private boolean pinned;
        private boolean attachWq = true;

        private Builder() {
        }

        /**
         * How many loops; by default one per CPU the opening thread may use.
         *
         * @param value at least 1
         * @return this
         */
        public Builder loops(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("a loop group needs at least 1 loop, was " + value);
            }
            this.loops = value;
            return this;
        }

        /**
         * The options of every loop (their thread names and CPU affinity are set per loop by this builder).
         *
         * @param value the options
         * @return this
         */
        public Builder options(LoopOptions value) {
            this.options = Objects.requireNonNull(value, "options");
            return this;
        }

        /**
         * Loop {@code i} is named {@code <prefix>-<i>}; the options' thread name by default.
         *
         * @param value a non-blank prefix
         * @return this
         */
        public Builder threadNamePrefix(String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("threadNamePrefix must be a non-blank string, was " + value);
            }
            this.threadNamePrefix = value;
            return this;
        }

        /**
         * Pins loop {@code i} to the {@code i}-th CPU (round robin) of those the opening thread may run on; off by
         * default.
         *
         * @param value on or off
         * @return this
         */
        public Builder pinned(boolean value) {
            this.pinned = value;
            return this;
        }

        /**
         * Pins loop {@code i} to {@code cpus[i % cpus.length]}.
         *
         * @param value CPU numbers, 0 to 1023, at least one
         * @return this
         * @throws IllegalArgumentException for no CPU, or a negative or too large one
         */
        public Builder cpus(int... value) {
            if (value.length == 0) {
                throw new IllegalArgumentException("cpus needs at least one CPU; use pinned(false) to unpin");
            }
            for (int cpu : value) {
                if (cpu < 0 || cpu >= CpuAffinity.MAX_CPUS) {
                    throw new IllegalArgumentException("cpu must be 0.." + (CpuAffinity.MAX_CPUS - 1) + ", was " + cpu);
                }
            }
            this.cpus = value.clone();
            this.pinned = true;
            return this;
        }

        /**
         * Whether the rings after the first ask to share its async workers ({@code IORING_SETUP_ATTACH_WQ}); true by
         * default. A ring the kernel refuses to attach opens without it. Since 5.12 io-wq workers belong to the
         * submitting thread and the kernel only validates the fd, so it changes nothing there.
         *
         * @param value on or off
         * @return this
         */
        public Builder attachWq(boolean value) {
            this.attachWq = value;
            return this;
        }

        /**
         * Opens the loops one after the other; if one fails, those already open are closed.
         *
         * @return the running group
         * @throws IllegalArgumentException if a loop cannot be pinned where asked, naming the CPU and the errno
         */
        public LoopGroup open() {
            int[] placement = placement();
            String prefix = threadNamePrefix != null ? threadNamePrefix : options.threadName();
            List<EventLoop> opened = new ArrayList<>(loops);
            try {
                for (int i = 0; i < loops; i++) {
                    LoopOptions.Builder b = options.toBuilder().threadName(prefix + "-" + i);
                    if (placement != null) {
                        b.cpuAffinity(placement[i % placement.length]);
                    }
                    // The first ring is open for as long as the group opens, so its fd cannot be reused meanwhile.
                    int wq = attachWq && i > 0 ? opened.getFirst().agent.ring().fd() : -1;
                    opened.add(LoopLifecycle.open(b.build(), wq));
                }
            } catch (RuntimeException | Error e) {
                for (EventLoop l : opened) {
                    try {
                        l.close();
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
            return new LoopGroup(opened.toArray(EventLoop[]::new));
        }

        private int[] placement() {
            if (!pinned) {
                return null;
            }
            if (cpus != null) {
                return cpus;
            }
            BitSet allowed = CpuAffinity.currentThread();
            return allowed.stream().toArray();
        }
    }
}
