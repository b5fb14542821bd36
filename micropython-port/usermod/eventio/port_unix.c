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
#include <sys/eventfd.h>
#include <unistd.h>

#include "py/mphal.h"
#include "py/mpthread.h"
#include "py/runtime.h"
#include "glue.h"

static int wake_fd = -1;

void eventio_port_init(void) {
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

// Run callbacks queued with micropython.schedule() and raise a pending KeyboardInterrupt,
// inside nlr: EIO_OK, or EIO_ERROR with the exception in *out.
static int handle_pending(eio_obj_t *out) {
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        mp_handle_pending(true);
        nlr_pop();
        return EIO_OK;
    }
    *out = MP_OBJ_FROM_PTR(nlr.ret_val);
    return EIO_ERROR;
}

int eio_port_wait(int64_t timeout_ms, eio_obj_t *out) {
    // Scheduled callbacks run before blocking: one of them may set a flag, and its post
    // then ends the poll below at once (the core announced the wait before calling us).
    if (handle_pending(out) != EIO_OK) {
        return EIO_ERROR;
    }
    struct pollfd p = { .fd = wake_fd, .events = POLLIN };
    int t = timeout_ms < 0 ? -1 : timeout_ms > 0x7fffffff ? 0x7fffffff : (int)timeout_ms;
    MP_THREAD_GIL_EXIT();
    int n = poll(&p, 1, t);
    MP_THREAD_GIL_ENTER();
    if (n > 0 && (p.revents & POLLIN)) {
        uint64_t count;
        ssize_t r = read(wake_fd, &count, sizeof count);
        (void)r;
    }
    return handle_pending(out);
}

// ---- Signals as interrupt sources: eventio.signal_flag(signum) --------------------------

static volatile uint32_t signal_handles[NSIG];

static void on_signal(int signum) {
    eio_post(signal_handles[signum]);
}

// Post `handle` whenever signal `signum` arrives.
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
