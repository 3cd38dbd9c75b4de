package io.ringloop.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MarkdownReportTest {
    private static Row latency(String system, String variant, double p50) {
        return new Row("roundtrip_parked", system, variant, Row.NS, p50, p50, p50, p50, p50, p50, 100, Map.of());
    }

    private static Row rate(String system, String variant, int producers, double opsPerSecond) {
        return Row.throughput("execute_throughput", system, producers + "p-" + variant, opsPerSecond, 1000,
                Map.of("producers", producers));
    }

    @Test
    void ratiosAreToTheBestPeerNotToTheFloor() throws IOException {
        Results results = new Results("quick", "now", 1, Map.of(), Map.of(), List.of(
                latency("ringloop", "EVENTFD_READ", 5_000),
                latency("netty-epoll", "EpollIoHandler", 8_000),
                latency("netty-nio", "NioIoHandler", 16_000),
                latency("c-limit", "futex", 2_500)), List.of());
        String md = write(results);
        assertThat(md).contains("| EVENTFD_READ | 0.63× |").contains("netty-epoll/EpollIoHandler 8.00 µs")
                .contains("| 2.00× |");
    }

    @Test
    void throughputComparesSameProducerCountsAndHigherIsBetter() throws IOException {
        Results results = new Results("quick", "now", 1, Map.of(), Map.of(), List.of(
                rate("ringloop", "FUTEX_WAIT", 1, 12e6),
                rate("netty-io_uring", "IoUringIoHandler", 1, 10e6),
                rate("netty-io_uring", "IoUringIoHandler", 2, 20e6)), List.of());
        assertThat(write(results)).contains("| 1p-FUTEX_WAIT | 1.20× | netty-io_uring/1p-IoUringIoHandler 10.00 M/s |");
    }

    @Test
    void fileReadsCompareWithFioAndRatesBelowAMillionReadInThousands() throws IOException {
        Results results = new Results("quick", "now", 1, Map.of(), Map.of(), List.of(
                Row.throughput("file_randread_4k", "ringloop", "AsyncFile", 400_000, 800_000, Map.of()),
                Row.throughput("file_randread_4k", "fio", "io_uring", 500_000, 1_000_000, Map.of())), List.of());
        assertThat(write(results)).contains("| AsyncFile | 0.80× | fio/io_uring 500.0 k/s |");
    }

    @Test
    void serverCpuPerOperationComparesWithTheLeanestPeerNotWithTheFastest() throws IOException {
        Results results = new Results("quick", "now", 1, Map.of(), Map.of(), List.of(
                Row.throughput("http_rps", "ringloop", "HttpServerMain", 90_000, 900_000,
                        Map.of("connections", 64, "server_cpu_ns_per_request", 6_000.0)),
                Row.throughput("http_rps", "netty-epoll", "EpollIoHandler", 100_000, 1_000_000,
                        Map.of("connections", 64, "server_cpu_ns_per_request", 8_000.0)),
                Row.throughput("http_rps", "netty-io_uring", "IoUringIoHandler", 80_000, 800_000,
                        Map.of("connections", 64, "server_cpu_ns_per_request", 5_000.0))), List.of());
        assertThat(write(results)).contains("server CPU per op vs the leanest peer |")
                .contains("| HttpServerMain | 0.90× | netty-epoll/EpollIoHandler 100.0 k/s | 1.20× |");
    }

    @Test
    void aRateIsComparedWithTheCeilingOfItsOwnLoad() throws IOException {
        Results results = new Results("quick", "now", 1, Map.of(), Map.of(), List.of(
                Row.throughput("http_rps", "ringloop", "HttpServerMain", 90_000, 900_000, Map.of("connections", 64)),
                Row.throughput("http_rps", "netty-epoll", "EpollIoHandler", 100_000, 1_000_000,
                        Map.of("connections", 64)),
                Row.throughput("http_rps", "c-limit", "epoll, C", 120_000, 1_200_000, Map.of("connections", 64)),
                Row.throughput("http_rps", "ringloop", "HttpServerMain", 60_000, 600_000, Map.of("connections", 256)),
                Row.throughput("http_rps", "netty-epoll", "EpollIoHandler", 50_000, 500_000,
                        Map.of("connections", 256)),
                Row.throughput("http_rps", "c-limit", "epoll, C", 80_000, 800_000, Map.of("connections", 256))),
                List.of());
        // the ceiling is no peer: the best peer stays Netty's, and each row's ceiling is the one of its connections
        assertThat(write(results)).contains("rate vs c-limit (ceiling) |")
                .contains("| HttpServerMain, 64 connections | 0.90× | netty-epoll/EpollIoHandler 100.0 k/s | 0.75× |")
                .contains("| HttpServerMain, 256 connections | 1.20× | netty-epoll/EpollIoHandler 50.0 k/s | 0.75× |");
    }

    @TempDir
    Path dir;

    private String write(Results results) throws IOException {
        Path file = dir.resolve("showdown.md");
        MarkdownReport.write(results, List.of(), file);
        return Files.readString(file);
    }
}
