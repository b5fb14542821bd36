// _eventio.Alarm: a timeout without a helper task, the core's alarm (include/eventio.h,
// src/alarm.rs) as a Python object.  Internal, for the Python layer (timeout(), wait(), ...):
//   a = Alarm()
//   a.arm(task, ms, exc=None)  in `ms` ms (an int; 0 or less: at the next turn) throw `exc` into
//                              `task` (as a cancel), or with exc None wake it if it is parked
//   a.call(ms, fn, arg)        call fn(arg) where a task created now would, at its first
//                              turn (ms < 0) or after it slept ms (loop.call_soon/later/at)
//   a.disarm()                 True if it was armed and had not fired (now it never will)
//   a.fired()                  whether it fired since it was last armed
// One object serves any number of timeouts, one at a time: arming allocates nothing.
//
// _eventio.wait_for(aw, timeout, ms=False): asyncio's wait_for (timeout not None; `ms`:
// wait_for_ms), an awaitable that is a relay (the runner task's stand-in, eio_relay_start)
// with the caller's side of wait_for (eio_wait_for_start/step) and no coroutine.  Ended ones
// wait in a free list for the next call, each with the task it ran a coroutine's work in, so
// a call allocates nothing.  That task is reused only while no Python code has seen it: it is
// of a type of its own (named Task, a subclass of it), which eventio_task_seen() turns into a
// plain Task when current_task() or the exception handler hands it out.  As stock's wait_for
// coroutine, it starts when first awaited; awaited again once over (or by another task while
// it runs), it completes at once with None, so a reference kept to it never touches the
// wait_for that reuses it.

#include "py/objint.h"
#include "py/smallint.h"
#include "py/runtime.h"
#include "glue.h"

static mp_obj_t alarm_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    (void)args;
    mp_arg_check_num(n_args, n_kw, 0, 0, false);
    eio_alarm_t *a = mp_obj_malloc(eio_alarm_t, type);
    eio_alarm_init(a);
    return MP_OBJ_FROM_PTR(a);
}

// The deadline `ms` (an int) ms from now; 0 or less: now.
static eio_ticks_t deadline(mp_obj_t ms_in) {
    // As far ahead as ticks compare (a sleep_ms refuses more; a timeout that far is "never").
    const mp_int_t most = (mp_int_t)(MICROPY_PY_TIME_TICKS_PERIOD / 2) - 1;
    mp_int_t ms = mp_obj_is_small_int(ms_in) ? MP_OBJ_SMALL_INT_VALUE(ms_in) : mp_obj_int_sign(ms_in) > 0 ? most : 0;
    ms = ms > most ? most : ms;
    return eio_now() + (ms > 0 ? (eio_ticks_t)ms : 0);
}

static mp_obj_t alarm_arm(size_t n_args, const mp_obj_t *args) {
    eio_task_t *target = eventio_to_task(args[1]);
    mp_obj_t exc = n_args > 3 && args[3] != mp_const_none ? args[3] : NULL;
    eio_alarm_arm(LOOP, MP_OBJ_TO_PTR(args[0]), target, deadline(args[2]), exc);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(alarm_arm_obj, 3, 4, alarm_arm);

static mp_obj_t alarm_call(size_t n_args, const mp_obj_t *args) {
    eio_alarm_call(LOOP, MP_OBJ_TO_PTR(args[0]), mp_obj_get_int(args[1]), args[2], args[3]);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(alarm_call_obj, 4, 4, alarm_call);

static mp_obj_t alarm_disarm(mp_obj_t self_in) {
    return mp_obj_new_bool(eio_alarm_disarm(LOOP, MP_OBJ_TO_PTR(self_in)));
}
static MP_DEFINE_CONST_FUN_OBJ_1(alarm_disarm_obj, alarm_disarm);

static mp_obj_t alarm_fired(mp_obj_t self_in) {
    return mp_obj_new_bool(eio_alarm_fired(MP_OBJ_TO_PTR(self_in)));
}
static MP_DEFINE_CONST_FUN_OBJ_1(alarm_fired_obj, alarm_fired);

static const mp_rom_map_elem_t alarm_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_arm), MP_ROM_PTR(&alarm_arm_obj) },
    { MP_ROM_QSTR(MP_QSTR_call), MP_ROM_PTR(&alarm_call_obj) },
    { MP_ROM_QSTR(MP_QSTR_disarm), MP_ROM_PTR(&alarm_disarm_obj) },
    { MP_ROM_QSTR(MP_QSTR_fired), MP_ROM_PTR(&alarm_fired_obj) },
};
static MP_DEFINE_CONST_DICT(alarm_locals, alarm_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    eventio_alarm_type,
    MP_QSTR_Alarm,
    MP_TYPE_FLAG_NONE,
    make_new, alarm_make_new,
    locals_dict, &alarm_locals
    );

