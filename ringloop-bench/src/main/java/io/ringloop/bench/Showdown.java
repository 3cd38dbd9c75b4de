package io.ringloop.bench;

import io.ringloop.bench.io.NettyServer;
import io.ringloop.bench.io.ServerUnderTest;
import io.ringloop.bench.io.StreamClient;
import io.ringloop.bench.loop.RingloopLoop;
import io.ringloop.bench.loop.Unavailable;
import io.ringloop.bench.measure.LoopRoundtrip;
import io.ringloop.bench.measure.LostWakeException;
import io.ringloop.bench.measure.Pinning;
import io.ringloop.bench.measure.RoundtripMode;
import io.ringloop.bench.measure.Tally;
import io.ringloop.bench.measure.Throughput;
import io.ringloop.bench.report.Figures;
import io.ringloop.bench.report.JsonReport;
import io.ringloop.bench.report.MachineInfo;
import io.ringloop.bench.report.MarkdownReport;
import io.ringloop.bench.report.Plots;
import io.ringloop.bench.report.Results;
import io.ringloop.bench.report.Row;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The showdown. Wakeups: how fast each event loop notices a task handed to it from another thread, what handing it
 * over costs, and how many tasks per second get through. I/O: ringloop's example servers against the same servers on
 * Netty (echo round trips, HTTP requests per second under wrk), and random file reads against fio.
 */
@Command(name = "showdown", mixinStandardHelpOptions = true,
        description = "Wakeup showdown: ringloop's doorbells against Netty (io_uring, epoll, NIO), a plain JDK "
                + "Selector loop and a C futex ping-pong; then I/O: echo round trips and HTTP requests/s (wrk) "
                + "against Netty io_uring and epoll servers, and 4 KiB random file reads against fio. "
                + "Writes bench-results/showdown.{json,md} and PNG plots.")
public final class Showdown implements Callable<Integer> {
    private static final List<String> SYSTEMS = List.of("ringloop", RingloopLoop.EPOLL_SYSTEM, "netty-io_uring",
            "netty-epoll", "netty-nio", "jdk-nio", "c-limit", "fio", ServerUnderTest.JDK_VT);
    private static final String VT_HTTP = "vt_http_rps";
    /** vt_http_rps: wrk's connection counts. */
    static final List<Integer> VT_HTTP_CONNECTIONS = List.of(64, 256);
    /** The benchmarks that need the in-process loops (the I/O ones start servers and programs of their own). */
    private static final List<String> WAKEUP_BENCHMARKS = Stream.of(
            Stream.of(RoundtripMode.PARKED.benchmark()), RoundtripMode.GAPS.stream().map(RoundtripMode::benchmark),
            Stream.of(ProducerCostBenchmark.NAME, EmptyIterationBenchmark.NAME, ThroughputBenchmark.NAME,
                    LoopToLoopBenchmark.NAME))
            .flatMap(s -> s).toList();

    @Option(names = "--quick", description = "a short run (about a minute) for development and CI")
    private boolean quick;

    @Option(names = "--pin", description = "pin every producer thread to CPU 0 and every loop thread to CPU 1 "
            + "(the same for all systems and the C program); default: the scheduler places threads")
    private boolean pin;

    @Option(names = "--out", defaultValue = "bench-results",
            description = "directory for the results (default: ${DEFAULT-VALUE}, relative to the current directory)")
    private Path out;

    @Option(names = "--systems", split = ",", paramLabel = "SYSTEM",
            description = "only these systems: ringloop, ringloop-epoll (the epoll backend), netty-io_uring, "
                    + "netty-epoll, netty-nio, jdk-nio, c-limit, fio, jdk-vt")
    private List<String> systems;

    @Option(names = "--benchmarks", split = ",", paramLabel = "PREFIX",
            description = "only benchmarks whose name starts with one of these (e.g. roundtrip,producer,loop_to_loop; "
                    + "the I/O ones: echo_rtt, http_rps, file_randread_4k, echo_pingpong_1000, echo_stream; "
                    + "virtual threads: vt_echo_pingpong, "
                    + "vt_http_rps, vt_file_randread_4k)")
    private List<String> benchmarks;

    private Showdown() {
    }

