package io.ringloop;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Operator facts are said once per process, however many loops see them: what is remembered stays bounded. */
class OperatorLogTest {
    @Test
    void shouldRememberTheRearmFactOnceWhateverTheNumberOfLoops() {
        int before = OperatorLog.factsSaid();
        for (int i = 0; i < 1000; i++) {
            OperatorLog.doorbellRearmed("loop-" + i);
        }
        assertThat(OperatorLog.factsSaid() - before).as("facts remembered for 1000 loops").isLessThanOrEqualTo(1);
    }
}
