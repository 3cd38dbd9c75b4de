/*
 * wake.pml: the ringloop wake protocol (the task queue's producer index as the wake word + eventfd doorbell with a
 * multishot POLL_ADD + close), checked exhaustively with Spin. model/check.sh builds and runs every configuration
 * below; read it for the commands.
 *
 * Actors: NPROD (3) producers, one closer (close() is called, or never), the loop thread, and a monitor that checks
 * the state the system comes to rest in. The kernel is not a process: an eventfd write runs the poll wakeup
 * inside the write, and a POLL_ADD is polled once when it is submitted, as the kernel does in those contexts.
 * The loop may once wake with no doorbell CQE (its park timeout or an unrelated I/O CQE), or never: that is what
 * makes stale claims and late rings reachable. Every run is finite (check.sh proves it: no cycles at all), so the
 * at-rest assertions are the liveness properties; the LTL versions are there to cross-check.
 *
 * The protocol in one paragraph: the word is the queue's producer index. execute() claims a slot with one atomic
 * add on it, which also returns the loop's ARMED/RUNG/TERMINATED bits, then stores the task in the slot. The loop
 * takes slots in order and waits for a claimed slot whose task is not stored yet; it is caught up when its consumer
 * index equals the sequence. To sleep it arms (one read-modify-write of the same word) and compares the sequence it
 * returned with its consumer index. One word, so claim and arm are totally ordered: either the claim came first and
 * the loop does not sleep, or the arm came first and the claimer sees ARMED and rings. A busy loop costs a producer
 * exactly one atomic.
 *
 * Where the loop sleeps (WordSleep.java): before each arm it publishes a choice, its ring or its wake word. On the
 * word it sleeps with futex(2), which queues it only if the word's low bits (SEQ, RUNG) still hold the armed value;
 * the producer that wins the bell reads the choice after its claim and wakes that way: a futex wake, or the eventfd.
 * The model lets the loop choose either whenever no re-arm is owed (the Java code chooses the word only with nothing
 * in flight and nothing to submit); a winner may read a later sleep's choice, which the model allows too.
 *
 * Map to the Java code (ringloop-loop; WakeWord.java is the spec of the word, TaskQueue.java of the queue):
 *   the word: seq, armed, rung, terminated ...... WakeWord's long: ARMED bit 0, RUNG bit 1, TERMINATED bit 2,
 *                                                  SEQ bits 3.. (the queue's producer index)
 *   word.claim() in TaskQueue.offer .............. inline claim (one atomic getAndAdd; `want` = shouldRing)
 *   the slot store in TaskQueue.offer ............ inline store
 *   word.claimRing() ............................. inline try_ring, its first atomic (getAndBitwiseOr(RUNG))
 *   word.arm() (its CAS loop is one RMW) ......... Loop, the atomic after label park
 *   word.disarm() ................................ inline disarm
 *   TaskQueue.poll / consumed() .................. Loop, the drain loop: take slot[taken] in order, wait for a
 *                                                  claimed slot still empty; caughtUp = taken. (Java's poll returns
 *                                                  null there; the loop cannot sleep while SEQ is ahead of taken,
 *                                                  since idle() stands back and the arm's re-check fails, and a
 *                                                  later pass takes the task: the model folds those passes into one
 *                                                  blocking wait, as it leaves out the idle spin.)
 *   EventLoop.execute(task) ...................... proctype Producer
 *   EventLoop.close() ............................ proctype Closer: closing = true, then wakes the loop the way
 *                                                  execute(noop) does (LoopLifecycle.beginClose offers a no-op)
 *   doorbell.ring() with the ringers guard ....... inline ring
 *   write(eventfd) + the kernel's poll wakeup .... inline eventfd_write, inline poll_fires
 *   LoopAgent.doWork() (TaskDrain.run) ........... Loop, label work down to the re-arm
 *   reap CQEs, read(eventfd) per doorbell CQE .... Loop, the "reap the CQ" do-loop
 *   re-arm POLL_ADD after the CQ drain ........... Loop, after the reap loop; inline submit_rearm
 *   WordSleep.choose, before word.arm() .......... inline choose_where (where_word)
 *   the producer's wake: futex wake or eventfd ... inline wake (DoorbellDriver.ring: WordSleep.wake or doRing)
 *   WordSleep.sleep (futex FUTEX_WAIT) ........... Loop, label word_sleep down to end_wsleep
 *   LoopAgent.park() ............................. Loop, label park down to end_sleep (LoopAgent.idle's spin,
 *                                                  IdleSpin, only delays it and is not modelled)
 *   io_uring_enter(GETEVENTS, min_complete=1) .... submit_rearm (queued SQEs go first), then the if at end_sleep
 *   terminate CAS, close the doorbell ............ Loop, labels terminate and shutdown (LoopAgent.finishIfQuiet:
 *                                                  WakeWord.terminate(consumed), one CAS)
 *   read(eventfd) ................................ EventfdPollDoorbell.afterReap: after every reap that saw a
 *                                                  doorbell CQE, and before a re-arm; the model drains per CQE,
 *                                                  which is the same at the points where the loop decides
 * Doorbells not modelled, and why none needs a model of its own: every doorbell is gated by the same word, so the
 * model's `ring` step (the one claimer of a sleep writes once, possibly much later) stands for each; what differs is
 * how the wake can fail.
 *   EVENTFD_READ, FUTEX_WAIT: one-shot SQEs queued before every sleep; the kernel cannot end them early, and when
 *     one cannot be queued the loop bounds its sleep (beforePark/armed return false) instead of sleeping deaf.
 *   SEND_MSG_RING: nothing armed; a message the kernel refuses is rung by the same claimer through a backup eventfd
 *     whose one-shot READ is pending from the first sleep on: the model's ring, by another route.
 *   The epoll backend (EpollKernel): the same word, the same claim, the EVENTFD_READ doorbell; only the "kernel"
 *     under the READ differs: our own, which completes it when an edge-triggered epoll registration of the eventfd
 *     reports it readable. Its one new way to fail is the model's EDGE_ONLY_POLL: an arm that waits for an edge
 *     while the eventfd is already readable (its edge taken earlier) would never be woken. The model's arm looks
 *     at the level (submit_rearm's efd_ready check); the code keeps it by trying every request before it waits
 *     unless an EAGAIN (or a short transfer before any hang-up) since the last edge said there is nothing, and the
 *     two code mutants "an epoll request waits for an edge without trying first" and "a short receive after the
 *     peer's FIN waits for an edge that was already taken" are that mistake, caught by EpollBackendTest and
 *     WriteAllReceivedTest on the epoll backend.
 *   MSG_RING (between loops): a message the kernel will not take is revoked and the target's own doorbell rung by
 *     the same claimer; one the kernel fails is rung through the target's doorbell when the sender reaps the
 *     failure: in the model's terms a claimer that writes late, which the model already lets happen at any point.
 *
 * Properties (assertions; pan prints the one that fails):
 *   (a)  no task stays queued while the loop sleeps with no wake pending:
 *        (a1) at the moment the loop blocks: every claimed slot was taken, or some producer/closer still owes a
 *             wake (its claim saw ARMED and it has not stored, or not claimed the bell yet, or it claimed and has
 *             not written yet). Each of those ends in a write, or finds RUNG set by one that does. (No doorbell CQE
 *             is pending, or the loop would not block.)
 *        (a2) at rest: the loop is not asleep with a task queued, and every accepted task ran.
 *             -DLTL: the same as [] ((asleep && qlen > 0) -> <> !asleep).
 *   (b)  no eventfd write after the loop closed the eventfd.
 *   (c)  at most one successful claim, hence one ring, per arm (the RUNG latch).
 *        -DSTRICT_WRITES asserts at most one eventfd WRITE per arm instead: that does not hold (a finding).
 *   (d)  when the loop blocks, the doorbell poll is armed: the doorbell is never deaf.
 *   (e)  at rest, if close() was called, the loop has shut down. -DLTL_CLOSE: [] (close_called -> <> loop_done).
 *   -DSTRICT_FATE adds: a task that execute() rejected never ran (the Executor contract). It failed once, in the
 *        earlier protocol (enqueue, then publish on a separate word: the loop could run a task before its publish
 *        and terminate, and the publish then rejected a task that ran). Claiming the slot IS the publish now, so a
 *        task cannot run unpublished; TERMINATE_SPLIT is the way left to break it.
 *
 * Mutants, each must be caught: NO_RECHECK (park sleeps without comparing the sequence), WANT_BEFORE_CLAIM (the
 * producer reads ARMED in a step of its own before its claim: the one-atomic rule is the ordering), NO_REARM (the poll
 * is not re-armed after a CQE without F_MORE), SKIP_REARM_SQ_FULL (the re-arm is dropped when the SQ is full),
 * NO_RINGER_GUARD, NO_RUNG (claims ignore RUNG), ARM_KEEPS_RUNG (arm does not clear RUNG), CAUGHTUP_AT_SEQ (the
 * sequence read before the drain taken as caught up although the drain stopped short of it), CAUGHTUP_AFTER_DRAIN
 * (the sequence read after the drain taken as caught up), SKIP_EMPTY_SLOT (the drain steps over a claimed slot whose
 * task is not stored yet instead of waiting for it), TERMINATE_NO_CHECK (TERMINATED set without the sequence
 * check), TERMINATE_SPLIT (the sequence checked, then TERMINATED set by a second step: not one CAS),
 * CLOSE_NO_WAKE (close() only sets the flag), EDGE_ONLY_POLL (a kernel assumption: if a POLL_ADD on an already
 * readable eventfd did not report it, the protocol would lose wakes), WHERE_AFTER_ARM (the choice of sleep is
 * published after the arm: a winner reads the last sleep's "word", wakes nobody, and the loop sleeps in the ring),
 * NO_FUTEX_CHECK (the word sleep queues whatever the word holds: a bell between the arm and the wait is lost).
 * Replaced with the one-atomic protocol (their rules are gone, not their coverage): RING_BEFORE_ENQUEUE became
 * WANT_BEFORE_CLAIM (ringing before the store is now harmless: the loop waits for a claimed slot); BOUNDED_DRAIN
 * became CAUGHTUP_AT_SEQ (a drain may stop early now, caughtUp is the consumer index); TERMINATE_SEQ_ONLY became
 * TERMINATE_SPLIT.
 */

