package io.ringloop.soak;

import io.ringloop.io.AsyncSocket;
import io.ringloop.io.IoClosedException;
import io.ringloop.io.IoHandler;
import io.ringloop.io.RingIoException;
import io.ringloop.soak.ChaosStream.Fate;
import io.ringloop.soak.ChaosStream.Message;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * One end of a chaos connection: it writes framed messages to its outbound stream (pipelined {@code writeAll}s in
 * future and handler form, with and without a time limit, and plain {@code write}s whose short sends it completes
 * itself), reads its inbound stream ({@link ChaosReader}), and may be shut down for output. Any thread may cancel its
 * pending operations or close it.
 */
final class ChaosEnd {
    /**
     * Whether an end may call a write on its loop thread while a write it called from another thread is in flight (on
     * by default; {@code -Dringloop.chaos.mixedWriteThreads=false} turns it off). Before the socket's ordered inbox,
     * the loop-thread write overtook the other one's hop and left first, out of call order.
     */
    static final boolean MIXED_WRITE_THREADS = !"false".equals(System.getProperty("ringloop.chaos.mixedWriteThreads"));

    private final String name;
    private final AsyncSocket socket;
    private final ChaosStream out;
    private final ChaosStream in;
    private final ChaosOps ops;
    private final SplittableRandom random;
    private final Map<CompletableFuture<?>, String> cancellable = new ConcurrentHashMap<>();
    private final int maxInFlight;
    // the writer, under this lock
    private int inFlight;
    private boolean exclusive;
    private boolean broken;
    /** Writes called off the loop thread and not yet ended: a write called on the loop thread could overtake them. */
    private int offLoopWrites;
    private final ChaosReader reader;

    ChaosEnd(String name, AsyncSocket socket, ChaosStream out, ChaosStream in, ChaosOps ops,
            ScheduledExecutorService elsewhere, long seed) {
        this.name = name;
        this.socket = socket;
        this.out = out;
        this.in = in;
        this.ops = ops;
        this.random = new SplittableRandom(seed);
        this.maxInFlight = 1 + random.nextInt(4);
        this.reader = new ChaosReader(name, socket, in, out, ops, elsewhere, ~seed, cancellable);
    }

    /** Starts the reader (once, when the connection is made). */
    void startReading() {
        reader.start();
    }

    AsyncSocket socket() {
        return socket;
    }

    // ---------------------------------------------------------------- writing

    /** Writes one message in a random form, if the writer may (not broken, room in its pipeline). */
    void write(SplittableRandom r) {
        synchronized (this) {
            if (broken || exclusive || inFlight >= maxInFlight) {
                return;
            }
            boolean onLoop = socket.loop().inEventLoop();
            if (onLoop && offLoopWrites > 0 && !MIXED_WRITE_THREADS) {
                // Only when mixing is off: a write called here waits for the ones on their way from other threads.
                ops.count("write on the loop thread deferred behind an off-loop write");
                return;
            }
            Message m = out.next(r);
            inFlight++;
            if (!onLoop) {
                offLoopWrites++;
            }
            String what = name + " seq " + m.seq() + " (" + m.bytes().byteSize() + " bytes)";
            int form = r.nextInt(5);
            out.note("w seq " + m.seq() + " form " + form + " (" + m.bytes().byteSize() + " bytes) on "
                    + Thread.currentThread().getName());
            if (form == 0 && inFlight == 1) {
                exclusive = true;
                long id = ops.begin("write", what);
                CompletableFuture<Integer> f = socket.write(m.bytes());
                cancellable.put(f, "write seq " + m.seq());
                f.whenComplete((n, t) -> {
                    cancellable.remove(f);
                    ops.end(id, "write", ChaosOps.fate(t));
                    plainWritten(m, n == null ? 0 : n, t, !onLoop);
                });
            } else if (form <= 2) {
                long timeout = form == 2 ? 5 + r.nextInt(300) : 0;
                boolean heap = timeout == 0 && r.nextBoolean();
                String kind = timeout > 0 ? "writeAll-timeout" : heap ? "writeAll-heap-buffer" : "writeAll";
                long id = ops.begin(kind, what);
                CompletableFuture<Long> f = heap ? socket.writeAll(ByteBuffer.wrap(m.bytes().toArray(JAVA_BYTE)))
                        : socket.writeAll(m.bytes(), timeout, TimeUnit.MILLISECONDS);
                cancellable.put(f, kind + " seq " + m.seq());
                f.whenComplete((n, t) -> {
                    cancellable.remove(f);
                    ops.end(id, kind, ChaosOps.fate(t));
                    written(m.seq(), t, m.bytes().byteSize(), n == null ? 0 : n, !onLoop);
                });
            } else {
                long timeout = form == 4 ? 5 + r.nextInt(300) : 0;
                String kind = timeout > 0 ? "writeAll-handler-timeout" : "writeAll-handler";
                long id = ops.begin(kind, what);
                socket.writeAll(m.bytes(), timeout, TimeUnit.MILLISECONDS, m, new IoHandler<Message>() {
                    @Override
                    public void completed(long result, Message a) {
                        ops.end(id, kind, "ok");
                        written(a.seq(), null, a.bytes().byteSize(), result, !onLoop);
                    }

                    @Override
                    public void failed(RingIoException error, Message a) {
                        ops.end(id, kind, ChaosOps.fate(error));
                        written(a.seq(), error, a.bytes().byteSize(), 0, !onLoop);
                    }
                });
            }
        }
    }

