package io.ringloop.binding;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct sockaddr_in6} from include/uapi/linux/in6.h (28 bytes). Port and address are in network order.
 */
public final class SockaddrIn6 {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin6_family"),
            JAVA_SHORT.withName("sin6_port"),
            JAVA_INT.withName("sin6_flowinfo"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
            JAVA_INT.withName("sin6_scope_id")).withName("sockaddr_in6");

    public static final long SIZE = LAYOUT.byteSize();
    public static final long FAMILY = LAYOUT.byteOffset(groupElement("sin6_family"));
    public static final long PORT = LAYOUT.byteOffset(groupElement("sin6_port"));
    public static final long FLOWINFO = LAYOUT.byteOffset(groupElement("sin6_flowinfo"));
    public static final long ADDR = LAYOUT.byteOffset(groupElement("sin6_addr"));
    public static final long SCOPE_ID = LAYOUT.byteOffset(groupElement("sin6_scope_id"));

    private SockaddrIn6() {
    }

    /**
     * Writes an IPv6 socket address.
     *
     * @param target at least {@link #SIZE} bytes
     * @param address the IPv6 address
     * @param port the port, 0 to 65535
     */
    public static void write(MemorySegment target, Inet6Address address, int port) {
        target.asSlice(0, SIZE).fill((byte) 0);
        target.set(JAVA_SHORT, FAMILY, (short) Syscalls.AF_INET6);
        target.set(JAVA_SHORT, PORT, Short.reverseBytes((short) port));
        MemorySegment.copy(address.getAddress(), 0, target, JAVA_BYTE, ADDR, 16);
        target.set(JAVA_INT, SCOPE_ID, address.getScopeId());
    }

    /**
     * Reads the address.
     *
     * @param source a sockaddr_in6
     * @return the IPv6 address
     */
    public static InetAddress address(MemorySegment source) {
        byte[] a = new byte[16];
        MemorySegment.copy(source, JAVA_BYTE, ADDR, a, 0, 16);
        try {
            return Inet6Address.getByAddress(null, a, source.get(JAVA_INT, SCOPE_ID));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
