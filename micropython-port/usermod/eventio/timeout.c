// asyncio.Timeout, timeout(delay), timeout_at(when): the block's deadline is an alarm (the
// core's eio_timeout_t, src/timeout.rs: states, arming, TimeoutError or not).  Here: when() as
// CPython computes it (loop.time() + delay, taken lazily: no float is made unless asked for),
// the deadline in ms, and the methods.  A Timeout is one GC block; an entered one holds a
// block of the free list below (its alarm and CancelledError), so entering and leaving
// allocate nothing: the block's awaitables are the Timeout itself and the ready singleton.

#include "py/mphal.h"
#include "py/smallint.h"
#include "py/runtime.h"
#include "glue.h"

// The blocks no entered Timeout holds (src/timeout.rs gives them out and takes them back).
MP_REGISTER_ROOT_POINTER(struct eio_timeout_block *eventio_timeout_free);

#if MICROPY_PY_BUILTINS_FLOAT // loop.time() is a float: without floats, no timeout()

static const qstr state_names[] = { MP_QSTR_created, MP_QSTR_entered, MP_QSTR_expired, MP_QSTR_exited };

// asyncio's loop.time() (time.ticks_ms() / 1000), in the ticks themselves.
static mp_uint_t loop_ticks(void) {
    return mp_hal_ticks_ms() & (MICROPY_PY_TIME_TICKS_PERIOD - 1);
}

static mp_obj_t timeout_when(mp_obj_t self_in) {
    eio_timeout_t *t = MP_OBJ_TO_PTR(self_in);
    if (t->delay != NULL) { // timeout(delay): loop.time() at the call, plus delay
        return mp_binary_op(MP_BINARY_OP_ADD, mp_obj_new_float((mp_float_t)MP_OBJ_SMALL_INT_VALUE(t->when) / 1000), t->delay);
    }
    return t->when ? t->when : mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(timeout_when_obj, timeout_when);

static mp_obj_t timeout_expired(mp_obj_t self_in) {
    return mp_obj_new_bool(eio_timeout_state(MP_OBJ_TO_PTR(self_in)) == EIO_TIMEOUT_EXPIRED);
}
static MP_DEFINE_CONST_FUN_OBJ_1(timeout_expired_obj, timeout_expired);

// Rescheduled to `when` (None: never), armed int((when - loop.time()) * 1000) ms from now.
static void reschedule(eio_timeout_t *t) {
    bool has = t->delay != NULL || t->when != NULL;
    mp_float_t ms = 0;
    if (has) {
        mp_float_t w = t->delay != NULL ? (mp_float_t)MP_OBJ_SMALL_INT_VALUE(t->when) / 1000 + mp_obj_get_float(t->delay) : mp_obj_get_float(t->when);
        ms = (w - (mp_float_t)loop_ticks() / 1000) * 1000;
    }
    // As far ahead as ticks compare (a timeout that far is "never").
    const mp_float_t most = (mp_float_t)(MICROPY_PY_TIME_TICKS_PERIOD / 2 - 1);
    mp_uint_t n = ms >= most ? (mp_uint_t)most : ms >= 1 ? (mp_uint_t)ms : 0;
    int r = eio_timeout_reschedule(LOOP, t, has, eio_now() + n);
    if (r == EIO_E_STATE) {
        mp_raise_msg_varg(&mp_type_RuntimeError, MP_ERROR_TEXT("Cannot change state of %q Timeout"),
            state_names[eio_timeout_state(t)]);
    }
}

static mp_obj_t timeout_reschedule(mp_obj_t self_in, mp_obj_t when) {
    eio_timeout_t *t = MP_OBJ_TO_PTR(self_in);
    uint32_t state = eio_timeout_state(t);
    if (state == EIO_TIMEOUT_CREATED || state == EIO_TIMEOUT_ENTERED) {
        t->when = when == mp_const_none ? NULL : when;
        t->delay = NULL;
    }
    reschedule(t);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(timeout_reschedule_obj, timeout_reschedule);

static mp_obj_t timeout_aenter(mp_obj_t self_in) {
    eio_timeout_block_t **free = &MP_STATE_VM(eventio_timeout_free);
    int r = eio_timeout_enter(LOOP, MP_OBJ_TO_PTR(self_in), free);
    if (r == EIO_E_EMPTY) { // no free block: make one
        eio_timeout_block_t *b = mp_obj_malloc(eio_timeout_block_t, &eventio_alarm_type);
        eio_timeout_block_init(b, mp_obj_new_exception(&eventio_type_CancelledError), free);
        r = eio_timeout_enter(LOOP, MP_OBJ_TO_PTR(self_in), free);
    }
    if (r != EIO_OK) {
        eventio_raise_status(r);
    }
    reschedule(MP_OBJ_TO_PTR(self_in));
    return self_in; // `await` it: the Timeout itself (timeout_iternext)
}
static MP_DEFINE_CONST_FUN_OBJ_1(timeout_aenter_obj, timeout_aenter);

static mp_obj_t timeout_aexit(size_t n_args, const mp_obj_t *args) {
    mp_obj_t exc = args[2] == mp_const_none ? NULL : args[2];
    if (eio_timeout_exit(LOOP, MP_OBJ_TO_PTR(args[0]), exc, &MP_STATE_VM(eventio_timeout_free)) == EIO_E_TIMEOUT) {
        mp_raise_type(&eventio_type_TimeoutError);
    }
    return MP_OBJ_FROM_PTR(&eventio_ready_singleton);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(timeout_aexit_obj, 4, 4, timeout_aexit);

// `await timeout.__aenter__()`: the Timeout, at once.
static mp_obj_t timeout_iternext(mp_obj_t self_in) {
    return mp_make_stop_iteration(self_in);
}

static void timeout_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    (void)kind;
    mp_printf(print, "<Timeout [%q] when=", state_names[eio_timeout_state(MP_OBJ_TO_PTR(self_in))]);
    mp_obj_print_helper(print, timeout_when(self_in), PRINT_REPR);
    mp_print_str(print, ">");
}

static mp_obj_t timeout_new(const mp_obj_type_t *type, mp_obj_t when, mp_obj_t delay) {
    eio_timeout_t *t = mp_obj_malloc(eio_timeout_t, type);
    eio_timeout_init(t);
    t->when = delay != NULL ? MP_OBJ_NEW_SMALL_INT(loop_ticks()) : when == mp_const_none ? NULL : when;
    t->delay = delay;
    return MP_OBJ_FROM_PTR(t);
}

static mp_obj_t timeout_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, 1, false);
    return timeout_new(type, args[0], NULL);
}

