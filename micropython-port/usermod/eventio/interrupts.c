// Events from interrupt handlers, signals and threads: ThreadSafeFlag and InterruptQueue.

#include "py/gc.h"
#include "py/objint.h"
#include "py/mphal.h"
#include "py/runtime.h"
#include "py/stream.h"
#include "glue.h"

// The mailbox's table of flags is static memory, which the collector does not see: a dropped
// flag must give its slot back (its finaliser, flag_del) before its memory is reused, or an
// interrupt's post would reach freed memory.
#if !MICROPY_ENABLE_FINALISER
#error "eventio needs MICROPY_ENABLE_FINALISER (ThreadSafeFlag and InterruptQueue give their mailbox slots back in their finalisers)"
#endif

// ---- ThreadSafeFlag ---------------------------------------------------------------------
//
// Set from anywhere: another thread, a signal handler, micropython.schedule, the loop.  set()
// posts to the core's mailbox; the loop delivers it, waking every task waiting at that moment
// (or, with none, leaving the flag set for the next wait).  Waiting costs no polling.

static void flag_init_or_raise(eio_flag_t *f) {
    int r = eio_flag_init(f);
    if (r == EIO_E_NO_SLOT) {
        // Dropped flags give their slots back in their finalisers: collect, and try again.
        gc_collect();
        r = eio_flag_init(f);
    }
    if (r != EIO_OK) {
        f->handle = 0;
        eventio_raise_status(r);
    }
}

static mp_obj_t flag_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    (void)args;
    mp_arg_check_num(n_args, n_kw, 0, 0, false);
    // The port's wake-up must exist before anyone can post.  (Not the loop: a flag may be
    // made in a thread other than the loop's, and only the loop's thread creates the loop.)
    eventio_port_init();
    eio_flag_t *f = mp_obj_malloc_with_finaliser(eio_flag_t, type);
    flag_init_or_raise(f);
    return MP_OBJ_FROM_PTR(f);
}

static mp_obj_t flag_del(mp_obj_t self_in) {
    eio_flag_deinit(MP_OBJ_TO_PTR(self_in));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(flag_del_obj, flag_del);

static mp_obj_t flag_set(mp_obj_t self_in) {
    eio_flag_t *f = MP_OBJ_TO_PTR(self_in);
    int r = eio_post(f->handle);
    if (r != EIO_OK) {
        eventio_raise_status(r);
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(flag_set_obj, flag_set);

static mp_obj_t flag_clear(mp_obj_t self_in) {
    eio_flag_clear(MP_OBJ_TO_PTR(self_in));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(flag_clear_obj, flag_clear);

// One step of wait(): the core tells an arrival from a task coming back (woken by a set,
// which it then consumes).
static mp_obj_t flag_iternext(mp_obj_t self_in) {
    int r = eio_flag_wait(LOOP, MP_OBJ_TO_PTR(self_in));
    if (r == EIO_RETURN) {
        return MP_OBJ_STOP_ITERATION;
    }
    if (r != EIO_YIELD) {
        eventio_raise_status(r);
    }
    return mp_const_none; // eio_flag_wait() parked it on the flag's list: that records it
}

// A flag is a stream whose one operation is MP_STREAM_POLL, as stock's: select.poll() on a
// flag reports POLLIN while it is set (polling does not consume it; a wait does).
static mp_uint_t flag_ioctl(mp_obj_t self_in, mp_uint_t request, uintptr_t arg, int *errcode) {
    if (request == MP_STREAM_POLL) {
        return eio_flag_is_set(MP_OBJ_TO_PTR(self_in)) ? arg & MP_STREAM_POLL_RD : 0;
    }
    *errcode = MP_EINVAL;
    return MP_STREAM_ERROR;
}

static const mp_stream_p_t flag_stream_p = {
    .ioctl = flag_ioctl,
};

static const mp_rom_map_elem_t flag_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___del__), MP_ROM_PTR(&flag_del_obj) },
    { MP_ROM_QSTR(MP_QSTR_set), MP_ROM_PTR(&flag_set_obj) },
    { MP_ROM_QSTR(MP_QSTR_clear), MP_ROM_PTR(&flag_clear_obj) },
    { MP_ROM_QSTR(MP_QSTR_wait), MP_ROM_PTR(&eventio_return_self_obj) },
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&eventio_awaitable_send_obj) },
};
static MP_DEFINE_CONST_DICT(flag_locals, flag_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    eventio_flag_type,
    MP_QSTR_ThreadSafeFlag,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    make_new, flag_make_new,
    iter, flag_iternext,
    protocol, &flag_stream_p,
    locals_dict, &flag_locals
    );

