package io.ringloop;

import jdk.jfr.AnnotationElement;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventFactory;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import jdk.jfr.ValueDescriptor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a loop tells the JDK Flight Recorder, so that parks and wakeups show in the JDK's own tools
 * ({@code jfr print --events 'ringloop.*' rec.jfr}). Disabled events cost a flag check: they are committed on the
 * loop's slow paths only (a sleep, a re-arm, an overflow), never per task, and the periodic ones are read from
 * {@link EventLoop#stats()} by the recorder's own thread.
 *
 * <ul>
 *   <li>{@code ringloop.Park}: one sleep in the kernel, its duration, what bounded it and what ended it;</li>
 *   <li>{@code ringloop.Wakeup} (periodic): wake syscalls rung and publishes that needed none, per period;</li>
 *   <li>{@code ringloop.DoorbellRearm}: the kernel ended a multishot doorbell and the loop armed it again;</li>
 *   <li>{@code ringloop.CqOverflow}: the loop found the kernel holding overflowed CQEs;</li>
 *   <li>{@code ringloop.LoopStatistics} (periodic): every {@link LoopCounter}, one field each, derived from the
 *       descriptors.</li>
 * </ul>
 *
 * <p>No event class is touched before the recorder starts (a recording, {@code jcmd JFR.start},
 * {@code -XX:StartFlightRecording}). Registering a periodic event, or initializing an event class (its first
 * {@code new}), sets up the recorder's metadata: measured on a 2-vCPU machine, about 280 ms of the first loop's
 * {@code open()} and 160 ms of the loop thread's first sleep, in every process, recording or not. A listener costs
 * about 3 ms and is told at once if the recorder already runs; until it has been told, {@link #started()} is false
 * and the loop makes no event (a volatile read per sleep, re-arm or overflow, all slow paths).
 */
final class LoopEvents {
    private static final String CATEGORY = "ringloop";
    /** Fields of {@code ringloop.LoopStatistics} before the counters: the loop and its doorbell. */
    private static final int STATS_FIRST_COUNTER = 2;
    /** The previous period's wake counts per loop id; the recorder's periodic thread alone touches it. */
    private static final Map<Integer, long[]> LAST_WAKES = new HashMap<>();
    /**
     * Set once the recorder has started, after the event classes are registered. Volatile: a loop thread that reads
     * true also sees the registrations; one that reads a stale false skips an event the recording had just begun to
     * want, nothing more.
     */
    private static volatile boolean started;

    static {
        FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recorderInitialized(FlightRecorder recorder) {
                registerPeriodic();
            }
        });
    }

    private LoopEvents() {
    }

    /** Makes sure the periodic events will be registered when the recorder starts; the first loop to open calls it. */
    static void init() {
        // The static initializer above does the work, once.
    }

    /** The statistics event's type, built from the counter descriptors the first time a recorder wants it. */
    private static final class Statistics {
        static final EventFactory FACTORY = statisticsFactory();
    }

    /** Once per JVM, from the recorder's initialization (the listener is called once, at most). */
    private static void registerPeriodic() {
        FlightRecorder.register(ParkEvent.class);
        FlightRecorder.register(DoorbellRearmEvent.class);
        FlightRecorder.register(CqOverflowEvent.class);
        FlightRecorder.addPeriodicEvent(WakeupEvent.class, LoopEvents::emitWakeups);
        FlightRecorder.addPeriodicEvent(Statistics.FACTORY.newEvent().getClass(), LoopEvents::emitStatistics);
        started = true;
    }

    /**
     * @return whether the recorder has started in this JVM (calling it first adds the listener that tells); before
     *     that ringloop makes no event at all
     */
    static boolean started() {
        return started;
    }

    // The helpers below live here, not in the event classes: a static method of an event class would initialize it.

    /** @return a begun event before a sleep, or null while the recorder has not started */
    static ParkEvent parkBegin() {
        if (!started) {
            return null;
        }
        ParkEvent e = new ParkEvent();
        e.begin();
        return e;
    }

    /**
     * After the sleep: commits {@code event} if a recording wants it. Called only with an event {@link #parkBegin}
     * returned (not null), so that a loop outside a recording computes none of the arguments.
     */
    static void parkEnd(ParkEvent event, String loopName, long timeoutNanos, String bound, boolean timedOut) {
        event.commitIfWanted(loopName, timeoutNanos, bound, timedOut);
    }

    /** Records one doorbell re-arm if a recording wants it. */
    static void doorbellRearmed(String loopName, String doorbellName) {
        if (!started) {
            return;
        }
        DoorbellRearmEvent event = new DoorbellRearmEvent();
        if (event.shouldCommit()) {
            event.loop = loopName;
            event.doorbell = doorbellName;
            event.commit();
        }
    }

    /** Records one CQ overflow if a recording wants it. */
    static void cqOverflow(String loopName) {
        if (!started) {
            return;
        }
        CqOverflowEvent event = new CqOverflowEvent();
        if (event.shouldCommit()) {
            event.loop = loopName;
            event.commit();
        }
    }

    /** One sleep of a loop in {@code io_uring_enter(GETEVENTS)}. */
    @Name("ringloop.Park")
    @Label("Loop Park")
    @Category(CATEGORY)
    @Description("A loop slept in the kernel: how long, what bounded the sleep, what ended it")
    @StackTrace(false)
    static final class ParkEvent extends Event {
        @Label("Loop")
        String loop;
        @Label("Timeout")
        @Timespan
        long timeout;
        @Label("Bounded by")
        @Description("timer (the next scheduled task), maxPark (LoopOptions.maxParkNanos) or shortened (a doorbell "
                + "SQE still owed)")
        String boundedBy;
        @Label("Ended by")
        @Description("wake (a doorbell or an I/O completion) or timeout")
        String endedBy;

        private void commitIfWanted(String loopName, long timeoutNanos, String bound, boolean timedOut) {
            if (shouldCommit()) {
                loop = loopName;
                timeout = timeoutNanos;
                boundedBy = bound;
                endedBy = timedOut ? "timeout" : "wake";
                commit();
            }
        }
    }

    /** Wake syscalls and elided publishes of one loop over the last period. */
    @Name("ringloop.Wakeup")
    @Label("Loop Wakeups")
    @Category(CATEGORY)
    @Description("Wake syscalls producers made and publishes that needed none, over the last period")
    @Period("1 s")
    @StackTrace(false)
    static final class WakeupEvent extends Event {
        @Label("Loop")
        String loop;
        @Label("Doorbell")
        String doorbell;
        @Label("Rung")
        long rung;
        @Label("Elided")
        long elided;
    }

    /** The kernel ended a multishot doorbell and the loop armed it again. */
    @Name("ringloop.DoorbellRearm")
    @Label("Doorbell Re-arm")
    @Category(CATEGORY)
    @Description("The kernel ended the loop's multishot doorbell (CQ overflow, error) and the loop armed it again")
    @StackTrace(false)
    static final class DoorbellRearmEvent extends Event {
        @Label("Loop")
        String loop;
        @Label("Doorbell")
        String doorbell;
    }

    /** The loop found overflowed CQEs waiting in the kernel. */
    @Name("ringloop.CqOverflow")
    @Label("CQ Overflow")
    @Category(CATEGORY)
    @Description("The loop found the kernel holding overflowed CQEs (its CQ was full); they are flushed next")
    @StackTrace(false)
    static final class CqOverflowEvent extends Event {
        @Label("Loop")
        String loop;
    }

    private static EventFactory statisticsFactory() {
        List<AnnotationElement> type = List.of(new AnnotationElement(Name.class, "ringloop.LoopStatistics"),
                new AnnotationElement(Label.class, "Loop Statistics"),
                new AnnotationElement(Category.class, new String[] {CATEGORY}),
                new AnnotationElement(Description.class, "Every counter of a loop (LoopStats), cumulative"),
                new AnnotationElement(Period.class, "1 s"),
                new AnnotationElement(StackTrace.class, false));
        List<ValueDescriptor> fields = new ArrayList<>();
        fields.add(new ValueDescriptor(String.class, "loop", List.of(new AnnotationElement(Label.class, "Loop"))));
        fields.add(new ValueDescriptor(String.class, "doorbell",
                List.of(new AnnotationElement(Label.class, "Doorbell"))));
        for (LoopCounter c : LoopCounter.values()) {
            fields.add(new ValueDescriptor(long.class, c.statName(), List.of(
                    new AnnotationElement(Label.class, c.statName() + " (" + c.unit() + ")"),
                    new AnnotationElement(Description.class, c.description()))));
        }
        return EventFactory.create(type, fields);
    }

    private static void emitStatistics() {
        for (EventLoop loop : LoopRegistry.all()) {
            LoopStats stats = loop.stats();
            Event e = Statistics.FACTORY.newEvent();
            e.set(0, loop.options().threadName());
            e.set(1, loop.doorbell().name());
            for (LoopCounter c : LoopCounter.values()) {
                e.set(STATS_FIRST_COUNTER + c.ordinal(), stats.get(c));
            }
            e.commit();
        }
    }

    private static void emitWakeups() {
        Map<Integer, long[]> seen = new HashMap<>();
        for (EventLoop loop : LoopRegistry.all()) {
            LoopStats stats = loop.stats();
            long[] now = {stats.wakeupsRung(), stats.wakeupsElided()};
            long[] before = LAST_WAKES.getOrDefault(loop.id, new long[2]);
            seen.put(loop.id, now);
            WakeupEvent e = new WakeupEvent();
            e.loop = loop.options().threadName();
            e.doorbell = loop.doorbell().name();
            e.rung = now[0] - before[0];
            e.elided = now[1] - before[1];
            e.commit();
        }
        LAST_WAKES.clear();
        LAST_WAKES.putAll(seen);
    }
}
