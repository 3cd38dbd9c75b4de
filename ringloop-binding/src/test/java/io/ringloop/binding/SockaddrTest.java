package io.ringloop.binding;

import io.ringloop.binding.TestRings.Fds;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Socket addresses as the kernel reads them: host-order family, network-order port and address. */
class SockaddrTest {
    @Test
    void shouldWriteSockaddrInWithTheFamilyInHostOrderAndPortAndAddressInNetworkOrder() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(SockaddrIn.LAYOUT);
            a.fill((byte) 0x55);
            SockaddrIn.write(a, TestRings.LOOPBACK, 0x1F90);
            assertThat(a.toArray(JAVA_BYTE)).containsExactly(
                    2, 0, 0x1F, (byte) 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0);
            assertThat(SockaddrIn.port(a)).isEqualTo(8080);
            assertThat(SockaddrIn.address(a)).isEqualTo(TestRings.LOOPBACK);
        }
    }

    @Test
    void shouldRoundTripSockaddrIn6() throws UnknownHostException {
        Inet6Address loopback6 = (Inet6Address) InetAddress.getByName("::1");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(SockaddrIn6.LAYOUT);
            SockaddrIn6.write(a, loopback6, 443);
            byte[] raw = a.toArray(JAVA_BYTE);
            assertThat(raw).hasSize(28);
            assertThat(raw[0]).isEqualTo((byte) Syscalls.AF_INET6);
            assertThat(raw[2]).isEqualTo((byte) 0x01);
            assertThat(raw[3]).isEqualTo((byte) 0xBB);
            assertThat(raw[23]).as("last byte of ::1").isEqualTo((byte) 1);
            assertThat(SockaddrIn.port(a)).as("the port sits at the same offset in both families").isEqualTo(443);
            assertThat(SockaddrIn6.address(a)).isEqualTo(loopback6);
        }
    }

    @Test
    void shouldBindAnIpv6SocketToLoopbackWhenTheKernelHasIpv6() throws UnknownHostException {
        assumeTrue(Files.exists(Path.of("/proc/net/if_inet6")), "no IPv6 here");
        Inet6Address loopback6 = (Inet6Address) InetAddress.getByName("::1");
        try (Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int fd = fds.track(Syscalls.socket(Syscalls.AF_INET6, Syscalls.SOCK_STREAM | Syscalls.SOCK_CLOEXEC, 0),
                    "socket(AF_INET6)");
            MemorySegment a = arena.allocate(SockaddrIn6.LAYOUT);
            SockaddrIn6.write(a, loopback6, 0);
            int r = Syscalls.bind(fd, a);
            assumeTrue(r != -Errno.EADDRNOTAVAIL, "::1 is not configured");
            assertThat(r).as("bind([::1]:0): %s", Errno.name(r)).isZero();
            MemorySegment bound = arena.allocate(SockaddrIn6.LAYOUT);
            assertThat(Syscalls.getsockname(fd, bound)).isEqualTo(28);
            assertThat(SockaddrIn6.address(bound)).isEqualTo(loopback6);
            assertThat(SockaddrIn.port(bound)).isPositive();
        }
    }
}
