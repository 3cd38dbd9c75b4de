package io.ringloop.binding;

import io.ringloop.binding.TestRings.Completion;
import io.ringloop.binding.TestRings.Fds;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.ringloop.binding.TestRings.LOOPBACK;
import static io.ringloop.binding.TestRings.assertQuiet;
import static io.ringloop.binding.TestRings.await;
import static io.ringloop.binding.TestRings.awaitOne;
import static io.ringloop.binding.TestRings.bytes;
import static io.ringloop.binding.TestRings.find;
import static io.ringloop.binding.TestRings.localPort;
import static io.ringloop.binding.TestRings.string;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ACCEPT (one-shot and multishot), CONNECT, SEND, RECV (plain and multishot with a provided buffer ring) and
 * SHUTDOWN on loopback TCP sockets made with {@link Syscalls}, with java.net sockets as peers.
 */
class NetOpsTest {
    private static final int PEER_TIMEOUT_MILLIS = 5_000;
    private static final VarHandle SHORT = JAVA_SHORT.varHandle();

    private static Socket connectPeer(int port) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(PEER_TIMEOUT_MILLIS);
        s.connect(new InetSocketAddress(LOOPBACK, port), PEER_TIMEOUT_MILLIS);
        return s;
    }

    /** Accepts one connection through the ring and returns the new fd, tracked for closing. */
    private static int acceptOne(Ring ring, Fds fds, int listenFd) {
        ring.sq().accept(listenFd, 0, 0, Syscalls.SOCK_CLOEXEC, false, 500);
        Completion c = awaitOne(ring, "ACCEPT");
        return fds.track(c.res(), "ACCEPT " + c);
    }

    @Test
    void shouldAcceptAConnectionAndReportThePeerAddress() throws IOException {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int listenFd = fds.listenLoopback();
            MemorySegment peer = arena.allocate(SockaddrIn6.LAYOUT);
            MemorySegment peerLen = arena.allocateFrom(JAVA_INT, (int) SockaddrIn6.SIZE);
            ring.sq().accept(listenFd, peer.address(), peerLen.address(), Syscalls.SOCK_CLOEXEC, false, 1);
            assertQuiet(ring, "no ACCEPT CQE before a client connects");
            try (Socket client = connectPeer(localPort(listenFd))) {
                Completion c = awaitOne(ring, "ACCEPT");
                int fd = fds.track(c.res(), "ACCEPT " + c);
                assertThat(c.more()).isFalse();
                assertThat(peerLen.get(JAVA_INT, 0)).as("socklen written back").isEqualTo((int) SockaddrIn.SIZE);
                assertThat(peer.get(JAVA_SHORT, SockaddrIn.FAMILY)).isEqualTo((short) Syscalls.AF_INET);
                assertThat(SockaddrIn.port(peer)).as("peer port").isEqualTo(client.getLocalPort());
                assertThat(SockaddrIn.address(peer)).isEqualTo(LOOPBACK);
                assertThat(localPort(fd)).isEqualTo(client.getPort());
            }
        }
    }

    @Test
    void shouldAcceptThreeClientsWithOneMultishotAcceptEachWithMore() throws IOException {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds()) {
            int listenFd = fds.listenLoopback();
            int port = localPort(listenFd);
            ring.sq().accept(listenFd, 0, 0, Syscalls.SOCK_CLOEXEC, true, 21);
            ring.submit();
            List<Socket> clients = new ArrayList<>();
            try {
                List<Completion> accepted = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    clients.add(connectPeer(port));
                    Completion c = awaitOne(ring, "multishot ACCEPT of client " + i);
                    fds.track(c.res(), "multishot ACCEPT " + c);
                    accepted.add(c);
                }
                assertThat(accepted).allSatisfy(c -> {
                    assertThat(c.userData()).isEqualTo(21);
                    assertThat(c.more()).as("multishot accept CQE keeps F_MORE: %s", c).isTrue();
                });
                assertThat(accepted).extracting(Completion::res).doesNotHaveDuplicates();
                List<Integer> peerPorts = new ArrayList<>();
                for (Completion c : accepted) {
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment a = arena.allocate(SockaddrIn6.LAYOUT);
                        assertThat(Syscalls.getsockname(c.res(), a)).isPositive();
                        peerPorts.add(SockaddrIn.port(a));
                    }
                }
                assertThat(peerPorts).as("every accepted socket is on the listening port").containsOnly(port);

                ring.sq().asyncCancel(21, 0, 22);
                List<Completion> end = await(ring, 2, "ASYNC_CANCEL of the multishot accept and its final CQE");
                assertThat(find(end, 22).res()).isZero();
                Completion last = find(end, 21);
                assertThat(last.res()).isEqualTo(-Errno.ECANCELED);
                assertThat(last.more()).as("final accept CQE has no F_MORE: %s", last).isFalse();
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
        }
    }

    @Test
    void shouldAcceptThreeQueuedClientsAtOnceWithMultishotAccept() throws IOException {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds()) {
            int listenFd = fds.listenLoopback();
            int port = localPort(listenFd);
            try (Socket a = connectPeer(port); Socket b = connectPeer(port); Socket c = connectPeer(port)) {
                ring.sq().accept(listenFd, 0, 0, Syscalls.SOCK_CLOEXEC, true, 31);
                List<Completion> accepted = await(ring, 3, "multishot ACCEPT of three queued clients");
                for (Completion x : accepted) {
                    fds.track(x.res(), "ACCEPT " + x);
                    assertThat(x.more()).as("%s", x).isTrue();
                }
                assertThat(List.of(a, b, c)).allSatisfy(s -> assertThat(s.isConnected()).isTrue());
            }
        }
    }

    @Test
    void shouldConnectToAJavaServerSocket() throws IOException {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofConfined();
                ServerSocket server = new ServerSocket(0, 8, LOOPBACK)) {
            server.setSoTimeout(PEER_TIMEOUT_MILLIS);
            int fd = fds.tcpSocket();
            MemorySegment address = arena.allocate(SockaddrIn.LAYOUT);
            SockaddrIn.write(address, LOOPBACK, server.getLocalPort());
            ring.sq().connect(fd, address.address(), (int) SockaddrIn.SIZE, 1);
            Completion c = awaitOne(ring, "CONNECT");
            assertThat(c.res()).as("CONNECT: %s", c).isZero();
            try (Socket accepted = server.accept()) {
                assertThat(accepted.getPort()).isEqualTo(localPort(fd));
            }
        }
    }

    @Test
    void shouldFailConnectToAClosedPortWithEconnrefused() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = s.getLocalPort();
        }
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int fd = fds.tcpSocket();
            MemorySegment address = arena.allocate(SockaddrIn.LAYOUT);
            SockaddrIn.write(address, LOOPBACK, closedPort);
            ring.sq().connect(fd, address.address(), (int) SockaddrIn.SIZE, 1);
            assertThat(awaitOne(ring, "CONNECT to a closed port").res()).isEqualTo(-Errno.ECONNREFUSED);
        }
    }

    @Test
    void shouldSendRecvAndShutdownWithAJavaPeer() throws IOException {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int listenFd = fds.listenLoopback();
            try (Socket peer = connectPeer(localPort(listenFd))) {
                int fd = acceptOne(ring, fds, listenFd);
                InputStream fromRing = peer.getInputStream();
                OutputStream toRing = peer.getOutputStream();

                MemorySegment ping = bytes(arena, "ping");
                ring.sq().send(fd, ping.address(), 4, 0, 1);
                assertThat(awaitOne(ring, "SEND")).isEqualTo(new Completion(1, 4, 0));
                assertThat(new String(fromRing.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");

                MemorySegment in = arena.allocate(64);
                ring.sq().recv(fd, in.address(), 64, 0, 2);
                assertQuiet(ring, "RECV waits for data");
                toRing.write("pong".getBytes(StandardCharsets.US_ASCII));
                toRing.flush();
                Completion recv = awaitOne(ring, "RECV");
                assertThat(recv.userData()).isEqualTo(2);
                assertThat(recv.res()).as("%s", recv).isEqualTo(4);
                assertThat(string(in, 4)).isEqualTo("pong");

                ring.sq().shutdown(fd, Syscalls.SHUT_WR, 3);
                assertThat(awaitOne(ring, "SHUTDOWN(SHUT_WR)").res()).isZero();
                assertThat(fromRing.read()).as("the peer reads EOF after SHUT_WR").isEqualTo(-1);

                peer.shutdownOutput();
                ring.sq().recv(fd, in.address(), 64, 0, 4);
                assertThat(awaitOne(ring, "RECV after the peer's FIN").res()).as("EOF").isZero();
            }
        }
    }

    /** A provided buffer ring of {@code entries} buffers of {@code size} bytes, registered as group {@code bgid}. */
    private static MemorySegment registerBufferRing(Ring ring, Arena arena, int entries, int size, int bgid,
            MemorySegment data) {
        MemorySegment bufs = arena.allocate(BufRing.BUF_SIZE * entries, 4096);
        for (int i = 0; i < entries; i++) {
            long e = i * BufRing.BUF_SIZE;
            bufs.set(JAVA_LONG, e + BufRing.BUF_ADDR, data.address() + (long) i * size);
            bufs.set(JAVA_INT, e + BufRing.BUF_LEN, size);
            bufs.set(JAVA_SHORT, e + BufRing.BUF_BID, (short) i);
        }
        // The tail is bufs[0].resv: published with a release store after the entries.
        SHORT.setRelease(bufs, BufRing.TAIL, (short) entries);
        MemorySegment reg = arena.allocate(BufRing.REG_LAYOUT);
        reg.set(JAVA_LONG, BufRing.REG_RING_ADDR, bufs.address());
        reg.set(JAVA_INT, BufRing.REG_RING_ENTRIES, entries);
        reg.set(JAVA_SHORT, BufRing.REG_BGID, (short) bgid);
        int r = ring.register(RegisterOp.REGISTER_PBUF_RING, reg, 1);
        assertThat(r).as("IORING_REGISTER_PBUF_RING: %s", Errno.name(r)).isZero();
        return bufs;
    }

    @Test
    void shouldReceiveEachMessageIntoAProvidedBufferWithMultishotRecv() throws IOException {
        int size = 256;
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(8L * size, 64);
            registerBufferRing(ring, arena, 8, size, 7, data);
            int listenFd = fds.listenLoopback();
            try (Socket peer = connectPeer(localPort(listenFd))) {
                int fd = acceptOne(ring, fds, listenFd);
                ring.sq().recvMultishot(fd, 7, 0, 40);
                assertQuiet(ring, "multishot RECV waits for data");
                OutputStream out = peer.getOutputStream();
                List<Integer> bids = new ArrayList<>();
                String[] messages = {"alpha", "beta", "gamma-delta"};
                for (String m : messages) {
                    out.write(m.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Completion c = awaitOne(ring, "multishot RECV of '" + m + "'");
                    assertThat(c.userData()).isEqualTo(40);
                    assertThat(c.res()).as("%s", c).isEqualTo(m.length());
                    assertThat(c.hasBuffer()).as("F_BUFFER in %s", c).isTrue();
                    assertThat(c.more()).as("F_MORE in %s", c).isTrue();
                    assertThat(string(data.asSlice((long) c.bufferId() * size), c.res())).isEqualTo(m);
                    bids.add(c.bufferId());
                }
                assertThat(bids).as("buffers are taken from the ring in order").containsExactly(0, 1, 2);

                peer.shutdownOutput();
                Completion eof = awaitOne(ring, "multishot RECV at EOF");
                assertThat(eof.res()).as("%s", eof).isZero();
                assertThat(eof.more()).as("EOF ends the multishot recv: %s", eof).isFalse();
            }
            MemorySegment unreg = arena.allocate(BufRing.REG_LAYOUT);
            unreg.set(JAVA_SHORT, BufRing.REG_BGID, (short) 7);
            assertThat(ring.register(RegisterOp.UNREGISTER_PBUF_RING, unreg, 1)).isZero();
        }
    }

    @Test
    void shouldEndMultishotRecvWithEnobufsWhenTheBufferRingRunsDry() throws IOException {
        int size = 64;
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(2L * size, 64);
            registerBufferRing(ring, arena, 2, size, 3, data);
            int listenFd = fds.listenLoopback();
            try (Socket peer = connectPeer(localPort(listenFd))) {
                int fd = acceptOne(ring, fds, listenFd);
                ring.sq().recvMultishot(fd, 3, 0, 50);
                ring.submit();
                OutputStream out = peer.getOutputStream();
                for (int i = 0; i < 2; i++) {
                    out.write(("m" + i).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Completion c = awaitOne(ring, "multishot RECV " + i);
                    assertThat(c.more()).as("%s", c).isTrue();
                }
                out.write("dry".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Completion last = awaitOne(ring, "multishot RECV with no buffer left");
                assertThat(last.res()).as("%s", last).isEqualTo(-Errno.ENOBUFS);
                assertThat(last.more()).as("ENOBUFS ends the multishot recv: %s", last).isFalse();
            }
        }
    }
}
