package io.ringloop.io;

import io.ringloop.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

import static io.ringloop.io.Futures.await;
import static io.ringloop.io.Futures.failureOf;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AsyncFileTest {
    private static final long WAIT = 30;

    @TempDir
    Path dir;
    private EventLoop loop;

    @BeforeEach
    void open() {
        loop = EventLoop.open();
    }

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    void shouldRoundTripWritesFsyncAndReadsWithAChecksum() throws Exception {
        Path p = dir.resolve("data.bin");
        int size = 8 << 20;
        int chunk = 256 << 10;
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        CRC32 expected = new CRC32();
        expected.update(bytes);
        try (Arena arena = Arena.ofShared();
                AsyncFile f = AsyncFile.open(loop, p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING)) {
            MemorySegment src = arena.allocate(size);
            MemorySegment.copy(bytes, 0, src, JAVA_BYTE, 0, size);
            // All chunks in flight at once, at their positions, written in full.
            List<CompletableFuture<Long>> writes = new ArrayList<>();
            for (int off = 0; off < size; off += chunk) {
                writes.add(f.writeAll(src.asSlice(off, chunk), off));
            }
            for (CompletableFuture<Long> w : writes) {
                assertThat(await(w)).isEqualTo(chunk);
            }
            await(f.fsync());
            await(f.fdatasync());
            assertThat(f.size()).isEqualTo(size);

            MemorySegment dst = arena.allocate(size);
            List<CompletableFuture<Integer>> reads = new ArrayList<>();
            for (int off = 0; off < size; off += chunk) {
                reads.add(f.read(dst.asSlice(off, chunk), off));
            }
            for (CompletableFuture<Integer> r : reads) {
                assertThat(await(r)).isEqualTo(chunk);
            }
            CRC32 actual = new CRC32();
            actual.update(dst.asByteBuffer());
            assertThat(actual.getValue()).isEqualTo(expected.getValue());
        }
        assertThat(Files.readAllBytes(p)).isEqualTo(bytes);
    }

    @Test
    void shouldAdvanceHeapAndDirectByteBuffers() throws Exception {
        Path p = dir.resolve("b.txt");
        try (AsyncFile f = AsyncFile.open(loop, p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            ByteBuffer heap = ByteBuffer.wrap("hello, ring".getBytes());
            assertThat(await(f.write(heap, 0))).isEqualTo(11);
            assertThat(heap.hasRemaining()).isFalse();
            ByteBuffer direct = ByteBuffer.allocateDirect(5);
            assertThat(await(f.read(direct, 7))).isEqualTo(4);
            assertThat(direct.position()).isEqualTo(4);
            ByteBuffer heapIn = ByteBuffer.allocate(20);
            heapIn.position(3);
            assertThat(await(f.read(heapIn, 0))).isEqualTo(11);
            assertThat(heapIn.position()).isEqualTo(14);
            assertThat(new String(heapIn.array(), 3, 11)).isEqualTo("hello, ring");
        }
    }

    @Test
    void shouldWriteAndReadVectored() throws Exception {
        Path p = dir.resolve("v.bin");
        try (Arena arena = Arena.ofShared();
                AsyncFile f = AsyncFile.open(loop, p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.READ)) {
            MemorySegment a = arena.allocateFrom("abc");
            MemorySegment b = arena.allocateFrom("defgh");
            assertThat(await(f.write(new MemorySegment[] {a, b}, 0))).isEqualTo(10L);
            MemorySegment x = arena.allocate(4);
            MemorySegment y = arena.allocate(6);
            assertThat(await(f.read(new MemorySegment[] {x, y}, 0))).isEqualTo(10L);
            assertThat(x.getString(0)).isEqualTo("abc");
            assertThat(y.getString(0)).isEqualTo("defgh");
        }
    }

    @Test
    void shouldReadAndWriteThroughRegisteredBuffers() throws Exception {
        Path p = dir.resolve("fixed.bin");
        try (Arena arena = Arena.ofShared();
                AsyncFile f = AsyncFile.open(loop, p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.READ)) {
            MemorySegment out = arena.allocate(64 << 10, 4096);
            MemorySegment in = arena.allocate(64 << 10, 4096);
            for (long i = 0; i < out.byteSize(); i++) {
                out.set(JAVA_BYTE, i, (byte) (i * 31));
            }
            await(loop.submit(() -> {
                loop.registerBuffers(out, in);
                return null;
            }));
            assertThat(loop.registeredBuffer(1)).isEqualTo(in);
            assertThat(await(f.writeFixed(0, out, 0))).isEqualTo(64 << 10);
            assertThat(await(f.readFixed(1, in.asSlice(4096, 8192), 4096))).isEqualTo(8192);
            assertThat(in.asSlice(4096, 8192).mismatch(out.asSlice(4096, 8192))).isEqualTo(-1);
            assertThatThrownBy(() -> f.readFixed(0, in, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not inside registered buffer 0");
            assertThatThrownBy(() -> f.readFixed(5, in, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no buffer 5");
            assertThatThrownBy(() -> loop.registerBuffers(out)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("loop thread");
            await(loop.submit(() -> {
                loop.unregisterBuffers();
                return null;
            }));
            assertThat(loop.registeredBuffer(0)).isNull();
        }
    }

    @Test
    void shouldReturnZeroReadingPastEndOfFile() throws Exception {
        Path p = dir.resolve("short.txt");
        Files.writeString(p, "12345");
        try (Arena arena = Arena.ofShared(); AsyncFile f = AsyncFile.open(loop, p)) {
            MemorySegment dst = arena.allocate(100);
            assertThat(await(f.read(dst, 3))).isEqualTo(2);
            assertThat(await(f.read(dst, 5))).isZero();
            assertThat(await(f.read(dst, 1_000_000))).isZero();
        }
    }

    @Test
    void shouldNamePathAndErrnoForAMissingFile() {
        Path p = dir.resolve("no/such/file");
        assertThatThrownBy(() -> AsyncFile.open(loop, p))
                .isInstanceOf(RingIoException.class)
                .hasMessageContaining("open")
                .hasMessageContaining(p.toString())
                .hasMessageContaining("ENOENT")
                .satisfies(e -> assertThat(((RingIoException) e).errnoName()).isEqualTo("ENOENT"));
        assertThatThrownBy(() -> AsyncFile.open(loop, dir, StandardOpenOption.WRITE))
                .isInstanceOf(RingIoException.class).hasMessageContaining("EISDIR");
        assertThatThrownBy(() -> AsyncFile.open(loop, p, StandardOpenOption.DELETE_ON_CLOSE))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("DELETE_ON_CLOSE");
    }

    @Test
    void shouldNameEaccesWhenPermissionIsDenied() throws Exception {
        Path p;
        if ("root".equals(System.getProperty("user.name"))) {
            // root passes file modes; a read-only sysfs attribute still refuses writers
            p = Path.of("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size");
            assumeTrue(Files.exists(p), "no read-only sysfs file to test EACCES as root");
        } else {
            p = dir.resolve("locked");
            Files.writeString(p, "x");
            Files.setPosixFilePermissions(p, Set.of());
        }
        Path target = p;
        assertThatThrownBy(() -> AsyncFile.open(loop, target, StandardOpenOption.WRITE))
                .isInstanceOf(RingIoException.class)
                .hasMessageContaining("EACCES")
                .hasMessageContaining(target.toString());
    }

    @Test
    void shouldFailNewOperationsOnAClosedFileClearly() throws Exception {
        Path p = dir.resolve("c.txt");
        Files.writeString(p, "data");
        AsyncFile f = AsyncFile.open(loop, p);
        f.close();
        assertThat(f.isOpen()).isFalse();
        try (Arena arena = Arena.ofShared()) {
            Throwable t = failureOf(f.read(arena.allocate(4), 0));
            assertThat(t).isInstanceOf(IoClosedException.class).hasMessageContaining("read").hasMessageContaining(
                    p.toString());
        }
        assertThatThrownBy(f::size).isInstanceOf(IoClosedException.class);
        f.close(); // idempotent
    }

    @Test
    void shouldReuseOperationsInTheCallbackFormOnTheLoopThread() throws Exception {
        Path p = dir.resolve("cb.bin");
        int n = 2000;
        try (Arena arena = Arena.ofShared();
                AsyncFile f = AsyncFile.open(loop, p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.READ)) {
            MemorySegment one = arena.allocate(8);
            CountDownLatch done = new CountDownLatch(1);
            AtomicLong total = new AtomicLong();
            AtomicReference<Throwable> error = new AtomicReference<>();
            IoHandler<long[]> chain = new IoHandler<>() {
                @Override
                public void completed(long result, long[] i) {
                    total.addAndGet(result);
                    if (++i[0] < n) {
                        f.write(one, i[0] * 8, 0, TimeUnit.NANOSECONDS, i, this);
                    } else {
                        done.countDown();
                    }
                }

                @Override
                public void failed(RingIoException e, long[] i) {
                    error.set(e);
                    done.countDown();
                }
            };
            loop.execute(() -> f.write(one, 0, 0, TimeUnit.NANOSECONDS, new long[1], chain));
            assertThat(done.await(WAIT, TimeUnit.SECONDS)).as("2000 chained writes finished").isTrue();
            assertThat(error.get()).isNull();
            assertThat(total.get()).isEqualTo(8L * n);
            assertThat(f.size()).isEqualTo(8L * n);
        }
    }

    @Test
    void shouldRejectBadArgumentsBeforeTheKernel() throws Exception {
        Path p = dir.resolve("bad");
        Files.writeString(p, "x");
        try (AsyncFile f = AsyncFile.open(loop, p)) {
            assertThatThrownBy(() -> f.read(MemorySegment.ofArray(new byte[4]), 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("native");
            try (Arena arena = Arena.ofShared()) {
                assertThatThrownBy(() -> f.read(arena.allocate(4), -1))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("position");
                assertThatThrownBy(() -> f.read(arena.allocate(4), 0, -5, TimeUnit.SECONDS))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
            }
            assertThatThrownBy(() -> f.read(ByteBuffer.allocate(4).asReadOnlyBuffer(), 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
        }
    }

    @Test
    void shouldRejectAnEmptyOrReadOnlyReadBufferAtTheCall() throws Exception {
        Path p = dir.resolve("targets");
        Files.writeString(p, "data");
        try (AsyncFile f = AsyncFile.open(loop, p); Arena arena = Arena.ofShared()) {
            assertThatThrownBy(() -> f.read(arena.allocate(0), 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
            assertThatThrownBy(() -> f.read(ByteBuffer.allocateDirect(0), 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no room");
            assertThatThrownBy(() -> f.read(new MemorySegment[] {arena.allocate(0)}, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
            MemorySegment readOnly = arena.allocate(4).asReadOnly();
            assertThatThrownBy(() -> f.read(readOnly, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> f.read(readOnly, 0, 0, TimeUnit.NANOSECONDS, null, new IoHandler<Object>() {
                @Override
                public void completed(long result, Object attachment) {
                }

                @Override
                public void failed(RingIoException error, Object attachment) {
                }
            })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> f.read(new MemorySegment[] {arena.allocate(4), readOnly}, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("buffers[1] is a read-only");
            MemorySegment dst = arena.allocate(4);
            assertThat(await(f.read(dst, 0))).isEqualTo(4);
        }
    }
}
