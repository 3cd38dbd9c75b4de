package io.ringloop.bench;

import io.ringloop.bench.io.NettyServer;
import io.ringloop.bench.io.ServerProcess;
import io.ringloop.bench.io.ServerUnderTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The servers of the network benchmarks start in JVMs of their own and answer with the same bytes. */
class IoServersTest {
    @Test
    void ringloopsExampleHttpServerInItsOwnJvmAnswersWhatNettysDoes() throws Exception {
        ServerUnderTest ringloop = ServerUnderTest.of(NettyServer.Kind.HTTP).getFirst();
        assertThat(ringloop.system()).isEqualTo("ringloop");
        try (ServerProcess p = ringloop.spawn()) {
            int port = p.awaitPort(Duration.ofSeconds(60));
            assertThat(HttpRpsBenchmark.oneRequest(port)).isEqualTo(NettyServer.HTTP_RESPONSE);
            assertThat(p.isAlive()).isTrue();
        }
    }

    @Test
    void theServersCpuTimeGrowsWhileItServes() throws Exception {
        ServerUnderTest ringloop = ServerUnderTest.of(NettyServer.Kind.HTTP).getFirst();
        try (ServerProcess p = ringloop.spawn()) {
            int port = p.awaitPort(Duration.ofSeconds(60));
            ServerCpu cpu = new ServerCpu();
            cpu.begin(p);
            long start = p.cpuNanos(); // read after begin: a tick in between counts for the run
            assertThat(start).as("a started JVM has used CPU").isPositive();
            // The kernel counts in ticks (10 ms): serve until one has passed, or give up after 20000 requests.
            int requests = 0;
            while (p.cpuNanos() == start && requests < 20_000) {
                assertThat(HttpRpsBenchmark.oneRequest(port)).isEqualTo(NettyServer.HTTP_RESPONSE);
                requests++;
            }
            cpu.end(p, Math.max(requests, 1));
            Map<String, Object> extra = new LinkedHashMap<>();
            cpu.put(extra, "request");
            assertThat(extra.get("server_cpu_ns_per_request")).as("CPU per request after %d requests", requests)
                    .isInstanceOf(Double.class).satisfies(v -> assertThat((Double) v).isPositive());
        }
    }

    @Test
    void aServerThatCannotStartSaysWhy() throws Exception {
        try (ServerProcess p = ServerProcess.start("nothing", "io.ringloop.bench.NoSuchServer", List.of())) {
            assertThatThrownBy(() -> p.awaitPort(Duration.ofSeconds(60))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("NoSuchServer");
        }
    }
}