    /**
     * Runs the showdown; the exit status is 0 when the results were written.
     *
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        // XChart draws through AWT: never try to open a display
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new Showdown()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (systems != null && !SYSTEMS.containsAll(systems)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "unknown system in " + systems + "; known: " + SYSTEMS);
        }
        Plan plan = quick ? Plan.QUICK : Plan.FULL;
        Progress progress = new Progress(System.out);
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        // before pinning: availableProcessors() counts the calling thread's allowed CPUs
        Map<String, Object> machine = MachineInfo.collect();
        if (pin) {
            if (Runtime.getRuntime().availableProcessors() < 2) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--pin needs at least 2 CPUs");
            }
            Pinning.enable(0, 1);
            Pinning.pinProducer();
        }
        machine.put("pinning", Pinning.describe());
        progress.line("showdown (%s, target under %d s): kernel %s, %s cpus, %s, netty %s, load %s, pinning: %s",
                plan.name(), plan.targetSeconds(), machine.get("kernel"), machine.get("cpus"), machine.get("jdk"),
                machine.get("netty"), machine.get("loadavg_at_start"), machine.get("pinning"));
        Predicate<String> wanted = s -> systems == null || systems.contains(s);
        List<Row> rows = new ArrayList<>();
        List<Unavailable> unavailable = new ArrayList<>();
        if (WAKEUP_BENCHMARKS.stream().anyMatch(this::selected)) {
            wakeup(wanted, plan, progress, rows, unavailable);
        }
        bench(EchoRttBenchmark.NAME, progress, rows,
                () -> EchoRttBenchmark.run(plan, wanted, progress, unavailable));
        bench(HttpRpsBenchmark.NAME, progress, rows,
                () -> HttpRpsBenchmark.run(plan, wanted, progress, unavailable));
        bench(FileRandReadBenchmark.NAME, progress, rows,
                () -> FileRandReadBenchmark.run(plan, wanted, progress, unavailable));
        bench(PingPongBenchmark.LOOPS, progress, rows, () -> PingPongBenchmark.run(PingPongBenchmark.LOOPS,
                ServerUnderTest.of(NettyServer.Kind.ECHO), plan, wanted, progress, unavailable));
        bench(EchoStreamBenchmark.NAME, progress, rows,
                () -> EchoStreamBenchmark.run(plan, wanted, progress, unavailable));
        bench(VT_HTTP, progress, rows, () -> HttpRpsBenchmark.run(new HttpRpsBenchmark.Spec(VT_HTTP,
                VT_HTTP + "_latency", ServerUnderTest.virtualThreads(NettyServer.Kind.HTTP), VT_HTTP_CONNECTIONS,
                Math.max(3, plan.io().httpRounds())), plan, wanted, progress, unavailable));
        bench(PingPongBenchmark.VT, progress, rows, () -> PingPongBenchmark.run(PingPongBenchmark.VT,
                ServerUnderTest.virtualThreads(NettyServer.Kind.ECHO), plan, wanted, progress, unavailable));
        bench(VtFileRandReadBenchmark.NAME, progress, rows,
                () -> VtFileRandReadBenchmark.run(plan, wanted, progress, unavailable));
        machine.put("loadavg_at_end", MachineInfo.loadavg());
        Results results = new Results(plan.name(), startedAt, progress.seconds(), machine, methods(plan), rows,
                unavailable);
        Files.createDirectories(out);
        JsonReport.write(results, out.resolve("showdown.json"));
        List<String> plots = Plots.write(results, out);
        MarkdownReport.write(results, plots, out.resolve("showdown.md"));
        progress.line("wrote %s, %s and %d plots", out.resolve("showdown.json"), out.resolve("showdown.md"),
                plots.size());
        if (progress.seconds() > plan.targetSeconds()) {
            progress.line("WARNING: the run took longer than its %d s target", plan.targetSeconds());
        }
        return 0;
    }

    /** The wakeup benchmarks, on loops opened in this JVM for the purpose and closed afterwards. */
    private void wakeup(Predicate<String> wanted, Plan plan, Progress progress, List<Row> rows,
                        List<Unavailable> unavailable) {
        try (Roster roster = Roster.open(wanted, progress)) {
            warmUp(roster, plan, progress);
            bench(RoundtripMode.PARKED.benchmark(), progress, rows,
                    () -> RoundtripBenchmark.run(RoundtripMode.PARKED, roster, plan));
            for (RoundtripMode gap : RoundtripMode.GAPS) {
                bench(gap.benchmark(), progress, rows, () -> RoundtripBenchmark.run(gap, roster, plan));
            }
            bench(ProducerCostBenchmark.NAME, progress, rows, () -> ProducerCostBenchmark.run(roster, plan));
            bench(EmptyIterationBenchmark.NAME, progress, rows, () -> EmptyIterationBenchmark.run(roster, plan));
            bench(ThroughputBenchmark.NAME, progress, rows, () -> {
                List<Row> both = new ArrayList<>(ThroughputBenchmark.run(roster, plan, 1));
                both.addAll(ThroughputBenchmark.run(roster, plan, 2));
                both.addAll(ThroughputBenchmark.run(roster, plan, 4));
                return both;
            });
            List<Unavailable> pairsUnavailable = new ArrayList<>();
            bench(LoopToLoopBenchmark.NAME, progress, rows,
                    () -> LoopToLoopBenchmark.run(wanted, plan, progress, pairsUnavailable::add));
            pairsUnavailable.forEach(u -> progress.line("%s/%s loop pair UNAVAILABLE: %s", u.system(), u.variant(),
                    u.cause()));
            unavailable.addAll(roster.unavailable());
            unavailable.addAll(pairsUnavailable);
            roster.retired().forEach((label, why) -> {
                int slash = label.indexOf('/');
                unavailable.add(new Unavailable(label.substring(0, slash), label.substring(slash + 1),
                        "left out of later benchmarks after: " + why));
            });
        }
    }

