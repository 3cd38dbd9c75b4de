#!/usr/bin/env python3
"""Applies known-bad variants of the wake path to a copy of the tree, one at a time, runs the tests that should
catch each, and reports whether they did. `./ringloop mutants` runs it; the last line is `mutants caught: X/Y`.
Arguments, if any, select the mutants whose names contain one of them (`./ringloop mutants multishot`);
`--check` only says, in seconds and without building, whether every mutant's text is still there to mutate.
With RINGLOOP_BUILD_LOCK=FILE, each mutant's build and tests run under `flock FILE` (a machine shared with other
builds).

Every mutant names the exact text it replaces: if the code changes so that the text is gone, the mutant reports
NOT APPLICABLE and counts as not caught, so a refactoring cannot silently retire a mutant."""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

LOOP = "ringloop-loop/src/main/java/io/ringloop/"
IO = "ringloop-io/src/main/java/io/ringloop/io/"
BINDING = "ringloop-binding/src/main/java/io/ringloop/binding/"

MUTANTS = [
    ("no re-check after arming", LOOP + "LoopAgent.java",
     "if (WakeWord.sequence(armed) != tasks.caughtUp() || tasks.hasLocal()",
     "if (tasks.hasLocal()",
     "LostWakeupStressTest"),
    # Replaces "bell before enqueue": the claim is the publish now, so the ordering left to break is reading the
    # loop's bits in a step of their own instead of from the claim (the model's WANT_BEFORE_CLAIM).
    ("ARMED read before the claim instead of from it", LOOP + "EventLoop.java",
     "        afterOffer(queue.offer(task, closedCheck));",
     "        long seen = word.get();\n        long claimed = queue.offer(task, closedCheck);\n"
     "        afterOffer(claimed & ~(WakeWord.ARMED | WakeWord.RUNG) | seen & (WakeWord.ARMED | WakeWord.RUNG));",
     "LostWakeupStressTest"),
    ("no re-arm when F_MORE is clear", LOOP + "EventfdPollDoorbell.java",
     "            rearmOwed = true;\n        }\n    }",
     "        }\n    }",
     "DoorbellRearmTest"),
    ("re-arm skipped on a full SQ", LOOP + "EventfdPollDoorbell.java",
     "            if (arm()) {",
     "            if (ring.sq().pollAdd(fd, IoUringFlags.POLLIN, true, USER_DATA) || true) {",
     "FaultInjectionTest#shouldRearmThroughAFullSq"),
    # Replaces "caught-up sequence read after the drain": caught up is the slots taken now, and taking it from the
    # word instead is the same mistake (the model's CAUGHTUP_AFTER_DRAIN).
    ("caught up read from the word instead of counted from the slots taken", LOOP + "LoopAgent.java",
     "if (WakeWord.sequence(armed) != tasks.caughtUp() || tasks.hasLocal()",
     "if (WakeWord.sequence(armed) != WakeWord.sequence(word.get()) || tasks.hasLocal()",
     "LostWakeupStressTest"),
    ("a claimed slot whose store is pending is stepped over", LOOP + "TaskQueue.java",
     "                Thread.onSpinWait();\n                continue;",
     "                slots.advance();\n                continue;",
     "TaskQueueTest#shouldNeverPassAClaimedSlotWhoseStoreIsPending"),
    ("a slot whose store failed is left empty (the loop waits for it for ever)", LOOP + "TaskQueue.java",
     "                slots.store(index, SKIPPED);",
     "                e.fillInStackTrace();",
     "TaskQueueTest#shouldNotLeaveTheLoopWaitingForTheSlotOfAProducerWhoseStoreFailed"),
    ("terminate checks the sequence, then sets TERMINATED in a second step", LOOP + "WakeWord.java",
     "&& WORD.compareAndSet(segment, 0L, v, v | TERMINATED);",
     "&& (long) WORD.getAndBitwiseOr(segment, 0L, TERMINATED) >= 0;",
     "jcstress:WakeTerminateTest"),
    ("a bounded queue's room reported after the batch, not as each task is taken", LOOP + "TaskQueue.java",
     "        if (capacity != Long.MAX_VALUE) {\n            // Bounded only: the room frees",
     "        if (capacity < 0) {\n            // Bounded only: the room frees",
     "EventLoopTest#shouldRejectOnAFullBoundedQueueWhenAskedTo"),
    ("eventfd closed before ringers drained", LOOP + "DoorbellDriver.java",
     "while (ringers.get() != 0) {",
     "while (ringers.get() < 0) {",
     "FaultInjectionTest#shouldNeverWriteToAClosedOrReusedEventfd"),
    ("in-flight limit ignored", LOOP + "IoTable.java",
     "return inFlightCqes + r.cqReservation() <= budget;",
     "return true;",
     "EventLoopTest#shouldNeverHaveMoreIoInFlightThanTheCqHolds"),
    ("IORING_SQ_TASKRUN ignored", LOOP + "LoopAgent.java",
     "            if (!ring.needsGetEvents(busyPass)) {\n                return afterReap(0);",
     "            if (true) {\n                return afterReap(0);",
     "FaultInjectionTest#shouldReapDeferredCompletionsWhileTheLoopNeverIdles"),
    ("RUNG latch ignored (every producer that sees ARMED rings)", LOOP + "WakeWord.java",
     "        long before = (long) WORD.getAndBitwiseOr(segment, 0L, RUNG);\n        return (before & (ARMED | RUNG)) == ARMED;",
     "        long before = (long) WORD.getAndBitwiseOr(segment, 0L, RUNG);\n        return (before & ARMED) == ARMED;",
     "jcstress:WakeOneRingPerSleepTest"),
    ("corked producers not woken", LOOP + "TaskQueue.java",
     "if (corkedCount.get() > 0) {",
     "if (corkedCount.get() < 0) {",
     "EventLoopTest#shouldWakeProducersBlockedOnAFullBoundedQueue"),
    ("IORING_SQ_TASKRUN taken for work after a GETEVENTS that posted nothing", LOOP + "LoopAgent.java",
     "taskRunFlagsIgnored = ring.cq().ready() == 0;",
     "taskRunFlagsIgnored = false;",
     "StuckTaskRunFlagTest"),
    # The I/O layer's own "skip the notification" rules: a multishot the kernel ended must be re-armed.
    ("multishot accept not re-armed when F_MORE is clear", IO + "AsyncServerSocket.java",
     "            } else {\n                LoopInternals.submitIo(loop, this);\n            }\n            return true;",
     "            }\n            return true;",
     "ringloop-io:AcceptStormTest"),
    ("multishot receive not re-armed when F_MORE is clear", IO + "MultishotReceive.java",
     "            if (!more) {\n                rearm();\n            }\n            return !more;",
     "            if (!more) {\n                end(0);\n            }\n            return !more;",
     "ringloop-soak:SoakTest"),
    ("a multishot receive holds a CQ slot for its whole life", IO + "MultishotReceive.java",
     "    public int cqReservation() {\n        return 0;",
     "    public int cqReservation() {\n        return 1;",
     "ringloop-soak:SoakTest"),
    ("a socket read waiting on its peer holds a CQ slot", IO + "Op.java",
     "        return kind.waitsOnPeer ? 0 : sqes();",
     "        return sqes();",
     "ringloop-io:CqBudgetTest#socketReadsWaitingOnTheirPeersLeaveRoomForEveryOtherRequest"),
    ("a caller on its own thread let in after the close began", IO + "FdUsers.java",
     "            if (s < 0) {\n                return false;   // CLOSED is the sign bit",
     "            if (s < 0 && s > 0) {\n                return false;   // CLOSED is the sign bit",
     "ringloop-io:FdUsersTest"),
    ("the fd released while a caller on its own thread still uses it", IO + "AsyncChannel.java",
     "        if (head == null && users.idle()) {",
     "        if (head == null) {",
     "ringloop-io:ReadNowTest#aCloseWaitsForTheCallerOnItsOwnThreadBeforeTheFdGoes"),
    ("the last caller out of a closed channel does not release the fd", IO + "FdUsers.java",
     "        return state.decrementAndGet() == CLOSED;",
     "        return state.decrementAndGet() == CLOSED && false;",
     "ringloop-io:ReadNowTest#aCloseWaitsForTheCallerOnItsOwnThreadBeforeTheFdGoes"),
    ("MSG_RING wake sent without winning the RUNG claim", LOOP + "EventLoop.java",
     "            if (word.claimRing()) {\n                // Won this sleep's one bell.",
     "            if (LoopThread.currentAgent() != null || word.claimRing()) {\n                // Won this sleep's one bell.",
     "LoopGroupTest#shouldDeliverEveryMessageBetweenAllLoopsWakingParkedLoopsByMsgRing"),
    ("failed MSG_RING not rung again through the doorbell", LOOP + "MsgRingSender.java",
     "        if (target != null) {\n            // The doorbell guards itself against a target that is closing (see "
     "DoorbellDriver.ring).\n            target.doorbell.ring();",
     "        if (target == null) {\n            // The doorbell guards itself against a target that is closing (see "
     "DoorbellDriver.ring).\n            target.doorbell.ring();",
     "LoopGroupTest#shouldRingTheTargetsDoorbellWhenTheKernelFailsTheMsgRing"),
    ("a SEND_MSG_RING message the kernel refused not rung through the backup eventfd", LOOP + "SendMsgRingDoorbell.java",
     "        if (r < 0) {\n            fellBack();\n            writeEventfd();\n        }",
     "        if (r < 0) {\n            fellBack();\n        }",
     "SendMsgRingDoorbellTest#shouldWakeAParkedLoopThroughTheBackupWhenTheKernelRefusesTheMessage"),
    # Lifecycle: an error the loop does not survive must still end it in order, never with I/O in the kernel.
    ("no orderly close after a fatal error (the ring is released with I/O in flight)", LOOP + "LoopRunner.java",
     "            TaskErrorHandler.PRINT.onError(() -> { }, e);\n        }",
     "            TaskErrorHandler.PRINT.onError(() -> { }, e);\n            if (e != null) {\n                return;\n"
     "            }\n        }",
     "ringloop-io:LoopDeathTest"),
    # A loop that gives up after a second fatal error must still end what its queued I/O tasks promised.
    ("a task the loop gave up on is only reported, never told (its future stays pending)", LOOP + "TaskDrain.java",
     "                if (t instanceof AbandonableTask a) {",
     "                if (t instanceof AbandonableTask a && a == null) {",
     "ringloop-io:LoopDeathTest#shouldEndQueuedOperationsWhenTheLoopDiesTwice"),
    ("a completion that throws is not contained (it escapes and kills the loop)", LOOP + "IoDriver.java",
     "        } catch (Throwable e) {\n            failures.report(new FailedCompletion(userData, res), e);",
     "        } catch (RuntimeException e) {\n            throw e;\n        } catch (Throwable e) {\n"
     "            failures.report(new FailedCompletion(userData, res), e);",
     "EventLoopTest#shouldSurviveAnIoCompletionThatThrowsAndFreeItsSlot"),
    # The I/O layer's promises: a cancelled future means the kernel let go; a broken stream stays broken.
    ("a cancel reports cancelled before the kernel let go of the buffer", IO + "IoFuture.java",
     "            channel.cancel(op);\n            return isCancelled();",
     "            channel.cancel(op);\n            return super.cancel(false);",
     "ringloop-io:AsyncSocketTest#shouldNotReportACancelledReadBeforeTheKernelLetGoOfIt"),
    ("a write follows a writeAll that failed part-way", IO + "SocketWrites.java",
     "            if (broken != null && o.kind != Op.Kind.SHUTDOWN) {",
     "            if (broken != null && o == null) {",
     "ringloop-io:AsyncSocketTest#shouldFailLaterWritesOnceAWriteAllTimedOutPartWay"),
    ("MSG_RING the kernel did not take counted as sent (left in the SQ)", LOOP + "MsgRingSender.java",
     "            if (sq.lastConsumed()) {\n                unsettled++;\n                return true;",
     "            if (true) {\n                unsettled++;\n                return true;",
     "LoopGroupTest#shouldRevokeAMsgRingTheKernelWouldNotTakeAndRingTheDoorbellInstead"),
    # Kernel profiles: what an older release lacks must not be used (the real kernel would accept it, the profile's
    # tests see the difference in what the loop chose and in how long the close waits).
    ("AUTO takes the multishot poll doorbell without multishot poll (before 5.13)", LOOP + "DoorbellChoice.java",
     "        boolean poll = has.contains(KernelFeature.POLL_ADD) && has.contains(KernelFeature.POLL_ADD_MULTI);",
     "        boolean poll = has.contains(KernelFeature.POLL_ADD);",
     "KernelProfileLoopTest#shouldRunParkWakeTimeAndCancelUnderEveryProfile"),
    ("the close cancels nothing without ASYNC_CANCEL_ANY (before 5.19)", LOOP + "IoDriver.java",
     "            } else {\n                cancelEachInFlight();\n            }",
     "            }",
     "KernelProfileLoopTest#shouldRunParkWakeTimeAndCancelUnderEveryProfile"),
    # The sleep on the wake word (WordSleep): the model's WHERE_AFTER_ARM and NO_FUTEX_CHECK, and its precondition.
    ("where the loop sleeps published after the arm, not before", LOOP + "WordSleep.java",
     "        choose(onWord);\n        return word.arm();",
     "        long armed = word.arm();\n        choose(onWord);\n        return armed;",
     "jcstress:WordSleepRouteTest"),
    ("the word sleep waits on the word as it is now, not as armed", LOOP + "LoopAgent.java",
     "        int r = wordSleep.sleep(armed, timeout);",
     "        int r = wordSleep.sleep(word.get(), timeout);",
     "LostWakeupStressTest#shouldNeverLoseAWakeupSleepingOnTheWakeWord"),
    ("a sleep on the word while I/O is in flight", LOOP + "LoopAgent.java",
     "wordSleep.usable() && io.inFlight() == 0 && ",
     "wordSleep.usable() && ",
     "WordSleepTest#shouldSleepInTheRingWhileIoIsInFlight"),
    # The network path (#13): a registered ring fd keeps the ring alive until its thread lets go of the slot.
    ("a closed ring keeps its slot in the thread's table of registered ring fds", BINDING + "Ring.java",
     "        ringFd.unregister(this);\n",
     "",
     "ringloop-binding:RegisteredRingFdTest#shouldGiveTheSlotBackAtClose"),
    # Coalesced writes: a write inside a sendmsg in flight is the kernel's until the batch's CQE.
    ("a write cancelled inside a batch in flight reports cancelled at once", IO + "SocketWrites.java",
     "            b.cancelOne();\n            return true;",
     "            return false;",
     "ringloop-io:WriteBatchTest#shouldReportAWriteCancelledInsideABatchOnlyOnceTheKernelLetGoAndNeverSendIt"),
    # Found by the chaos run: queued writes left as one batch after a writeAll had broken the stream.
    ("queued writes batched after a writeAll broke the stream", IO + "SocketWrites.java",
     "WriteBatch b = broken == null && coalesces() ? spareBatch(op) : null;",
     "WriteBatch b = coalesces() ? spareBatch(op) : null;",
     "ringloop-io:WriteBatchTest#shouldNotSendQueuedWritesTogetherAfterAWriteAllBrokeTheStream"),
    ("shutdownOutput overtakes the writes called before it", IO + "SocketWrites.java",
     "        return kind == Op.Kind.SEND || kind == Op.Kind.SEND_ALL || kind == Op.Kind.SHUTDOWN;",
     "        return kind == Op.Kind.SEND || kind == Op.Kind.SEND_ALL;",
     "ringloop-io:WriteBatchTest#shouldShutDownOutputOnlyAfterTheWritesCalledBeforeIt"),
    # The epoll backend (#18): an emulated ring keeps a registration per fd number, and edges report an arrival once.
    ("an fd closed through Syscalls.close stays registered under its number", BINDING + "Syscalls.java",
     "        EpollKernel.fdClosing(fd);\n",
     "",
     "ringloop-io:EpollBackendTest#shouldServeANewSocketUnderTheNumberOfOneJustClosed"),
    # The model's EDGE_ONLY_POLL: an arm that waits for an edge without looking at the level first.
    # The epoll loop skips its non-blocking look when the pass will end in a sleep (whose wait looks); a busy pass
    # must still look, or I/O starves behind tasks.
    ("an epoll loop never looks for readiness on a busy pass", LOOP + "LoopAgent.java",
     "    private final BooleanSupplier busyPass = this::moreWorkThisPass;",
     "    private final BooleanSupplier busyPass = () -> false;",
     "ringloop-io:EpollBackendTest#shouldCompleteAReadWhileTasksKeepTheLoopFromEverSleeping"),
    # Events one epoll_wait harvested beyond what an entry handles wait for the next; a new wait must not come first.
    ("an epoll wait is made while harvested events wait to be handled", BINDING + "EpollRing.java",
     "            if (eventsAt < eventsEnd) {\n                continue;\n            }\n",
     "",
     "ringloop-io:EpollBackendTest#shouldHandleEveryEventOfAHarvestLargerThanOneEntryTakes"),
    ("an epoll request waits for an edge without trying first", BINDING + "EmulatedRequests.java",
     "        if (e.ready(side) && e.side(side).isEmpty()) {",
     "        if (e.ready(side) && e.side(side).isEmpty() && e.fd < 0) {",
     "ringloop-io:EpollBackendTest#shouldReadWhatAnEarlierReadLeftWithoutWaitingForAnotherEdge"),
    # (WriteAllReceivedTest's echo streams caught it only when the FIN happened to share an edge with the last bytes;
    # this test holds the loop so that it always does.)
    ("a short receive after the peer's FIN waits for an edge that was already taken", BINDING + "EmulatedRequests.java",
     "&& !e.hangup\n",
     "\n",
     "ringloop-io:EpollBackendTest#shouldEndTheReadAfterTheLastBytesWhenTheirEdgeAlsoBroughtTheFin"),
    # The epoll backend's direct first send: only the socket's write in flight may go, or bytes overtake queued ones.
    ("a write's direct send goes before the socket's queue was asked whether a write is in flight", IO
     + "AsyncChannel.java",
     "        if (holdBack(op)) {\n            return;\n        }\n        link(op);\n        if (doneInline(op)) {\n"
     "            return;\n        }\n",
     "        link(op);\n        if (doneInline(op)) {\n            return;\n        }\n        if (holdBack(op)) {\n"
     "            return;\n        }\n",
     "ringloop-io:EpollBackendTest#shouldNotSendAWriteDirectlyAheadOfAnEarlierOneStillInTheRing"),
    # Borrowed echo bytes (epoll): sent from the receive buffer, they must become the write's own before it outlives
    # the handler's call, waiting behind another write or for the rest of a partial direct send.
    ("a borrowed echo that waits behind another write keeps pointing into the receive buffer", IO + "AsyncSocket.java",
     "            ReceivedBytes.keep(o, resources);\n        }\n        return true;",
     "        }\n        return true;",
     "ringloop-io:EpollBackendTest#shouldCopySmallEchoesAndLendTheReceiveBufferToLargeOnesThatWait"),
    ("the rest of a borrowed echo the direct send took only part of goes to the ring uncopied", IO + "AsyncSocket.java",
     "        ReceivedBytes.keep(o, resources);\n        return false;",
     "        return false;",
     "ringloop-io:EpollBackendTest#shouldKeepTheRestOfAnEchoTheDirectSendTookOnlyPartOf"),
    # A blocking read reaches the ring only after readNow found the socket empty: its receive may wait for readiness
    # before the first attempt (RECVSEND_POLL_FIRST). A hint never left behind costs a receive that fails each time.
    ("a read after readNow found nothing tries a receive first anyway", IO + "AsyncSocket.java",
     "        lookedEmpty = n == WOULD_WAIT;",
     "        lookedEmpty = false;",
     "ringloop-io:ReadNowTest#aReadAfterReadNowFoundNothingWaitsForDataBeforeItsFirstAttempt"),
    # A blocking socket's reads take what its multishot receive delivered (io.ringloop.io.blocking.Inbound): an
    # arrival must take the parked reader to unpark it, and a receive stopped for room must start again.
    ("an arrival leaves the parked reader parked", IO + "blocking/Inbound.java",
     "            Thread w = waiter;\n            waiter = null;\n            return w;",
     "            return null;",
     "ringloop-io:BlockingManyThreadsTest"),
    ("a receive stopped for room is never started again", IO + "blocking/Inbound.java",
     "                receive = Receive.IDLE;",
     "                receive = Receive.PAUSING;",
     "ringloop-io:BlockingSocketTest#aReaderThatFallsBehindHoldsABoundedAmountAndLosesNoByte"),
    # Receive bundles: one CQE, several buffers, consecutive in the ring (the soak found a mapping that broke).
    ("a receive bundle's later buffers taken as its first", IO + "MultishotReceive.java",
     "                    bids[k] = buffers.next(bids[k - 1]);",
     "                    bids[k] = bid;",
     "ringloop-io:WriteAllReceivedTest#shouldEchoEveryByteThroughACopyingHandler"),
    # Zero-copy send: the buffer stays the kernel's until the notification CQE.
    ("a zero-copy write ends at its result, before the notification", IO + "Op.java",
     "                expected++;\n",
     "",
     "ringloop-io:ZeroCopySendTest#shouldEndAZeroCopyWriteOnlyWhenTheKernelNoLongerReadsItsBuffer"),
    # Sending from a receive buffer: the kernel must not get it back while a write still reads it.
    ("a provided buffer goes back when onData returns although a write still holds it", IO + "HeldBuffers.java",
     "        if (holds[bid] == 0) {\n            ring.recycle(bid);\n        } else {\n            held++;\n        }",
     "        ring.recycle(bid);",
     "ringloop-io:WriteAllReceivedTest#shouldEchoEveryByteFromTheBuffersItArrivedInWhileTheirWritesWait"),
    ("a write that got nothing from a batch's partial send is ended instead of going again", IO + "WriteBatch.java",
     "        requeue(requeueFrom);",
     "        requeue(requeueFrom + 1);",
     "ringloop-io:WriteBatchTest#shouldShareOutPartialSendsAndResumeAWriteAllCutInTwo"),
]


