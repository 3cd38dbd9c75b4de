/*
 * wake.pml: the ringloop wake protocol (WakeWord + eventfd doorbell with a multishot POLL_ADD + close), checked
 * exhaustively with Spin. model/check.sh builds and runs every configuration below; read it for the commands.
 *
 * Actors: NPROD (3) producers, one closer (close() is called, or never), the loop thread, and a monitor that checks
 * the state the system comes to rest in. The kernel is not a process: an eventfd write runs the poll wakeup
 * inside the write, and a POLL_ADD is polled once when it is submitted, as the kernel does in those contexts.
 * The loop may once wake with no doorbell CQE (its park timeout or an unrelated I/O CQE), or never: that is what
 * makes stale claims and late rings reachable. Every run is finite (check.sh proves it: no cycles at all), so the
 * at-rest assertions are the liveness properties; the LTL versions are there to cross-check.
 *
 * Map to the Java code (ringloop-loop; WakeWord.java is the spec of the word):
 *   the word: seq, armed, rung, terminated ...... WakeWord's long: ARMED bit 0, RUNG bit 1, TERMINATED bit 2,
 *                                                  SEQ bits 3..
 *   word.publish(), shouldRing(before) ........... inline publish (one atomic getAndAdd; `want` = shouldRing)
 *   word.claimRing() ............................. inline try_ring, its first atomic (getAndBitwiseOr(RUNG))
 *   word.arm() (its CAS loop is one RMW) ......... Loop, the atomic after label park
 *   word.disarm() ................................ inline disarm
 *   WakeWord.sequence(word.get()) ................ Loop, `s = seq` after label work
 *   queue.offer(task) / queue.poll() ............. inline offer / Loop, the d_step drain loop
 *   EventLoop.execute(task) ...................... proctype Producer
 *   EventLoop.close() ............................ proctype Closer: closing = true, then wakes the loop the way
 *                                                  execute(noop) does (LoopLifecycle.beginClose offers a no-op)
 *   doorbell.ring() with the ringers guard ....... inline ring
 *   write(eventfd) + the kernel's poll wakeup .... inline eventfd_write, inline poll_fires
 *   LoopAgent.doWork() (TaskDrain.run) ........... Loop, label work down to the re-arm
 *   reap CQEs, read(eventfd) per doorbell CQE .... Loop, the "reap the CQ" do-loop
 *   re-arm POLL_ADD after the CQ drain ........... Loop, after the reap loop; inline submit_rearm
 *   LoopAgent.park() ............................. Loop, label park down to end_sleep (LoopAgent.idle's spin,
 *                                                  IdleSpin, only delays it and is not modelled)
 *   io_uring_enter(GETEVENTS, min_complete=1) .... submit_rearm (queued SQEs go first), then the if at end_sleep
 *   terminate CAS, close the doorbell ............ Loop, labels terminate and shutdown (LoopAgent.finishIfQuiet:
 *                                                  WakeWord.terminate(caughtUp) only if TaskDrain.allPublished)
 *   read(eventfd) ................................ EventfdPollDoorbell.afterReap: after every reap that saw a
 *                                                  doorbell CQE, and before a re-arm; the model drains per CQE,
 *                                                  which is the same at the points where the loop decides
 *
 * Doorbells not modelled, and why none needs a model of its own: every doorbell is gated by the same word, so the
 * model's `ring` step (the one claimer of a sleep writes once, possibly much later) stands for each; what differs is
 * how the wake can fail.
 *   EVENTFD_READ, FUTEX_WAIT: one-shot SQEs queued before every sleep; the kernel cannot end them early, and when
 *     one cannot be queued the loop bounds its sleep (beforePark/armed return false) instead of sleeping deaf.
 *   SEND_MSG_RING: nothing armed; a message the kernel refuses is rung by the same claimer through a backup eventfd
 *     whose one-shot READ is pending from the first sleep on: the model's ring, by another route.
 *   MSG_RING (between loops): a message the kernel will not take is revoked and the target's own doorbell rung by
 *     the same claimer; one the kernel fails is rung through the target's doorbell when the sender reaps the
 *     failure: in the model's terms a claimer that writes late, which the model already lets happen at any point.
 *
 * Properties (assertions; pan prints the one that fails):
 *   (a)  no task stays queued while the loop sleeps with no wake pending:
 *        (a1) at the moment the loop blocks: the queue is empty, or some producer/closer still owes a wake (it has
 *             enqueued and not published, or its publish saw ARMED and it has not claimed yet, or it claimed and has
 *             not written yet). Each of those ends in a write, or finds RUNG set by one that does. (No doorbell CQE
 *             is pending, or the loop would not block.)
 *        (a2) at rest: the loop is not asleep with a task queued, and every accepted task ran.
 *             -DLTL: the same as [] ((asleep && qlen > 0) -> <> !asleep).
 *   (b)  no eventfd write after the loop closed the eventfd.
 *   (c)  at most one successful claim, hence one ring, per arm (the RUNG latch).
 *        -DSTRICT_WRITES asserts at most one eventfd WRITE per arm instead: that does not hold (a finding).
 *   (d)  when the loop blocks, the doorbell poll is armed: the doorbell is never deaf.
 *   (e)  at rest, if close() was called, the loop has shut down. -DLTL_CLOSE: [] (close_called -> <> loop_done).
 *   -DSTRICT_FATE adds: a task that execute() rejected never ran (the Executor contract). It failed once (a
 *        finding) and holds since the terminate fix below; -DTERMINATE_SEQ_ONLY is that bug, kept as a mutant.
 *
 * Mutants, each must be caught: NO_RECHECK (park sleeps without comparing the sequence), RING_BEFORE_ENQUEUE,
 * NO_REARM (the poll is not re-armed after a CQE without F_MORE), SKIP_REARM_SQ_FULL (the re-arm is dropped when
 * the SQ is full), NO_RINGER_GUARD, NO_RUNG (claims ignore RUNG), ARM_KEEPS_RUNG (arm does not clear RUNG),
 * BOUNDED_DRAIN (caughtUp advanced after a drain that stopped before poll() returned null),
 * CAUGHTUP_AFTER_DRAIN (the sequence read after the drain instead of before), TERMINATE_NO_CHECK (TERMINATED set
 * without the sequence check), CLOSE_NO_WAKE (close() only sets the flag), EDGE_ONLY_POLL (a kernel assumption:
 * if a POLL_ADD on an already readable eventfd did not report it, the protocol would lose wakes).
 * Fixed (now the default; -DTERMINATE_SEQ_ONLY restores the bug): terminate only when the tasks run equal the
 * tasks published, which makes STRICT_FATE hold.
 */

