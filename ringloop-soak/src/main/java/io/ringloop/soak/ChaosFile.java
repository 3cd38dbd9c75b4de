package io.ringloop.soak;

import io.ringloop.EventLoop;
import io.ringloop.io.AsyncFile;
import io.ringloop.io.IoClosedException;
import io.ringloop.io.IoHandler;
import io.ringloop.io.RingIoException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A temp file of blocks, each written whole by one operation at a time with a self-describing content
 * {@code [block, version, crc32(rest)]} then a pattern from (block, version), and read back. Each block knows which
 * versions it may hold: the one whose write succeeded; after a write that failed or timed out, the old one or the new
 * one (a read settles which); a write whose future completed cancelled changed nothing. A read must return one of
 * them, intact. Version 0 is a block never written (zeros).
 */
final class ChaosFile {
    static final int BLOCK = 4096;
    private static final int BLOCKS = 64;

    /** One block's state, under its own lock. */
    private static final class Block {
        final int index;
        boolean busy;
        long nextVersion = 1;
        Set<Long> allowed = new HashSet<>(Set.of(0L));

        Block(int index) {
            this.index = index;
        }
    }

    private final Path path;
    private final ChaosOps ops;
    private final Block[] blocks = new Block[BLOCKS];
    private final Set<CompletableFuture<?>> cancellable = ConcurrentHashMap.newKeySet();
    private volatile AsyncFile file;

