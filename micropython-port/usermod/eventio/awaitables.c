// The preallocated awaitables: sleep / sleep_ms, waiting for a stream (io_wait), park, and
// one that completes at once.

#include "py/mphal.h"
#include "py/smallint.h"
#include "py/stream.h"
#include "py/runtime.h"
#include "glue.h"

// sleep_ms(t) / sleep(t) and io_wait(stream, events): preallocated awaitables, staged with
// the wait of the next `await` (the core's eio_stage_t: the first step starts the wait and
// unstages it, so the step after it returns).  A sleep's deadline is taken when sleep_ms() is
// called, as in asyncio.  Only sleep(t, result) allocates: an awaitable of its own, which
// holds the result until the sleeping task comes back for it (the singleton serves the next
// sleep meanwhile).
typedef struct {
    mp_obj_base_t base;
    eio_stage_t stage;
    mp_obj_t result; // what the await returns; MP_OBJ_NULL (always, in the singletons): None
} staged_obj_t;

static mp_obj_t staged_iternext(mp_obj_t self_in) {
    staged_obj_t *s = MP_OBJ_TO_PTR(self_in);
    if (!eio_staged(&s->stage)) { // back from the wait
        return s->result == MP_OBJ_NULL ? MP_OBJ_STOP_ITERATION : mp_make_stop_iteration(s->result);
    }
    int r = eio_stage_start(LOOP, &s->stage);
    if (r != EIO_OK) {
        eventio_raise_status(r);
    }
    return mp_const_none;
}

static MP_DEFINE_CONST_OBJ_TYPE(
    sleep_type,
    MP_QSTR_sleep,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    iter, staged_iternext
    );

static staged_obj_t sleep_singleton = {{&sleep_type}, {NULL, 0, 0, 0}, MP_OBJ_NULL};

static mp_obj_t sleep_ms_int(mp_int_t ms) {
    // Same limit as time.ticks_add(), which asyncio's sleep_ms uses.
    if (ms >= (mp_int_t)(MICROPY_PY_TIME_TICKS_PERIOD / 2)) {
        mp_raise_msg(&mp_type_OverflowError, MP_ERROR_TEXT("ticks interval overflow"));
    }
    // The deadline counts from now, as asyncio's.
    eio_stage_sleep(&sleep_singleton.stage, ms > 0 ? (mp_uint_t)ms : 0);
    return MP_OBJ_FROM_PTR(&sleep_singleton);
}

// (Not named sleep_ms: the pico-sdk, which the rp2 port's headers include, has one.)
static mp_obj_t sleep_ms_obj(mp_obj_t t) {
    if (mp_obj_is_small_int(t)) {
        return sleep_ms_int(MP_OBJ_SMALL_INT_VALUE(t));
    }
    // As asyncio's max(0, t), then ticks_add(): what is not above 0 is 0, however large a
    // negative (a bignum on 32-bit) and of whatever type (-1.5, -inf, nan); what is above
    // must be an int (TypeError for 1.5); what does not compare with 0 is a TypeError.
    if (!mp_obj_is_true(mp_binary_op(MP_BINARY_OP_LESS, MP_OBJ_NEW_SMALL_INT(0), t))) {
        return sleep_ms_int(0);
    }
    return sleep_ms_int(mp_obj_get_int(t));
}
MP_DEFINE_CONST_FUN_OBJ_1(eventio_sleep_ms_obj, sleep_ms_obj);

// sleep(t) sleeps int(t * 1000) ms, as asyncio does, with the same errors for odd input
// (ValueError for a str, OverflowError for a huge or infinite float, ...).
static mp_obj_t sleep_seconds(mp_obj_t t) {
    if (mp_obj_is_small_int(t)) {
        mp_int_t s = MP_OBJ_SMALL_INT_VALUE(t);
        // Within this range s * 1000 fits a machine word; the rest take the general way.
        const mp_int_t limit = MICROPY_PY_TIME_TICKS_PERIOD / 2 / 1000;
        if (s > -limit && s < limit) {
            return sleep_ms_int(s * 1000);
        }
    }
    #if MICROPY_PY_BUILTINS_FLOAT
    if (mp_obj_is_float(t)) {
        mp_float_t ms = mp_obj_get_float(t) * 1000;
        if (ms > -(mp_float_t)(MICROPY_PY_TIME_TICKS_PERIOD / 2) && ms < (mp_float_t)(MICROPY_PY_TIME_TICKS_PERIOD / 2)) {
            return sleep_ms_int((mp_int_t)ms);
        }
    }
    #endif
    mp_obj_t ms = mp_binary_op(MP_BINARY_OP_MULTIPLY, t, MP_OBJ_NEW_SMALL_INT(1000));
    return sleep_ms_obj(mp_call_function_1(MP_OBJ_FROM_PTR(&mp_type_int), ms));
}