MP_REGISTER_ROOT_POINTER(struct eio_wait_for *eventio_wait_for_free);

// The start (the core said EIO_OK): what stock's wait_for does before its sleep.
static void wait_for_start(eio_wait_for_t *wf) {
    mp_obj_t aw = wf->aw, dest[2];
    bool is_task = mp_obj_is_subclass_fast(MP_OBJ_FROM_PTR(mp_obj_get_type(aw)), MP_OBJ_FROM_PTR(&eventio_task_type));
    if (!is_task) {
        mp_load_method_maybe(aw, MP_QSTR_send, dest);
        if (dest[0] == MP_OBJ_NULL) {
            mp_raise_TypeError(MP_ERROR_TEXT("coroutine expected"));
        }
    }
    eio_ticks_t start;
    mp_uint_t ms;
    eventio_sleep_deadline(wf->timeout, wf->ms, &start, &ms); // a bad timeout: before aw starts
    eio_task_t *w = MP_OBJ_TO_PTR(aw);
    if (!is_task) {
        w = wf->work;
        if (w == NULL || w->type != &eventio_pooled_task_type || !eio_task_reuse(w, aw)) {
            w = wf->work = mp_obj_malloc(eio_task_t, &eventio_pooled_task_type);
            eio_task_init(w, aw);
        }
        eio_spawn(LOOP, w);
    }
    eventio_task_extra(w); // the relay waits among its waiters
    int r = eio_wait_for_start(LOOP, wf, w, MP_OBJ_FROM_PTR(&eventio_type_CancelledError), start, ms);
    if (r != EIO_OK) {
        eventio_raise_status(r);
    }
}

static mp_obj_t wait_for_step(mp_obj_t self_in, mp_obj_t thrown) {
    eio_obj_t out = NULL;
    int r = eio_wait_for_step(LOOP, MP_OBJ_TO_PTR(self_in), &MP_STATE_VM(eventio_wait_for_free), thrown, &out);
    switch (r) {
        case EIO_OK:
            wait_for_start(MP_OBJ_TO_PTR(self_in));
            return mp_const_none;
        case EIO_YIELD:
            return mp_const_none;
        case EIO_RETURN:
            return out == NULL ? MP_OBJ_STOP_ITERATION : mp_make_stop_iteration(out);
        case EIO_RAISE:
            nlr_raise(mp_make_raise_obj(out));
        case EIO_E_TIMEOUT:
            mp_raise_type(&eventio_type_TimeoutError);
        default:
            eventio_raise_status(r);
    }
}

static mp_obj_t wait_for_iternext(mp_obj_t self_in) {
    return wait_for_step(self_in, MP_OBJ_NULL);
}

static mp_obj_t wait_for_throw(size_t n_args, const mp_obj_t *args) {
    return wait_for_step(args[0], n_args > 2 && args[2] != mp_const_none ? args[2] : args[1]);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(wait_for_throw_obj, 2, 4, wait_for_throw);

static const mp_rom_map_elem_t wait_for_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&eventio_awaitable_send_obj) },
    { MP_ROM_QSTR(MP_QSTR_throw), MP_ROM_PTR(&wait_for_throw_obj) },
};
static MP_DEFINE_CONST_DICT(wait_for_locals, wait_for_locals_table);

static MP_DEFINE_CONST_OBJ_TYPE(
    wait_for_type,
    MP_QSTR_wait_for,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    iter, wait_for_iternext,
    locals_dict, &wait_for_locals
    );

static mp_obj_t wait_for_fn(size_t n_args, const mp_obj_t *args) {
    eio_wait_for_t *wf = eio_wait_for_pop(&MP_STATE_VM(eventio_wait_for_free));
    if (wf == NULL) {
        wf = mp_obj_malloc(eio_wait_for_t, &wait_for_type);
        eio_wait_for_init(wf);
        eventio_task_extra(&wf->relay); // the waiters of its end
    }
    eio_wait_for_arm(wf, args[0], args[1], n_args > 2 && mp_obj_is_true(args[2]));
    return MP_OBJ_FROM_PTR(wf);
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(eventio_wait_for_obj, 2, 3, wait_for_fn);
