package io.ringloop.binding;

import io.ringloop.kernel.IoUringUnavailableException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints what this kernel grants a ring: setup flags, features and opcodes. {@code ./ringloop kernel} runs it.
 */
public final class KernelReport {
    /** The loop's backend property ({@code io.ringloop.Backend#PROPERTY}), read here by name. */
    private static final String BACKEND_PROPERTY = "ringloop.backend";

    private KernelReport() {
    }

    /**
     * Opens a ring with the strongest flags and the system properties' mask and profile, and reports.
     *
     * @param args {@code --profile <major.minor>} and {@code --mask <names>} set those properties for the report
     */
    public static void main(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--profile" -> System.setProperty(FeatureMask.PROFILE_PROPERTY, args[i + 1]);
                case "--mask" -> System.setProperty(FeatureMask.PROPERTY, args[i + 1]);
                case "--backend" -> System.setProperty(BACKEND_PROPERTY, args[i + 1]);
                default -> throw new IllegalArgumentException("usage: KernelReport [--profile 5.15] [--mask NAMES]"
                        + " [--backend auto|io_uring|epoll], not " + args[i]);
            }
        }
        FeatureMask mask = FeatureMask.fromSystemProperty();
        String backend = System.getProperty(BACKEND_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        String why = "asked for (-D" + BACKEND_PROPERTY + "=epoll)";
        Ring opened = null;
        if (!backend.equals("epoll")) {
            try {
                opened = Ring.open(RingOptions.of(64));
            } catch (IoUringUnavailableException e) {
                if (backend.equals("io_uring")) {
                    throw e;
                }
                why = "io_uring refused: " + e.getMessage();
            }
        }
        if (opened == null) {
            opened = Ring.open(RingOptions.of(64).withSyscalls(EpollKernel.over(SyscallLayer.NATIVE)));
        }
        try (Ring ring = opened) {
            System.out.println("kernel:   " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                    + " (" + System.getProperty("os.arch") + ")");
            System.out.println("backend:  " + (ring.syscalls().emulatesIoUring()
                    ? "epoll (rings emulated as a " + EpollKernel.RELEASE + " kernel's; " + why + ")" : "io_uring"));
            String profile = mask.profileName();
            System.out.println("profile:  " + (profile == null ? "none (the kernel as it is)"
                    : profile + " (" + FeatureMask.PROFILE_PROPERTY + "): everything newer is hidden"));
            System.out.println("masked:   " + System.getProperty(FeatureMask.PROPERTY, "(nothing)"));
            System.out.println("asked:    " + SetupFlags.names(RingOptions.STRONGEST & ~mask.setupFlags()));
            System.out.println("granted:  " + SetupFlags.names(ring.setupFlags()));
            System.out.println("features: " + Features.names(ring.features()));
            System.out.println("rings:    sq=" + ring.sqEntries() + " cq=" + ring.cqEntries());
            System.out.println("entered:  " + (ring.registeredRingSlot() >= 0
                    ? "by registered ring slot " + ring.registeredRingSlot() + " (IORING_REGISTER_RING_FDS)"
                    : "by fd" + (ring.ringFdRefusal() < 0 ? " (REGISTER_RING_FDS refused: "
                    + Errno.name(-ring.ringFdRefusal()) + ")" : "")));
            Probe probe = ring.probe();
            System.out.println("opcodes:  " + probe.supportedNames().size() + " supported (last_op "
                    + probe.lastOp() + "): " + probe.supportedNames());
            System.out.println("release:  " + KernelFeature.version(ring.evidentRelease())
                    + " or newer, as far as the flags, features and opcodes above show");
            List<String> flags = new ArrayList<>();
            for (KernelFeature f : KernelFeature.values()) {
                if (f.unreported() && ring.supports(f)) {
                    flags.add(f.name());
                }
            }
            System.out.println("inferred: " + flags + " (register operations and opcode flags: no probe reports them)");
            long start = System.nanoTime();
            int rounds = 10_000;
            for (int i = 0; i < rounds; i++) {
                ring.sq().nop(i);
                ring.submitAndWait(1, Long.MAX_VALUE);
                ring.cq().reap((ud, res, fl) -> { }, 16);
            }
            System.out.printf("nop:      %.0f ns per submit-and-wait round trip (%d rounds)%n",
                    (System.nanoTime() - start) / (double) rounds, rounds);
        }
    }
}
