package io.ringloop.binding;

import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Kernel features ringloop pretends are missing, so that every fallback path runs on a kernel that has them all.
 *
 * <p>Written as a comma-separated list of names: setup flags ({@code DEFER_TASKRUN}, {@code SINGLE_ISSUER},
 * ...), features ({@code EXT_ARG}, ...), opcodes ({@code FUTEX_WAIT}, {@code MSG_RING}, ...) and register
 * operations ({@code SEND_MSG_RING}). The system property {@value #PROPERTY} sets the default for every ring.
 *
 * @param setupFlags setup flags never requested
 * @param features feature bits cleared from what the kernel reports
 * @param opcodes opcodes the probe reports as unsupported
 * @param others other masked names, such as register operations
 */
public record FeatureMask(int setupFlags, int features, BitSet opcodes, Set<String> others) {
    /** The system property read by {@link #fromSystemProperty()}. */
    public static final String PROPERTY = "ringloop.kernel.mask";
    /** Register operations and other capabilities that are neither flags, features nor opcodes. */
    private static final Set<String> OTHER_NAMES = Set.of("SEND_MSG_RING", "REGISTER_RING_FDS");
    /** Masks nothing. */
    public static final FeatureMask NONE = new FeatureMask(0, 0, new BitSet(), Set.of());

    /**
     * Copies its arguments.
     *
     * @param setupFlags setup flags never requested
     * @param features feature bits cleared
     * @param opcodes opcodes reported unsupported
     * @param others other masked names
     */
    public FeatureMask {
        opcodes = (BitSet) opcodes.clone();
        others = Collections.unmodifiableSet(new LinkedHashSet<>(others));
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
            if (OTHER_NAMES.contains(name)) {
                others.add(name);
            } else if (SetupFlags.byName(name) != 0) {
                flags |= SetupFlags.byName(name);
            } else if (Features.byName(name) != 0) {
                features |= Features.byName(name);
            } else if (Opcode.byName(name) >= 0) {
                ops.set(Opcode.byName(name));
            } else {
                throw new IllegalArgumentException("unknown kernel feature '" + raw.trim() + "' in " + PROPERTY
                        + "; expected setup flags (DEFER_TASKRUN, SINGLE_ISSUER, ...), features (EXT_ARG, ...),"
                        + " opcodes (FUTEX_WAIT, MSG_RING, ...) or " + OTHER_NAMES);
            }
        }
        return new FeatureMask(flags, features, ops, others);
    }

    /**
     * The mask given by the system property {@value #PROPERTY}.
     *
     * @return the mask, {@link #NONE} when the property is unset
     */
    public static FeatureMask fromSystemProperty() {
        return parse(System.getProperty(PROPERTY));
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
     * Whether another capability is masked.
     *
     * @param name for example {@code "SEND_MSG_RING"}
     * @return true if masked
     */
    public boolean masks(String name) {
        return others.contains(name.toUpperCase(Locale.ROOT));
    }

    /**
     * Combines two masks.
     *
     * @param other another mask
     * @return a mask that masks what either masks
     */
    public FeatureMask and(FeatureMask other) {
        BitSet ops = (BitSet) opcodes.clone();
        ops.or(other.opcodes);
        Set<String> o = new LinkedHashSet<>(others);
        o.addAll(other.others);
        return new FeatureMask(setupFlags | other.setupFlags, features | other.features, ops, o);
    }
}
