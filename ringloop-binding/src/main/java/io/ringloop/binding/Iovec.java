package io.ringloop.binding;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct iovec} from include/uapi/linux/uio.h.
 */
public final class Iovec {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("iov_base"),
            JAVA_LONG.withName("iov_len")).withName("iovec");

    public static final long SIZE = LAYOUT.byteSize();
    public static final long BASE = LAYOUT.byteOffset(groupElement("iov_base"));
    public static final long LEN = LAYOUT.byteOffset(groupElement("iov_len"));

    private Iovec() {
    }
}
