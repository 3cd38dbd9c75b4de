package io.ringloop.binding;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct __kernel_timespec} from include/uapi/linux/time_types.h.
 */
public final class KernelTimespec {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_nsec")).withName("__kernel_timespec");

    public static final long SIZE = LAYOUT.byteSize();
    public static final long TV_SEC = LAYOUT.byteOffset(groupElement("tv_sec"));
    public static final long TV_NSEC = LAYOUT.byteOffset(groupElement("tv_nsec"));

    private KernelTimespec() {
    }
}
