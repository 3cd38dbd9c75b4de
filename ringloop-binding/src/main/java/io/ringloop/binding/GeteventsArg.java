package io.ringloop.binding;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_getevents_arg}, passed to {@code io_uring_enter} with {@code IORING_ENTER_EXT_ARG} (5.11).
 * {@code min_wait_usec} was {@code pad} before 6.12.
 */
public final class GeteventsArg {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("sigmask"),
            JAVA_INT.withName("sigmask_sz"),
            JAVA_INT.withName("min_wait_usec"),
            JAVA_LONG.withName("ts")).withName("io_uring_getevents_arg");

    public static final long SIZE = LAYOUT.byteSize();
    public static final long SIGMASK = LAYOUT.byteOffset(groupElement("sigmask"));
    public static final long SIGMASK_SZ = LAYOUT.byteOffset(groupElement("sigmask_sz"));
    public static final long MIN_WAIT_USEC = LAYOUT.byteOffset(groupElement("min_wait_usec"));
    public static final long TS = LAYOUT.byteOffset(groupElement("ts"));

    private GeteventsArg() {
    }
}
