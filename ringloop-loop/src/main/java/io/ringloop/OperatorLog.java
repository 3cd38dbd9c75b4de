package io.ringloop;

import io.ringloop.binding.SetupFlags;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an operator should know, said once per process through {@link System.Logger} (logger {@code io.ringloop}):
 * which doorbell AUTO chose, which setup flags the kernel refused, a doorbell the kernel ended and the loop re-armed,
 * a backend AUTO fell back to.
 * Never on a hot path: each fact is logged the first time it is seen.
 */
final class OperatorLog {
    private static final Logger LOG = System.getLogger("io.ringloop");
    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

    private OperatorLog() {
    }

    /** Once per doorbell: what AUTO resolved to. */
    static void doorbellChosen(Doorbell asked, Doorbell chosen) {
        if (asked == Doorbell.AUTO && SAID.add("doorbell " + chosen)) {
            LOG.log(Level.INFO, "ringloop: Doorbell.AUTO chose {0} on this kernel ({1})", chosen,
                    System.getProperty("os.version"));
        }
    }

    /** Once per set of refused flags: the kernel (or the mask) would not grant all the flags a loop asks for. */
    static void flagsRefused(int wanted, int granted) {
        int refused = wanted & ~granted;
        if (refused != 0 && SAID.add("flags " + refused)) {
            LOG.log(Level.INFO, "ringloop: the ring runs without {0} (refused by the kernel or hidden by the feature "
                    + "mask); granted {1}", SetupFlags.names(refused), SetupFlags.names(granted));
        }
    }

    /**
     * Once per process, like every fact here: the first loop whose multishot doorbell the kernel ended (a CQ overflow
     * or an error) and that re-armed it. Keyed by the fact alone, not the loop's name: a service that opens loops
     * all day must not grow this set.
     */
    static void doorbellRearmed(String loop) {
        if (SAID.add("rearm")) {
            LOG.log(Level.INFO, "ringloop: loop {0}: the kernel ended the multishot doorbell (a CQ overflow or an "
                    + "error) and the loop re-armed it; LoopStats.doorbellRearms counts further ones, for every loop",
                    loop);
        }
    }

    /** Once per process: AUTO found io_uring refused here and runs loops on epoll. */
    static void epollFallback(String why) {
        if (SAID.add("epoll fallback")) {
            LOG.log(Level.WARNING, "ringloop: {0}; loops run on the epoll backend. To allow io_uring in a container,"
                    + " run it with a seccomp profile that permits io_uring_setup, io_uring_enter and io_uring_register"
                    + " (README, Containers); -D{1}=epoll chooses epoll without this message.", why,
                    Backend.PROPERTY);
        }
    }

    /** How many facts have been said: each is said once, so this is bounded by the kinds of fact, not by loops. */
    static int factsSaid() {
        return SAID.size();
    }
}