// The deadline of sleep(t) (sleep_ms(t) if `ms`), with its errors, leaving nothing staged.
void eventio_sleep_deadline(mp_obj_t t, bool ms, eio_ticks_t *start, mp_uint_t *n) {
    if (ms) {
        sleep_ms_obj(t);
    } else {
        sleep_seconds(t);
    }
    eio_unstage(&sleep_singleton.stage);
    *start = sleep_singleton.stage.start;
    *n = sleep_singleton.stage.n;
}

// sleep(delay, result=None), as CPython's: the await returns `result`.
static mp_obj_t sleep_s(size_t n_args, const mp_obj_t *args, mp_map_t *kw_args) {
    mp_obj_t result = n_args > 1 ? args[1] : mp_const_none;
    if (kw_args->used) {
        mp_map_elem_t *r = mp_map_lookup(kw_args, MP_OBJ_NEW_QSTR(MP_QSTR_result), MP_MAP_LOOKUP);
        if (r == NULL || n_args > 1 || kw_args->used > 1) {
            mp_raise_TypeError(MP_ERROR_TEXT("unexpected keyword argument"));
        }
        result = r->value;
    }
    if (n_args > 2) {
        mp_raise_TypeError(MP_ERROR_TEXT("function takes at most 2 arguments"));
    }
    if (result == mp_const_none) {
        return sleep_seconds(args[0]); // the singleton: nothing allocated
    }
    // Allocated before the singleton is staged: a MemoryError must not leave it staged, or the
    // next task to come back from a sleep would take it for its own and sleep again.
    staged_obj_t *s = mp_obj_malloc(staged_obj_t, &sleep_type);
    sleep_seconds(args[0]);
    *s = sleep_singleton;
    s->result = result;
    eio_unstage(&sleep_singleton.stage);
    return MP_OBJ_FROM_PTR(s);
}
MP_DEFINE_CONST_FUN_OBJ_KW(eventio_sleep_obj, 1, sleep_s);

// io_wait(stream, events): parks the current task until `stream` is ready to read (events
// 1) or write (2), as the port's wait sees it.
static MP_DEFINE_CONST_OBJ_TYPE(
    io_wait_type,
    MP_QSTR_io_wait,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    iter, staged_iternext
    );

static staged_obj_t io_wait_singleton = {{&io_wait_type}, {NULL, 0, 0, 0}, MP_OBJ_NULL};

static mp_obj_t io_wait(mp_obj_t stream, mp_obj_t events) {
    eventio_port_check_stream(stream);
    eio_stage_io(&io_wait_singleton.stage, stream, mp_obj_get_int(events) & (EIO_IO_READ | EIO_IO_WRITE));
    return MP_OBJ_FROM_PTR(&io_wait_singleton);
}
MP_DEFINE_CONST_FUN_OBJ_2(eventio_io_wait_obj, io_wait);

// park(): an awaitable that parks the current task until wake(task) or a cancel.
static mp_obj_t park_iternext(mp_obj_t self_in) {
    int r = eio_park_step(LOOP, MP_OBJ_TO_PTR(self_in));
    if (r < 0) {
        eventio_raise_status(r);
    }
    return r == EIO_RETURN ? MP_OBJ_STOP_ITERATION : mp_const_none;
}

static MP_DEFINE_CONST_OBJ_TYPE(
    park_type,
    MP_QSTR_park,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    iter, park_iternext
    );

const mp_obj_base_t eventio_park_singleton = {&park_type};

// An awaitable that completes at once with None (what `async with` awaits on exit, and what
// Queue.put returns when there is room); with `send`, create_task takes it too.
static mp_obj_t ready_iternext(mp_obj_t self_in) {
    (void)self_in;
    return MP_OBJ_STOP_ITERATION;
}
static const mp_rom_map_elem_t ready_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&eventio_awaitable_send_obj) },
};
static MP_DEFINE_CONST_DICT(ready_locals, ready_locals_table);

static MP_DEFINE_CONST_OBJ_TYPE(
    ready_type,
    MP_QSTR_ready,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    iter, ready_iternext,
    locals_dict, &ready_locals
    );

const mp_obj_base_t eventio_ready_singleton = {&ready_type};
