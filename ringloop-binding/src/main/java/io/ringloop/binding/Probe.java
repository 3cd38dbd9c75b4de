package io.ringloop.binding;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The opcodes a kernel supports, from {@code IORING_REGISTER_PROBE}, less those the {@link FeatureMask} hides.
 */
public final class Probe {
    private final BitSet supported;
    private final int lastOp;

    Probe(BitSet supported, int lastOp) {
        this.supported = supported;
        this.lastOp = lastOp;
    }

    /**
     * Whether an opcode can be used.
     *
     * @param opcode an {@link Opcode}
     * @return true if the kernel supports it and it is not masked
     */
    public boolean supports(int opcode) {
        return supported.get(opcode & 0xff);
    }

    /**
     * The highest opcode the kernel knows.
     *
     * @return {@code last_op}
     */
    public int lastOp() {
        return lastOp;
    }

    /**
     * Names the supported opcodes.
     *
     * @return their names in opcode order
     */
    public List<String> supportedNames() {
        List<String> names = new ArrayList<>();
        supported.stream().forEach(op -> names.add(Opcode.name(op)));
        return names;
    }
}