    private boolean selected(String benchmark) {
        return benchmarks == null || benchmarks.stream().anyMatch(benchmark::startsWith);
    }

    private void bench(String name, Progress progress, List<Row> rows, Supplier<List<Row>> run) {
        if (!selected(name)) {
            return;
        }
        long start = System.nanoTime();
        List<Row> got = run.get();
        rows.addAll(got);
        String summary = got.stream().map(r -> r.label() + " " + (r.measured() ? Figures.value(r.p50(), r.unit())
                : r.extra().containsKey("failure") ? "FAILED" : "n/a")).collect(Collectors.joining(" | "));
        progress.line("%-20s %5.1f s  p50: %s", name, (System.nanoTime() - start) / 1e9, summary);
    }

    /** JIT-compiles every path the benchmarks take and lets each loop reach its steady state. */
    private static void warmUp(Roster roster, Plan plan, Progress progress) {
        long slice = plan.warmup().toNanos();
        RoundtripMode backToBack = new RoundtripMode("warmup", 0);
        for (LoopRoundtrip l : roster.loops()) {
            Tally ignored = new Tally();
            try {
                l.measure(backToBack, Integer.MAX_VALUE, slice / 2, ignored);
                l.measure(RoundtripMode.PARKED, 50, slice / 4, ignored);
                Throughput.run(l.loop(), 1, slice / 4);
            } catch (LostWakeException e) {
                roster.retire(l, "during warm-up: " + e.getMessage());
            }
        }
        progress.line("warmed up %d loops", roster.loops().size());
    }