#ifndef NPROD
#define NPROD 3
#endif
#define CLOSER NPROD         /* index of the closer in pst[] and task slots */
#define NT (NPROD + 1)       /* task slots: NPROD producers + the closer's wake task */

/* ---- the wake word ---- */
byte seq;                    /* SEQ: publishes so far */
bit armed;                   /* ARMED */
bit rung;                    /* RUNG */
bit terminated;              /* TERMINATED */

/* ---- the MPSC task queue, and each task's fate ---- */
bit queued[NT];
byte qlen;
bit ran[NT];
bit accepted[NT];            /* execute() returned normally */
bit rejected[NT];            /* execute() threw RejectedExecutionException */
byte nran;                   /* tasks the loop ran */

/* ---- eventfd, the kernel's multishot poll, the CQ ---- */
bit efd_open = 1;            /* the doorbell fd is open */
bit efd_ready;               /* eventfd counter != 0 */
bit poll_armed = 1;          /* the multishot POLL_ADD is live (armed when the loop started) */
bit cqe_more;                /* doorbell CQEs with F_MORE waiting in the CQ (how many does not matter:
                                the loop reads the eventfd for each, and a read is idempotent) */
bit cqe_final;               /* the final doorbell CQE (no F_MORE) waiting (CQ or overflow list) */
bit timeout_left;            /* the loop may once wake with no doorbell CQE (park timeout, or an I/O CQE) */

/* ---- close ---- */
bit closing;
bit close_called;
bit doorbellClosed;
byte ringers;
bit loop_done;

/* ---- ghost state for the properties ---- */
bit asleep;                  /* the loop is blocked in io_uring_enter */
byte epoch_claims;           /* successful claims since the last arm */
#ifdef STRICT_WRITES
byte epoch_writes;           /* eventfd writes while armed since the last arm */
#endif
byte pst[NT];                /* wake owed by producer/closer: 0 none, 1 enqueued not published,
                                2 saw ARMED not yet claimed, 3 claimed not yet written */
byte owing;                  /* how many pst[] are non-zero, kept by set_pst */
#define set_pst(p, x) atomic { owing = owing - (pst[p] != 0) + ((x) != 0); pst[p] = x }
#define OWED (owing > 0)
#define DOORBELL_CQES (cqe_more + cqe_final)

#ifdef NO_RUNG
#define SHOULD_RING(a, r) (a)
#else
#define SHOULD_RING(a, r) ((a) && !(r))
#endif

/* The kernel: an eventfd became readable while the multishot poll is live. It posts a CQE with F_MORE, or, when
 * the CQ is full or overflowed CQEs are queued (chosen freely here), ends the poll: one final CQE without F_MORE,
 * still delivered through the overflow list. */
