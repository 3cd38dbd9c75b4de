package io.ringloop;

import io.ringloop.binding.Errno;
import io.ringloop.binding.Syscalls;

import java.util.BitSet;

/** Pins the calling thread with {@code sched_setaffinity} and reads back what the kernel granted. */
final class CpuAffinity {
    /** The size of the mask the binding passes: {@code sched_setaffinity} on CPUs beyond it is impossible. */
    static final int MAX_CPUS = 1024;

    private CpuAffinity() {
    }

    /**
     * The CPUs the calling thread may run on.
     *
     * @return {@code sched_getaffinity} of the calling thread
     */
    static BitSet currentThread() {
        return Syscalls.getAffinity();
    }

    /**
     * Pins the calling thread to exactly these CPUs (nothing when the set is empty) and reads its affinity back.
     *
     * @param wanted the CPUs; empty to leave the thread where it is
     * @param who names the thread in messages
     * @return the CPUs the thread may run on now
     * @throws IllegalArgumentException naming the CPUs and the errno if the kernel refuses, or if it silently kept
     *     only part of the set (a CPU offline or outside the process's cpuset)
     */
    static BitSet pinCurrentThread(BitSet wanted, String who) {
        if (wanted.isEmpty()) {
            return Syscalls.getAffinity();
        }
        BitSet before = Syscalls.getAffinity();
        int r = Syscalls.setAffinity(wanted);
        if (r < 0) {
            throw new IllegalArgumentException(who + ": cannot pin to CPU(s) " + wanted + ": sched_setaffinity failed "
                    + "with " + Errno.name(r) + " (" + r + ")" + (r == -Errno.EINVAL ? ", none of them is online and "
                    + "allowed to this process; the opening thread may run on " + before : ""));
        }
        BitSet granted = Syscalls.getAffinity();
        if (!granted.equals(wanted)) {
            // The kernel intersects the mask with the allowed CPUs and fails only when nothing is left.
            BitSet missing = (BitSet) wanted.clone();
            missing.andNot(granted);
            throw new IllegalArgumentException(who + ": cannot pin to CPU(s) " + missing + ": not online or not "
                    + "allowed to this process (sched_setaffinity(" + wanted + ") kept only " + granted + ")");
        }
        return granted;
    }
}
