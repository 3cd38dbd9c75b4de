package io.ringloop.bench.io;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Finds the external programs the I/O benchmarks compare with or drive (wrk, fio). A missing one is installed with
 * {@code apt-get install -y} when running as root (a Debian or Ubuntu machine); otherwise the benchmark reports it as
 * unavailable with this class's reason.
 */
public final class Tools {
    private Tools() {
    }

    /** A program that is not there and could not be installed. */
    public static final class ToolUnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        ToolUnavailableException(String message) {
            super(message);
        }
    }

    /**
     * The program's path, installing its Debian package first if it is missing and we are root.
     *
     * @param program e.g. wrk
     * @param debianPackage e.g. wrk
     * @param log told when an install starts
     * @return the executable
     * @throws ToolUnavailableException why it cannot be had
     */
    public static Path require(String program, String debianPackage, Consumer<String> log)
            throws ToolUnavailableException {
        Optional<Path> found = onPath(program);
        if (found.isPresent()) {
            return found.get();
        }
        if (!isRoot()) {
            throw new ToolUnavailableException(program + " is not on the PATH and this is not root, so it was not "
                    + "installed (apt-get install " + debianPackage + ")");
        }
        if (onPath("apt-get").isEmpty()) {
            throw new ToolUnavailableException(program + " is not on the PATH and there is no apt-get to install "
                    + "package " + debianPackage + " with");
        }
        log.accept(program + " is missing: apt-get install -y " + debianPackage);
        String result = apt("install", "-y", "--no-install-recommends", debianPackage);
        if (onPath(program).isEmpty()) {
            // a fresh machine may have no package lists yet
            apt("update");
            result = apt("install", "-y", "--no-install-recommends", debianPackage);
        }
        found = onPath(program);
        if (found.isEmpty()) {
            throw new ToolUnavailableException(program + " is not on the PATH and apt-get install " + debianPackage
                    + " did not provide it: " + result);
        }
        return found.get();
    }

    /**
     * The first line a program prints about its version.
     *
     * @param program the executable
     * @param flag e.g. --version
     * @return e.g. "fio-3.33", or "unknown"
     */
    public static String version(Path program, String flag) {
        try {
            Process p = new ProcessBuilder(program.toString(), flag).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            String first = out.lines().findFirst().orElse("unknown");
            int copyright = first.indexOf(" Copyright");
            return copyright > 0 ? first.substring(0, copyright) : first;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // no procfs: not Linux, so no apt-get either
        }
        return false;
    }

    private static String apt(String... args) {
        List<String> cmd = new ArrayList<>(List.of("apt-get", "-q"));
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return String.join(" ", cmd) + " timed out";
            }
            List<String> lines = out.lines().toList();
            return String.join(" ", cmd) + " exited " + p.exitValue() + ": "
                    + String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return String.join(" ", cmd) + " failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return String.join(" ", cmd) + " interrupted";
        }
    }

    /**
     * Compiles a C program shipped as a resource beside {@code owner} into a temporary directory with gcc
     * ({@code -O2 -Wall -pthread}); the source and binary are deleted at exit.
     *
     * @param owner the class the resource lies beside
     * @param source the resource's name, e.g. {@code futex_pingpong.c}
     * @param binaryName the program's name
     * @return the binary
     * @throws IOException with gcc's message when the resource is missing, gcc is absent or the build fails
     */
    public static Path compileC(Class<?> owner, String source, String binaryName) throws IOException {
        Path dir = Files.createTempDirectory("ringloop-" + binaryName);
        dir.toFile().deleteOnExit();
        Path src = dir.resolve(source);
        try (InputStream in = owner.getResourceAsStream(source)) {
            if (in == null) {
                throw new IOException("resource " + source + " missing from the jar");
            }
            Files.copy(in, src);
        }
        src.toFile().deleteOnExit();
        Path binary = dir.resolve(binaryName);
        Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-pthread", "-o", binary.toString(), src.toString())
                .redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                throw new IOException("gcc failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compiling " + source, e);
        }
        binary.toFile().deleteOnExit();
        return binary;
    }
}
