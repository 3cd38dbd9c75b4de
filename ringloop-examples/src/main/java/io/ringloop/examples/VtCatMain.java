package io.ringloop.examples;

import io.ringloop.LoopGroup;
import io.ringloop.io.blocking.BlockingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code cat} with one virtual thread per file: each reads its file through a {@link BlockingFile} (parking on the
 * ring's completions, not holding a carrier in {@code read(2)}), and the contents go to standard output in the order
 * the files were named. Each file is held in memory until its turn: an example, not a tool for huge files.
 */
@Command(name = "vt-cat", mixinStandardHelpOptions = true,
        description = "print files, each read by its own virtual thread through io_uring")
final class VtCatMain implements Callable<Integer> {
    @Parameters(arity = "1..*", description = "files to print")
    List<Path> files;

    @Option(names = "--loops", defaultValue = "1", description = "event loops the files are spread over")
    int loops;

    @Option(names = "--chunk", defaultValue = "65536", description = "bytes per read, default ${DEFAULT-VALUE}")
    int chunk;

    /** Reads every file on its own virtual thread and writes them to out in order; returns the bytes written. */
    static long cat(LoopGroup group, List<Path> files, int chunk, OutputStream out) throws IOException,
            InterruptedException {
        if (chunk < 1) {
            throw new IllegalArgumentException("--chunk must be >= 1, was " + chunk);
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<byte[]>> contents = new ArrayList<>();
            for (Path p : files) {
                contents.add(threads.submit(() -> readAll(group, p, chunk)));
            }
            long total = 0;
            for (Future<byte[]> f : contents) {
                byte[] b;
                try {
                    b = f.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
                out.write(b);
                total += b.length;
            }
            out.flush();
            return total;
        }
    }

    private static byte[] readAll(LoopGroup group, Path p, int chunk) throws IOException {
        try (BlockingFile f = BlockingFile.open(group, p)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocateDirect(chunk);
            while (f.read(buf.clear()) > 0) {
                buf.flip();
                byte[] part = new byte[buf.remaining()];
                buf.get(part);
                bytes.write(part);
            }
            return bytes.toByteArray();
        }
    }

    @Override
    public Integer call() throws Exception {
        if (loops < 1) {
            throw new IllegalArgumentException("--loops must be >= 1, was " + loops);
        }
        try (LoopGroup group = LoopGroup.open(loops)) {
            cat(group, files, chunk, System.out);
        }
        return 0;
    }
}
