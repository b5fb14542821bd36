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
#include <pthread.h>
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

// ---- The critical section (include/eventio.h: eio_port_critical_enter) -------------------
//
// Python threads run in parallel with the loop (the unix port has no GIL), and signal
// handlers run in any thread, so the section is both: every signal blocked in the calling
// thread, then one process-wide mutex, taken by the outermost section of each thread (the
// depth and the mask to restore are thread-locals).  The signals are blocked before the mutex
// is taken and unblocked after it is released, so a signal handler that enters the section
// never runs in a thread that holds the mutex: it can only wait for another thread, which
// does not wait for it.  A thread holds the section for a few dozen instructions (the core
// neither calls Python nor waits inside it), so a collector that signals this thread to scan
// its stack waits no longer than that.  MicroPython's own atomic section is not used: the
// collector holds its mutex while it waits for every thread's answer to that signal.

static pthread_mutex_t critical_mutex = PTHREAD_MUTEX_INITIALIZER;
static __thread unsigned critical_depth;
static __thread sigset_t critical_saved;

uint32_t eio_port_critical_enter(void) {
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    if (critical_depth++ > 0) {
        return 0; // nested: the outer section holds the mutex and restores the mask
    }
    critical_saved = old;
    pthread_mutex_lock(&critical_mutex);
    return 1;
}

void eio_port_critical_exit(uint32_t outermost) {
    critical_depth--;
    if (outermost) {
        pthread_mutex_unlock(&critical_mutex);
        pthread_sigmask(SIG_SETMASK, &critical_saved, NULL);
    }
}

// ---- Set-up, clock, wake-up ---------------------------------------------------------------

static int wake_fd = -1;
// Set once the wake-up fd exists; read by any thread making a flag.
static int port_ready;

static bool ensure_room(size_t n);

// Called by the loop's creation and by every flag's (in any thread): the wake-up fd must
// exist before anyone posts.  The first call does the work, inside the critical section.
void eventio_port_init(void) {
    if (__atomic_load_n(&port_ready, __ATOMIC_ACQUIRE)) {
        return;
    }
    int err = 0;
    uint32_t cs = eio_port_critical_enter();
    if (!port_ready) {
        if (!ensure_room(16)) { // the poll set always has room for the wake-up fd
            err = ENOMEM;
        } else {
            int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
            if (fd < 0) {
                err = errno;
            } else {
                __atomic_store_n(&wake_fd, fd, __ATOMIC_RELAXED);
                __atomic_store_n(&port_ready, 1, __ATOMIC_RELEASE);
            }
        }
    }
    eio_port_critical_exit(cs);
    if (err == ENOMEM) {
        mp_raise_msg(&mp_type_MemoryError, NULL);
    } else if (err) {
        mp_raise_OSError(err);
    }
}

eio_ticks_t eio_port_ticks_ms(void) {
    return mp_hal_ticks_ms();
}

void eio_port_wake(void) {
    uint64_t one = 1;
    int saved = errno; // a signal handler must leave errno as it found it
    ssize_t r = write(__atomic_load_n(&wake_fd, __ATOMIC_RELAXED), &one, sizeof one);
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
    // Scheduled callbacks run before blocking (as MicroPython 1.28's poll does): one of them
    // may set a flag, and its post then ends the poll at once (the core announced the wait
    // before calling us), or set an Event, which readies a task.  MicroPython runs one Python
    // callback per call: while more are queued (or one scheduled itself again), or a task is
    // ready, look without blocking and return.
    if (eventio_handle_pending(out) != EIO_OK) {
        return EIO_ERROR;
    }
    int t = timeout_ms < 0 ? -1 : timeout_ms > 0x7fffffff ? 0x7fffffff : (int)timeout_ms;
    if (eventio_callbacks_pending() || eio_has_ready(loop)) {
        t = 0;
    }
    return wait_once(loop, t, out);
}

