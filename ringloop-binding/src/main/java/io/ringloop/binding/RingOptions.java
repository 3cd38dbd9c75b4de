package io.ringloop.binding;

import java.util.Objects;

/**
 * How to set up a {@link Ring}.
 *
 * @param sqEntries SQ entries, 1 to {@value #MAX_SQ_ENTRIES} (the kernel rounds up to a power of two)
 * @param cqEntries CQ entries, 0 for the kernel's default (twice the SQ), else {@code >= sqEntries} and
 *     {@code <= } {@value #MAX_CQ_ENTRIES}
 * @param wantedFlags setup flags to ask for; those the kernel rejects are dropped one by one
 * @param mask kernel features to treat as missing
 * @param syscalls the syscall layer, {@link SyscallLayer#NATIVE} outside tests
 * @param attachWqFd a ring whose async workers to share ({@code ATTACH_WQ}), or -1. Since 5.12 io-wq workers
 *     belong to the submitting thread, not the ring, and the kernel only validates the fd of a ring without SQPOLL:
 *     the flag shares workers on 5.6 to 5.11 and is harmless after
 */
public record RingOptions(int sqEntries, int cqEntries, int wantedFlags, FeatureMask mask, SyscallLayer syscalls,
        int attachWqFd) {
    /** {@code IORING_MAX_ENTRIES}. */
    public static final int MAX_SQ_ENTRIES = 32768;
    /** {@code IORING_MAX_CQ_ENTRIES}. */
    public static final int MAX_CQ_ENTRIES = 2 * MAX_SQ_ENTRIES;
    /** The strongest single-threaded setup: the loop thread is the only issuer and runs all task work itself. */
    public static final int STRONGEST = SetupFlags.SINGLE_ISSUER | SetupFlags.DEFER_TASKRUN | SetupFlags.TASKRUN_FLAG
            | SetupFlags.COOP_TASKRUN | SetupFlags.SUBMIT_ALL | SetupFlags.NO_SQARRAY;

    /**
     * Validates the options.
     *
     * @param sqEntries SQ entries
     * @param cqEntries CQ entries or 0
     * @param wantedFlags setup flags
     * @param mask masked features
     * @param syscalls the syscall layer
     * @param attachWqFd a ring fd or -1
     */
    public RingOptions {
        if (sqEntries < 1 || sqEntries > MAX_SQ_ENTRIES) {
            throw new IllegalArgumentException("sqEntries must be 1.." + MAX_SQ_ENTRIES + ", was " + sqEntries);
        }
        if (cqEntries != 0 && (cqEntries < sqEntries || cqEntries > MAX_CQ_ENTRIES)) {
            throw new IllegalArgumentException("cqEntries must be 0 (default) or sqEntries(" + sqEntries + ").."
                    + MAX_CQ_ENTRIES + ", was " + cqEntries);
        }
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(syscalls, "syscalls");
    }

    /**
     * Options with the strongest flags and the system property's mask.
     *
     * @param sqEntries SQ entries
     * @return the options
     */
    public static RingOptions of(int sqEntries) {
        return new RingOptions(sqEntries, 0, STRONGEST, FeatureMask.fromSystemProperty(), SyscallLayer.NATIVE, -1);
    }

    /**
     * A copy with another CQ size.
     *
     * @param entries CQ entries
     * @return the copy
     */
    public RingOptions withCqEntries(int entries) {
        return new RingOptions(sqEntries, entries, wantedFlags, mask, syscalls, attachWqFd);
    }

    /**
     * A copy with other wanted flags.
     *
     * @param flags setup flags
     * @return the copy
     */
    public RingOptions withFlags(int flags) {
        return new RingOptions(sqEntries, cqEntries, flags, mask, syscalls, attachWqFd);
    }

    /**
     * A copy with another mask.
     *
     * @param newMask the mask
     * @return the copy
     */
    public RingOptions withMask(FeatureMask newMask) {
        return new RingOptions(sqEntries, cqEntries, wantedFlags, newMask, syscalls, attachWqFd);
    }

    /**
     * A copy with another syscall layer.
     *
     * @param layer the layer
     * @return the copy
     */
    public RingOptions withSyscalls(SyscallLayer layer) {
        return new RingOptions(sqEntries, cqEntries, wantedFlags, mask, layer, attachWqFd);
    }

    /**
     * A copy that shares another ring's async workers.
     *
     * @param ringFd that ring's fd
     * @return the copy
     */
    public RingOptions withAttachWq(int ringFd) {
        return new RingOptions(sqEntries, cqEntries, wantedFlags, mask, syscalls, ringFd);
    }
}
