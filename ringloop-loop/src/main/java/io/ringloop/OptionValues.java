package io.ringloop;

import io.ringloop.binding.FeatureMask;
import io.ringloop.binding.SyscallLayer;

import java.util.BitSet;

/**
 * The values of {@link LoopOptions}, with their defaults: what {@link LoopOptions.Builder} sets (validating each) and
 * what a built {@code LoopOptions} keeps a private copy of. One list of fields, so that adding an option means adding
 * it here, a setter and an accessor.
 */
abstract class OptionValues {
    Doorbell doorbell = Doorbell.AUTO;
    int ringEntries = 256;
    int cqEntries;
    long spinNanos = LoopOptions.DEFAULT_SPIN_NANOS;
    long backoffNanos = LoopOptions.DEFAULT_BACKOFF_NANOS;
    long maxParkNanos = LoopOptions.DEFAULT_MAX_PARK_NANOS;
    String threadName = "ringloop";
    boolean daemon = true;
    TaskErrorHandler errorHandler = TaskErrorHandler.PRINT;
    int boundedQueue;
    QueueFullPolicy queueFullPolicy = QueueFullPolicy.BLOCK;
    int taskBatch = 1024;
    FeatureMask featureMask = FeatureMask.parse(System.getProperty(FeatureMask.PROPERTY));
    String kernelProfile = System.getProperty(FeatureMask.PROFILE_PROPERTY);
    SyscallLayer syscalls = SyscallLayer.NATIVE;
    boolean msgRingFromLoops = true;
    boolean wordSleep = true;
    Backend backend = Backend.parse(System.getProperty(Backend.PROPERTY));
    BitSet cpuAffinity = new BitSet();

    /** Takes every value of another set (the CPU set copied). */
    final void copyFrom(OptionValues other) {
        this.doorbell = other.doorbell;
        this.ringEntries = other.ringEntries;
        this.cqEntries = other.cqEntries;
        this.spinNanos = other.spinNanos;
        this.backoffNanos = other.backoffNanos;
        this.maxParkNanos = other.maxParkNanos;
        this.threadName = other.threadName;
        this.daemon = other.daemon;
        this.errorHandler = other.errorHandler;
        this.boundedQueue = other.boundedQueue;
        this.queueFullPolicy = other.queueFullPolicy;
        this.taskBatch = other.taskBatch;
        this.featureMask = other.featureMask;
        this.kernelProfile = other.kernelProfile;
        this.syscalls = other.syscalls;
        this.msgRingFromLoops = other.msgRingFromLoops;
        this.wordSleep = other.wordSleep;
        this.backend = other.backend;
        this.cpuAffinity = (BitSet) other.cpuAffinity.clone();
    }
}
