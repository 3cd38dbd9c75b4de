package io.ringloop.io.blocking;

import io.ringloop.io.AsyncSocket;
import io.ringloop.io.IoCancelledException;
import io.ringloop.io.ReceiveHandler;
import io.ringloop.io.RingIoException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * The bytes a socket's multishot receive has delivered and its reader has not taken yet: the loop appends each
 * arrival and unparks the reader; the reader takes bytes on its own thread and parks only when none are here.
 *
 * <p>So a blocking read that has to wait costs no hop to the loop, no SQE and no failed {@code recv}: the receive
 * stays armed in the kernel for the socket's life, and the only hand-off is the loop's unpark of a reader that parked.
 * The price is one more copy (provided buffer to here, here to the reader's buffer), which for the small messages of
 * a request-response protocol is far cheaper than a system call.
 *
 * <pre>
 *   receive:  IDLE --(a reader, fewer than LOW bytes held)--> RUNNING
 *             RUNNING --(an arrival leaves more than HIGH held: stopReceiving)--> PAUSING
 *             PAUSING --onEnd(cancelled: our stop)--> IDLE
 *             RUNNING, PAUSING --onEnd(end of stream, an error, the close)--> ENDED (final)
 *   reader:   bytes held? take them. ENDED? -1 or the error. Otherwise: waiter = me, then park.
 * </pre>
 * Every field is guarded by this object's monitor, which each side holds only to copy or to look, never while it
 * parks (on JDK 22-23, where a monitor pins a virtual thread's carrier, it pins it for a copy at most). The unpark
 * happens after the monitor is released. A reader that parks has published itself as the waiter under the monitor,
 * so an arrival either came before its look (it took the bytes) or after (the loop took the waiter and unparks it;
 * an unpark that comes before the park makes the park return at once). A reader that stops waiting (timeout,
 * interrupt, close) withdraws with {@link #giveUp}; an unpark that still reaches it leaves a permit, which at worst
 * ends one later park early, and every park is in a loop that looks again.
 */
final class Inbound implements ReceiveHandler {
    /** Held bytes above which the receive is stopped, so that a reader that does not read bounds the memory. */
    static final int HIGH = 256 * 1024;
    /** Held bytes below which a paused receive is started again by the reader. */
    static final int LOW = 64 * 1024;
    /** What {@link #takeOrWait} found when no bytes were held and the receive goes on: the caller is to park. */
    static final int NOTHING = -2;
    /** What {@link #takeOrWait} found at end of stream, once every held byte was taken. */
    static final int END = -1;
    /** The smallest buffer: a request-response connection holds a few hundred bytes at a time. */
    private static final int MIN = 512;
    /** The largest buffer kept once emptied: ten thousand idle connections should not each keep a burst's heap. */
    private static final int KEEP = 4 * 1024;
    private static final byte[] NONE = new byte[0];

    enum Receive { IDLE, RUNNING, PAUSING, ENDED }

    private final AsyncSocket socket;
    private byte[] held = NONE;
    private int start;
    private int end;
    private Receive receive = Receive.IDLE;
    /** Why the receive ended for good: null at end of stream; only meaningful in ENDED. */
    private RingIoException error;
    private Thread waiter;
    /** Loop thread only: an arrival took the held bytes above HIGH and the receive is to be stopped. */
    private boolean pausing;

    Inbound(AsyncSocket socket) {
        this.socket = socket;
    }

    /** One whose receive is already running, with no socket behind it: for tests of the hand-off alone. */
    static Inbound running() {
        Inbound in = new Inbound(null);
        in.receive = Receive.RUNNING;
        return in;
    }

    /**
     * Takes held bytes into the buffer, or registers the caller as the waiter when there are none; starts (or
     * restarts) the receive when the held bytes allow it.
     *
     * @return the bytes taken, {@link #END} at end of stream, or {@link #NOTHING} (the caller is the waiter: park)
     * @throws RingIoException the error that ended the receive, once the held bytes are taken
     */
    int takeOrWait(ByteBuffer dst) throws RingIoException {
        int n;
        boolean startReceive = false;
        synchronized (this) {
            n = Math.min(end - this.start, dst.remaining());
            if (n > 0) {
                dst.put(held, this.start, n);
                this.start += n;
                if (this.start == end) {
                    this.start = 0;
                    end = 0;
                    if (held.length > KEEP) {
                        held = NONE;
                    }
                }
            } else if (receive == Receive.ENDED) {
                if (error != null) {
                    throw error;
                }
                return END;
            } else {
                waiter = Thread.currentThread();
                n = NOTHING;
            }
            if (receive == Receive.IDLE && end - this.start < LOW) {
                receive = Receive.RUNNING;
                startReceive = true;
            }
        }
        if (startReceive) {
            socket.receive(this);
        }
        return n;
    }

    /** @return the bytes held now: what a read takes without waiting ({@code available()}) */
    synchronized int held() {
        return end - start;
    }

    /** @return the receive's state now (tests) */
    synchronized Receive receive() {
        return receive;
    }

    /** The reader stopped waiting (a timeout, an interrupt, a close): it is no longer the one to unpark. */
    synchronized void giveUp() {
        waiter = null;
    }

    /** The socket is closing: the reader wakes and finds it closed. */
    void wake() {
        Thread w;
        synchronized (this) {
            w = waiter;
            waiter = null;
        }
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    @Override
    public void onData(AsyncSocket s, MemorySegment data) {
        Thread w = append(data);
        if (pausing) {
            pausing = false;
            s.stopReceiving();
        }
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Holds an arrival's bytes (loop thread) and takes the waiter, if a reader parked or is about to.
     *
     * @return the reader to unpark, or null
     */
    Thread append(MemorySegment data) {
        int n = (int) data.byteSize();
        synchronized (this) {
            if (held.length - end < n) {
                make(n);
            }
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, held, end, n);
            end += n;
            if (end - start > HIGH && receive == Receive.RUNNING) {
                receive = Receive.PAUSING;
                pausing = true;
            }
            Thread w = waiter;
            waiter = null;
            return w;
        }
    }

    /** Room for n more bytes: the held ones moved to the front, the array doubled until they fit. */
    private void make(int n) {
        int live = end - start;
        byte[] to = held;
        if (live + n > held.length) {
            int size = Math.max(MIN, held.length);
            while (size < live + n) {
                size *= 2;
            }
            to = new byte[size];
        }
        System.arraycopy(held, start, to, 0, live);
        held = to;
        start = 0;
        end = live;
    }

    @Override
    public void onEnd(AsyncSocket s, RingIoException why) {
        Thread w;
        synchronized (this) {
            if (why instanceof IoCancelledException && receive == Receive.PAUSING) {
                // Our own stop, for room: the reader starts it again once it has taken enough.
                receive = Receive.IDLE;
            } else {
                receive = Receive.ENDED;
                error = why;
            }
            w = waiter;
            waiter = null;
        }
        if (w != null) {
            LockSupport.unpark(w);
        }
    }
}
