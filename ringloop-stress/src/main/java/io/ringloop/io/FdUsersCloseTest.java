package io.ringloop.io;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A caller's system call on its own thread against the channel's close: the fd is released exactly once, and never
 * while a caller that was let in still uses it. Result: (let in, saw the fd released while inside, releases).
 *
 * <p>The "fd" is a plain field, weaker than a real close: the only order between the caller's use and the release is
 * the one {@link FdUsers} gives.
 */
@JCStressTest
@Description("FdUsers: enter/exit against close; the fd is released once, after the last caller is out")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "let in before the close; released after it left")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "refused: the close came first")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "the fd was released while a caller used it")
@Outcome(id = ".*, .*, 0", expect = FORBIDDEN, desc = "never released: the fd leaks")
@Outcome(id = ".*, .*, 2", expect = FORBIDDEN, desc = "released twice: a reused fd number would be closed")
@State
public class FdUsersCloseTest {
    private final FdUsers users = new FdUsers();
    private final AtomicInteger releases = new AtomicInteger();
    /** Plain: set by the release, read by the caller while it is inside. */
    private boolean released;

    private void release() {
        released = true;
        releases.incrementAndGet();
    }

    /** AsyncSocket.readNow: enter, use the fd, exit; the last one out of a closed channel releases it. */
    @Actor
    public void caller(III_Result r) {
        if (users.enter()) {
            r.r1 = 1;
            r.r2 = released ? 1 : 0;
            if (users.exit()) {
                release();
            }
        }
    }

    /** AsyncChannel.beginClose with no ring operation left: release now if nobody is inside. */
    @Actor
    public void closer() {
        if (users.close()) {
            release();
        }
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = releases.get();
    }
}
