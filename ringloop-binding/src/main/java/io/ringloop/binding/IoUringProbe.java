package io.ringloop.binding;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct io_uring_probe} and {@code struct io_uring_probe_op}, filled by {@code IORING_REGISTER_PROBE}.
 */
public final class IoUringProbe {
    /** {@code struct io_uring_probe_op}: 8 bytes. */
    public static final StructLayout OP_LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("op"),
            JAVA_BYTE.withName("resv"),
            JAVA_SHORT.withName("flags"),
            JAVA_INT.withName("resv2")).withName("io_uring_probe_op");

    /** The header of {@code struct io_uring_probe}: 16 bytes, followed by {@code ops_len} ops. */
    public static final StructLayout HEADER_LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("last_op"),
            JAVA_BYTE.withName("ops_len"),
            JAVA_SHORT.withName("resv"),
            MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv2")).withName("io_uring_probe");

    /** Ops the buffer has room for: every opcode fits in a byte. */
    public static final int MAX_OPS = 256;
    public static final long SIZE = HEADER_LAYOUT.byteSize() + MAX_OPS * OP_LAYOUT.byteSize();
    public static final long LAST_OP = HEADER_LAYOUT.byteOffset(groupElement("last_op"));
    public static final long OPS_LEN = HEADER_LAYOUT.byteOffset(groupElement("ops_len"));
    public static final long OPS = HEADER_LAYOUT.byteSize();
    public static final long OP_SIZE = OP_LAYOUT.byteSize();
    public static final long OP_OP = OP_LAYOUT.byteOffset(groupElement("op"));
    public static final long OP_FLAGS = OP_LAYOUT.byteOffset(groupElement("flags"));
    /** {@code IO_URING_OP_SUPPORTED}. */
    public static final int OP_SUPPORTED = 1;

    private IoUringProbe() {
    }
}
