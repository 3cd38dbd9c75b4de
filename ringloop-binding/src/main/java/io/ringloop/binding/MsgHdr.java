package io.ringloop.binding;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct msghdr} from include/linux/socket.h as user space passes it (x86_64 and aarch64): a name, an array of
 * {@link Iovec}, ancillary data and flags.
 */
public final class MsgHdr {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("msg_name"),
            JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("msg_iov"),
            JAVA_LONG.withName("msg_iovlen"),
            JAVA_LONG.withName("msg_control"),
            JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4)).withName("msghdr");

    public static final long SIZE = LAYOUT.byteSize();
    public static final long NAME = LAYOUT.byteOffset(groupElement("msg_name"));
    public static final long NAMELEN = LAYOUT.byteOffset(groupElement("msg_namelen"));
    public static final long IOV = LAYOUT.byteOffset(groupElement("msg_iov"));
    public static final long IOVLEN = LAYOUT.byteOffset(groupElement("msg_iovlen"));
    public static final long CONTROL = LAYOUT.byteOffset(groupElement("msg_control"));
    public static final long CONTROLLEN = LAYOUT.byteOffset(groupElement("msg_controllen"));
    public static final long FLAGS = LAYOUT.byteOffset(groupElement("msg_flags"));
    /** {@code UIO_MAXIOV}: the most iovecs one call takes. */
    public static final int IOV_MAX = 1024;

    private MsgHdr() {
    }
}
