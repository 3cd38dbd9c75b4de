/*
 * The echo_pingpong client in C: N connections to 127.0.0.1:PORT, each with one message in flight, the next sent as
 * soon as the whole echo is back; one thread, epoll. Cheaper per message than a JVM Selector, so that the servers,
 * not the client, set the rate.
 *
 * usage: pingpong_client PORT CONNECTIONS MESSAGE_BYTES
 * Connects, prints "ready", then for each line "run NANOS" on stdin: ping-pongs for NANOS, waits for the echoes in
 * flight, and prints "rtt NS" per echo in batches of lines, then "done ECHOES". Any failure prints "error WHAT" and
 * exits 1. Every echo is checked: its first 8 bytes carry the message's sequence number.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct conn {
    int fd;
    uint64_t seq;
    uint64_t sent_at;
    size_t got;
};

static int bytes;
static char *out_buf;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

static void fail(const char *what) {
    printf("error %s: %s\n", what, strerror(errno));
    fflush(stdout);
    exit(1);
}

static void send_one(struct conn *c) {
    c->seq++;
    memcpy(out_buf, &c->seq, sizeof c->seq);
    c->sent_at = now_ns();
    c->got = 0;
    size_t off = 0;
    while (off < (size_t) bytes) {
        ssize_t n = send(c->fd, out_buf + off, bytes - off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) {
                continue; /* one small message into a socket with nothing queued: not seen, spin if it happens */
            }
            fail("send");
        }
        off += (size_t) n;
    }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s PORT CONNECTIONS MESSAGE_BYTES\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1]);
    int count = atoi(argv[2]);
    bytes = atoi(argv[3]);
    if (bytes < 8) {
        fprintf(stderr, "messages carry an 8-byte sequence: at least 8 bytes\n");
        return 2;
    }
    out_buf = calloc(1, bytes);
    char *in_buf = malloc(bytes);
    struct conn *conns = calloc(count, sizeof *conns);
    uint64_t *rtts = malloc(sizeof(uint64_t) * 1048576);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (!out_buf || !in_buf || !conns || !rtts || ep < 0) {
        fail("setup");
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int i = 0; i < count; i++) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *) &addr, sizeof addr) < 0) {
            fail("connect");
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        conns[i].fd = fd;
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t) i};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
            fail("epoll_ctl");
        }
    }
    printf("ready\n");
    fflush(stdout);
    struct epoll_event events[256];
    char line[128];
    while (fgets(line, sizeof line, stdin)) {
        long long nanos;
        if (sscanf(line, "run %lld", &nanos) != 1) {
            continue;
        }
        uint64_t end = now_ns() + (uint64_t) nanos;
        long echoes = 0;
        int outstanding = count;
        size_t nrtt = 0;
        for (int i = 0; i < count; i++) {
            send_one(&conns[i]);
        }
        uint64_t last_progress = now_ns();
        while (outstanding > 0) {
            int n = epoll_wait(ep, events, 256, 1000);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                fail("epoll_wait");
            }
            uint64_t now = now_ns();
            if (n == 0) {
                if (now - last_progress > 10000000000ull) {
                    errno = ETIMEDOUT;
                    fail("stalled: no echo for 10 s");
                }
                continue;
            }
            last_progress = now;
            for (int e = 0; e < n; e++) {
                struct conn *c = &conns[events[e].data.u32];
                ssize_t r = recv(c->fd, in_buf + c->got, bytes - c->got, MSG_DONTWAIT);
                if (r == 0) {
                    errno = ECONNRESET;
                    fail("the server closed a connection");
                }
                if (r < 0) {
                    if (errno == EAGAIN || errno == EINTR) {
                        continue;
                    }
                    fail("recv");
                }
                if (c->got == 0 && r >= 8) {
                    uint64_t seq;
                    memcpy(&seq, in_buf, sizeof seq);
                    if (seq != c->seq) {
                        errno = EPROTO;
                        fail("an echo differs from the message sent");
                    }
                }
                c->got += (size_t) r;
                if (c->got < (size_t) bytes) {
                    continue;
                }
                if (nrtt < 1048576) {
                    rtts[nrtt++] = now - c->sent_at;
                }
                echoes++;
                if (now < end) {
                    send_one(c);
                } else {
                    outstanding--;
                }
            }
        }
        for (size_t i = 0; i < nrtt; i++) {
            printf("rtt %llu\n", (unsigned long long) rtts[i]);
        }
        printf("done %ld\n", echoes);
        fflush(stdout);
    }
    return 0;
}