// ---- Signals as interrupt sources: eventio.signal_flag(signum) --------------------------
//
// Any number of flags per signal (up to SIGNAL_SOURCES in all): the handler posts each of
// them.  The first source of a signal installs the handler and keeps the one it replaces; the
// last one to end (its flag's finaliser, in whichever thread collects it) puts that one back,
// so a collected signal_flag(2) gives Ctrl-C back to MicroPython.  Refused with ValueError:
// signals no handler can catch (SIGKILL, SIGSTOP); signals a fault raises (SIGSEGV, SIGBUS,
// SIGFPE, SIGILL, SIGTRAP, SIGSYS), whose handler returns to the faulting instruction, which
// faults again: a crash would become a silent 100% CPU spin; SIGABRT, which abort() raises
// again with the default action once a handler returns, so its flag could never be awaited;
// and the signal MicroPython's collector uses to scan threads (the port's
// MP_THREAD_GC_SIGNAL), without which a collection with threads would wait forever.

#define SIGNAL_SOURCES 32

typedef struct {
    int signum;      // 0: free
    uint32_t handle;
} signal_source_t;

static signal_source_t signal_sources[SIGNAL_SOURCES];
static unsigned signal_users[NSIG];
static struct sigaction signal_previous[NSIG];

static void on_signal(int signum) {
    // Lock-free reads: a source is published (handle, then signum) and withdrawn (signum
    // first) inside the critical section; a post to a withdrawn handle is refused harmlessly.
    for (size_t i = 0; i < SIGNAL_SOURCES; i++) {
        if (__atomic_load_n(&signal_sources[i].signum, __ATOMIC_ACQUIRE) == signum) {
            eio_post(__atomic_load_n(&signal_sources[i].handle, __ATOMIC_RELAXED));
        }
    }
}

static bool signal_refused(int signum) {
    switch (signum) {
        case SIGKILL:
        case SIGSTOP:
        case SIGSEGV:
        case SIGBUS:
        case SIGFPE:
        case SIGILL:
        case SIGTRAP:
        case SIGSYS:
        case SIGABRT:
            return true;
    }
    #if defined(__linux__)
    if (signum == SIGRTMIN + 5) { // MP_THREAD_GC_SIGNAL in ports/unix/mpthreadport.c
        return true;
    }
    #else
    if (signum == SIGUSR1) {
        return true;
    }
    #endif
    return signum <= 0 || signum >= NSIG;
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
    if (signal_refused(signum)) {
        mp_raise_ValueError(MP_ERROR_TEXT("invalid signal number"));
    }
    int err = 0;
    uint32_t cs = eio_port_critical_enter();
    signal_source_t *free_slot = NULL;
    for (size_t i = 0; i < SIGNAL_SOURCES && free_slot == NULL; i++) {
        if (signal_sources[i].signum == 0) {
            free_slot = &signal_sources[i];
        }
    }
    if (free_slot == NULL) {
        err = -1;
    } else if (signal_users[signum] == 0) {
        struct sigaction sa = { 0 };
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        if (sigaction(signum, &sa, &signal_previous[signum]) != 0) {
            err = errno;
        }
    }
    if (err == 0) {
        signal_users[signum]++;
        __atomic_store_n(&free_slot->handle, handle, __ATOMIC_RELAXED);
        __atomic_store_n(&free_slot->signum, signum, __ATOMIC_RELEASE);
    }
    eio_port_critical_exit(cs);
    if (err < 0) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("too many signal flags"));
    } else if (err > 0) {
        mp_raise_OSError(err);
    }
}

// Stop posting `handle` on `signum`; the last source of a signal restores its old handler.
void eventio_port_signal_source_end(int signum, uint32_t handle) {
    uint32_t cs = eio_port_critical_enter();
    for (size_t i = 0; i < SIGNAL_SOURCES; i++) {
        signal_source_t *src = &signal_sources[i];
        if (src->signum == signum && signum != 0 && src->handle == handle) {
            __atomic_store_n(&src->signum, 0, __ATOMIC_RELEASE);
            if (--signal_users[signum] == 0) {
                sigaction(signum, &signal_previous[signum], NULL);
            }
            break;
        }
    }
    eio_port_critical_exit(cs);
}

// ---- A native interrupt source for tests and benchmarks: eventio.test_source() ----------
//
// A detached native thread posts `handle` `count` times, `period_us` apart (0: as fast as
// it can), with no Python and no GIL on the posting side, as an interrupt handler would.

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
