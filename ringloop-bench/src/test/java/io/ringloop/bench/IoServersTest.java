package io.ringloop.bench;

import io.ringloop.bench.io.NettyServer;
import io.ringloop.bench.io.ServerProcess;
import io.ringloop.bench.io.ServerUnderTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

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
    void aServerThatCannotStartSaysWhy() throws Exception {
        try (ServerProcess p = ServerProcess.start("nothing", "io.ringloop.bench.NoSuchServer", List.of())) {
            assertThatThrownBy(() -> p.awaitPort(Duration.ofSeconds(60))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("NoSuchServer");
        }
    }
}
