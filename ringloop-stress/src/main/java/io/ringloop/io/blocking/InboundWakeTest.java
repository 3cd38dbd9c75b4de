package io.ringloop.io.blocking;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A blocking read against the arrival of the byte it waits for: either the reader takes the byte, or it registers as
 * the waiter and the arrival takes it to unpark, never neither (a reader parked for good beside a held byte) and
 * never both (an unpark aimed at a reader that did not wait). Result: (reader took the byte, arrival found a waiter).
 */
@JCStressTest
@Description("Inbound: takeOrWait against append; every arrival after a reader's look finds that reader")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the byte came first; the reader took it")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the reader looked first and waits; the arrival unparks it")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "lost wake-up: the reader waits beside a held byte")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "the arrival found a waiter that had taken its byte")
@State
public class InboundWakeTest {
    private final Inbound inbound = Inbound.running();
    private final MemorySegment one = MemorySegment.ofArray(new byte[] {7});

    /** The reader's look: take the held bytes, or become the waiter. */
    @Actor
    public void reader(II_Result r) {
        try {
            r.r1 = inbound.takeOrWait(ByteBuffer.allocate(1)) == 1 ? 1 : 0;
        } catch (Exception e) {
            r.r1 = -1;
        }
    }

    /** The loop's arrival: hold the byte, take the waiter. */
    @Actor
    public void loop(II_Result r) {
        r.r2 = inbound.append(one) != null ? 1 : 0;
    }
}
