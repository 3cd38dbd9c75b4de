package io.ringloop.bench.io;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** wrk's report, from outputs captured on this project's machine (wrk debian/4.1.0). */
class WrkTest {
    static String fixture(String name) throws IOException {
        try (InputStream in = WrkTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsRateCountsAndLatencies() throws IOException {
        // against ringloop's example HTTP server: -t1 -c64 -d3s --latency
        Wrk.Result r = Wrk.parse(fixture("wrk-ok.txt"));
        assertThat(r.requestsPerSecond()).isEqualTo(48635.41);
        assertThat(r.requests()).isEqualTo(147041);
        assertThat(r.seconds()).isCloseTo(3.02, within(1e-9));
        assertThat(r.latencyMeanNanos()).isCloseTo(1.36e6, within(1e-3));
        assertThat(r.latencyMaxNanos()).isCloseTo(47.48e6, within(1e-3));
        assertThat(r.percentile(50)).isCloseTo(696_000, within(1e-6));
        assertThat(r.percentile(75)).isCloseTo(860_000, within(1e-6));
        assertThat(r.percentile(90)).isCloseTo(2.32e6, within(1e-3));
        assertThat(r.percentile(99)).isCloseTo(15.44e6, within(1e-3));
        assertThat(r.percentile(999)).isNaN();
        assertThat(r.socketErrors()).isZero();
        assertThat(r.non2xx()).isZero();
    }

    @Test
    void countsNon2xxResponses() throws IOException {
        // against python3 -m http.server asking for a missing page: every answer a 404
        Wrk.Result r = Wrk.parse(fixture("wrk-non2xx.txt"));
        assertThat(r.requests()).isEqualTo(1034);
        assertThat(r.non2xx()).isEqualTo(1034);
        assertThat(r.requestsPerSecond()).isEqualTo(1025.65);
        assertThat(r.percentile(50)).isCloseTo(3.83e6, within(1e-3));
    }

    @Test
    void addsUpSocketErrors() throws IOException {
        // a captured report with wrk's "Socket errors" line (format of wrk.c's printf) added after the totals
        Wrk.Result r = Wrk.parse(fixture("wrk-socket-errors.txt"));
        assertThat(r.socketErrors()).isEqualTo(16);
        assertThat(r.requests()).isEqualTo(50646);
        assertThat(r.percentile(99)).isCloseTo(149.04e6, within(1e-3));
    }

    @Test
    void readsEveryTimeUnitWrkPrints() {
        assertThat(Wrk.nanos("696.00us")).isCloseTo(696_000, within(1e-6));
        assertThat(Wrk.nanos("0.87ms")).isCloseTo(870_000, within(1e-6));
        assertThat(Wrk.nanos("1.20s")).isCloseTo(1.2e9, within(1e-3));
        assertThat(Wrk.nanos("2.00m")).isCloseTo(120e9, within(1e-3));
        assertThat(Wrk.nanos("1.00h")).isCloseTo(3600e9, within(1e-3));
        assertThatThrownBy(() -> Wrk.nanos("3 parsecs")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsWhatIsNotAReport() {
        assertThatThrownBy(() -> Wrk.parse("unable to connect to 127.0.0.1:1 Connection refused"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Connection refused");
    }
}