// ---- InterruptQueue ------------------------------------------------------------------------
//
// eventio.InterruptQueue(capacity): values (32-bit ints) put by interrupt handlers through
// eio_queue_put(q.handle, value), or by put_nowait() from threads (any number of producers:
// the core serialises the puts); `await q.get()` takes them in order.  A put never blocks:
// when the ring is full the value is dropped and counted (q.overflows).  Waiting costs no
// polling and, in steady state, no allocation.

typedef struct {
    eio_flag_t flag; // first: the object's start, and what get() waits on
    eio_ring_t *ring;
} irq_queue_t;

static mp_obj_t irq_queue_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, 1, false);
    mp_int_t want = mp_obj_get_int(args[0]);
    if (want < 1 || want > 65536) {
        mp_raise_ValueError(MP_ERROR_TEXT("capacity must be 1 to 65536"));
    }
    uint32_t cap = 1;
    while (cap < (uint32_t)want) {
        cap <<= 1;
    }
    eventio_port_init();
    eio_ring_t *ring = m_malloc0(sizeof(eio_ring_t) + cap * sizeof(uint32_t));
    ring->capacity = cap;
    irq_queue_t *q = mp_obj_malloc_with_finaliser(irq_queue_t, type);
    q->ring = ring;
    flag_init_or_raise(&q->flag);
    eio_ring_attach(&q->flag, ring);
    return MP_OBJ_FROM_PTR(q);
}

static mp_obj_t irq_queue_iternext(mp_obj_t self_in) {
    irq_queue_t *q = MP_OBJ_TO_PTR(self_in);
    uint32_t v;
    int r = eio_ring_wait(LOOP, &q->flag, q->ring, &v);
    if (r == EIO_RETURN) {
        return mp_make_stop_iteration(mp_obj_new_int_from_uint(v));
    }
    if (r != EIO_YIELD) {
        eventio_raise_status(r);
    }
    return mp_const_none;
}

// `o` as the 32-bit unsigned value the C ABI carries: OverflowError outside 0 .. 2**32-1
// (never truncated), TypeError for what is not an int.
static uint32_t uint32_arg(mp_obj_t o) {
    mp_uint_t v;
    if (mp_obj_is_small_int(o) || !mp_obj_is_int(o)) {
        mp_int_t i = mp_obj_get_int(o); // TypeError if not an int (a bool is one)
        if (i < 0) {
            goto overflow;
        }
        v = (mp_uint_t)i;
    } else {
        v = mp_obj_int_get_uint_checked(o); // OverflowError if negative or too large for a word
    }
    if (v > UINT32_MAX) {
        goto overflow;
    }
    return (uint32_t)v;
overflow:
    mp_raise_msg(&mp_type_OverflowError, MP_ERROR_TEXT("value must be 0 to 2**32-1"));
}

static mp_obj_t irq_queue_put_nowait(mp_obj_t self_in, mp_obj_t value) {
    irq_queue_t *q = MP_OBJ_TO_PTR(self_in);
    int r = eio_queue_put(q->flag.handle, uint32_arg(value));
    return mp_obj_new_bool(r == EIO_OK);
}
static MP_DEFINE_CONST_FUN_OBJ_2(irq_queue_put_nowait_obj, irq_queue_put_nowait);

static mp_obj_t irq_queue_qsize(mp_obj_t self_in) {
    irq_queue_t *q = MP_OBJ_TO_PTR(self_in);
    return MP_OBJ_NEW_SMALL_INT((uint32_t)(q->ring->tail - q->ring->head));
}
static MP_DEFINE_CONST_FUN_OBJ_1(irq_queue_qsize_obj, irq_queue_qsize);

static void irq_queue_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    irq_queue_t *q = MP_OBJ_TO_PTR(self_in);
    if (dest[0] != MP_OBJ_NULL) {
        return;
    }
    if (attr == MP_QSTR_overflows) {
        dest[0] = mp_obj_new_int_from_uint(q->ring->overflows);
    } else if (attr == MP_QSTR_handle) {
        dest[0] = mp_obj_new_int_from_uint(q->flag.handle);
    } else if (attr == MP_QSTR_capacity) {
        dest[0] = MP_OBJ_NEW_SMALL_INT(q->ring->capacity);
    } else {
        dest[1] = MP_OBJ_SENTINEL; // look in locals_dict
    }
}

static const mp_rom_map_elem_t irq_queue_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___del__), MP_ROM_PTR(&flag_del_obj) },
    { MP_ROM_QSTR(MP_QSTR_get), MP_ROM_PTR(&eventio_return_self_obj) },
    { MP_ROM_QSTR(MP_QSTR_put_nowait), MP_ROM_PTR(&irq_queue_put_nowait_obj) },
    { MP_ROM_QSTR(MP_QSTR_qsize), MP_ROM_PTR(&irq_queue_qsize_obj) },
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&eventio_awaitable_send_obj) },
};
static MP_DEFINE_CONST_DICT(irq_queue_locals, irq_queue_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    eventio_irq_queue_type,
    MP_QSTR_InterruptQueue,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    make_new, irq_queue_make_new,
    attr, irq_queue_attr,
    iter, irq_queue_iternext,
    locals_dict, &irq_queue_locals
    );

