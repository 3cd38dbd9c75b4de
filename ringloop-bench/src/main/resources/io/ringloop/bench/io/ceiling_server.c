/*
 * The I/O rows' ceiling: an echo or HTTP server in C with almost no work of its own in user space. Each thread has
 * an epoll instance and a listening socket of its own on one port (SO_REUSEPORT), registers every connection
 * edge-triggered, reads until a short read, and writes back at once (what the socket does not take waits for
 * EPOLLOUT). HTTP answers every request (each "\r\n\r\n") with the benchmark servers' fixed response. On two CPUs
 * shared with the client, what this server reaches is about what any epoll server can: the rest is the kernel's and
 * the client's (an io_uring server passes it only by entering the kernel less per operation).
 *
 * usage: ceiling_server echo|http THREADS
 * Binds 127.0.0.1 on a free port, prints "127.0.0.1:PORT", serves until killed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FDS 65536
#define READ_BYTES 65536

static const char RESPONSE[] = "HTTP/1.1 200 OK\r\nServer: ringloop\r\nContent-Type: text/plain\r\n"
                               "Content-Length: 13\r\n\r\nHello, World!";

/* What a connection could not write yet, and how much of a request end ("\r\n\r\n") its last read ended in. */
struct conn {
    char *out;
    size_t len;
    size_t cap;
    int matched;
};

static struct conn conns[MAX_FDS];
static int http;
static int port;

static void fail(const char *what) {
    printf("error %s: %s\n", what, strerror(errno));
    exit(1);
}

static void send_or_keep(int fd, const char *p, size_t n) {
    struct conn *c = &conns[fd];
    if (c->len == 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w == (ssize_t) n) {
            return;
        }
        if (w < 0 && errno != EAGAIN) {
            return; /* the peer is gone: its hangup closes it */
        }
        if (w > 0) {
            p += w;
            n -= (size_t) w;
        }
    }
    if (c->len + n > c->cap) {
        c->cap = (c->len + n) * 2;
        c->out = realloc(c->out, c->cap);
        if (c->out == NULL) {
            fail("realloc");
        }
    }
    memcpy(c->out + c->len, p, n);
    c->len += n;
}

static void flush(int fd) {
    struct conn *c = &conns[fd];
    while (c->len > 0) {
        ssize_t w = send(fd, c->out, c->len, MSG_NOSIGNAL);
        if (w <= 0) {
            return;
        }
        memmove(c->out, c->out + w, c->len - (size_t) w);
        c->len -= (size_t) w;
    }
}

static void answer(int fd, const char *buf, ssize_t r) {
    if (!http) {
        send_or_keep(fd, buf, (size_t) r);
        return;
    }
    int m = conns[fd].matched;
    for (ssize_t i = 0; i < r; i++) {
        m = buf[i] == "\r\n\r\n"[m] ? m + 1 : (buf[i] == '\r' ? 1 : 0);
        if (m == 4) {
            send_or_keep(fd, RESPONSE, sizeof RESPONSE - 1);
            m = 0;
        }
    }
    conns[fd].matched = m;
}

static int listener(void) {
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        fail("socket");
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *) &a, sizeof a) != 0 || listen(fd, 4096) != 0) {
        fail("bind");
    }
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *) &a, &len);
    port = ntohs(a.sin_port);
    return fd;
}

static void *serve(void *arg) {
    int ls = (int) (long) arg;
    int one = 1;
    char *buf = malloc(READ_BYTES);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = ls};
    struct epoll_event events[256];
    if (buf == NULL || ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev) != 0) {
        fail("epoll");
    }
    for (;;) {
        int n = epoll_wait(ep, events, 256, -1);
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == ls) {
                int c;
                while ((c = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    if (c >= MAX_FDS) {
                        close(c);
                        continue;
                    }
                    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    conns[c].len = 0;
                    conns[c].matched = 0;
                    struct epoll_event ce = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.fd = c};
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
                }
                continue;
            }
            if (events[i].events & EPOLLOUT) {
                flush(fd);
            }
            if (!(events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
                continue;
            }
            for (;;) {
                ssize_t r = recv(fd, buf, READ_BYTES, 0);
                if (r > 0) {
                    answer(fd, buf, r);
                    if (r < READ_BYTES) {
                        break; /* a short read emptied the socket: the next bytes bring a new edge */
                    }
                    continue;
                }
                if (r == 0 || errno != EAGAIN) {
                    conns[fd].len = 0;
                    close(fd);
                }
                break;
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3 || (strcmp(argv[1], "echo") != 0 && strcmp(argv[1], "http") != 0) || atoi(argv[2]) < 1) {
        fprintf(stderr, "usage: ceiling_server echo|http THREADS\n");
        return 2;
    }
    http = strcmp(argv[1], "http") == 0;
    int threads = atoi(argv[2]);
    int first = listener();
    for (int t = 1; t < threads; t++) {
        pthread_t id;
        if (pthread_create(&id, NULL, serve, (void *) (long) listener()) != 0) {
            fail("pthread_create");
        }
    }
    printf("127.0.0.1:%d\n", port);
    fflush(stdout);
    serve((void *) (long) first);
    return 0;
}
