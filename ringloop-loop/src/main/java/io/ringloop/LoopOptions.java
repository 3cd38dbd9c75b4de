package io.ringloop;

import io.ringloop.binding.EpollKernel;
import io.ringloop.binding.FeatureMask;
import io.ringloop.binding.RingOptions;
import io.ringloop.binding.SyscallLayer;

import java.util.BitSet;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * How to open an {@link EventLoop}. Built with {@link #builder()}; every setter validates at once and names what
 * was wrong.
 */
public final class LoopOptions {
    /**
     * Default spin before sleeping: 50 µs where a spare core exists, none on one or two CPUs. Spinning pays only when
     * the loop has a core to itself: on the 2-vCPU showdown machine a spinning loop shared its CPU with the producer
     * it was waiting for, and wakes that should take 15 µs hit 3-4 ms scheduler slices.
     */
    public static final long DEFAULT_SPIN_NANOS = Runtime.getRuntime().availableProcessors() > 2
            ? TimeUnit.MICROSECONDS.toNanos(50) : 0;
    /**
     * Default stand-back when the loop runs dry while producers are mid-offer ({@link Builder#backoffNanos}): 5 µs.
     * On the 2-vCPU showdown machine, one producer's execute() throughput was 14 M/s when the loop armed at once
     * (about 60 arms, most of them failed, per 1000 tasks) and 26-41 M/s with a 1-10 µs stand-back (under 1 arm per
     * 1000 tasks); docs/PERFORMANCE.md has the runs.
     */
    public static final long DEFAULT_BACKOFF_NANOS = TimeUnit.MICROSECONDS.toNanos(5);
    /** Default bound on one sleep. Defence in depth only: no wakeup depends on it. */
    public static final long DEFAULT_MAX_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The values, in a private copy of the builder they came from: no one can change them afterwards. */
    private final Builder values;
    /** The feature mask and the kernel profile together. */
    private final FeatureMask featureMask;

    private LoopOptions(Builder b) {
        if (b.cqEntries != 0 && b.cqEntries < b.ringEntries) {
            throw new IllegalArgumentException("cqEntries (" + b.cqEntries + ") must be 0 or >= ringEntries ("
                    + b.ringEntries + ")");
        }
        this.values = b.copy();
        this.featureMask = b.featureMask.and(FeatureMask.profile(b.kernelProfile));
    }

    /**
     * A builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The defaults.
     *
     * @return options with every default
     */
    public static LoopOptions defaults() {
        return new Builder().build();
    }

    /**
     * A builder holding these options, to derive others from them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return values.copy();
    }

    /** @return the doorbell asked for */
    public Doorbell doorbell() {
        return values.doorbell;
    }

    /** @return SQ entries */
    public int ringEntries() {
        return values.ringEntries;
    }

    /** @return CQ entries, 0 for twice the SQ */
    public int cqEntries() {
        return values.cqEntries;
    }

    /** @return how long the loop spins before sleeping */
    public long spinNanos() {
        return values.spinNanos;
    }

    /** @return how long the loop stands back when it runs dry while producers are mid-offer */
    public long backoffNanos() {
        return values.backoffNanos;
    }

    /** @return the bound on one sleep */
    public long maxParkNanos() {
        return values.maxParkNanos;
    }

    /** @return the loop thread's name */
    public String threadName() {
        return values.threadName;
    }

    /** @return whether the loop thread is a daemon */
    public boolean daemon() {
        return values.daemon;
    }

    /** @return the handler for tasks that throw */
    public TaskErrorHandler errorHandler() {
        return values.errorHandler;
    }

    /** @return the task queue's capacity, 0 for unbounded */
    public int boundedQueue() {
        return values.boundedQueue;
    }

    /** @return what a full bounded queue does to a producer */
    public QueueFullPolicy queueFullPolicy() {
        return values.queueFullPolicy;
    }

    /** @return the most tasks run between two looks at the ring */
    public int taskBatch() {
        return values.taskBatch;
    }

    /** Kernel features treated as missing: the mask and the kernel profile together. */
    FeatureMask featureMask() {
        return featureMask;
    }

    /** The syscall layer: the native one, or a test's seam. */
    SyscallLayer syscalls() {
        return values.syscalls;
    }

    /** @return whether other loops wake this one with MSG_RING from their own ring ({@link Doorbell#MSG_RING}) */
    public boolean msgRingFromLoops() {
        return values.msgRingFromLoops;
    }

    /** @return the backend asked for; {@link EventLoop#backend()} tells which one a loop runs on */
    public Backend backend() {
        return values.backend;
    }

    /** @return whether the loop sleeps on its wake word, without its ring, when the ring holds nothing in flight */
    public boolean wordSleep() {
        return values.wordSleep;
    }

    /** @return the CPUs the loop thread is pinned to; empty when it is not pinned */
    public BitSet cpuAffinity() {
        return (BitSet) values.cpuAffinity.clone();
    }

    RingOptions ringOptions() {
        return ringOptions(-1);
    }

    RingOptions ringOptions(int attachWqFd) {
        return new RingOptions(values.ringEntries, values.cqEntries, RingOptions.STRONGEST, featureMask,
                values.backend == Backend.EPOLL ? EpollKernel.over(values.syscalls) : values.syscalls, attachWqFd);
    }

    /**
     * Builds {@link LoopOptions}.
     */
    public static final class Builder extends OptionValues {
        private Builder() {
        }

        private static long inRange(String what, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(what + " must be " + min + ".." + max + ", was " + value);
            }
            return value;
        }

        private Builder copy() {
            Builder b = new Builder();
            b.copyFrom(this);
            return b;
        }

        /**
         * The doorbell; {@link Doorbell#AUTO} by default.
         *
         * @param value the doorbell
         * @return this
         * @throws IllegalArgumentException for {@link Doorbell#MSG_RING}, which is not a loop's own doorbell
         */
        public Builder doorbell(Doorbell value) {
            Objects.requireNonNull(value, "doorbell");
            if (value == Doorbell.MSG_RING) {
                throw new IllegalArgumentException("Doorbell.MSG_RING is how other loops wake a loop, on top of its "
                        + "own doorbell, which every other thread uses: choose the own doorbell (AUTO, "
                        + "EVENTFD_POLL_MULTISHOT, ...); MSG_RING between loops is on by default, see "
                        + "msgRingFromLoops(boolean)");
            }
            this.doorbell = value;
            return this;
        }

        /**
         * Whether a producer that is itself a ringloop loop wakes this loop with {@code IORING_OP_MSG_RING} from its
         * own ring ({@link Doorbell#MSG_RING}) instead of this loop's doorbell; true by default. Masking the opcode
         * {@code MSG_RING} in the feature mask turns it off too.
         *
         * @param value on or off
         * @return this
         */
        public Builder msgRingFromLoops(boolean value) {
            this.msgRingFromLoops = value;
            return this;
        }

        /**
         * What the loop runs on: {@link Backend#AUTO} (the default, or {@code -Dringloop.backend}) takes io_uring
         * where a ring can be set up and epoll elsewhere; {@link Backend#IO_URING} and {@link Backend#EPOLL} insist.
         *
         * @param value the backend
         * @return this
         */
        public Builder backend(Backend value) {
            this.backend = Objects.requireNonNull(value, "backend");
            return this;
        }

        /**
         * Whether the loop, when its ring holds nothing the kernel could complete (no I/O in flight, nothing to
         * submit, no completion pending), sleeps with {@code futex(2)} on its wake word instead of in
         * {@code io_uring_enter}; true by default. The producer that wins the sleep's bell then wakes it with
         * {@code FUTEX_WAKE}: on this path a wake is a futex hand-off, about 1.5 µs shorter than one through the
         * ring. Off, every sleep is in the ring, through the doorbell (for measuring the doorbells themselves).
         *
         * @param value on or off
         * @return this
         */
        public Builder wordSleep(boolean value) {
            this.wordSleep = value;
            return this;
        }

        /**
         * Pins the loop thread to these CPUs ({@code sched_setaffinity} on the loop thread before its ring is set
         * up); none by default, so the scheduler places it. {@link EventLoop#cpuAffinity()} reports what the kernel
         * granted; opening fails with a message naming any CPU it would not grant.
         *
         * @param cpus CPU numbers, 0 to 1023; none to unpin
         * @return this
         * @throws IllegalArgumentException for a negative or too large CPU number
         */
        public Builder cpuAffinity(int... cpus) {
            BitSet set = new BitSet();
            for (int cpu : cpus) {
                if (cpu < 0 || cpu >= CpuAffinity.MAX_CPUS) {
                    throw new IllegalArgumentException("cpu must be 0.." + (CpuAffinity.MAX_CPUS - 1) + ", was " + cpu);
                }
                set.set(cpu);
            }
            this.cpuAffinity = set;
            return this;
        }

        /**
         * SQ entries, 2 to 32768 (the kernel rounds up to a power of two); 256 by default.
         *
         * @param value entries
         * @return this
         */
        public Builder ringEntries(int value) {
            this.ringEntries = (int) inRange("ringEntries", value, 2, RingOptions.MAX_SQ_ENTRIES);
            return this;
        }

        /**
         * CQ entries, 0 (default: twice the SQ) or {@code >= ringEntries} up to 65536.
         *
         * @param value entries
         * @return this
         */
        public Builder cqEntries(int value) {
            this.cqEntries = (int) inRange("cqEntries", value, 0, RingOptions.MAX_CQ_ENTRIES);
            return this;
        }

        /**
         * How long the loop spins before sleeping; 0 never spins. {@link #DEFAULT_SPIN_NANOS} by default.
         *
         * @param value nanoseconds, 0 to 1 s
         * @return this
         */
        public Builder spinNanos(long value) {
            this.spinNanos = inRange("spinNanos", value, 0, TimeUnit.SECONDS.toNanos(1));
            return this;
        }

        /**
         * How long the loop stands back, spinning on nothing shared, when it runs out of tasks while a producer has
         * claimed a queue slot whose task it has not found stored yet: a producer is mid-offer, so an arm would fail
         * its re-check, and every failed arm costs the producers two contended atomics on their word. Standing back
         * lets them fill a batch instead. 0 arms at once. {@link #DEFAULT_BACKOFF_NANOS} by default.
         *
         * @param value nanoseconds, 0 to 1 ms
         * @return this
         */
        public Builder backoffNanos(long value) {
            this.backoffNanos = inRange("backoffNanos", value, 0, TimeUnit.MILLISECONDS.toNanos(1));
            return this;
        }

        /**
         * The longest single sleep, 1 s by default. Correctness never depends on it: tests set it long to prove
         * that no wakeup is lost.
         *
         * @param value nanoseconds, at least 1 µs
         * @return this
         */
        public Builder maxParkNanos(long value) {
            if (value < 1_000) {
                throw new IllegalArgumentException("maxParkNanos must be >= 1000 (1 µs), was " + value);
            }
            this.maxParkNanos = value;
            return this;
        }

        /**
         * The loop thread's name.
         *
         * @param value a non-blank name
         * @return this
         */
        public Builder threadName(String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("threadName must be a non-blank string, was " + value);
            }
            this.threadName = value;
            return this;
        }

        /**
         * Whether the loop thread is a daemon; true by default.
         *
         * @param value daemon or not
         * @return this
         */
        public Builder daemon(boolean value) {
            this.daemon = value;
            return this;
        }

        /**
         * Who is told about tasks that throw; prints to standard error by default.
         *
         * @param value the handler
         * @return this
         */
        public Builder errorHandler(TaskErrorHandler value) {
            this.errorHandler = Objects.requireNonNull(value, "errorHandler");
            return this;
        }

        /**
         * Bounds the task queue; unbounded by default. A full queue blocks the producer (or rejects, see
         * {@link #queueFullPolicy}).
         *
         * @param capacity 2 to 2^30
         * @return this
         */
        public Builder boundedQueue(int capacity) {
            this.boundedQueue = (int) inRange("boundedQueue capacity", capacity, 2, 1 << 30);
            return this;
        }

        /**
         * What a full bounded queue does to a producer; {@link QueueFullPolicy#BLOCK} by default.
         *
         * @param value the policy
         * @return this
         */
        public Builder queueFullPolicy(QueueFullPolicy value) {
            this.queueFullPolicy = Objects.requireNonNull(value, "queueFullPolicy");
            return this;
        }

        /**
         * The most tasks run between two looks at the ring, so that I/O is never starved; 1024 by default.
         *
         * @param value 1 or more
         * @return this
         */
        public Builder taskBatch(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("taskBatch must be >= 1, was " + value);
            }
            this.taskBatch = value;
            return this;
        }

        /** Kernel features to treat as missing, parsed; see {@link #featureMask(String)}. */
        Builder featureMask(FeatureMask value) {
            this.featureMask = Objects.requireNonNull(value, "featureMask");
            return this;
        }

        /**
         * Behave as on an older kernel: every kernel feature ringloop uses that is newer than the release is treated
         * as missing, on top of the {@link #featureMask(String)}. The system property {@code ringloop.kernel.profile}
         * by default; null for none.
         *
         * @param release {@code major.minor}, for example {@code "5.15"}, or null
         * @return this
         * @throws IllegalArgumentException if the release is not {@code major.minor}
         */
        public Builder kernelProfile(String release) {
            FeatureMask.profile(release);
            this.kernelProfile = release;
            return this;
        }

        /**
         * Kernel features to treat as missing, as names: {@code "FUTEX_WAIT,DEFER_TASKRUN"}, to test the fallbacks
         * of older kernels. The system property {@code ringloop.kernel.mask} by default.
         *
         * @param spec comma-separated names
         * @return this
         * @throws IllegalArgumentException if a name is unknown, naming it and the known ones
         */
        public Builder featureMask(String spec) {
            return featureMask(FeatureMask.parse(spec));
        }

        /** The syscall layer: a seam for fault injection and syscall counting (see {@code LoopInternals}). */
        Builder syscalls(SyscallLayer value) {
            this.syscalls = Objects.requireNonNull(value, "syscalls");
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if the options contradict each other
         */
        public LoopOptions build() {
            return new LoopOptions(this);
        }
    }
}
