/*
 * c-limit: the physical floor for waking a sleeping thread on this machine.
 *
 * Two threads, no event loop, no queue: the waiter sleeps in FUTEX_WAIT on a 32-bit word; the producer sets the word,
 * calls FUTEX_WAKE, then spins on an answer counter the waiter bumps when it runs. That is the same answer mechanism
 * the Java side uses (the producer spins on a counter the task increments), so the difference between a loop and this
 * program is what the loop adds on top of one futex wake.
 *
 * usage: futex_pingpong parked <samples> <budget_ms> <max_sleep_wait_us> [pin <producer cpu> <waiter cpu>]
 *        futex_pingpong gap <gap_ns> <samples> <budget_ms> [pin <producer cpu> <waiter cpu>]
 * prints: "tid <waiter tid>", one "s <ns>" per sample, "idle <ns>" per parked sample (how long the waiter had been
 * idle when signalled), "skipped <n>", "done"; or "error <why>" and exit status 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static _Atomic uint32_t bell;
static _Atomic uint64_t answered;
static _Atomic int waiter_tid;
static _Atomic int stop;
static int waiter_cpu = -1;

/* a lost wake must show up as an error, not as a hang */
static const uint64_t ANSWER_TIMEOUT_NS = 10ull * 1000 * 1000 * 1000;
static const int WARMUP_ROUNDTRIPS = 200;

static long futex(_Atomic uint32_t *word, int op, uint32_t val, const struct timespec *timeout) {
    return syscall(SYS_futex, word, op, val, timeout, NULL, 0);
}

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t); /* the clock System.nanoTime() reads */
    return (uint64_t) t.tv_sec * 1000000000ull + (uint64_t) t.tv_nsec;
}

/* pins the calling thread; the Java side's --pin places its threads the same way */
static int pin_self(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set);
}

static void *waiter(void *unused) {
    (void) unused;
    if (waiter_cpu >= 0 && pin_self(waiter_cpu) != 0) {
        printf("error sched_setaffinity(%d): %s\n", waiter_cpu, strerror(errno));
        exit(2);
    }
    /* a timeout only so that a lost wake would be survivable; it never fires in a healthy run */
    struct timespec timeout = {1, 0};
    atomic_store(&waiter_tid, (int) syscall(SYS_gettid));
    for (;;) {
        while (atomic_load_explicit(&bell, memory_order_acquire) == 0) {
            futex(&bell, FUTEX_WAIT_PRIVATE, 0, &timeout);
        }
        atomic_store_explicit(&bell, 0, memory_order_relaxed);
        if (atomic_load(&stop)) {
            return NULL;
        }
        /* release: the reset of the bell is visible before the producer sees the answer and rings again */
        atomic_fetch_add_explicit(&answered, 1, memory_order_release);
    }
}

/* the thread's state letter from /proc/self/task/<tid>/stat: the same check the Java side makes */
static char state_of(int fd) {
    char buf[1024];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0) {
        return '?';
    }
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    return (p && p[1] == ' ' && p[2]) ? p[2] : '?';
}

/* one wake and its answer; returns the time the answer was seen, or 0 if it never came */
static uint64_t roundtrip(uint64_t *t0_out) {
    uint64_t target = atomic_load_explicit(&answered, memory_order_acquire) + 1;
    uint64_t t0 = now_ns();
    atomic_store_explicit(&bell, 1, memory_order_seq_cst);
    futex(&bell, FUTEX_WAKE_PRIVATE, 1, NULL);
    uint64_t t1;
    while (atomic_load_explicit(&answered, memory_order_acquire) < target) {
        __builtin_ia32_pause();
        t1 = now_ns();
        if (t1 - t0 > ANSWER_TIMEOUT_NS) {
            return 0;
        }
    }
    t1 = now_ns();
    if (t0_out) {
        *t0_out = t0;
    }
    return t1;
}

int main(int argc, char **argv) {
    int parked;
    long gap_ns = 0, samples, budget_ms, max_sleep_wait_us = 0;
    if (argc == 8 && strcmp(argv[5], "pin") == 0) {
        int producer_cpu = atoi(argv[6]);
        waiter_cpu = atoi(argv[7]);
        if (pin_self(producer_cpu) != 0) {
            printf("error sched_setaffinity(%d): %s\n", producer_cpu, strerror(errno));
            return 2;
        }
        argc = 5;
    }
    if (argc == 5 && strcmp(argv[1], "parked") == 0) {
        parked = 1;
        samples = atol(argv[2]);
        budget_ms = atol(argv[3]);
        max_sleep_wait_us = atol(argv[4]);
    } else if (argc == 5 && strcmp(argv[1], "gap") == 0) {
        parked = 0;
        gap_ns = atol(argv[2]);
        samples = atol(argv[3]);
        budget_ms = atol(argv[4]);
    } else {
        fprintf(stderr, "usage: %s parked <samples> <budget_ms> <max_sleep_wait_us> | gap <gap_ns> <samples> <budget_ms>\n", argv[0]);
        return 1;
    }
    pthread_t thread;
    if (pthread_create(&thread, NULL, waiter, NULL) != 0) {
        printf("error pthread_create failed\n");
        return 2;
    }
    while (atomic_load(&waiter_tid) == 0) {
        __builtin_ia32_pause();
    }
    int tid = atomic_load(&waiter_tid);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
    int stat_fd = open(path, O_RDONLY | O_CLOEXEC);
    if (stat_fd < 0) {
        printf("error open %s: %s\n", path, strerror(errno));
        return 2;
    }
    printf("tid %d\n", tid);

    uint64_t last = 0;
    for (int i = 0; i < WARMUP_ROUNDTRIPS; i++) {
        if ((last = roundtrip(NULL)) == 0) {
            printf("error lost wake during warm-up\n");
            return 2;
        }
    }
    uint64_t end = now_ns() + (uint64_t) budget_ms * 1000000ull;
    long taken = 0, skipped = 0;
    while (taken < samples && now_ns() < end) {
        if (parked) {
            uint64_t give_up = now_ns() + (uint64_t) max_sleep_wait_us * 1000ull;
            int asleep = 0;
            while (now_ns() < give_up) {
                if (state_of(stat_fd) == 'S') {
                    asleep = 1;
                    break;
                }
            }
            if (!asleep) {
                skipped++;
                continue;
            }
        } else {
            while (now_ns() - last < (uint64_t) gap_ns) {
                __builtin_ia32_pause();
            }
        }
        uint64_t t0 = 0, t1 = roundtrip(&t0);
        if (t1 == 0) {
            printf("error lost wake: no answer within 10 s\n");
            return 2;
        }
        printf("s %llu\n", (unsigned long long) (t1 - t0));
        if (parked) {
            printf("idle %llu\n", (unsigned long long) (t0 - last));
        }
        last = t1;
        taken++;
    }
    atomic_store(&stop, 1);
    atomic_store(&bell, 1);
    futex(&bell, FUTEX_WAKE_PRIVATE, 1, NULL);
    pthread_join(thread, NULL);
    printf("skipped %ld\ndone\n", skipped);
    return 0;
}