inline poll_fires() {
    if
    :: poll_armed ->
        if
        :: cqe_more = 1
        :: cqe_final = 1; poll_armed = 0
        fi
    :: else -> skip
    fi
}

/* write(eventfd, 1): atomic in the kernel, and the poll wakeup runs inside it. */
inline eventfd_write(me) {
    atomic {
        assert(efd_open);                                   /* (b) no write after close */
        efd_ready = 1;
        poll_fires();
#ifdef STRICT_WRITES
        if
        :: armed -> epoch_writes++; assert(epoch_writes <= 1)   /* (c, strict): one WRITE per sleep */
        :: else -> skip
        fi;
#endif
        set_pst(me, 0)
    }
}

/* doorbell.ring(): ringers.incrementAndGet(); if (!doorbellClosed) write(eventfd); ringers.decrementAndGet();
 * (The gap between the write and the decrement only delays the loop's close, so they share a step.) */
inline ring(me) {
#ifndef NO_RINGER_GUARD
    atomic { ringers++; mine = 0 }
    if
    :: !doorbellClosed -> atomic { eventfd_write(me); ringers-- }
    :: else -> atomic { set_pst(me, 0); ringers-- }
    fi
#else
    atomic { eventfd_write(me); mine = 0 }
#endif
}

/* if (WakeWord.shouldRing(before) && word.claimRing()) doorbell.ring()
 * (shouldRing tests a local, so it shares a step with the claim.) */
inline try_ring(me) {
    if
    :: atomic {
           want ->
           want = 0;
           /* word.claimRing(): getAndBitwiseOr(RUNG); ours if it returned ARMED without RUNG */
#ifdef NO_RUNG
           mine = armed;
#else
           mine = armed && !rung;
#endif
           rung = 1;
           if
           :: mine -> epoch_claims++; assert(epoch_claims <= 1); set_pst(me, 3)   /* (c) latched RUNG */
           :: else -> set_pst(me, 0)
           fi
       }
       if
       :: mine -> ring(me)
       :: else -> skip
       fi
    :: else -> skip
    fi
}

/* queue.offer(task) */
inline offer(me) {
    atomic { queued[me] = 1; qlen++; set_pst(me, 1) }
}

/* before = word.publish() (getAndAdd(SEQ_ONE)); a TERMINATED before rejects, else shouldRing(before) is kept */
inline publish(me) {
    atomic {
        want = SHOULD_RING(armed, rung) && !terminated;
        if
        :: terminated ->
#ifdef STRICT_FATE
            assert(me == CLOSER || !ran[me]);               /* a task execute() rejects must not have run */
#endif
            rejected[me] = 1
        :: else -> accepted[me] = 1
        fi;
        seq++;
        if
        :: want -> set_pst(me, 2)
        :: else -> set_pst(me, 0)
        fi
    }
}

/* EventLoop.execute(task) */
proctype Producer(byte me) {
    bit want, mine;
    if
    :: closing -> rejected[me] = 1                          /* if closed -> reject */
    :: else ->
#ifndef RING_BEFORE_ENQUEUE
        offer(me);
#endif
        publish(me);                                        /* TERMINATED: rejected, want = 0 */
        try_ring(me);
#ifdef RING_BEFORE_ENQUEUE
        offer(me); set_pst(me, 0)
#endif
    fi
}

/* EventLoop.close(): closing = true, then wake the loop as execute(noop) would (bypassing the closed check).
 * EventLoop.beginClose publishes a no-op task for it; CLOSE_NO_WAKE shows that a wake is needed. */
active proctype Closer() {
    bit want, mine;
    if
    :: skip                                                 /* close() is never called */
    :: close_called = 1;
        closing = 1;
#ifndef CLOSE_NO_WAKE
        offer(CLOSER);
        publish(CLOSER);
        try_ring(CLOSER)
#endif
    fi
}

/* Submit the re-arm POLL_ADD(multishot). The kernel polls the file at arm time: an eventfd that is already
 * readable produces a CQE at once (and that CQE can again be a final one). */
inline submit_rearm() {
    atomic {
        needRearm = 0;
        poll_armed = 1;
#ifndef EDGE_ONLY_POLL
        if
        :: efd_ready -> poll_fires()
        :: else -> skip
        fi
#endif
    }
}

inline disarm() {
    atomic { armed = 0; rung = 0 }                         /* getAndBitwiseAnd(~(ARMED|RUNG)) */
}

