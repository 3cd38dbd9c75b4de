package io.ringloop.soak;

import io.ringloop.io.AsyncSocket;
import io.ringloop.io.IoCancelledException;
import io.ringloop.io.IoHandler;
import io.ringloop.io.ReceiveHandler;
import io.ringloop.io.RingIoException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The reading half of a {@link ChaosEnd}: one read at a time into its inbound stream ({@code read} with and without
 * a time limit, in future and handler form, and stretches of multishot {@code receive} ended by
 * {@code stopReceiving}), each next read started from the loop thread, from another thread, or after a pause (a slow
 * reader, so that the peer's writes wait part-way). A cancelled or timed-out read is followed by the next; an end of
 * stream is often answered with a graceful close of the end.
 */
final class ChaosReader {
    private final String name;
    private final AsyncSocket socket;
    private final ChaosStream in;
    private final ChaosStream out;
    private final ChaosOps ops;
    private final ScheduledExecutorService elsewhere;
    private final SplittableRandom random;
    private final Map<CompletableFuture<?>, String> cancellable;
    private final MemorySegment readBuffer = Arena.ofAuto().allocate(64 << 10);
    /** A receive is running. */
    private volatile boolean receiving;

    ChaosReader(String name, AsyncSocket socket, ChaosStream in, ChaosStream out, ChaosOps ops,
            ScheduledExecutorService elsewhere, long seed, Map<CompletableFuture<?>, String> cancellable) {
        this.name = name;
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.ops = ops;
        this.elsewhere = elsewhere;
        this.random = new SplittableRandom(seed);
        this.cancellable = cancellable;
    }

    /** Starts the reader (once, when the connection is made). */
    void start() {
        startRead();
    }

    boolean receiving() {
        return receiving;
    }

    /** The next read, from the loop thread (where the last one completed) or from another thread. */
    private void readNext() {
        boolean here;
        long pause;
        synchronized (this) {
            here = random.nextBoolean();
            pause = random.nextInt(32) == 0 ? 1 + random.nextInt(100) : 0;
        }
        if (pause > 0) {
            // a slow reader: the peer's writes fill the socket's buffers and wait, part-way, where cancels find them
            in.note("r pause " + pause + " ms");
            try {
                elsewhere.schedule(this::startRead, pause, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                startRead();
            }
        } else if (here) {
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
            mode = random.nextInt(7);
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
            case 4 -> {
                // a heap buffer: the read lands in a direct copy and is copied out
                ByteBuffer heap = ByteBuffer.allocate((int) size);
                long id = ops.begin("read-heap-buffer", what);
                CompletableFuture<Integer> f = socket.read(heap);
                cancellable.put(f, "read-heap-buffer");
                f.whenComplete((n, t) -> {
                    cancellable.remove(f);
                    ops.end(id, "read-heap-buffer", ChaosOps.fate(t));
                    if (t == null && heap.position() != n) {
                        ops.fail(name + ": a heap read of " + n + " bytes left the buffer at " + heap.position());
                    }
                    readDone(MemorySegment.ofArray(heap.array()), n == null ? 0 : n, t);
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
}
