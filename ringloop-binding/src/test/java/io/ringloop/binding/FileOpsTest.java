package io.ringloop.binding;

import io.ringloop.binding.TestRings.Completion;
import io.ringloop.binding.TestRings.Fds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.ringloop.binding.TestRings.assertQuiet;
import static io.ringloop.binding.TestRings.await;
import static io.ringloop.binding.TestRings.awaitOne;
import static io.ringloop.binding.TestRings.bytes;
import static io.ringloop.binding.TestRings.find;
import static io.ringloop.binding.TestRings.ok;
import static io.ringloop.binding.TestRings.string;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/** READ, WRITE, READV, WRITEV, READ_FIXED, WRITE_FIXED, OPENAT, CLOSE and FSYNC against pipes and temp files. */
class FileOpsTest {
    static final int AT_FDCWD = -100;
    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0x40;
    static final int O_CLOEXEC = 0x80000;
    static final int MODE_0644 = 0644;

    @TempDir
    Path dir;

    /** Opens a file through the ring, asserting success. */
    private static int openat(Ring ring, Arena arena, Path path, int flags) {
        MemorySegment name = arena.allocateFrom(path.toString());
        ring.sq().openat(AT_FDCWD, name.address(), flags, MODE_0644, 900);
        Completion c = awaitOne(ring, "OPENAT " + path);
        assertThat(c.userData()).isEqualTo(900);
        assertThat(c.res()).as("OPENAT %s: %s", path, c).isGreaterThanOrEqualTo(0);
        return c.res();
    }

