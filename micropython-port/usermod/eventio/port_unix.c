// The unix port of eventio's core: a monotonic millisecond clock and the blocking idle wait.
//
// The wait is one poll() on the loop's wake-up eventfd, with the next deadline as timeout:
// no tick, no polling interval.  eio_port_wake() (called by eio_post() from a signal handler,
// another thread or the loop) writes to the eventfd, which is async-signal-safe, and a write
// made before poll() starts still ends it at once, so no wake-up is lost.  The GIL is released
// around poll() so other threads can run and post.  A signal (Ctrl-C) interrupts poll(); the
// exception MicroPython then has pending is raised here inside nlr and handed back to the core.

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "py/mphal.h"
#include "py/mpthread.h"
#include "py/runtime.h"
#include "py/stream.h"
#include "glue.h"

static int wake_fd = -1;

static bool ensure_room(size_t n);

void eventio_port_init(void) {
    if (!ensure_room(16)) { // the poll set always has room for the wake-up fd
        mp_raise_msg(&mp_type_MemoryError, NULL);
    }
    if (wake_fd < 0) {
        wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (wake_fd < 0) {
            mp_raise_OSError(errno);
        }
    }
}

eio_ticks_t eio_port_ticks_ms(void) {
    return mp_hal_ticks_ms();
}

void eio_port_wake(void) {
    uint64_t one = 1;
    int saved = errno; // a signal handler must leave errno as it found it
    ssize_t r = write(wake_fd, &one, sizeof one);
    (void)r; // EAGAIN means the counter is already non-zero: the wake is pending anyway
    errno = saved;
}

// ---- Streams ------------------------------------------------------------------------------
//
// The tasks on loop->io wait for their streams.  A stream with a file descriptor (sockets,
// files, stdin) joins the poll() set; one without (a Python object implementing ioctl) is
// asked with MP_STREAM_POLL before each wait, and the wait is then capped at IOCTL_POLL_MS,
// since such an object has no way to wake the loop.

#define IOCTL_POLL_MS 10

// poll() set: [0] is the wake-up eventfd, then one entry per fd-backed waiter.  Grown with
// malloc (outside the GC heap), kept between waits: no allocation in steady state.
static struct pollfd *poll_fds;
static eio_task_t **poll_tasks; // the waiter of each entry (only used within one call)
static size_t poll_cap;

static short poll_events(uint8_t events) {
    return (events & EIO_IO_READ ? POLLIN : 0) | (events & EIO_IO_WRITE ? POLLOUT : 0);
}

static bool ensure_room(size_t n) {
    if (n <= poll_cap) {
        return true;
    }
    size_t cap = poll_cap ? poll_cap * 2 : 16;
    while (cap < n) {
        cap *= 2;
    }
    struct pollfd *f = realloc(poll_fds, cap * sizeof *f);
    if (f != NULL) {
        poll_fds = f;
    }
    eio_task_t **t = realloc(poll_tasks, cap * sizeof *t);
    if (t != NULL) {
        poll_tasks = t;
    }
    if (f == NULL || t == NULL) {
        return false;
    }
    poll_cap = cap;
    return true;
}

// Fill the poll set from loop->io; wake waiters of fd-less streams that are ready.  Returns
// the number of entries; *cap_ms is lowered when fd-less streams must be asked again soon.
static size_t collect(eio_loop_t *loop, int *cap_ms) {
    size_t n = 1;
    poll_fds[0] = (struct pollfd) { .fd = wake_fd, .events = POLLIN };
    eio_task_t *next;
    for (eio_task_t *t = loop->io.head; t != NULL; t = next) {
        next = t->next;
        mp_obj_t stream = eio_io_stream(t);
        const mp_stream_p_t *p = eventio_stream_protocol(stream);
        int err;
        mp_uint_t fd = p->ioctl(stream, MP_STREAM_GET_FILENO, 0, &err);
        if (fd != MP_STREAM_ERROR && ensure_room(n + 1)) {
            poll_fds[n] = (struct pollfd) { .fd = (int)fd, .events = poll_events(eio_io_events(t)) };
            poll_tasks[n++] = t;
            continue;
        }
        mp_uint_t want = eventio_stream_wanted(t);
        if (eventio_stream_ready(want, p->ioctl(stream, MP_STREAM_POLL, want, &err))) {
            eio_wake(loop, t);
            *cap_ms = 0;
        } else if (*cap_ms < 0 || *cap_ms > IOCTL_POLL_MS) {
            *cap_ms = IOCTL_POLL_MS;
        }
    }
    return n;
}

