package io.ringloop.binding;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_rsrc_update}, the argument of {@code IORING_REGISTER_RING_FDS} and its unregister: a slot of
 * the thread's table ({@code offset}; {@link #ANY_SLOT} asks the kernel to pick one and write it back) and a value
 * ({@code data}: the ring fd).
 */
public final class RsrcUpdate {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("offset"),
            JAVA_INT.withName("resv"),
            JAVA_LONG.withName("data")).withName("io_uring_rsrc_update");

    public static final long SIZE = LAYOUT.byteSize();
    public static final long OFFSET = LAYOUT.byteOffset(groupElement("offset"));
    public static final long DATA = LAYOUT.byteOffset(groupElement("data"));
    /** {@code -1U} in {@code offset}: let the kernel choose the slot. */
    public static final int ANY_SLOT = -1;

    private RsrcUpdate() {
    }
}