    /** A plain write's end: a short send is completed with a writeAll of the rest before anything else is written. */
    private void plainWritten(Message m, int n, Throwable t, boolean offLoop) {
        long size = m.bytes().byteSize();
        if (t != null || n == size) {
            written(m.seq(), t, size, n, offLoop);
            return;
        }
        ops.count("write short " + (n == 0 ? "zero" : "part"));
        out.note("w seq " + m.seq() + " short: " + n + " of " + size + ", the rest follows");
        long id = ops.begin("writeAll-rest", name + " seq " + m.seq() + " from " + n);
        socket.writeAll(m.bytes().asSlice(n), 0, TimeUnit.MILLISECONDS, m, new IoHandler<Message>() {
            @Override
            public void completed(long result, Message a) {
                ops.end(id, "writeAll-rest", "ok");
                written(a.seq(), null, size, size, offLoop);
            }

            @Override
            public void failed(RingIoException error, Message a) {
                ops.end(id, "writeAll-rest", ChaosOps.fate(error));
                // Part of the message was sent: this is the stream's truncated tail.
                written(a.seq(), new IllegalStateException("the rest failed: " + error), size, n, offLoop);
            }
        });
    }

    private void written(long seq, Throwable t, long size, long n, boolean offLoop) {
        Throwable e = ChaosOps.unwrap(t);
        Fate fate;
        String why = e == null ? "" : e.toString();
        if (e == null) {
            if (n != size) {
                ops.fail(name + " seq " + seq + ": a write succeeded with " + n + " of " + size + " bytes");
            }
            fate = Fate.OK;
        } else if (e instanceof CancellationException || notSent(e)) {
            fate = Fate.NOT_SENT;
        } else {
            fate = Fate.FAILED;
        }
        out.settle(seq, fate, why);
        synchronized (this) {
            inFlight--;
            exclusive = false;
            if (offLoop) {
                offLoopWrites--;
            }
            if (fate == Fate.FAILED) {
                broken = true;
            }
        }
    }

    /** Failures the API says happened before the kernel saw the write. */
    private static boolean notSent(Throwable e) {
        String m = String.valueOf(e.getMessage());
        return e instanceof IoClosedException && m.contains(" is closed")
                || e instanceof RingIoException && m.contains("(not sent: ");
    }

    // ---------------------------------------------------------------- cancels and close

    /** Cancels one pending operation (a read, a write or a receive), from the calling thread. */
    void cancelOne(SplittableRandom r) {
        if (reader.receiving() && r.nextInt(3) == 0) {
            try {
                socket.stopReceiving();
                ops.count("stopReceiving");
            } catch (RejectedExecutionException e) {
                ops.count("stopReceiving rejected");
            }
            return;
        }
        List<Map.Entry<CompletableFuture<?>, String>> all = new ArrayList<>(cancellable.entrySet());
        if (all.isEmpty()) {
            return;
        }
        Map.Entry<CompletableFuture<?>, String> pick = all.get(r.nextInt(all.size()));
        CompletableFuture<?> f = pick.getKey();
        boolean onLoop = socket.loop().inEventLoop();
        boolean t = f.cancel(true);
        (pick.getValue().startsWith("read") ? in : out).note("cancel " + pick.getValue() + " -> " + t + " on "
                + Thread.currentThread().getName());
        if (t && !f.isCancelled()) {
            ops.fail(name + ": cancel() returned true but the future is not cancelled: " + f);
        }
        ops.count("cancel " + (onLoop ? "loop " : "other ") + t);
    }

    /** Closes this end, from the calling thread or from its loop's. */
    void close(SplittableRandom r) {
        if (in.endedCleanly()) {
            out.writerClosedGracefully();
        }
        if (r.nextBoolean()) {
            ops.track("close", name, socket.closeAsync());
        } else {
            try {
                socket.loop().execute(() -> ops.track("close-on-loop", name, socket.closeAsync()));
            } catch (RejectedExecutionException e) {
                ops.track("close", name, socket.closeAsync());
            }
        }
    }

    /** Shuts the sending side ({@code shutdownOutput}): no more writes from this end; the peer reads end of stream. */
    void shutdownOutput() {
        synchronized (this) {
            if (broken) {
                return;
            }
            broken = true;
        }
        out.note("shutdownOutput on " + Thread.currentThread().getName());
        ops.track("shutdownOutput", name, socket.shutdownOutput());
    }

    /** Closes this end from the calling thread (the epoch's graceful end). */
    void closeNow() {
        if (in.endedCleanly()) {
            out.writerClosedGracefully();
        }
        ops.track("close", name, socket.closeAsync());
    }

    boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public String toString() {
        return name + " " + socket;
    }
}