// signal_flag(signum): a ThreadSafeFlag set by the POSIX signal `signum`.  It is its own type
// (a ThreadSafeFlag to isinstance), so that its finaliser ends the signal source too: when the
// last flag of a signal is collected, the signal's previous handler is back.

typedef struct {
    eio_flag_t flag; // first: the object's start, and what wait() waits on
    int signum;      // 0 until the port has the source
} signal_flag_t;

static mp_obj_t signal_flag_del(mp_obj_t self_in) {
    signal_flag_t *s = MP_OBJ_TO_PTR(self_in);
    if (s->signum != 0) {
        eventio_port_signal_source_end(s->signum, s->flag.handle);
        s->signum = 0;
    }
    return flag_del(self_in);
}
static MP_DEFINE_CONST_FUN_OBJ_1(signal_flag_del_obj, signal_flag_del);

static const mp_rom_map_elem_t signal_flag_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___del__), MP_ROM_PTR(&signal_flag_del_obj) },
    { MP_ROM_QSTR(MP_QSTR_set), MP_ROM_PTR(&flag_set_obj) },
    { MP_ROM_QSTR(MP_QSTR_clear), MP_ROM_PTR(&flag_clear_obj) },
    { MP_ROM_QSTR(MP_QSTR_wait), MP_ROM_PTR(&eventio_return_self_obj) },
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&eventio_awaitable_send_obj) },
};
static MP_DEFINE_CONST_DICT(signal_flag_locals, signal_flag_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    eventio_signal_flag_type,
    MP_QSTR_ThreadSafeFlag,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    iter, flag_iternext,
    locals_dict, &signal_flag_locals,
    parent, &eventio_flag_type
    );

static mp_obj_t signal_flag(mp_obj_t signum_in) {
    mp_int_t signum = mp_obj_get_int(signum_in);
    eventio_port_init();
    signal_flag_t *s = mp_obj_malloc_with_finaliser(signal_flag_t, &eventio_signal_flag_type);
    s->signum = 0;
    flag_init_or_raise(&s->flag);
    // ValueError for a signal that cannot be a source; the flag is then garbage.
    eventio_port_signal_source(signum < 0 || signum > 0xffff ? -1 : (int)signum, s->flag.handle);
    s->signum = (int)signum;
    return MP_OBJ_FROM_PTR(s);
}
MP_DEFINE_CONST_FUN_OBJ_1(eventio_signal_flag_obj, signal_flag);

// pin_flag(pin, trigger): a ThreadSafeFlag set from the GPIO interrupt of `pin` on the edges
// `trigger` (machine.Pin.IRQ_RISING / IRQ_FALLING), natively: no Python runs per edge.
static mp_obj_t pin_flag(mp_obj_t pin, mp_obj_t trigger) {
    mp_obj_t flag = flag_make_new(&eventio_flag_type, 0, 0, NULL);
    eio_flag_t *f = MP_OBJ_TO_PTR(flag);
    eventio_port_pin_source(pin, mp_obj_get_int(trigger), f->handle);
    return flag;
}
MP_DEFINE_CONST_FUN_OBJ_2(eventio_pin_flag_obj, pin_flag);

// test_source(flag, count, period_us): a native source posts to `flag` `count` times; for an
// InterruptQueue it puts the values 0 .. count-1.
static mp_obj_t test_source(mp_obj_t flag, mp_obj_t count, mp_obj_t period_us) {
    bool queue = mp_obj_is_type(flag, &eventio_irq_queue_type);
    if (!mp_obj_is_type(flag, &eventio_flag_type) && !mp_obj_is_type(flag, &eventio_signal_flag_type) && !queue) {
        mp_raise_TypeError(MP_ERROR_TEXT("ThreadSafeFlag or InterruptQueue expected"));
    }
    if ((mp_obj_is_int(count) && mp_obj_int_sign(count) < 0)
        || (mp_obj_is_int(period_us) && mp_obj_int_sign(period_us) < 0)) {
        mp_raise_ValueError(NULL);
    }
    uint32_t n = uint32_arg(count), p = uint32_arg(period_us);
    eio_flag_t *f = MP_OBJ_TO_PTR(flag);
    eventio_port_test_source(f->handle, n, p, queue);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_3(eventio_test_source_obj, test_source);
