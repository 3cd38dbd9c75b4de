package io.ringloop.binding;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct sockaddr_in} from include/uapi/linux/in.h (16 bytes). Port and address are in network order.
 */
public final class SockaddrIn {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin_family"),
            JAVA_SHORT.withName("sin_port"),
            JAVA_INT.withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero")).withName("sockaddr_in");

    public static final long SIZE = LAYOUT.byteSize();
    public static final long FAMILY = LAYOUT.byteOffset(groupElement("sin_family"));
    public static final long PORT = LAYOUT.byteOffset(groupElement("sin_port"));
    public static final long ADDR = LAYOUT.byteOffset(groupElement("sin_addr"));

    private SockaddrIn() {
    }

    /**
     * Writes an IPv4 socket address.
     *
     * @param target at least {@link #SIZE} bytes
     * @param address the IPv4 address
     * @param port the port, 0 to 65535
     */
    public static void write(MemorySegment target, Inet4Address address, int port) {
        target.asSlice(0, SIZE).fill((byte) 0);
        target.set(JAVA_SHORT, FAMILY, (short) Syscalls.AF_INET);
        target.set(JAVA_SHORT, PORT, Short.reverseBytes((short) port));
        byte[] a = address.getAddress();
        MemorySegment.copy(a, 0, target, JAVA_BYTE, ADDR, 4);
    }

    /**
     * Reads the port.
     *
     * @param source a sockaddr_in or sockaddr_in6 (the port sits at the same offset)
     * @return the port in host order
     */
    public static int port(MemorySegment source) {
        return Short.toUnsignedInt(Short.reverseBytes(source.get(JAVA_SHORT, PORT)));
    }

    /**
     * Reads the address.
     *
     * @param source a sockaddr_in
     * @return the IPv4 address
     */
    public static InetAddress address(MemorySegment source) {
        byte[] a = new byte[4];
        MemorySegment.copy(source, JAVA_BYTE, ADDR, a, 0, 4);
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
