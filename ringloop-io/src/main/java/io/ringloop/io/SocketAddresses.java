package io.ringloop.io;

import io.ringloop.binding.SockaddrIn;
import io.ringloop.binding.SockaddrIn6;
import io.ringloop.binding.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** Java socket addresses to and from {@code sockaddr_in}/{@code sockaddr_in6}, and socket setup by syscalls. */
final class SocketAddresses {
    private SocketAddresses() {
    }

    static InetSocketAddress check(SocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (!(address instanceof InetSocketAddress isa)) {
            throw new IllegalArgumentException("only InetSocketAddress is supported, got "
                    + address.getClass().getName());
        }
        if (isa.isUnresolved()) {
            throw new IllegalArgumentException("address is unresolved: " + isa);
        }
        return isa;
    }

    static int family(InetSocketAddress a) {
        return a.getAddress() instanceof Inet6Address ? Syscalls.AF_INET6 : Syscalls.AF_INET;
    }

    /** A native sockaddr for an address, in memory the collector frees once unreachable. */
    static MemorySegment toNative(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (ip instanceof Inet6Address v6) {
            MemorySegment s = Arena.ofAuto().allocate(SockaddrIn6.LAYOUT);
            SockaddrIn6.write(s, v6, a.getPort());
            return s;
        }
        MemorySegment s = Arena.ofAuto().allocate(SockaddrIn.LAYOUT);
        SockaddrIn.write(s, (Inet4Address) ip, a.getPort());
        return s;
    }

    static InetSocketAddress fromNative(MemorySegment s) {
        int family = s.get(JAVA_SHORT, 0);
        int port = SockaddrIn.port(s);
        InetAddress ip = family == Syscalls.AF_INET6 ? SockaddrIn6.address(s) : SockaddrIn.address(s);
        return new InetSocketAddress(ip, port);
    }

    static String describe(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        String host = ip == null ? a.getHostString() : ip.getHostAddress();
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** A new TCP socket with the options applied, or a thrown error naming what failed. */
    static int socket(int family, SocketOptions o, boolean server, String target) throws RingIoException {
        int fd = Syscalls.socket(family, Syscalls.SOCK_STREAM | Syscalls.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw RingIoException.of("socket", target, fd);
        }
        try {
            apply(fd, o, server, target);
        } catch (RingIoException e) {
            Syscalls.close(fd);
            throw e;
        }
        return fd;
    }

    static void apply(int fd, SocketOptions o, boolean server, String target) throws RingIoException {
        if (server) {
            set(fd, Syscalls.SOL_SOCKET, Syscalls.SO_REUSEADDR, o.reuseAddress(), "SO_REUSEADDR", target);
            if (o.reusePort()) {
                set(fd, Syscalls.SOL_SOCKET, Syscalls.SO_REUSEPORT, true, "SO_REUSEPORT", target);
            }
        } else {
            if (o.tcpNoDelay()) {
                set(fd, Syscalls.IPPROTO_TCP, Syscalls.TCP_NODELAY, true, "TCP_NODELAY", target);
            }
            if (o.keepAlive()) {
                set(fd, Syscalls.SOL_SOCKET, Syscalls.SO_KEEPALIVE, true, "SO_KEEPALIVE", target);
            }
        }
        if (o.receiveBufferSize() > 0) {
            setInt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_RCVBUF, o.receiveBufferSize(), "SO_RCVBUF", target);
        }
        if (o.sendBufferSize() > 0) {
            setInt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_SNDBUF, o.sendBufferSize(), "SO_SNDBUF", target);
        }
    }

    private static void set(int fd, int level, int name, boolean on, String what, String target)
            throws RingIoException {
        setInt(fd, level, name, on ? 1 : 0, what, target);
    }

    private static void setInt(int fd, int level, int name, int value, String what, String target)
            throws RingIoException {
        int r = Syscalls.setsockopt(fd, level, name, value);
        if (r < 0) {
            throw RingIoException.of("setsockopt " + what, target, r);
        }
    }

    static InetSocketAddress local(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(SockaddrIn6.LAYOUT);
            int r = Syscalls.getsockname(fd, s);
            return r < 0 ? null : fromNative(s);
        }
    }

    static InetSocketAddress remote(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(SockaddrIn6.LAYOUT);
            int r = Syscalls.getpeername(fd, s);
            return r < 0 ? null : fromNative(s);
        }
    }
}
