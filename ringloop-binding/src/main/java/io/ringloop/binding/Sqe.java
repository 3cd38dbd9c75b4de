package io.ringloop.binding;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct io_uring_sqe} (64 bytes) from include/uapi/linux/io_uring.h, with each union named by the member
 * ringloop uses: {@code off} is also {@code addr2}; {@code op_flags} is {@code rw_flags}, {@code poll32_events},
 * {@code timeout_flags}, {@code accept_flags}, {@code cancel_flags}, {@code msg_flags}, {@code msg_ring_flags},
 * {@code futex_flags}...; {@code buf_index} is also {@code buf_group}; {@code file_index} is also
 * {@code splice_fd_in} and {@code addr_len}.
 */
public final class Sqe {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("opcode"),
            JAVA_BYTE.withName("flags"),
            JAVA_SHORT.withName("ioprio"),
            JAVA_INT.withName("fd"),
            JAVA_LONG.withName("off"),
            JAVA_LONG.withName("addr"),
            JAVA_INT.withName("len"),
            JAVA_INT.withName("op_flags"),
            JAVA_LONG.withName("user_data"),
            JAVA_SHORT.withName("buf_index"),
            JAVA_SHORT.withName("personality"),
            JAVA_INT.withName("file_index"),
            JAVA_LONG.withName("addr3"),
            JAVA_LONG.withName("pad2")).withName("io_uring_sqe");

    public static final long SIZE = LAYOUT.byteSize();
    public static final long OPCODE = LAYOUT.byteOffset(groupElement("opcode"));
    public static final long FLAGS = LAYOUT.byteOffset(groupElement("flags"));
    public static final long IOPRIO = LAYOUT.byteOffset(groupElement("ioprio"));
    public static final long FD = LAYOUT.byteOffset(groupElement("fd"));
    public static final long OFF = LAYOUT.byteOffset(groupElement("off"));
    public static final long ADDR = LAYOUT.byteOffset(groupElement("addr"));
    public static final long LEN = LAYOUT.byteOffset(groupElement("len"));
    public static final long OP_FLAGS = LAYOUT.byteOffset(groupElement("op_flags"));
    public static final long USER_DATA = LAYOUT.byteOffset(groupElement("user_data"));
    public static final long BUF_INDEX = LAYOUT.byteOffset(groupElement("buf_index"));
    public static final long PERSONALITY = LAYOUT.byteOffset(groupElement("personality"));
    public static final long FILE_INDEX = LAYOUT.byteOffset(groupElement("file_index"));
    public static final long ADDR3 = LAYOUT.byteOffset(groupElement("addr3"));
    public static final long PAD2 = LAYOUT.byteOffset(groupElement("pad2"));

    private Sqe() {
    }
}
