package io.ringloop.binding;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Provided buffer rings (5.19): {@code struct io_uring_buf_reg} for {@code IORING_REGISTER_PBUF_RING} and
 * {@code struct io_uring_buf}, one ring entry. The ring's tail is the {@code resv} field of entry 0 (byte 14),
 * published with a release store.
 */
public final class BufRing {
    /** {@code struct io_uring_buf_reg}: 40 bytes. */
    public static final StructLayout REG_LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("ring_addr"),
            JAVA_INT.withName("ring_entries"),
            JAVA_SHORT.withName("bgid"),
            JAVA_SHORT.withName("flags"),
            MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("resv")).withName("io_uring_buf_reg");

    /** {@code struct io_uring_buf}: 16 bytes. */
    public static final StructLayout BUF_LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("addr"),
            JAVA_INT.withName("len"),
            JAVA_SHORT.withName("bid"),
            JAVA_SHORT.withName("resv")).withName("io_uring_buf");

    public static final long REG_RING_ADDR = REG_LAYOUT.byteOffset(groupElement("ring_addr"));
    public static final long REG_RING_ENTRIES = REG_LAYOUT.byteOffset(groupElement("ring_entries"));
    public static final long REG_BGID = REG_LAYOUT.byteOffset(groupElement("bgid"));
    public static final long REG_FLAGS = REG_LAYOUT.byteOffset(groupElement("flags"));

    public static final long BUF_SIZE = BUF_LAYOUT.byteSize();
    public static final long BUF_ADDR = BUF_LAYOUT.byteOffset(groupElement("addr"));
    public static final long BUF_LEN = BUF_LAYOUT.byteOffset(groupElement("len"));
    public static final long BUF_BID = BUF_LAYOUT.byteOffset(groupElement("bid"));
    /** The ring tail: {@code bufs[0].resv}. */
    public static final long TAIL = BUF_LAYOUT.byteOffset(groupElement("resv"));

    private BufRing() {
    }
}
