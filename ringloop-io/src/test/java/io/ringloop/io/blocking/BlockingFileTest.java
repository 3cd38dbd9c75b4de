package io.ringloop.io.blocking;

import io.ringloop.EventLoop;
import io.ringloop.LoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Blocking files on a real ring, most cases run the same way through the JDK's {@link FileChannel}. */
class BlockingFileTest {
    @TempDir
    Path dir;

    private EventLoop loop;
    private int fdsBefore;

    @BeforeEach
    void open() {
        fdsBefore = Blocked.openFds();
        loop = EventLoop.open();
    }

    @AfterEach
    void close() {
        loop.close();
    }

    /** One channel of ours and one of the JDK's on two copies of a file. */
    private List<SeekableByteChannel> both(String name, OpenOption... options) throws IOException {
        List<SeekableByteChannel> out = new ArrayList<>();
        out.add(BlockingFile.open(loop, dir.resolve(name + ".ring"), options));
        out.add(FileChannel.open(dir.resolve(name + ".jdk"), options));
        return out;
    }

    @Test
    void readWritePositionSizeTruncateMatchFileChannel() throws Exception {
        List<String> seen = new ArrayList<>();
        for (SeekableByteChannel ch : both("rw", READ, WRITE, CREATE)) {
            try (ch) {
                StringBuilder s = new StringBuilder();
                s.append(ch.write(ByteBuffer.wrap("hello, ring".getBytes(StandardCharsets.US_ASCII)))).append(' ');
                s.append(ch.position()).append(' ').append(ch.size()).append(' ');
                ch.position(7);
                ByteBuffer b = ByteBuffer.allocate(16);
                s.append(ch.read(b)).append(' ').append(ch.position()).append(' ');
                s.append(ch.read(ByteBuffer.allocate(4))).append(' ');   // at the end: -1
                ch.position(20);
                s.append(ch.read(ByteBuffer.allocate(4))).append(' ');   // past it: -1
                s.append(ch.write(ByteBuffer.allocateDirect(2))).append(' ').append(ch.size()).append(' ');
                ch.truncate(5);
                s.append(ch.size()).append(' ').append(ch.position()).append(' ');
                ch.truncate(100);                                        // never grows
                s.append(ch.size()).append(' ');
                s.append(ch.read(ByteBuffer.allocate(0))).append(' ');   // no room: 0
                seen.add(s.toString());
                assertThatThrownBy(() -> ch.position(-1)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
            assertThatThrownBy(ch::size).isInstanceOf(ClosedChannelException.class);
        }
        assertThat(seen.get(0)).isEqualTo("11 11 11 4 11 -1 -1 2 22 5 5 5 0 ");
        assertThat(seen.get(0)).as("ours, then the JDK's").isEqualTo(seen.get(1));
    }

    @Test
    void positionalReadAndWriteLeaveThePositionAlone() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(5).nextBytes(data);
        Path p = dir.resolve("pos");
        try (BlockingFile f = BlockingFile.open(loop, p, READ, WRITE, CREATE)) {
            assertThat(f.write(ByteBuffer.wrap(data), 4096)).isEqualTo(data.length);
            assertThat(f.position()).isZero();
            assertThat(f.size()).isEqualTo(4096 + data.length);
            ByteBuffer b = ByteBuffer.allocateDirect(data.length);
            while (b.hasRemaining()) {
                assertThat(f.read(b, 4096 + b.position())).isPositive();
            }
            assertThat(f.read(ByteBuffer.allocate(1), f.size())).isEqualTo(-1);
            byte[] back = new byte[data.length];
            b.flip().get(back);
            assertThat(back).isEqualTo(data);
            f.force(true);
            f.force(false);
            assertThatThrownBy(() -> f.read(ByteBuffer.allocate(1), -1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-1");
        }
        byte[] onDisk = Files.readAllBytes(p);
        assertThat(onDisk).hasSize(4096 + data.length);
        assertThat(Arrays.copyOfRange(onDisk, 4096, onDisk.length)).isEqualTo(data);
    }

    @Test
    void appendWritesAtTheEndLikeFileChannel() throws Exception {
        List<Long> seen = new ArrayList<>();
        for (String suffix : List.of(".ring", ".jdk")) {
            Path p = dir.resolve("append" + suffix);
            Files.writeString(p, "abc");
            try (SeekableByteChannel ch = suffix.equals(".ring") ? BlockingFile.open(loop, p, APPEND)
                    : FileChannel.open(p, APPEND)) {
                ch.write(ByteBuffer.wrap("de".getBytes(StandardCharsets.US_ASCII)));
                seen.add(ch.position());
                seen.add(ch.size());
            }
            assertThat(Files.readString(p)).isEqualTo("abcde");
        }
        assertThat(seen).containsExactly(5L, 5L, 5L, 5L);
        assertThatThrownBy(() -> BlockingFile.open(loop, dir.resolve("x"), READ, APPEND))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileChannel.open(dir.resolve("x"), READ, APPEND))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrongModesAndMissingFilesFailLikeFileChannel() throws Exception {
        Path p = dir.resolve("ro");
        Files.writeString(p, "x");
        try (BlockingFile r = BlockingFile.open(loop, p); FileChannel jr = FileChannel.open(p)) {
            assertThatThrownBy(() -> r.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> jr.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> r.truncate(0)).isInstanceOf(NonWritableChannelException.class);
        }
        try (BlockingFile w = BlockingFile.open(loop, p, WRITE); FileChannel jw = FileChannel.open(p, WRITE)) {
            assertThatThrownBy(() -> w.read(ByteBuffer.allocate(1))).isInstanceOf(NonReadableChannelException.class);
            assertThatThrownBy(() -> jw.read(ByteBuffer.allocate(1))).isInstanceOf(NonReadableChannelException.class);
        }
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> BlockingFile.open(loop, missing)).isInstanceOf(IOException.class)
                .hasMessageContaining("ENOENT").hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> FileChannel.open(missing)).isInstanceOf(NoSuchFileException.class);
    }

    /** A FIFO opened read-write never blocks the open, and a read of it waits until someone writes. */
    private Path fifo() throws Exception {
        Path p = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).as("mkfifo").isZero();
        return p;
    }

