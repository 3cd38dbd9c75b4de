package io.ringloop.bench.measure;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SyscallCountTest {
    @Test
    void parsesCallsPerSyscallWithAndWithoutErrorsAndSkipsTheTotal() {
        List<String> summary = List.of(
                "% time     seconds  usecs/call     calls    errors syscall",
                "------ ----------- ----------- --------- --------- ----------------",
                " 90.00    0.000900           4       211           write",
                " 10.00    0.000100           5        17         3 futex",
                "------ ----------- ----------- --------- --------- ----------------",
                "100.00    0.001000           4       228         3 total");
        assertThat(SyscallCount.parse(summary)).isEqualTo(Map.of("write", 211L, "futex", 17L));
    }

    @Test
    void anEmptySummaryMeansNoSyscalls() {
        assertThat(SyscallCount.parse(List.of())).isEmpty();
    }
}