def applicable(root):
    """--check: only whether every mutant's text is in its file exactly once (seconds, no build)."""
    missing = 0
    for name, path, before, _after, _tests in MUTANTS:
        with open(os.path.join(root, path), encoding="utf-8") as f:
            if f.read().count(before) != 1:
                print(f"NOT APPLICABLE  {name}: the text to mutate is not in {path} exactly once", flush=True)
                missing += 1
    print(f"mutants applicable: {len(MUTANTS) - missing}/{len(MUTANTS)}")
    return 1 if missing else 0


def test_failed(out):
    """Whether Maven's output shows a test that failed, erred or timed out, not only a failed build."""
    for m in re.finditer(r"Tests run: \d+, Failures: (\d+), Errors: (\d+)", out):
        if int(m.group(1)) or int(m.group(2)):
            return True
    return "There was a timeout" in out or "timed out" in out


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if sys.argv[1:] == ["--check"]:
        return applicable(root)
    work = tempfile.mkdtemp(prefix="ringloop-mutants-")
    shutil.copytree(root, work, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".git", "target", "bench-results"))
    # the copy's own Maven wrapper, as ./ringloop uses (JAVA_HOME comes from ./ringloop): no Maven on the PATH needed
    mvn = [os.path.join(work, "mvnw"), "-B", "-ntp", "-q"]
    print(f"mutants: working copy {work}", flush=True)
    subprocess.run(mvn + ["-pl", "ringloop-binding", "install", "-DskipTests"], cwd=work, check=True)
    only = [a.lower() for a in sys.argv[1:]]
    chosen = [m for m in MUTANTS if not only or any(o in m[0].lower() for o in only)]
    caught = 0
    for name, path, before, after, tests in chosen:
        target = os.path.join(work, path)
        with open(target, encoding="utf-8") as f:
            original = f.read()
        if original.count(before) != 1:
            print(f"NOT APPLICABLE  {name}: the text to mutate is not in {path} exactly once", flush=True)
            continue
        with open(target, "w", encoding="utf-8") as f:
            f.write(original.replace(before, after))
        start = time.time()
        if tests.startswith("jcstress:"):
            # A race two producers win only within nanoseconds: jcstress, not a JUnit test, sees it reliably.
            # The JDK that builds must run it: an older java first on the PATH cannot load the classes, and jcstress
            # then reports every test as a soft error and exits 0, which would read as a surviving mutant.
            java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if "JAVA_HOME" in os.environ else "java"
            cmd = ["bash", "-c", " ".join(mvn) + " -pl ringloop-stress -am package -DskipTests -Dcheckstyle.skip=true"
                   " && " + java + " "
                   "--enable-native-access=ALL-UNNAMED -jar ringloop-stress/target/jcstress.jar -m quick -t "
                   + tests.split(":", 1)[1]]
        else:
            module, _, names = tests.rpartition(":")
            # a hung test counts as caught, but within surefire's own limit rather than this script's
            # No style check: a mutant is judged by its tests alone, and a style violation in it would fail the
            # build as a test failure does.
            cmd = mvn + ["-pl", module or "ringloop-loop", "-am", "test", "-Dtest=" + names,
                         "-Dsurefire.failIfNoSpecifiedTests=false", "-Dsurefire.timeout=600",
                         "-Dringloop.soak.seconds=20", "-Dcheckstyle.skip=true"]
        lock = os.environ.get("RINGLOOP_BUILD_LOCK")
        if lock:
            # Shared machine: hold the build lock for each mutant's run only, so other builds interleave.
            cmd = ["flock", lock] + cmd
        # A session of its own, so that a timeout ends Maven and its test JVM too, not only the direct child (an
        # orphaned Maven kept running, and kept the build lock, after an earlier timeout).
        p = subprocess.Popen(cmd, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             start_new_session=True)
        try:
            out, _ = p.communicate(timeout=900)
            failed = p.returncode != 0
            compiled = "COMPILATION ERROR" not in out
            if failed and not tests.startswith("jcstress:") and not test_failed(out):
                print(out[-3000:], flush=True)
                compiled = False
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            failed, compiled = True, True
        finally:
            with open(target, "w", encoding="utf-8") as f:
                f.write(original)
        secs = time.time() - start
        if not compiled:
            print(f"BROKEN          {name}: the mutant does not compile, or the build failed with no test failing "
                  f"({tests})", flush=True)
        elif failed:
            caught += 1
            print(f"caught          {name}: {tests} failed ({secs:.0f} s)", flush=True)
        else:
            print(f"SURVIVED        {name}: {tests} passed ({secs:.0f} s)", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    print(f"mutants caught: {caught}/{len(chosen)}", flush=True)
    return 0 if caught == len(chosen) else 1


if __name__ == "__main__":
    sys.exit(main())
