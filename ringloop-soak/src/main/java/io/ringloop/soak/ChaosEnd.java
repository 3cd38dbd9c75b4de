package io.ringloop.soak;

import io.ringloop.io.AsyncSocket;
import io.ringloop.io.IoCancelledException;
import io.ringloop.io.IoClosedException;
import io.ringloop.io.IoHandler;
import io.ringloop.io.ReceiveHandler;
import io.ringloop.io.RingIoException;
import io.ringloop.soak.ChaosStream.Fate;
import io.ringloop.soak.ChaosStream.Message;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One end of a chaos connection: it writes framed messages to its outbound stream (pipelined {@code writeAll}s in
 * future and handler form, with and without a time limit, and plain {@code write}s whose short sends it completes
 * itself) and reads its inbound stream with one read at a time ({@code read} with and without a time limit, in future
 * and handler form, and stretches of multishot {@code receive}), each next read started from the loop thread or
 * from another thread. Any thread may cancel its pending operations or close it.
 */
final class ChaosEnd {
    /**
     * Whether an end may call a write on its loop thread while a write it called from another thread is in flight.
     * Off by default: the loop-thread write overtakes the other one's hop and leaves first, out of call order.
     */
    static final boolean MIXED_WRITE_THREADS = Boolean.getBoolean("ringloop.chaos.mixedWriteThreads");

    private final String name;
    private final AsyncSocket socket;
    private final ChaosStream out;
    private final ChaosStream in;
    private final ChaosOps ops;
    private final Executor elsewhere;
    private final SplittableRandom random;
    private final MemorySegment readBuffer = Arena.ofAuto().allocate(64 << 10);
    private final Map<CompletableFuture<?>, String> cancellable = new ConcurrentHashMap<>();
    private final int maxInFlight;
    // the writer, under this lock
    private int inFlight;
    private boolean exclusive;
    private boolean broken;
    /** Writes called off the loop thread and not yet ended: a write called on the loop thread could overtake them. */
    private int offLoopWrites;
    /** A receive is running, and whether a stop was asked for it. */
    private volatile boolean receiving;

    ChaosEnd(String name, AsyncSocket socket, ChaosStream out, ChaosStream in, ChaosOps ops, Executor elsewhere,
            long seed) {
        this.name = name;
        this.socket = socket;
        this.out = out;
        this.in = in;
        this.ops = ops;
        this.elsewhere = elsewhere;
        this.random = new SplittableRandom(seed);
        this.maxInFlight = 1 + random.nextInt(4);
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
                // A write called here would go straight to the ring, ahead of the ones still hopping over from other
                // threads (see the report of this chaos): wait for them.
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
                String kind = timeout > 0 ? "writeAll-timeout" : "writeAll";
                long id = ops.begin(kind, what);
                CompletableFuture<Long> f = socket.writeAll(m.bytes(), timeout, TimeUnit.MILLISECONDS);
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

    // ---------------------------------------------------------------- reading

    /** Starts the reader (once, when the connection is made). */
    void startReading() {
        startRead();
    }

    /** The next read, from the loop thread (where the last one completed) or from another thread. */
    private void readNext() {
        boolean here;
        synchronized (this) {
            here = random.nextBoolean();
        }
        if (here) {
            startRead();
        } else {
            try {
                elsewhere.execute(this::startRead);
            } catch (RejectedExecutionException e) {
                startRead();
            }
        }
    }

    private void startRead() {
        int mode;
        long size;
        long timeout;
        synchronized (this) {
            mode = random.nextInt(6);
            size = 1 + random.nextInt(random.nextBoolean() ? 64 << 10 : 64);
            timeout = 1 + random.nextInt(100);
        }
        MemorySegment dst = readBuffer.asSlice(0, size);
        in.note("r mode " + mode + " (" + size + " bytes) on " + Thread.currentThread().getName());
        String what = name + " " + size + " bytes";
        switch (mode) {
            case 0, 1 -> {
                String kind = mode == 1 ? "read-timeout" : "read";
                long id = ops.begin(kind, what);
                CompletableFuture<Integer> f = mode == 1 ? socket.read(dst, timeout, TimeUnit.MILLISECONDS)
                        : socket.read(dst);
                cancellable.put(f, kind);
                f.whenComplete((n, t) -> {
                    cancellable.remove(f);
                    ops.end(id, kind, ChaosOps.fate(t));
                    readDone(dst, n == null ? 0 : n, t);
                });
            }
            case 2, 3 -> {
                String kind = mode == 3 ? "read-handler-timeout" : "read-handler";
                long id = ops.begin(kind, what);
                socket.read(dst, mode == 3 ? timeout : 0, TimeUnit.MILLISECONDS, dst, new IoHandler<MemorySegment>() {
                    @Override
                    public void completed(long result, MemorySegment a) {
                        ops.end(id, kind, "ok");
                        readDone(a, result, null);
                    }

                    @Override
                    public void failed(RingIoException error, MemorySegment a) {
                        ops.end(id, kind, ChaosOps.fate(error));
                        readDone(a, 0, error);
                    }
                });
            }
            default -> receive();
        }
    }

    private void readDone(MemorySegment dst, long n, Throwable t) {
        Throwable e = ChaosOps.unwrap(t);
        if (e == null) {
            if (n > 0) {
                in.arrived(dst, n);
                readNext();
            } else {
                in.ended(true, name + " read end of stream");
                endOfStream();
            }
            return;
        }
        String fate = ChaosOps.fate(e);
        in.note("r " + fate);
        if (fate.equals("cancelled") || fate.equals("timeout")) {
            readNext();
        } else {
            in.ended(false, name + " read " + e);
        }
    }

    private void receive() {
        int stopAfter;
        synchronized (this) {
            stopAfter = random.nextInt(4) == 0 ? Integer.MAX_VALUE : 1 + random.nextInt(50);
        }
        long id = ops.begin("receive", name);
        receiving = true;
        socket.receive(new ReceiveHandler() {
            private int arrivals;
            private boolean ended;
            private boolean stopAsked;

            @Override
            public void onData(AsyncSocket s, MemorySegment data) {
                if (ended) {
                    ops.fail(name + ": receive data after its end");
                }
                in.arrived(data, data.byteSize());
                if (++arrivals >= stopAfter && !stopAsked) {
                    in.note("stopReceiving after " + arrivals);
                    stopAsked = true;
                    s.stopReceiving();
                }
            }

            @Override
            public void onEnd(AsyncSocket s, RingIoException error) {
                if (ended) {
                    ops.fail(name + ": receive ended twice");
                    return;
                }
                ended = true;
                receiving = false;
                ops.end(id, "receive", ChaosOps.fate(error));
                in.note("receive end " + error);
                if (error == null) {
                    in.ended(true, name + " receive end of stream");
                    endOfStream();
                } else if (error instanceof IoCancelledException) {
                    readNext();
                } else {
                    in.ended(false, name + " receive " + error);
                }
            }
        });
    }

    // ---------------------------------------------------------------- cancels and close

    /** Cancels one pending operation (a read, a write or a receive), from the calling thread. */
    void cancelOne(SplittableRandom r) {
        if (receiving && r.nextInt(3) == 0) {
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

    /** The peer shut its side: often answer with a close of this end (a graceful one: nothing is left unread). */
    private void endOfStream() {
        boolean close;
        synchronized (this) {
            close = random.nextBoolean();
        }
        if (close) {
            out.writerClosedGracefully();
            ops.count("close after end of stream");
            ops.track("close", name, socket.closeAsync());
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
