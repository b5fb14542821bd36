// What every port's idle wait needs from MicroPython, written once: running scheduled
// callbacks and pending exceptions inside nlr, and asking a waited stream whether it is ready.

#include "py/runtime.h"
#include "py/stream.h"
#include "glue.h"

int eventio_handle_pending(eio_obj_t *out) {
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        mp_handle_pending(true);
        nlr_pop();
        return EIO_OK;
    }
    *out = MP_OBJ_FROM_PTR(nlr.ret_val);
    return EIO_ERROR;
}

bool eventio_callbacks_pending(void) {
    #if MICROPY_ENABLE_SCHEDULER
    return MP_STATE_VM(sched_state) == MP_SCHED_PENDING;
    #else
    return false;
    #endif
}

const mp_stream_p_t *eventio_stream_protocol(mp_obj_t s) {
    const mp_obj_type_t *type = mp_obj_get_type(s);
    const mp_stream_p_t *p = MP_OBJ_TYPE_GET_SLOT_OR_NULL(type, protocol);
    return p != NULL && p->ioctl != NULL ? p : NULL;
}

void eventio_port_check_stream(mp_obj_t s) {
    if (eventio_stream_protocol(s) == NULL) {
        mp_raise_msg(&mp_type_OSError, MP_ERROR_TEXT("stream operation not supported"));
    }
}

mp_uint_t eventio_stream_wanted(eio_task_t *t) {
    return (eio_io_events(t) & EIO_IO_READ ? MP_STREAM_POLL_RD : 0)
           | (eio_io_events(t) & EIO_IO_WRITE ? MP_STREAM_POLL_WR : 0);
}

bool eventio_stream_ready(mp_uint_t wanted, mp_uint_t polled) {
    return polled == MP_STREAM_ERROR || (polled & (wanted | MP_STREAM_POLL_ERR | MP_STREAM_POLL_HUP));
}

// sys.stdin (and sys.stdin.buffer, which shares its ioctl): on a board it is the console,
// whose readiness changes only in the port's own console interrupt.
extern const mp_obj_base_t mp_sys_stdin_obj;

static bool is_console(mp_obj_t s) {
    const mp_stream_p_t *p = eventio_stream_protocol(s);
    return p != NULL && p->ioctl == eventio_stream_protocol(MP_OBJ_FROM_PTR(&mp_sys_stdin_obj))->ioctl;
}

size_t eventio_wake_ready_streams(eio_loop_t *loop, bool *must_poll) {
    size_t woken = 0;
    eio_task_t *next;
    for (eio_task_t *t = loop->io.head; t != NULL; t = next) {
        next = t->next;
        mp_obj_t s = eio_io_stream(t);
        mp_uint_t want = eventio_stream_wanted(t);
        int err;
        mp_uint_t ready = eventio_stream_protocol(s)->ioctl(s, MP_STREAM_POLL, want, &err);
        if (eventio_stream_ready(want, ready)) {
            eio_wake(loop, t);
            woken++;
        } else if (!is_console(s)) {
            *must_poll = true;
        }
    }
    return woken;
}