    @Test
    void shouldWriteThenReadAPipe() {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int[] pipe = fds.pipe();
            MemorySegment out = bytes(arena, "hello pipe");
            MemorySegment in = arena.allocate(64);
            ring.sq().write(pipe[1], out.address(), (int) out.byteSize(), -1, 1);
            assertThat(awaitOne(ring, "pipe WRITE")).isEqualTo(new Completion(1, 10, 0));
            ring.sq().read(pipe[0], in.address(), (int) in.byteSize(), -1, 2);
            Completion read = awaitOne(ring, "pipe READ");
            assertThat(read).isEqualTo(new Completion(2, 10, 0));
            assertThat(string(in, read.res())).isEqualTo("hello pipe");
        }
    }

    @Test
    void shouldCompleteAPendingPipeReadWhenAnotherThreadWrites() throws InterruptedException {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofShared()) {
            int[] pipe = fds.pipe();
            MemorySegment in = arena.allocate(64);
            ring.sq().read(pipe[0], in.address(), (int) in.byteSize(), -1, 3);
            assertQuiet(ring, "a read of an empty pipe stays pending");
            MemorySegment out = bytes(arena, "late");
            Thread writer = Thread.ofPlatform().start(() -> Syscalls.write(pipe[1], out));
            writer.join();
            Completion c = awaitOne(ring, "pending pipe READ");
            assertThat(c).isEqualTo(new Completion(3, 4, 0));
            assertThat(string(in, 4)).isEqualTo("late");
        }
    }

    @Test
    void shouldReadZeroAtEndOfPipe() {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int[] pipe = fds.pipe();
            MemorySegment in = arena.allocate(16);
            Syscalls.close(pipe[1]);
            fds.forget(pipe[1]);
            ring.sq().read(pipe[0], in.address(), 16, -1, 4);
            assertThat(awaitOne(ring, "READ at EOF").res()).isZero();
        }
    }

    @Test
    void shouldOpenCreateWriteAtOffsetsReadBackFsyncAndCloseATempFile() throws IOException {
        Path file = dir.resolve("opened-by-ring.bin");
        try (Ring ring = TestRings.open(8); Arena arena = Arena.ofConfined()) {
            int fd = openat(ring, arena, file, O_RDWR | O_CREAT | O_CLOEXEC);
            assertThat(Files.exists(file)).as("OPENAT with O_CREAT created %s", file).isTrue();

            MemorySegment head = bytes(arena, "head");
            MemorySegment tail = bytes(arena, "tail");
            ring.sq().write(fd, head.address(), 4, 0, 1);
            ring.sq().write(fd, tail.address(), 4, 100, 2);
            List<Completion> writes = await(ring, 2, "two positioned WRITEs");
            assertThat(find(writes, 1).res()).isEqualTo(4);
            assertThat(find(writes, 2).res()).isEqualTo(4);

            ring.sq().fsync(fd, false, 3);
            assertThat(awaitOne(ring, "FSYNC").res()).isZero();
            ring.sq().fsync(fd, true, 4);
            assertThat(awaitOne(ring, "FSYNC(DATASYNC)").res()).isZero();

            byte[] onDisk = Files.readAllBytes(file);
            assertThat(onDisk).hasSize(104);
            assertThat(new String(onDisk, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("head");
            assertThat(new String(onDisk, 100, 4, StandardCharsets.US_ASCII)).isEqualTo("tail");
            assertThat(onDisk[50]).as("the hole reads as zero").isZero();

            MemorySegment in = arena.allocate(16);
            ring.sq().read(fd, in.address(), 16, 100, 5);
            Completion read = awaitOne(ring, "READ at offset 100");
            assertThat(read.res()).as("bytes up to EOF from offset 100").isEqualTo(4);
            assertThat(string(in, 4)).isEqualTo("tail");
            ring.sq().read(fd, in.address(), 2, 1, 6);
            assertThat(awaitOne(ring, "READ at offset 1").res()).isEqualTo(2);
            assertThat(string(in, 2)).isEqualTo("ea");

            assertThat(TestRings.fdTarget(fd)).isEqualTo(file.toString());
            ring.sq().close(fd, 7);
            assertThat(awaitOne(ring, "CLOSE").res()).as("CLOSE result").isZero();
            assertThat(TestRings.fdTarget(fd)).as("fd %d after CLOSE", fd).isNotEqualTo(file.toString());
        }
    }

    @Test
    void shouldFailOpenatOfAMissingFileWithEnoent() {
        try (Ring ring = TestRings.open(8); Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(dir.resolve("missing").toString());
            ring.sq().openat(AT_FDCWD, name.address(), O_RDONLY | O_CLOEXEC, 0, 1);
            assertThat(awaitOne(ring, "OPENAT of a missing file").res()).isEqualTo(-Errno.ENOENT);
        }
    }

    @Test
    void shouldGatherWithWritevAndScatterWithReadv() throws IOException {
        Path file = dir.resolve("vectored.bin");
        try (Ring ring = TestRings.open(8); Arena arena = Arena.ofConfined()) {
            int fd = openat(ring, arena, file, O_RDWR | O_CREAT | O_CLOEXEC);
            MemorySegment a = bytes(arena, "abc");
            MemorySegment b = bytes(arena, "defgh");
            MemorySegment out = arena.allocate(Iovec.LAYOUT, 2);
            out.set(JAVA_LONG, Iovec.BASE, a.address());
            out.set(JAVA_LONG, Iovec.LEN, 3);
            out.set(JAVA_LONG, Iovec.SIZE + Iovec.BASE, b.address());
            out.set(JAVA_LONG, Iovec.SIZE + Iovec.LEN, 5);
            ring.sq().writev(fd, out.address(), 2, 10, 1);
            assertThat(awaitOne(ring, "WRITEV").res()).isEqualTo(8);
            byte[] onDisk = Files.readAllBytes(file);
            assertThat(new String(onDisk, 10, 8, StandardCharsets.US_ASCII)).isEqualTo("abcdefgh");

            MemorySegment x = arena.allocate(4);
            MemorySegment y = arena.allocate(4);
            MemorySegment in = arena.allocate(Iovec.LAYOUT, 2);
            in.set(JAVA_LONG, Iovec.BASE, x.address());
            in.set(JAVA_LONG, Iovec.LEN, 4);
            in.set(JAVA_LONG, Iovec.SIZE + Iovec.BASE, y.address());
            in.set(JAVA_LONG, Iovec.SIZE + Iovec.LEN, 4);
            ring.sq().readv(fd, in.address(), 2, 10, 2);
            assertThat(awaitOne(ring, "READV").res()).isEqualTo(8);
            assertThat(string(x, 4)).isEqualTo("abcd");
            assertThat(string(y, 4)).isEqualTo("efgh");
            Syscalls.close(fd);
        }
    }

    @Test
    void shouldWritevAndReadvAPipe() {
        try (Ring ring = TestRings.open(8); Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int[] pipe = fds.pipe();
            MemorySegment a = bytes(arena, "one-");
            MemorySegment b = bytes(arena, "two");
            MemorySegment out = arena.allocate(Iovec.LAYOUT, 2);
            out.set(JAVA_LONG, Iovec.BASE, a.address());
            out.set(JAVA_LONG, Iovec.LEN, 4);
            out.set(JAVA_LONG, Iovec.SIZE + Iovec.BASE, b.address());
            out.set(JAVA_LONG, Iovec.SIZE + Iovec.LEN, 3);
            ring.sq().writev(pipe[1], out.address(), 2, -1, 1);
            assertThat(awaitOne(ring, "pipe WRITEV").res()).isEqualTo(7);
            MemorySegment buf = arena.allocate(16);
            MemorySegment in = arena.allocate(Iovec.LAYOUT, 1);
            in.set(JAVA_LONG, Iovec.BASE, buf.address());
            in.set(JAVA_LONG, Iovec.LEN, 16);
            ring.sq().readv(pipe[0], in.address(), 1, -1, 2);
            assertThat(awaitOne(ring, "pipe READV").res()).isEqualTo(7);
            assertThat(string(buf, 7)).isEqualTo("one-two");
        }
    }

    @Test
    void shouldWriteFixedAndReadFixedThroughARegisteredBuffer() throws IOException {
        Path file = dir.resolve("fixed.bin");
        try (Ring ring = TestRings.open(8); Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(8192, 4096);
            MemorySegment iov = arena.allocate(Iovec.LAYOUT);
            iov.set(JAVA_LONG, Iovec.BASE, buffer.address());
            iov.set(JAVA_LONG, Iovec.LEN, buffer.byteSize());
            int r = ring.register(RegisterOp.REGISTER_BUFFERS, iov, 1);
            assertThat(r).as("IORING_REGISTER_BUFFERS: %s", Errno.name(r)).isZero();

            int fd = openat(ring, arena, file, O_RDWR | O_CREAT | O_CLOEXEC);
            byte[] text = "fixed buffers".getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(text, 0, buffer, ValueLayout.JAVA_BYTE, 100, text.length);
            ring.sq().writeFixed(fd, buffer.address() + 100, text.length, 7, 0, 1);
            assertThat(awaitOne(ring, "WRITE_FIXED").res()).isEqualTo(text.length);
            byte[] onDisk = Files.readAllBytes(file);
            assertThat(new String(onDisk, 7, text.length, StandardCharsets.US_ASCII)).isEqualTo("fixed buffers");

            ring.sq().readFixed(fd, buffer.address() + 5000, text.length, 7, 0, 2);
            assertThat(awaitOne(ring, "READ_FIXED").res()).isEqualTo(text.length);
            assertThat(string(buffer.asSlice(5000), text.length)).isEqualTo("fixed buffers");

            ring.sq().readFixed(fd, buffer.address() + 8190, 16, 7, 0, 3);
            assertThat(awaitOne(ring, "READ_FIXED past the registered buffer").res()).isEqualTo(-Errno.EFAULT);
            ring.sq().readFixed(fd, buffer.address(), 4, 7, 1, 4);
            assertThat(awaitOne(ring, "READ_FIXED of an unregistered index").res()).isEqualTo(-Errno.EFAULT);
            Syscalls.close(fd);
            assertThat(ring.register(RegisterOp.UNREGISTER_BUFFERS, MemorySegment.NULL, 0)).isZero();
        }
    }

    @Test
    void shouldReadAndWriteAPipeWithPlainSyscalls() {
        // Syscalls.read/write on the same pipe, as a cross-check of the ring's results.
        try (Fds fds = new Fds(); Arena arena = Arena.ofConfined()) {
            int[] pipe = fds.pipe();
            assertThat(ok(Syscalls.write(pipe[1], bytes(arena, "abc")), "write")).isEqualTo(3);
            MemorySegment in = arena.allocate(3);
            assertThat(ok(Syscalls.read(pipe[0], in), "read")).isEqualTo(3);
            assertThat(string(in, 3)).isEqualTo("abc");
        }
    }
}
