package io.ringloop.bench.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The baseline every Java server started from: one thread blocked in {@link Selector#select()}, tasks handed over
 * through a queue and {@link Selector#wakeup()}.
 *
 * <p>The wake is guarded by a flag the way Netty's NioIoHandler guards it: only the producer that flips it from false
 * to true calls {@code wakeup()}, so a busy loop is not sent one eventfd write per task. The loop clears the flag
 * before it looks at the queue for the last time, and a {@code wakeup()} that lands before {@code select()} makes that
 * select return at once, so no task is left waiting.
 */
public final class JdkNioLoop implements LoopUnderTest {
    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakenUp = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean running = true;
    private int tid;

    private JdkNioLoop(Selector selector) {
        this.selector = selector;
        this.thread = Thread.ofPlatform().name("jdk-nio-loop").daemon().unstarted(this::run);
    }

    /**
     * Opens the selector and starts the loop thread.
     *
     * @return the running loop
     */
    public static JdkNioLoop open() {
        JdkNioLoop loop;
        try {
            loop = new JdkNioLoop(Selector.open());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        loop.thread.start();
        loop.tid = LoopTid.of(loop::execute);
        return loop;
    }

    private void run() {
        try {
            while (running) {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                wakenUp.set(false);
                if (tasks.isEmpty() && running) {
                    selector.select();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing at shutdown: nothing left to report to
            }
        }
    }

    @Override
    public String system() {
        return "jdk-nio";
    }

    @Override
    public String variant() {
        return "Selector";
    }

    @Override
    public void execute(Runnable task) {
        tasks.offer(task);
        if (wakenUp.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    @Override
    public int loopTid() {
        return tid;
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
