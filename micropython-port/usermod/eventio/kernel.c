// The native parts of the eventio kernel API (micropython-port/modules/eventio.py):
// its Task and Event, which are asyncio's with a curio-style twist.
//
// - Task: asyncio's Task (same layout, a subtype, so isinstance(t, asyncio.Task) holds and the
//   core schedules it alike), plus `join()` (await the outcome, any number of joiners, before
//   or after it finished) and an awaitable `cancel()` that cancels and waits until the task
//   has finished its cleanup: True if it cancelled it, False if the task had already finished.
// - Event: asyncio's Event whose set() may also be awaited (`await ev.set()`).

#include "py/runtime.h"
#include "glue.h"

// ---- cancel(): cancel, then wait for the task to finish ---------------------------------

typedef struct {
    mp_obj_base_t base;
    mp_obj_t task;
    bool waiting; // the cancel is done; now waiting for the task to finish
} cancel_wait_t;

static mp_obj_t cancel_wait_iternext(mp_obj_t self_in) {
    cancel_wait_t *c = MP_OBJ_TO_PTR(self_in);
    eventio_task_extra(MP_OBJ_TO_PTR(c->task)); // the waiters live there
    int r = eio_task_cancel_join(eventio_loop(), MP_OBJ_TO_PTR(c->task), MP_OBJ_FROM_PTR(&eventio_type_CancelledError), &c->waiting);
    if (r == EIO_YIELD) {
        return mp_const_none;
    }
    if (r < 0) {
        eventio_raise_status(r);
    }
    return mp_make_stop_iteration(mp_obj_new_bool(r == EIO_RETURN));
}

static MP_DEFINE_CONST_OBJ_TYPE(
    cancel_wait_type,
    MP_QSTR_cancel,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    iter, cancel_wait_iternext,
    locals_dict, NULL
    );

static mp_obj_t kernel_task_cancel(mp_obj_t self_in) {
    cancel_wait_t *c = mp_obj_malloc(cancel_wait_t, &cancel_wait_type);
    c->task = self_in;
    c->waiting = false;
    return MP_OBJ_FROM_PTR(c);
}
static MP_DEFINE_CONST_FUN_OBJ_1(kernel_task_cancel_obj, kernel_task_cancel);

static void kernel_task_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    if (dest[0] == MP_OBJ_NULL && attr == MP_QSTR_cancel) {
        dest[0] = MP_OBJ_FROM_PTR(&kernel_task_cancel_obj);
        dest[1] = self_in;
    } else if (dest[0] == MP_OBJ_NULL && attr == MP_QSTR_join) {
        dest[0] = MP_OBJ_FROM_PTR(&eventio_return_self_obj); // join(): awaiting the task joins it
        dest[1] = self_in;
    } else {
        eventio_task_attr(self_in, attr, dest);
    }
}

MP_DEFINE_CONST_OBJ_TYPE(
    eventio_kernel_task_type,
    MP_QSTR_Task,
    MP_TYPE_FLAG_ITER_IS_CUSTOM,
    attr, kernel_task_attr,
    iter, &eventio_task_iter,
    parent, &eventio_task_type
    );

// spawn(coro, priority): a kernel Task running `coro`, scheduled like create_task's.
static mp_obj_t kernel_spawn(mp_obj_t coro, mp_obj_t priority) {
    return eventio_spawn_task(&eventio_kernel_task_type, coro, mp_obj_get_int(priority));
}
MP_DEFINE_CONST_FUN_OBJ_2(eventio_kernel_spawn_obj, kernel_spawn);

// ---- Event: set() may be awaited -----------------------------------------------------------

static mp_obj_t kernel_event_set(mp_obj_t self_in) {
    eventio_event_set(self_in);
    return MP_OBJ_FROM_PTR(&eventio_ready_singleton);
}
static MP_DEFINE_CONST_FUN_OBJ_1(kernel_event_set_obj, kernel_event_set);

static const mp_rom_map_elem_t kernel_event_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_is_set), MP_ROM_PTR(&eventio_event_is_set_obj) },
    { MP_ROM_QSTR(MP_QSTR_set), MP_ROM_PTR(&kernel_event_set_obj) },
    { MP_ROM_QSTR(MP_QSTR_clear), MP_ROM_PTR(&eventio_event_clear_obj) },
    { MP_ROM_QSTR(MP_QSTR_wait), MP_ROM_PTR(&eventio_return_self_obj) },
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&eventio_awaitable_send_obj) },
};
static MP_DEFINE_CONST_DICT(kernel_event_locals, kernel_event_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    eventio_kernel_event_type,
    MP_QSTR_Event,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    make_new, eventio_event_make_new,
    iter, eventio_event_iternext,
    locals_dict, &kernel_event_locals,
    parent, &eventio_event_type
    );