#ifndef NPROD
#define NPROD 3
#endif
#define CLOSER NPROD         /* index of the closer in pst[] and task slots */
#define NT (NPROD + 1)       /* task slots: NPROD producers + the closer's wake task */

/* ---- the wake word ---- */
byte seq;                    /* SEQ: slots claimed so far (the queue's producer index) */
bit armed;                   /* ARMED */
bit rung;                    /* RUNG */
bit terminated;              /* TERMINATED */

/* ---- the MPSC task queue (slots in claim order), and each task's fate ---- */
byte slot[NT + NT];          /* task + 1 once stored, 0 while claimed and not stored; a claim after TERMINATED
                                takes a slot too (the atomic add does) but never stores */
byte taken;                  /* the loop's consumer index: slots taken */
byte qlen;                   /* tasks stored and not taken */
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

/* ---- the sleep on the wake word (WordSleep): futex(2) on the word, no ring ---- */
bit where_word;              /* the loop's published choice for its coming sleep: 1 word, 0 ring */
bit fwait;                   /* the loop is queued on the word's futex */
bit fwoken;                  /* a FUTEX_WAKE found it queued */

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
byte pst[NT];                /* wake owed by producer/closer: 0 none, 1 claim saw ARMED, task not stored yet,
                                2 saw ARMED, stored, bell not claimed yet, 3 claimed not yet written */
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
inline futex_wake(me) {
    atomic {
        if
        :: fwait -> fwoken = 1
        :: else -> skip                                     /* nobody queued: the wake is lost, by design */
        fi;
        set_pst(me, 0)
    }
}

