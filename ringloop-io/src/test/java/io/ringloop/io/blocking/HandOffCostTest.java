package io.ringloop.io.blocking;

import io.ringloop.EventLoop;
import io.ringloop.LoopStats;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one blocking call costs the loop: a virtual thread does sequential echo round trips against a JDK peer (so the
 * loop's counters see only this thread's calls), and the test reports doorbell rings and parks per call.
 */
class HandOffCostTest {
    @Test
    void eachBlockingCallRingsTheLoopAtMostOnce() throws Exception {
        int roundTrips = 20_000;
        try (EventLoop loop = EventLoop.open();
                ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = peer.accept();
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream()) {
                    in.transferTo(out);
                } catch (Exception e) {
                    // the client closed
                }
            });
            Measured m = new Measured();
            Thread t = Thread.ofVirtual().start(() -> {
                try (BlockingSocket c = BlockingSocket.connect(loop, peer.getLocalSocketAddress())) {
                    ByteBuffer out = ByteBuffer.allocateDirect(64);
                    ByteBuffer in = ByteBuffer.allocateDirect(64);
                    LoopStats s0 = loop.stats();
                    HandOffStats h0 = HandOffStats.snapshot();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < roundTrips; i++) {
                        out.clear();
                        c.write(out);
                        in.clear();
                        while (in.hasRemaining()) {
                            c.read(in);
                        }
                    }
                    m.nanos = System.nanoTime() - t0;
                    m.rings = loop.stats().wakeupsRung() - s0.wakeupsRung();
                    m.elided = loop.stats().wakeupsElided() - s0.wakeupsElided();
                    m.handOff = HandOffStats.snapshot().minus(h0);
                } catch (Exception e) {
                    m.failure = e;
                }
            });
            assertThat(t.join(Duration.ofSeconds(60))).as("the round trips did not finish in 60 s").isTrue();
            assertThat(m.failure).isNull();
            long calls = m.handOff.calls();
            System.out.printf("hand-off: %d round trips, %d blocking calls in %.1f ms (%.1f us per round trip); "
                    + "doorbell rings %d (%.3f per call), elided %d; parked %d (%.3f per call), inline %d%n",
                    roundTrips, calls, m.nanos / 1e6, m.nanos / 1e3 / roundTrips, m.rings, (double) m.rings / calls,
                    m.elided,
                    m.handOff.parked(), (double) m.handOff.parked() / calls, m.handOff.inline());
            assertThat(calls).as("one write and at least one read per round trip")
                    .isGreaterThanOrEqualTo(2L * roundTrips);
            assertThat(m.rings).as("at most one doorbell ring per call").isLessThanOrEqualTo(calls);
            assertThat(m.handOff.inline()).as("64-byte writes into an empty socket buffer finish inline")
                    .isGreaterThanOrEqualTo(roundTrips);
            assertThat(m.rings).as("no ring for a call that finished inline")
                    .isLessThanOrEqualTo(calls - m.handOff.inline());
            assertThat(m.rings).as("a read that waits hands the loop nothing (its receive stays armed): at most the "
                    + "ring that started the receive").isLessThanOrEqualTo(1);
            assertThat(m.handOff.parked()).as("reads that had to wait").isPositive();
            assertThat(m.handOff.parked()).isLessThanOrEqualTo(calls);
            echo.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /** What the measuring thread saw. */
    private static final class Measured {
        long nanos;
        long rings;
        long elided;
        HandOffStats handOff;
        Exception failure;
    }
}