// One poll() over the wake-up fd and the streams, then wake whoever is ready.
static int wait_once(eio_loop_t *loop, int timeout, eio_obj_t *out) {
    nlr_buf_t nlr;
    if (nlr_push(&nlr) != 0) {
        *out = MP_OBJ_FROM_PTR(nlr.ret_val);
        return EIO_ERROR;
    }
    size_t n = collect(loop, &timeout);
    MP_THREAD_GIL_EXIT();
    int ready = poll(poll_fds, n, timeout);
    MP_THREAD_GIL_ENTER();
    if (ready > 0) {
        if (poll_fds[0].revents & POLLIN) {
            uint64_t count;
            ssize_t r = read(wake_fd, &count, sizeof count);
            (void)r;
        }
        for (size_t i = 1; i < n; i++) {
            if (poll_fds[i].revents) {
                eio_wake(loop, poll_tasks[i]);
            }
        }
    }
    nlr_pop();
    return eventio_handle_pending(out);
}

int eio_port_poll(eio_loop_t *loop, eio_obj_t *out) {
    return wait_once(loop, 0, out);
}

int eio_port_wait(eio_loop_t *loop, int64_t timeout_ms, eio_obj_t *out) {
    // Scheduled callbacks run before blocking: one of them may set a flag, and its post
    // then ends the poll at once (the core announced the wait before calling us).
    if (eventio_handle_pending(out) != EIO_OK) {
        return EIO_ERROR;
    }
    int t = timeout_ms < 0 ? -1 : timeout_ms > 0x7fffffff ? 0x7fffffff : (int)timeout_ms;
    return wait_once(loop, t, out);
}

// ---- Signals as interrupt sources: eventio.signal_flag(signum) --------------------------

static volatile uint32_t signal_handles[NSIG];

static void on_signal(int signum) {
    eio_post(signal_handles[signum]);
}

// Post `handle` whenever signal `signum` arrives.
void eventio_port_soft_reset(void) {
}

void eventio_port_pin_source(mp_obj_t pin, mp_int_t trigger, uint32_t handle) {
    (void)pin;
    (void)trigger;
    (void)handle;
    mp_raise_msg(&mp_type_OSError, MP_ERROR_TEXT("no pins on this port"));
}

void eventio_port_signal_source(int signum, uint32_t handle) {
    if (signum <= 0 || signum >= NSIG || signum == SIGKILL || signum == SIGSTOP) {
        mp_raise_ValueError(MP_ERROR_TEXT("invalid signal number"));
    }
    signal_handles[signum] = handle;
    struct sigaction sa = { 0 };
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(signum, &sa, NULL) != 0) {
        mp_raise_OSError(errno);
    }
}

// ---- A native interrupt source for tests and benchmarks: eventio.test_source() ----------
//
// A detached native thread posts `handle` `count` times, `period_us` apart (0: as fast as
// it can), with no Python and no GIL on the posting side, as an interrupt handler would.

#include <pthread.h>

typedef struct {
    uint32_t handle;
    uint32_t count;
    uint32_t period_us;
    bool values;
} source_args_t;

static void *source_main(void *arg) {
    source_args_t a = *(source_args_t *)arg;
    free(arg);
    for (uint32_t i = 0; i < a.count; i++) {
        if (a.period_us) {
            usleep(a.period_us);
        }
        int r = a.values ? eio_queue_put(a.handle, i) : eio_post(a.handle);
        if (r == EIO_E_BAD_HANDLE) {
            break; // the flag is gone
        }
    }
    return NULL;
}

void eventio_port_test_source(uint32_t handle, uint32_t count, uint32_t period_us, bool values) {
    source_args_t *a = malloc(sizeof *a);
    if (a == NULL) {
        mp_raise_msg(&mp_type_MemoryError, NULL);
    }
    *a = (source_args_t) { handle, count, period_us, values };
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int r = pthread_create(&th, &attr, source_main, a);
    pthread_attr_destroy(&attr);
    if (r != 0) {
        free(a);
        mp_raise_OSError(r);
    }
}
