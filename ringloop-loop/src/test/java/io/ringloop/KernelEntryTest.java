package io.ringloop;

import io.ringloop.internal.LoopInternals;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static io.ringloop.LoopTestSupport.await;
import static io.ringloop.LoopTestSupport.awaitArmed;
import static io.ringloop.LoopTestSupport.nop;
import static io.ringloop.LoopTestSupport.quiet;
import static io.ringloop.LoopTestSupport.wordOf;
import static org.assertj.core.api.Assertions.assertThat;

/** The loop's kernel entries, as its counters show them: a pass's requests leave together, and are all counted. */
class KernelEntryTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Test
    void shouldSubmitAPassWorthOfRequestsInOneEntryAndCountEveryCqe() throws Exception {
        int requests = 32;
        try (EventLoop loop = EventLoop.open(quiet(Doorbell.AUTO).spinNanos(0).build())) {
            awaitArmed(loop, wordOf(loop), LIMIT);
            AtomicInteger done = new AtomicInteger();
            LoopStats before = loop.stats();
            // One task queues every request: they are prepared in one pass and leave in that pass's one entry.
            loop.execute(() -> {
                for (int i = 0; i < requests; i++) {
                    LoopInternals.submitIo(loop, nop(res -> done.incrementAndGet()));
                }
            });
            await("all NOP requests to complete", LIMIT, () -> done.get() == requests);
            awaitArmed(loop, wordOf(loop), LIMIT);
            LoopStats after = loop.stats();
            long enters = after.ringEnters() - before.ringEnters();
            long sqes = after.sqesSubmitted() - before.sqesSubmitted();
            long cqes = after.cqesReaped() - before.cqesReaped();
            long reaps = after.reaps() - before.reaps();
            assertThat(sqes).as("SQEs submitted (the requests, plus any doorbell re-arm)").isGreaterThanOrEqualTo(
                    requests);
            assertThat(cqes).as("CQEs reaped").isGreaterThanOrEqualTo(requests);
            assertThat(reaps).as("reaps that found CQEs").isBetween(1L, cqes);
            // The wake, the pass that submits, the sleep after it: a handful of entries, not one per request.
            assertThat(enters).as("io_uring_enter calls for %d requests (%s)", requests, after).isBetween(1L, 4L);
            assertThat(after.loopSyscalls() - before.loopSyscalls()).as("entries are loop syscalls")
                    .isGreaterThanOrEqualTo(enters);
        }
    }
}