static const mp_rom_map_elem_t timeout_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_when), MP_ROM_PTR(&timeout_when_obj) },
    { MP_ROM_QSTR(MP_QSTR_expired), MP_ROM_PTR(&timeout_expired_obj) },
    { MP_ROM_QSTR(MP_QSTR_reschedule), MP_ROM_PTR(&timeout_reschedule_obj) },
    { MP_ROM_QSTR(MP_QSTR___aenter__), MP_ROM_PTR(&timeout_aenter_obj) },
    { MP_ROM_QSTR(MP_QSTR___aexit__), MP_ROM_PTR(&timeout_aexit_obj) },
};
static MP_DEFINE_CONST_DICT(timeout_locals, timeout_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    eventio_timeout_type,
    MP_QSTR_Timeout,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    make_new, timeout_make_new,
    print, timeout_print,
    iter, timeout_iternext,
    locals_dict, &timeout_locals
    );

// timeout(delay): when() is loop.time() + delay (a delay that is no number is added now, for
// its TypeError).
static mp_obj_t timeout_fn(mp_obj_t delay) {
    if (delay == mp_const_none) {
        return timeout_new(&eventio_timeout_type, mp_const_none, NULL);
    }
    if (!mp_obj_is_int(delay) && !mp_obj_is_float(delay)) {
        mp_obj_t now = mp_obj_new_float((mp_float_t)loop_ticks() / 1000);
        return timeout_new(&eventio_timeout_type, mp_binary_op(MP_BINARY_OP_ADD, now, delay), NULL);
    }
    return timeout_new(&eventio_timeout_type, mp_const_none, delay);
}
MP_DEFINE_CONST_FUN_OBJ_1(eventio_timeout_obj, timeout_fn);

#endif