active proctype Loop() {
    byte s, caughtUp, v, i;
    bit needRearm;

    if                                                      /* may this run see one wake without a doorbell? */
    :: timeout_left = 1
    :: skip
    fi;
work:                                                       /* ---- LoopAgent.doWork() ---- */
#ifndef CAUGHTUP_AFTER_DRAIN
    s = seq;                                                /* s = sequence(word.get()) */
#endif
    do                                                      /* drain until poll() returns null */
    :: d_step {
           qlen > 0 ->
           i = 0;
           do
           :: i < NT && !queued[i] -> i++
           :: else -> break
           od;
           queued[i] = 0; qlen--; ran[i] = 1; nran++;
#ifdef STRICT_FATE
           assert(!rejected[i]);
#endif
           i = 0
       }
#ifdef BOUNDED_DRAIN
       ; break                                              /* stop after one task, caughtUp = s anyway */
#endif
    :: else -> break
    od;
#ifdef CAUGHTUP_AFTER_DRAIN
    s = seq;                                                /* bug: the sequence read after the drain */
#endif
    caughtUp = s; s = 0;
    do                                                      /* reap the CQ */
    :: atomic { cqe_more > 0 -> cqe_more-- };  efd_ready = 0   /* doorbell CQE: read(eventfd) */
    :: atomic { cqe_final -> cqe_final = 0;
#ifndef NO_REARM
                needRearm = 1
#endif
       };  efd_ready = 0                                    /* F_MORE clear: re-arm after the CQ drain */
    :: else -> break
    od;
    if                                                      /* the re-arm SQE is queued now; */
    :: needRearm ->
        if
        :: submit_rearm()                                   /* SQ was full: submit, then take an SQE */
        :: skip                                             /* or it goes with the next io_uring_enter */
#ifdef SKIP_REARM_SQ_FULL
        :: needRearm = 0                                    /* bug: SQ full, re-arm dropped */
#endif
        fi
    :: else -> skip
    fi;

    if
    :: closing -> goto terminate
    :: else -> skip
    fi;

park:                                                       /* ---- LoopAgent.park() ---- */
    atomic {                                                /* v = word.arm(): +ARMED -RUNG */
        armed = 1; v = seq;
#ifndef ARM_KEEPS_RUNG
        rung = 0;
#endif
        epoch_claims = 0;
#ifdef STRICT_WRITES
        epoch_writes = 0
#endif
    }
#ifndef NO_RECHECK
    if
    :: v != caughtUp -> v = 0; disarm(); goto work          /* SEQ moved: do not sleep */
    :: else -> v = 0
    fi;
#endif
    if                                                      /* io_uring_enter: SQEs are submitted first */
    :: needRearm -> submit_rearm()
    :: else -> skip
    fi;
    atomic {
        if
        :: DOORBELL_CQES == 0 ->                            /* it really blocks */
            assert(poll_armed);                             /* (d) the doorbell is not deaf */
            assert(qlen == 0 || OWED);                      /* (a1) a queued task has a wake coming */
            asleep = 1
        :: else -> skip
        fi
    }
end_sleep:
    if
    :: DOORBELL_CQES > 0 -> asleep = 0                      /* min_complete = 1 */
    :: timeout_left -> timeout_left = 0; asleep = 0         /* the park timeout, or an unrelated CQE */
    fi;
    disarm();
    goto work;

terminate:                                                  /* closing: CAS TERMINATED iff SEQ == caughtUp */
    atomic {
        if
#ifdef TERMINATE_NO_CHECK
        :: true ->
#elif !defined(TERMINATE_SEQ_ONLY)
        :: seq == caughtUp && nran == caughtUp ->           /* every task run was also published */
#else
        :: seq == caughtUp ->
#endif
            terminated = 1
        :: else -> skip
        fi
    }
    if
    :: terminated -> skip
#ifndef TERMINATE_SEQ_ONLY
    :: !terminated && seq == caughtUp -> goto park          /* a producer ran ahead of its publish: sleep
                                                               until it publishes (it will see ARMED) */
#endif
    :: else -> goto work                                    /* SEQ moved: drain again */
    fi;
shutdown:
    doorbellClosed = 1;
    (ringers == 0);
    efd_ready = 0;                                          /* drain the eventfd */
    efd_open = 0;                                           /* close it */
    loop_done = 1
}

/* When the system comes to rest (no process can move): check where it rested. */
active proctype Monitor() {
    byte p;
    timeout ->
    atomic {
        assert(!(asleep && qlen > 0));                      /* (a2) stranded task */
        p = 0;
        do
        :: p < NT -> assert(!accepted[p] || ran[p]); p++    /* (a2) every accepted task ran */
        :: else -> break
        od;
        assert(!close_called || loop_done)                  /* (e) close terminates the loop */
    }
}

init {
    byte k = 0;
    atomic {
        do
        :: k < NPROD -> run Producer(k); k++
        :: else -> break
        od
    }
}

#ifdef LTL
ltl stranded { [] ((asleep && qlen > 0) -> <> !asleep) }
#endif
#ifdef LTL_CLOSE
ltl closes { [] (close_called -> <> loop_done) }
#endif