    private static Map<String, String> methods(Plan plan) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("answer", "every roundtrip task bumps a counter (a release store) that the producer busy-spins on "
                + "(Thread.onSpinWait, i.e. PAUSE); c-limit's waiter bumps an atomic counter its producer spins on the "
                + "same way. No second thread is woken to deliver the answer.");
        m.put("timing", "System.nanoTime (CLOCK_MONOTONIC; clock_gettime in C) from just before execute() (the "
                + "futex store and FUTEX_WAKE in C) until the answer is seen, so the figure includes execute() "
                + "itself; HdrHistogram with 3 significant digits.");
        m.put("roundtrip_parked", "before each signal the producer re-reads /proc/self/task/<loop tid>/stat "
                + "(pread at offset 0) until the loop thread's state is 'S'; if it is not seen asleep within "
                + "50 ms the sample is skipped and counted (column skipped). idle_before_signal_p50_ns is how long "
                + "after the previous answer the signal went out.");
        m.put("roundtrip_gap", "the producer busy-waits exactly the gap after it saw the previous answer, then "
                + "signals, without looking at the loop's state: shows each loop's spin window.");
        m.put(LoopToLoopBenchmark.NAME, "two loops of one system: loop A, on its own thread, hands a task to loop B "
                + "and B's task hands the answer back; timed on A from just before its execute() until it runs the "
                + "answer. Before each sample the driver waits until B's thread is in state 'S' (skipped after 50 ms), "
                + "then kicks A with a task (A's own wake is not timed) and sleeps until the answer unparks it. A "
                + "usually parks right after handing the task over, so both hand-overs usually wake a sleeping loop. "
                + "ringloop: a LoopGroup of 2 with default options, MSG_RING between the loops, or with "
                + "msgRingFromLoops(false) so that each loop is rung through its own doorbell; *_per_roundtrip "
                + "columns are the loops' own counters over the measured part. Netty: a MultiThreadIoEventLoopGroup "
                + "of 2 per IoHandler. Pinned runs put A on the producer CPU and B on the loop CPU.");
        m.put("interleaving", plan.rounds() + " rounds per benchmark; each round gives every system one slice, in an "
                + "order rotated by one system per round. Each loop is warmed up (" + plan.warmup().toMillis()
                + " ms) before any measurement; the C program warms up with 200 roundtrips per slice.");
        m.put("producer_cost_busy", "the producer calls execute() in batches of 256 with a task that does a few "
                + "hundred ns of arithmetic, so the loop is slower than the producer and never runs dry; the backlog "
                + "is kept between 32768 and 65536 by spinning between batches (outside the timing). Each batch's "
                + "mean ns per execute() is recorded 256 times (once per execute), so count is executes and the "
                + "percentiles are of batch means: a wake syscall shows up spread over its batch.");
        m.put("wake syscalls", "counted in a separate, untimed phase of " + plan.tracedExecutes() + " executes with "
                + "the same workload on a fresh producer thread traced alone by `strace -c -p <producer tid>` "
                + "(producer_syscalls_per_million counts every syscall that thread made: eventfd writes, futex "
                + "wakes, io_uring_enter, and any safepoint futex waits; the breakdown is listed). ringloop is "
                + "also counted by its own LoopStats.wakeupsRung over the timed phase (wakeups_rung_per_million).");
        m.put("empty_iteration", "only loops that count their own iterations can report it (ringloop, via "
                + "LoopStats); Netty's and the JDK's loops block in the kernel when idle and expose no iteration "
                + "count, so it is marked not measurable for them.");
        m.put("execute_throughput", "1, 2 or 4 producer threads call execute() with a task that only counts; "
                + "after a ramp-up of a tenth of the window, tasks the loop ran within the window are counted (same "
                + "backlog limit). The rate over all rounds is in mean and p50, count is tasks; each round's rate "
                + "(round_rates, M/s), their median (round_median) and max/min (round_spread) show the noise. "
                + "ringloop rows add wakeups_rung_per_million from LoopStats over the windows.");
        IoPlan io = plan.io();
        m.put("echo_rtt", "ringloop's example echo server (EchoServerMain, 1 loop) and the same server on Netty 4.2 "
                + "(IoUringIoHandler, EpollIoHandler; 1 event loop thread that accepts and serves, write on read, "
                + "flush at the end of the read batch), each in a JVM of its own. One client in the harness JVM for "
                + "all: one blocking JDK Socket (TCP_NODELAY) over loopback, a " + EchoRttBenchmark.MESSAGE_BYTES
                + "-byte message at a time, timed (System.nanoTime) from before the write until the whole echo was "
                + "read, every echo checked. " + io.echoWarmup().toMillis() + " ms of round trips per server first "
                + "(JIT), then " + io.echoRounds() + " rotated rounds of " + io.echoSlice().toMillis()
                + " ms per server.");
        m.put("c-limit (network rows)", "the network rows' ceiling, not a peer: an echo and HTTP server in C "
                + "(ceiling_server.c, built with gcc at run time; epoll, edge-triggered, read until a short read, "
                + "write back at once, one thread with its own listening socket per loop of the row), in the same "
                + "rounds and under the same client as the servers under test. With the client on the same CPUs, "
                + "its rate is about the most an epoll server reaches on the host (an io_uring server passes it "
                + "only by entering the kernel less per operation); ringloop's rate over it is in the ratio "
                + "tables.");
        m.put("http_rps", "wrk -t" + HttpRpsBenchmark.WRK_THREADS + " -c" + HttpRpsBenchmark.CONNECTIONS.stream()
                .map(String::valueOf).collect(Collectors.joining(" and -c"))
                + " --latency (keep-alive, one request at a time per connection) against ringloop's example HTTP "
                + "server (HttpServerMain) and the same server on Netty io_uring and epoll (a request ends at its "
                + "blank line, the same fixed response bytes, no HTTP codec), each in a JVM of its own, first every "
                + "server on 1 event loop thread, then (on more than one CPU) every server on one per CPU (rows say "
                + "their connections and loops; ratios compare like with like); every server's first answer is "
                + "checked byte for byte. One " + io.httpWarmup()
                .toSeconds() + " s wrk run per server and connection count first (JIT; each closes its connections, "
                + "so the branches a close takes are compiled before the first measured run), then "
                + io.httpRounds() + " rotated round(s) of "
                + io.httpRun().toSeconds() + " s per server; requests/s is all requests over all measured time, "
                + "wrk_runs each round's, round_median their median and round_spread fastest / slowest. "
                + "ringloop's row adds its loop's kernel entries over the measured runs (asked of the server "
                + "process before and after each run): ring_enters_per_request, loop_syscalls_per_request, "
                + "sqes_per_enter, cqes_per_reap, receive_rearms_per_million. "
                + "http_rps_latency is wrk's latency distribution under that load (percentiles averaged over the "
                + "runs; wrk prints no 99.9th).");
        m.put("file_randread_4k", "4 KiB reads at random 4 KiB-aligned offsets (drawn independently) of a "
                + (io.fileBytes() >> 20) + " MiB file written, synced and read once before, so in the page cache; "
                + FileRandReadBenchmark.DEPTH + " reads in flight. ringloop: AsyncFile.read in the callback form on "
                + "one loop, each completion starting the next read (" + io.fileWarmup().toMillis() + " ms warm-up). "
                + "fio: its io_uring engine, buffered, --iodepth=" + FileRandReadBenchmark.DEPTH + " --invalidate=0 "
                + "--norandommap --time_based. " + io.fileRounds() + " rotated round(s) of " + io.fileRun()
                .toSeconds() + " s per system; IOPS is reads over run time.");
        m.put(PingPongBenchmark.LOOPS, "ringloop's echo example (EchoServerMain, 1 loop, multishot receive) and the "
                + "same server on Netty 4.2 io_uring and epoll (as echo_rtt), each in a JVM of its own. One client "
                + "thread (a C program with epoll, pingpong_client.c, compiled with gcc at run time; the JDK "
                + "Selector client of vt_echo_pingpong where gcc is missing, the row's client field says which) keeps "
                + PingPongBenchmark.CONNECTIONS + " connections "
                + "each with one " + PingPongBenchmark.MESSAGE_BYTES + "-byte message in flight, as vt_echo_pingpong "
                + "below; ringloop's row adds its loop's kernel entries over the measured rounds (sqes_per_enter, "
                + "ring_enters_per_echo); round_median and round_spread (fastest / slowest) are of the rounds' rates. "
                + "One client thread on the same two cores may itself be the limit: read the ratio, not the absolute "
                + "rate.");
        m.put(EchoStreamBenchmark.NAME, "the same three echo servers as echo_pingpong_1000. One client thread in the "
                + "harness (a JDK Selector) streams " + EchoStreamBenchmark.MESSAGE_BYTES + "-byte messages on "
                + EchoStreamBenchmark.CONNECTIONS + " connections, keeping up to " + (StreamClient.WINDOW >> 10)
                + " KiB in flight on each, written and read in 64 KiB chunks (cheap per message, so the server is "
                + "the limit); the first and last byte of every read are checked against the stream's pattern. "
                + "Messages/s is bytes echoed / " + EchoStreamBenchmark.MESSAGE_BYTES + " over the measured rounds, "
                + "each ending when every byte sent is back. ringloop's row adds its loop's kernel entries "
                + "(ring_enters_per_message, sqes_per_enter) and its coalesced writes (write_batches, "
                + "writes_per_batch: socket writes per sendmsg); round_median and round_spread (fastest / slowest) "
                + "are of the rounds' rates.");
        m.put("server_cpu", "echo_rtt, echo_pingpong_1000, echo_stream, http_rps and the vt_ twins add to every "
                + "server's row (peers too) server_cpu_ns_per_echo, _message or _request: the server process's CPU "
                + "time (all its threads, user and system, from /proc/PID/stat, 10 ms ticks) over the measured runs, "
                + "divided by the operations of those runs. On shared vCPUs a rate swings with what else runs; the "
                + "CPU an operation costs the server moves much less. The ratio tables compare it with the leanest "
                + "peer's (below 1.00x ringloop needs less). On loopback a sender's CPU also carries much of its "
                + "peer's receive path, so the server's figure includes some of the client's kernel work, and the "
                + "client's some of the server's.");
        m.put(PingPongBenchmark.VT, "virtual threads, one per connection: ringloop's vt-echo example (1 loop, "
                + "BlockingSocket; once with default options and once with --spin-nanos 20000, its loop spinning "
                + "20 us before it parks) and the same example with --jdk (the same handler on blocking "
                + "SocketChannels, the JDK's poller), each in a JVM of its own. One client thread in the harness "
                + "(a JDK Selector) keeps " + PingPongBenchmark.CONNECTIONS + " connections each with one "
                + PingPongBenchmark.MESSAGE_BYTES + "-byte message in flight, sending the next when the whole echo "
                + "is back; every echo is checked and timed from its write (vt_echo_pingpong_latency). "
                + io.httpWarmup().toMillis() + " ms of warm-up per server (JIT), then " + io.echoRounds()
                + " rotated rounds of "
                + io.echoSlice().toMillis() + " ms; echoes/s is all echoes over all measured time.");
        m.put(VT_HTTP, "as http_rps, with ringloop's vt-http example (1 loop) and the same example with --jdk; wrk "
                + "-c" + VT_HTTP_CONNECTIONS.stream().map(String::valueOf).collect(Collectors.joining(" and -c"))
                + " in every round, " + Math.max(3, io.httpRounds()) + " rotated rounds; ratios compare rows of the "
                + "same connection count.");
        m.put(VtFileRandReadBenchmark.NAME, VtFileRandReadBenchmark.THREADS + " virtual threads in the harness "
                + "JVM, each reading 4 KiB at random aligned offsets of a " + (io.vtFileBytes() >> 20) + " MiB file "
                + "(written, synced and read once before, so in the page cache), one read at a time, timed per "
                + "read: ringloop's BlockingFile on a LoopGroup of 1 loop against the JDK's FileChannel, positional "
                + "reads of one shared channel each. " + io.fileWarmup().toMillis() + " ms warm-up each, then "
                + VtFileRandReadBenchmark.rounds(plan) + " rotated rounds of " + io.fileRun().toSeconds() + " s. "
                + "platform_threads_added_peak is the JVM's peak platform thread count during a round less the "
                + "count before it (ThreadMXBean; the JDK adds carriers while virtual threads hold theirs in a "
                + "system call), platform_threads_started the platform threads started during the subject's "
                + "warm-up and rounds (the scheduler's usual carriers, one per CPU, are started before anything is "
                + "counted; carriers the JDK adds stay alive about 30 s, so a later round of the same subject may "
                + "need none). Then the same with both opened O_DIRECT (AsyncFile.DIRECT, the JDK's "
                + "ExtendedOpenOption.DIRECT; buffers 4 KiB-aligned), so every read goes to the device; the ratio "
                + "compares rows of the same cache column. ringloop's BlockingFile reads what the page cache holds "
                + "on the calling thread (preadv2 RWF_NOWAIT) and hands only the rest to the loop.");
        m.put("machine", "2 vCPUs shared with other work: three threads (loop + 2 producers) compete for 2 cores "
                + "in the 2p throughput runs; loads at start and end are recorded. Pinning: " + Pinning.describe()
                + ". Unpinned, the scheduler may wake a loop onto its producer's CPU; a loop that spins before "
                + "sleeping then holds that producer off for its whole spin, which shows in the roundtrip figures. "
                + "With --pin, the I/O benchmarks' server JVMs run under taskset on the loop CPU, and the echo "
                + "client, wrk, fio and the file benchmark's loop on the producer CPU.");
        return m;
    }
}
