package io.ringloop.bench.loop;

import java.util.List;
import java.util.function.Consumer;

/** Opens every variant of one system that this machine supports, reporting the others as unavailable. */
public interface LoopFamily {
    /**
     * Opens the variants.
     *
     * @param unavailable receives each variant that cannot run here, with the cause
     * @return the running loops
     */
    List<LoopUnderTest> open(Consumer<Unavailable> unavailable);
}
