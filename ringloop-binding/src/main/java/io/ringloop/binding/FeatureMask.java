package io.ringloop.binding;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Kernel features ringloop pretends are missing, so that every fallback path runs on a kernel that has them all.
 *
 * <p>Written as a comma-separated list of names from the {@link KernelFeature} table: setup flags
 * ({@code DEFER_TASKRUN}, {@code SINGLE_ISSUER}, ...), features ({@code EXT_ARG}, ...), opcodes ({@code FUTEX_WAIT},
 * {@code MSG_RING}, ...), register operations ({@code REGISTER_SEND_MSG_RING}, or {@code SEND_MSG_RING}) and opcode
 * flags ({@code POLL_ADD_MULTI}, {@code ASYNC_CANCEL_ANY}, ...). A kernel profile ({@link #profile(String)}) masks
 * everything newer than one release. The system properties {@value #PROPERTY} and {@value #PROFILE_PROPERTY} set the
 * default for every ring.
 *
 * @param setupFlags setup flags never requested
 * @param features feature bits cleared from what the kernel reports
 * @param opcodes opcodes the probe reports as unsupported
 * @param others masked register operations and opcode flags, by their {@link KernelFeature} name
 * @param profile the release of the kernel profile in force ({@link KernelFeature#release}), 0 for none
 */
public record FeatureMask(int setupFlags, int features, BitSet opcodes, Set<String> others, int profile) {
    /** The system property read by {@link #fromSystemProperty()}: names to mask. */
    public static final String PROPERTY = "ringloop.kernel.mask";
    /** The system property read by {@link #fromSystemProperty()}: the release to behave like, e.g. {@code 5.15}. */
    public static final String PROFILE_PROPERTY = "ringloop.kernel.profile";
    /** The releases the tests run ringloop as ({@code ./ringloop test --kernels}); any {@code major.minor} works. */
    public static final List<String> TESTED_PROFILES = List.of("5.10", "5.15", "5.19", "6.1", "6.6");
    /**
     * The name that hides io_uring itself: ring setup then fails as {@code EPERM} does where a seccomp profile
     * refuses it, so that the epoll backend runs on a kernel that has io_uring.
     */
    public static final String IO_URING = "IO_URING";
    /** Older names kept working in masks. */
    private static final Map<String, KernelFeature> ALIASES = Map.of(
            "SEND_MSG_RING", KernelFeature.REGISTER_SEND_MSG_RING,
            "RING_FDS", KernelFeature.REGISTER_RING_FDS,
            "PBUF_RING", KernelFeature.REGISTER_PBUF_RING);
    /** Masks nothing. */
    public static final FeatureMask NONE = new FeatureMask(0, 0, new BitSet(), Set.of(), 0);

    /**
     * Copies its arguments.
     *
     * @param setupFlags setup flags never requested
     * @param features feature bits cleared
     * @param opcodes opcodes reported unsupported
     * @param others other masked names
     * @param profile the profile's release or 0
     */
    public FeatureMask {
        opcodes = (BitSet) opcodes.clone();
        others = Collections.unmodifiableSet(new LinkedHashSet<>(others));
    }

    private static KernelFeature lookup(String name) {
        KernelFeature f = ALIASES.get(name.trim().toUpperCase(Locale.ROOT));
        return f != null ? f : KernelFeature.byName(name);
    }

    /**
     * Parses a mask.
     *
     * @param spec comma-separated names; null or blank masks nothing
     * @return the mask
     * @throws IllegalArgumentException naming the first unknown name
     */
    public static FeatureMask parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        int flags = 0;
        int features = 0;
        BitSet ops = new BitSet();
        Set<String> others = new LinkedHashSet<>();
        for (String raw : spec.split(",")) {
            String name = raw.trim().toUpperCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            KernelFeature f = lookup(name);
            if (name.equals(IO_URING)) {
                others.add(IO_URING);
            } else if (f != null && f.unreported()) {
                others.add(f.name());
            } else if (SetupFlags.byName(name) != 0) {
                flags |= SetupFlags.byName(name);
            } else if (Features.byName(name) != 0) {
                features |= Features.byName(name);
            } else if (Opcode.byName(name) >= 0) {
                ops.set(Opcode.byName(name));
            } else {
                throw new IllegalArgumentException("unknown kernel feature '" + raw.trim() + "' in " + PROPERTY
                        + "; expected setup flags (DEFER_TASKRUN, SINGLE_ISSUER, ...), features (EXT_ARG, ...),"
                        + " opcodes (FUTEX_WAIT, MSG_RING, ...), register operations (REGISTER_SEND_MSG_RING, ...)"
                        + " or opcode flags (POLL_ADD_MULTI, ASYNC_CANCEL_ANY, ...)");
            }
        }
        return new FeatureMask(flags, features, ops, others, 0);
    }

    /**
     * A kernel profile: masks every entry of the {@link KernelFeature} table newer than a release, so that ringloop
     * behaves as it would on that release. Combine it with other names with {@link #and}.
     *
     * @param release {@code major.minor}, for example {@code "5.15"}; null or blank masks nothing
     * @return the mask
     * @throws IllegalArgumentException if the release is not {@code major.minor}
     */
    public static FeatureMask profile(String release) {
        if (release == null || release.isBlank()) {
            return NONE;
        }
        int r = KernelFeature.release(release);
        int flags = 0;
        int features = 0;
        BitSet ops = new BitSet();
        Set<String> others = new LinkedHashSet<>();
        for (KernelFeature f : KernelFeature.values()) {
            if (f.sinceRelease() <= r) {
                continue;
            }
            switch (f.kind()) {
                case SETUP_FLAG -> flags |= f.value();
                case FEATURE -> features |= f.value();
                case OPCODE -> ops.set(f.value());
                case REGISTER_OP, OPCODE_FLAG -> others.add(f.name());
                default -> throw new AssertionError(f.kind());
            }
        }
        return new FeatureMask(flags, features, ops, others, r);
    }

    /**
     * The mask given by the system properties {@value #PROPERTY} and {@value #PROFILE_PROPERTY}.
     *
     * @return the mask, {@link #NONE} when neither is set
     */
    public static FeatureMask fromSystemProperty() {
        return parse(System.getProperty(PROPERTY)).and(profile(System.getProperty(PROFILE_PROPERTY)));
    }

    /**
     * Whether an opcode is masked.
     *
     * @param opcode an {@link Opcode}
     * @return true if the probe must report it unsupported
     */
    public boolean masksOpcode(int opcode) {
        return opcodes.get(opcode & 0xff);
    }

    /**
     * Whether a register operation or an opcode flag is masked.
     *
     * @param name for example {@code "REGISTER_SEND_MSG_RING"} (or {@code "SEND_MSG_RING"}) or
     *     {@code "POLL_ADD_MULTI"}
     * @return true if masked
     */
    public boolean masks(String name) {
        KernelFeature f = lookup(name);
        return f != null ? hides(f) : others.contains(name.toUpperCase(Locale.ROOT));
    }

    /**
     * Whether io_uring itself is hidden ({@value #IO_URING}): only the epoll backend can then open a loop.
     *
     * @return true if ring setup must fail as {@code EPERM}
     */
    public boolean hidesIoUring() {
        return others.contains(IO_URING);
    }

    /**
     * Whether an entry of the table is masked.
     *
     * @param f the entry
     * @return true if ringloop must act as if the kernel lacked it
     */
    public boolean hides(KernelFeature f) {
        return switch (f.kind()) {
            case SETUP_FLAG -> (setupFlags & f.value()) != 0;
            case FEATURE -> (features & f.value()) != 0;
            case OPCODE -> opcodes.get(f.value());
            case REGISTER_OP, OPCODE_FLAG -> others.contains(f.name());
        };
    }

    /**
     * The release of the profile in force.
     *
     * @return {@code major.minor}, or null when no profile is set
     */
    public String profileName() {
        return profile == 0 ? null : KernelFeature.version(profile);
    }

    /**
     * Combines two masks.
     *
     * @param other another mask
     * @return a mask that masks what either masks, with the older of their profiles
     */
    public FeatureMask and(FeatureMask other) {
        BitSet ops = (BitSet) opcodes.clone();
        ops.or(other.opcodes);
        Set<String> o = new LinkedHashSet<>(others);
        o.addAll(other.others);
        int p = profile == 0 ? other.profile : other.profile == 0 ? profile : Math.min(profile, other.profile);
        return new FeatureMask(setupFlags | other.setupFlags, features | other.features, ops, o, p);
    }

    /**
     * What the mask hides, for reports.
     *
     * @return for example {@code "profile 5.15 + [FUTEX_WAIT]"}, or {@code "nothing"}
     */
    public String describe() {
        List<String> names = new ArrayList<>();
        for (KernelFeature f : KernelFeature.values()) {
            if (hides(f) && (profile == 0 || f.sinceRelease() <= profile)) {
                names.add(f.name());
            }
        }
        if (hidesIoUring()) {
            names.add(0, IO_URING);
        }
        if (profile == 0) {
            return names.isEmpty() ? "nothing" : names.toString();
        }
        return "profile " + profileName() + (names.isEmpty() ? "" : " + " + names);
    }
}
