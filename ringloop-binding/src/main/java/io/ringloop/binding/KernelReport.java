package io.ringloop.binding;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints what this kernel grants a ring: setup flags, features and opcodes. {@code ./ringloop kernel} runs it.
 */
public final class KernelReport {
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
                default -> throw new IllegalArgumentException("usage: KernelReport [--profile 5.15] [--mask NAMES],"
                        + " not " + args[i]);
            }
        }
        FeatureMask mask = FeatureMask.fromSystemProperty();
        try (Ring ring = Ring.open(RingOptions.of(64))) {
            System.out.println("kernel:   " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                    + " (" + System.getProperty("os.arch") + ")");
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