    ChaosFile(Path path, ChaosOps ops) throws IOException {
        this.path = path;
        this.ops = ops;
        for (int i = 0; i < BLOCKS; i++) {
            blocks[i] = new Block(i);
        }
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
            f.setLength((long) BLOCK * BLOCKS);
        }
    }

    /** Opens the file on a loop (the last handle, if any, is closed by whoever owns its loop, or here). */
    void open(EventLoop loop) {
        AsyncFile old = file;
        try {
            file = AsyncFile.open(loop, path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ops.count("file open");
        } catch (IoClosedException e) {
            // the loop closed meanwhile
            ops.count("file open refused: loop closed");
            return;
        } catch (RingIoException e) {
            ops.fail("file open on " + loop + ": " + e);
            return;
        }
        if (old != null) {
            ops.track("file-close", path.toString(), old.closeAsync());
        }
    }

    /** Closes the file, mid-operations; the next {@link #open} takes over. */
    void close() {
        AsyncFile f = file;
        if (f != null) {
            ops.track("file-close", path.toString(), f.closeAsync());
        }
    }

    /** One random step: a write or a read of a free block, or a cancel. */
    void step(SplittableRandom r) {
        AsyncFile f = file;
        if (f == null) {
            return;
        }
        int what = r.nextInt(10);
        if (what == 0) {
            cancelOne(r);
            return;
        }
        Block b = blocks[r.nextInt(BLOCKS)];
        long version;
        synchronized (b) {
            if (b.busy) {
                return;
            }
            b.busy = true;
            version = b.nextVersion++;
        }
        if (what < 5) {
            write(f, b, version, r);
        } else {
            read(f, b, r);
        }
    }

    private void write(AsyncFile f, Block b, long version, SplittableRandom r) {
        MemorySegment src = content(b.index, version);
        long pos = (long) b.index * BLOCK;
        String what = "block " + b.index + " v" + version;
        int form = r.nextInt(4);
        if (form < 2) {
            String kind = form == 0 ? "file-write" : "file-writeAll";
            long id = ops.begin(kind, what);
            CompletableFuture<? extends Number> fut = form == 0 ? f.write(src, pos) : f.writeAll(src, pos);
            cancellable.add(fut);
            fut.whenComplete((n, t) -> {
                cancellable.remove(fut);
                ops.end(id, kind, ChaosOps.fate(t));
                written(b, version, n == null ? 0 : n.longValue(), ChaosOps.unwrap(t));
            });
        } else {
            long timeout = form == 3 ? 1 + r.nextInt(20) : 0;
            String kind = timeout > 0 ? "file-write-handler-timeout" : "file-write-handler";
            long id = ops.begin(kind, what);
            f.write(src, pos, timeout, TimeUnit.MILLISECONDS, b, new IoHandler<Block>() {
                @Override
                public void completed(long result, Block a) {
                    ops.end(id, kind, "ok");
                    written(a, version, result, null);
                }

                @Override
                public void failed(RingIoException error, Block a) {
                    ops.end(id, kind, ChaosOps.fate(error));
                    written(a, version, 0, error);
                }
            });
        }
    }

    private void written(Block b, long version, long n, Throwable e) {
        synchronized (b) {
            if (e == null && n == BLOCK) {
                b.allowed = new HashSet<>(Set.of(version));
            } else if (e instanceof CancellationException || e instanceof IoClosedException
                    && String.valueOf(e.getMessage()).contains(" is closed")) {
                // cancelled, or refused before the kernel saw it: the block is unchanged
                ops.count("file block-unchanged-by-" + ChaosOps.fate(e));
            } else {
                b.allowed.add(version);
            }
            b.busy = false;
        }
    }

    private void read(AsyncFile f, Block b, SplittableRandom r) {
        MemorySegment dst = Arena.ofAuto().allocate(BLOCK);
        long pos = (long) b.index * BLOCK;
        String what = "block " + b.index;
        int form = r.nextInt(4);
        if (form < 2) {
            String kind = form == 0 ? "file-read" : "file-read-timeout";
            long id = ops.begin(kind, what);
            CompletableFuture<Integer> fut = form == 0 ? f.read(dst, pos)
                    : f.read(dst, pos, 1 + r.nextInt(20), TimeUnit.MILLISECONDS);
            cancellable.add(fut);
            fut.whenComplete((n, t) -> {
                cancellable.remove(fut);
                ops.end(id, kind, ChaosOps.fate(t));
                readBack(b, dst, n == null ? 0 : n, t);
            });
        } else {
            String kind = "file-read-handler";
            long id = ops.begin(kind, what);
            f.read(dst, pos, form == 3 ? 1 + r.nextInt(20) : 0, TimeUnit.MILLISECONDS, b, new IoHandler<Block>() {
                @Override
                public void completed(long result, Block a) {
                    ops.end(id, kind, "ok");
                    readBack(a, dst, result, null);
                }

                @Override
                public void failed(RingIoException error, Block a) {
                    ops.end(id, kind, ChaosOps.fate(error));
                    readBack(a, dst, 0, error);
                }
            });
        }
    }

    private void readBack(Block b, MemorySegment dst, long n, Throwable t) {
        synchronized (b) {
            b.busy = false;
            if (t != null) {
                return;
            }
            if (n != BLOCK) {
                ops.fail("file block " + b.index + ": read " + n + " of " + BLOCK + " bytes");
                return;
            }
            ByteBuffer bb = dst.asByteBuffer().order(ByteOrder.BIG_ENDIAN);
            int index = bb.getInt(0);
            long version = bb.getLong(4);
            boolean intact = version == 0 ? isZero(dst)
                    : index == b.index && crcOf(dst) == (bb.getInt(12) & 0xFFFFFFFFL);
            if (!intact) {
                ops.fail("file block " + b.index + ": read a torn or foreign block (index " + index + ", version "
                        + version + "); allowed versions " + b.allowed);
            } else if (!b.allowed.contains(version)) {
                ops.fail("file block " + b.index + ": read version " + version + ", allowed " + b.allowed);
            } else {
                b.allowed = new HashSet<>(Set.of(version));
                ops.count("file blocks-checked");
            }
        }
    }

    private void cancelOne(SplittableRandom r) {
        List<CompletableFuture<?>> all = new ArrayList<>(cancellable);
        if (all.isEmpty()) {
            return;
        }
        CompletableFuture<?> f = all.get(r.nextInt(all.size()));
        boolean t = f.cancel(true);
        if (t && !f.isCancelled()) {
            ops.fail("file: cancel() returned true but the future is not cancelled");
        }
        ops.count("file cancel " + t);
    }

    static MemorySegment content(int block, long version) {
        MemorySegment s = Arena.ofAuto().allocate(BLOCK);
        byte[] pattern = new byte[BLOCK - 16];
        new SplittableRandom(block * 1_000_003L + version).nextBytes(pattern);
        MemorySegment.copy(pattern, 0, s, JAVA_BYTE, 16, pattern.length);
        ByteBuffer bb = s.asByteBuffer().order(ByteOrder.BIG_ENDIAN);
        bb.putInt(0, block).putLong(4, version).putInt(12, (int) crcOf(s));
        return s;
    }

    private static long crcOf(MemorySegment s) {
        CRC32 c = new CRC32();
        c.update(s.asSlice(16).asByteBuffer());
        return c.getValue();
    }

    private static boolean isZero(MemorySegment s) {
        return s.mismatch(Arena.ofAuto().allocate(BLOCK)) == -1;
    }
}