/* The wake itself: to the word's futex if the loop published a sleep on the word (read after the claim, so this
 * sleep's choice or a later sleep's), else the eventfd. */
inline wake(me) {
    if
    :: where_word -> futex_wake(me)
    :: else -> eventfd_write(me)
    fi
}

inline ring(me) {
#ifndef NO_RINGER_GUARD
    atomic { ringers++; mine = 0 }
    if
    :: !doorbellClosed -> atomic { wake(me); ringers-- }
    :: else -> atomic { set_pst(me, 0); ringers-- }
    fi
#else
    atomic { wake(me); mine = 0 }
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

/* before = word.claim() (getAndAdd(SEQ_ONE)): slot k is ours; a TERMINATED before rejects, else shouldRing(before)
 * is kept. WANT_BEFORE_CLAIM: the bits are read by a load of their own before the claim. */
inline claim(me) {
#ifdef WANT_BEFORE_CLAIM
    want = SHOULD_RING(armed, rung) && !terminated;
#endif
    atomic {
#ifndef WANT_BEFORE_CLAIM
        want = SHOULD_RING(armed, rung) && !terminated;
#endif
        k = seq;
        seq++;
        if
        :: terminated -> rejected[me] = 1; want = 0
        :: else -> accepted[me] = 1
        fi;
        if
        :: want -> set_pst(me, 1)
        :: else -> set_pst(me, 0)
        fi
    }
}

/* the slot store (a release store of the task into slot k) */
inline store(me) {
    atomic {
        slot[k] = me + 1; qlen++; k = 0;
        if
        :: pst[me] == 1 -> set_pst(me, 2)
        :: else -> skip
        fi
    }
}

/* TaskQueue.offer then the bell: claim, store unless rejected, ring if the claim saw ARMED and wins RUNG */
inline offer_and_ring(me) {
    claim(me);
    if
    :: rejected[me] -> skip                                 /* TERMINATED: the slot stays empty forever */
    :: else -> store(me)
    fi;
    try_ring(me)
}

/* EventLoop.execute(task) */
proctype Producer(byte me) {
    bit want, mine;
    byte k;
    if
    :: closing -> rejected[me] = 1                          /* if closed -> reject */
    :: else -> offer_and_ring(me)
    fi
}

/* EventLoop.close(): closing = true, then wake the loop as execute(noop) would (bypassing the closed check).
 * EventLoop.beginClose offers a no-op task for it; CLOSE_NO_WAKE shows that a wake is needed. */
active proctype Closer() {
    bit want, mine;
    byte k;
    if
    :: skip                                                 /* close() is never called */
    :: close_called = 1;
        closing = 1;
#ifndef CLOSE_NO_WAKE
        offer_and_ring(CLOSER)
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

/* WordSleep.choose, before the arm: a sleep on the word only when nothing is owed to the ring (the model's stand-in
 * for "nothing in flight, nothing to submit": a pending re-arm is an SQE to submit); else either, as the I/O state
 * the model does not track allows. */
inline choose_where() {
    if
    :: !needRearm -> where_word = 1
    :: where_word = 0
    fi
}

inline disarm() {
    atomic { armed = 0; rung = 0 }                         /* getAndBitwiseAnd(~(ARMED|RUNG)) */
}

active proctype Loop() {
    byte s, caughtUp, v, i;
    bit needRearm, batch;                                   /* batch: this drain took a task */

    if                                                      /* may this run see one wake without a doorbell? */
    :: timeout_left = 1
    :: skip
    fi;
work:                                                       /* ---- LoopAgent.doWork() ---- */
#ifdef CAUGHTUP_AT_SEQ
    s = seq;                                                /* bug: the sequence read before the drain ... */
#endif
    do                                                      /* TaskQueue.poll until it returns null */
    :: d_step {
           slot[taken] != 0 ->                              /* take the next slot */
           i = slot[taken] - 1; slot[taken] = 0; taken++; qlen--; ran[i] = 1; nran++; batch = 1;
#ifdef STRICT_FATE
           assert(!rejected[i]);
#endif
           i = 0
       }
    :: atomic { slot[taken] == 0 && taken == seq -> break } /* empty: every claimed slot was taken */
#ifdef SKIP_EMPTY_SLOT
    :: atomic { slot[taken] == 0 && taken != seq -> taken++ }  /* bug: step over a claimed slot not stored yet */
#endif
    :: batch > 0 -> break                                   /* the drain's batch is full: stop early */
    od;                                                     /* (a claimed slot not stored yet: poll waits) */
    batch = 0;
#if defined(CAUGHTUP_AT_SEQ)
    caughtUp = s; s = 0;                                    /* ... taken as caught up */
#elif defined(CAUGHTUP_AFTER_DRAIN)
    caughtUp = seq;                                         /* bug: the sequence read after the drain */
#else
    caughtUp = taken;                                       /* TaskQueue.consumed() */
#endif
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
#ifndef WHERE_AFTER_ARM
    choose_where();
#endif
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
    :: else -> skip
    fi;
#endif
#ifdef WHERE_AFTER_ARM
    choose_where();                                         /* bug: published after the arm */
#endif
    if
    :: where_word -> goto word_sleep
    :: else -> v = 0
    fi;
    if                                                      /* io_uring_enter: SQEs are submitted first */
    :: needRearm -> submit_rearm()
    :: else -> skip
    fi;
    atomic {
        if
        :: DOORBELL_CQES == 0 ->                            /* it really blocks */
            assert(poll_armed);                             /* (d) the doorbell is not deaf */
            assert(seq == taken || OWED);                   /* (a1) a claimed task has a wake coming */
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

word_sleep:                                                 /* ---- WordSleep.sleep(v) ---- */
    atomic {                                                /* futex_wait: queued only if the low bits still */
        if                                                  /* hold the armed value (SEQ and RUNG unchanged) */
#ifdef NO_FUTEX_CHECK
        :: true ->                                          /* bug: waits whatever the word holds */
#else
        :: seq == v && !rung ->
#endif
            assert(seq == taken || OWED);                   /* (a1) a claimed task has a wake coming */
            fwait = 1; asleep = 1
        :: else -> skip                                     /* EAGAIN */
        fi;
        v = 0
    }
end_wsleep:
    if
    :: !fwait -> skip
    :: fwoken -> atomic { fwait = 0; fwoken = 0; asleep = 0 }
    :: timeout_left -> atomic { timeout_left = 0; fwait = 0; fwoken = 0; asleep = 0 }   /* the timeout */
    fi;
    disarm();
    goto work;

terminate:                                                  /* closing: CAS TERMINATED iff SEQ == caughtUp */
#ifdef TERMINATE_SPLIT
    v = (seq == caughtUp);                                  /* bug: the check ... */
    atomic { if :: v -> terminated = 1 :: else -> skip fi; v = 0 }   /* ... and the set are two steps */
#else
    atomic {
        if
#ifdef TERMINATE_NO_CHECK
        :: true ->
#else
        :: seq == caughtUp && !armed ->
#endif
            terminated = 1
        :: else -> skip
        fi
    }
#endif
    if
    :: terminated -> skip
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
