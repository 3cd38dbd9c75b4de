package io.ringloop.bench.report;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest {
    @Test
    void writesNestedValuesWithNullForNaNAndEscapedStrings() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("p50", 7130.0);
        o.put("mean", 7131.25);
        o.put("p90", Double.NaN);
        o.put("note", "a \"quoted\"\nline");
        o.put("list", List.of(1, true));
        String json = Json.write(o).replaceAll("\\s+", "");
        assertThat(json).isEqualTo("{\"p50\":7130,\"mean\":7131.250,\"p90\":null,"
                + "\"note\":\"a\\\"quoted\\\"\\nline\",\"list\":[1,true]}");
    }
}