    @Test
    void anInterruptedReadClosesTheFileLikeFileChannel() throws Exception {
        Path p = fifo();
        BlockingFile f = BlockingFile.open(loop, p, READ, WRITE);
        Blocked.Running r = Blocked.start(() -> f.read(ByteBuffer.allocate(16)));
        r.thread().interrupt();
        assertThat(r.failure()).isInstanceOf(ClosedByInterruptException.class);
        assertThat(f.isOpen()).isFalse();
        // Not compared with FileChannel here: interrupting a virtual thread blocked in FileChannel.read of a FIFO hangs
        // (the interrupt's close waits for the read, which holds the carrier in read(2) until a writer comes).
        loop.close();
        assertThat(Blocked.openFds()).as("no fd left behind").isLessThanOrEqualTo(fdsBefore);
    }

    @Test
    void closeFromAnotherThreadWakesABlockedReadWithAsynchronousClose() throws Exception {
        Path p = fifo();
        BlockingFile f = BlockingFile.open(loop, p, READ, WRITE);
        Blocked.Running r = Blocked.start(() -> f.read(ByteBuffer.allocateDirect(16)));
        f.close();
        assertThat(r.failure()).isInstanceOf(AsynchronousCloseException.class);
        assertThatThrownBy(() -> f.read(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class)
                .isNotInstanceOf(AsynchronousCloseException.class);
    }

    @Test
    void opensOnALoopOfAGroupRoundRobin() throws Exception {
        Path p = dir.resolve("g");
        Files.writeString(p, "group");
        try (LoopGroup group = LoopGroup.open(2);
                BlockingFile a = BlockingFile.open(group, p);
                BlockingFile b = BlockingFile.open(group, p)) {
            assertThat(a.loop()).isNotSameAs(b.loop());
            assertThat(group.loops()).contains(a.loop(), b.loop());
            ByteBuffer buf = ByteBuffer.allocate(8);
            assertThat(b.read(buf)).isEqualTo(5);
        }
    }
}
