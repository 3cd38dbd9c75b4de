package io.ringloop.binding;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_params}, {@code struct io_sqring_offsets} and {@code struct io_cqring_offsets}
 * from include/uapi/linux/io_uring.h. 120 bytes.
 */
public final class IoUringParams {
    /** {@code struct io_sqring_offsets}: 40 bytes. */
    public static final StructLayout SQ_OFFSETS = MemoryLayout.structLayout(
            JAVA_INT.withName("head"),
            JAVA_INT.withName("tail"),
            JAVA_INT.withName("ring_mask"),
            JAVA_INT.withName("ring_entries"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("dropped"),
            JAVA_INT.withName("array"),
            JAVA_INT.withName("resv1"),
            JAVA_LONG.withName("user_addr")).withName("io_sqring_offsets");

    /** {@code struct io_cqring_offsets}: 40 bytes. */
    public static final StructLayout CQ_OFFSETS = MemoryLayout.structLayout(
            JAVA_INT.withName("head"),
            JAVA_INT.withName("tail"),
            JAVA_INT.withName("ring_mask"),
            JAVA_INT.withName("ring_entries"),
            JAVA_INT.withName("overflow"),
            JAVA_INT.withName("cqes"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("resv1"),
            JAVA_LONG.withName("user_addr")).withName("io_cqring_offsets");

    /** {@code struct io_uring_params}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("sq_entries"),
            JAVA_INT.withName("cq_entries"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("sq_thread_cpu"),
            JAVA_INT.withName("sq_thread_idle"),
            JAVA_INT.withName("features"),
            JAVA_INT.withName("wq_fd"),
            MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv"),
            SQ_OFFSETS.withName("sq_off"),
            CQ_OFFSETS.withName("cq_off")).withName("io_uring_params");

    public static final long SQ_ENTRIES = LAYOUT.byteOffset(groupElement("sq_entries"));
    public static final long CQ_ENTRIES = LAYOUT.byteOffset(groupElement("cq_entries"));
    public static final long FLAGS = LAYOUT.byteOffset(groupElement("flags"));
    public static final long FEATURES = LAYOUT.byteOffset(groupElement("features"));
    public static final long WQ_FD = LAYOUT.byteOffset(groupElement("wq_fd"));
    public static final long SQ_OFF = LAYOUT.byteOffset(groupElement("sq_off"));
    public static final long CQ_OFF = LAYOUT.byteOffset(groupElement("cq_off"));

    public static final long SQ_OFF_HEAD = SQ_OFF + SQ_OFFSETS.byteOffset(groupElement("head"));
    public static final long SQ_OFF_TAIL = SQ_OFF + SQ_OFFSETS.byteOffset(groupElement("tail"));
    public static final long SQ_OFF_RING_MASK = SQ_OFF + SQ_OFFSETS.byteOffset(groupElement("ring_mask"));
    public static final long SQ_OFF_RING_ENTRIES = SQ_OFF + SQ_OFFSETS.byteOffset(groupElement("ring_entries"));
    public static final long SQ_OFF_FLAGS = SQ_OFF + SQ_OFFSETS.byteOffset(groupElement("flags"));
    public static final long SQ_OFF_DROPPED = SQ_OFF + SQ_OFFSETS.byteOffset(groupElement("dropped"));
    public static final long SQ_OFF_ARRAY = SQ_OFF + SQ_OFFSETS.byteOffset(groupElement("array"));

    public static final long CQ_OFF_HEAD = CQ_OFF + CQ_OFFSETS.byteOffset(groupElement("head"));
    public static final long CQ_OFF_TAIL = CQ_OFF + CQ_OFFSETS.byteOffset(groupElement("tail"));
    public static final long CQ_OFF_RING_MASK = CQ_OFF + CQ_OFFSETS.byteOffset(groupElement("ring_mask"));
    public static final long CQ_OFF_RING_ENTRIES = CQ_OFF + CQ_OFFSETS.byteOffset(groupElement("ring_entries"));
    public static final long CQ_OFF_OVERFLOW = CQ_OFF + CQ_OFFSETS.byteOffset(groupElement("overflow"));
    public static final long CQ_OFF_CQES = CQ_OFF + CQ_OFFSETS.byteOffset(groupElement("cqes"));
    public static final long CQ_OFF_FLAGS = CQ_OFF + CQ_OFFSETS.byteOffset(groupElement("flags"));

    private IoUringParams() {
    }
}
