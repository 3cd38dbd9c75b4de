package io.ringloop.bench.io;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** fio's JSON report, from a run captured on this project's machine (fio-3.33, io_uring, randread 4k, QD 32). */
class FioTest {
    @Test
    void readsTheJobsReadFigures() throws IOException {
        Fio.Result r = Fio.parse(WrkTest.fixture("fio-randread.json"));
        assertThat(r.iops()).isEqualTo(100422.288856);
        assertThat(r.ios()).isEqualTo(200945);
        assertThat(r.runtimeMillis()).isEqualTo(2001);
        assertThat(r.clatP50Nanos()).isEqualTo(81408);
        assertThat(r.clatP99Nanos()).isEqualTo(5996544);
        assertThat(r.error()).isZero();
    }

    @Test
    void skipsAWarningBeforeTheJson() throws IOException {
        String json = "fio: io_uring: some warning\n" + WrkTest.fixture("fio-randread.json");
        assertThat(Fio.parse(json).ios()).isEqualTo(200945);
    }

    @Test
    void rejectsReportsWithoutJobs() {
        assertThatThrownBy(() -> Fio.parse("{\"fio version\" : \"fio-3.33\", \"jobs\" : []}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fio.parse("fio: failed to open file")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void commandReadsFromThePageCacheAtTheGivenDepth() {
        List<String> cmd = Fio.command(Path.of("/usr/bin/fio"), Path.of("/tmp/f"), 1 << 20, 32, 3,
                Path.of("/tmp/out.json"));
        assertThat(cmd).contains("--ioengine=io_uring", "--rw=randread", "--bs=4k", "--iodepth=32",
                "--filename=/tmp/f", "--invalidate=0", "--time_based", "--runtime=3", "--output-format=json",
                "--output=/tmp/out.json");
    }

    @Test
    void jsonReaderReadsNestedValues() {
        Map<?, ?> v = (Map<?, ?>) JsonReader.parse("{\"a\" : [1, 2.5e3, -3], \"b\" : {\"c\" : \"x\\\"y\\u0041\"},"
                + " \"t\" : true, \"n\" : null, \"e\" : {}, \"l\" : []}");
        assertThat(v.get("a")).isEqualTo(List.of(1.0, 2500.0, -3.0));
        assertThat(v.get("b")).isEqualTo(Map.of("c", "x\"yA"));
        assertThat(v.get("t")).isEqualTo(true);
        assertThat(v.containsKey("n")).isTrue();
        assertThat(v.get("n")).isNull();
        assertThat(v.get("e")).isEqualTo(Map.of());
        assertThat(v.get("l")).isEqualTo(List.of());
        assertThatThrownBy(() -> JsonReader.parse("{\"a\" 1}")).isInstanceOf(IllegalArgumentException.class);
    }
}
