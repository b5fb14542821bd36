// asyncio.Event.

#include "py/runtime.h"
#include "glue.h"

// The state and the wait are the core's (eio_event_t, src/latch.rs).
mp_obj_t eventio_event_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    (void)args;
    mp_arg_check_num(n_args, n_kw, 0, 0, false);
    eio_event_t *e = mp_obj_malloc(eio_event_t, type);
    eio_event_init(e, type);
    return MP_OBJ_FROM_PTR(e);
}

static mp_obj_t event_is_set(mp_obj_t self_in) {
    return mp_obj_new_bool(eio_event_is_set(MP_OBJ_TO_PTR(self_in)));
}
MP_DEFINE_CONST_FUN_OBJ_1(eventio_event_is_set_obj, event_is_set);

mp_obj_t eventio_event_set(mp_obj_t self_in) {
    eio_event_set(LOOP, MP_OBJ_TO_PTR(self_in));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(event_set_obj, eventio_event_set);

static mp_obj_t event_clear(mp_obj_t self_in) {
    eio_event_clear(MP_OBJ_TO_PTR(self_in));
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_1(eventio_event_clear_obj, event_clear);

// ev.wait() returns the event itself: awaiting it is the wait, with no allocation.
mp_obj_t eventio_event_iternext(mp_obj_t self_in) {
    int r = eio_event_wait(LOOP, MP_OBJ_TO_PTR(self_in));
    if (r == EIO_RETURN) {
        return mp_make_stop_iteration(mp_const_true);
    }
    if (r != EIO_YIELD) {
        eventio_raise_status(r);
    }
    return mp_const_none;
}

// send(value): lets `ev.wait()` be used wherever a coroutine is expected (create_task,
// wait_for), as asyncio's generator-based wait() can.
static mp_obj_t awaitable_send(mp_obj_t self_in, mp_obj_t value) {
    (void)value;
    MP_STATE_THREAD(stop_iteration_arg) = MP_OBJ_NULL;
    mp_obj_t ret = mp_iternext_allow_raise(self_in);
    if (ret == MP_OBJ_STOP_ITERATION) {
        mp_raise_StopIteration(MP_STATE_THREAD(stop_iteration_arg));
    }
    return ret;
}
MP_DEFINE_CONST_FUN_OBJ_2(eventio_awaitable_send_obj, awaitable_send);

static const mp_rom_map_elem_t event_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&eventio_awaitable_send_obj) },
    { MP_ROM_QSTR(MP_QSTR_is_set), MP_ROM_PTR(&eventio_event_is_set_obj) },
    { MP_ROM_QSTR(MP_QSTR_set), MP_ROM_PTR(&event_set_obj) },
    { MP_ROM_QSTR(MP_QSTR_clear), MP_ROM_PTR(&eventio_event_clear_obj) },
    { MP_ROM_QSTR(MP_QSTR_wait), MP_ROM_PTR(&eventio_return_self_obj) },
};
static MP_DEFINE_CONST_DICT(event_locals, event_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    eventio_event_type,
    MP_QSTR_Event,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    make_new, eventio_event_make_new,
    iter, eventio_event_iternext,
    locals_dict, &event_locals
    );
