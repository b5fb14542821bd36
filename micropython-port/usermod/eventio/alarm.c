// _eventio.Alarm: a timeout without a helper task, the core's alarm (include/eventio.h,
// src/alarm.rs) as a Python object.  Internal, for the Python layer (timeout(), wait(), ...):
//   a = Alarm()
//   a.arm(task, ms, exc=None)  in `ms` ms (an int; 0 or less: at the next turn) throw `exc` into
//                              `task` (as a cancel), or with exc None wake it if it is parked
//   a.disarm()                 True if it was armed and had not fired (now it never will)
//   a.fired()                  whether it fired since it was last armed
// One object serves any number of timeouts, one at a time: arming allocates nothing.
// As wait_for's relay (the runner task's stand-in, see eio_relay_start):
//   a.relay(caller, task)      start it: when `task` ends, `caller` is cancelled
//   a.cancel()                 as cancelling the runner
//   await a                    until it has ended (fired() is then True)
// A relay is only ever used as one (the first relay() gives it its waiter list).

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

static mp_obj_t alarm_arm(size_t n_args, const mp_obj_t *args) {
    eio_task_t *target = eventio_to_task(args[1]);
    // As far ahead as ticks compare (a sleep_ms refuses more; a timeout that far is "never").
    const mp_int_t most = (mp_int_t)(MICROPY_PY_TIME_TICKS_PERIOD / 2) - 1;
    mp_int_t ms = mp_obj_is_small_int(args[2]) ? MP_OBJ_SMALL_INT_VALUE(args[2])
        : mp_obj_int_sign(args[2]) > 0 ? most : 0;
    ms = ms > most ? most : ms;
    mp_obj_t exc = n_args > 3 && args[3] != mp_const_none ? args[3] : NULL;
    eio_alarm_arm(LOOP, MP_OBJ_TO_PTR(args[0]), target, eio_now() + (ms > 0 ? (eio_ticks_t)ms : 0), exc);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(alarm_arm_obj, 3, 4, alarm_arm);

static mp_obj_t alarm_disarm(mp_obj_t self_in) {
    return mp_obj_new_bool(eio_alarm_disarm(LOOP, MP_OBJ_TO_PTR(self_in)));
}
static MP_DEFINE_CONST_FUN_OBJ_1(alarm_disarm_obj, alarm_disarm);

static mp_obj_t alarm_fired(mp_obj_t self_in) {
    return mp_obj_new_bool(eio_alarm_fired(MP_OBJ_TO_PTR(self_in)));
}
static MP_DEFINE_CONST_FUN_OBJ_1(alarm_fired_obj, alarm_fired);

static mp_obj_t alarm_relay(mp_obj_t self_in, mp_obj_t caller, mp_obj_t work) {
    eio_task_t *c = eventio_to_task(caller);
    eio_task_t *w = eventio_to_task(work);
    eventio_task_extra(MP_OBJ_TO_PTR(self_in)); // the waiters of its end
    eventio_task_extra(w); // the relay waits among its waiters
    eio_relay_start(LOOP, MP_OBJ_TO_PTR(self_in), c, w, MP_OBJ_FROM_PTR(&eventio_type_CancelledError));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(alarm_relay_obj, alarm_relay);

static mp_obj_t alarm_cancel(mp_obj_t self_in) {
    eio_relay_cancel(LOOP, MP_OBJ_TO_PTR(self_in));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(alarm_cancel_obj, alarm_cancel);

// `await relay`: until it has ended.
static mp_obj_t alarm_iternext(mp_obj_t self_in) {
    eio_alarm_t *a = MP_OBJ_TO_PTR(self_in);
    eio_task_extra_t *x = eio_task_get_extra(a);
    if (x == NULL || eio_alarm_fired(a)) {
        return MP_OBJ_STOP_ITERATION;
    }
    int r = eio_wait_on(LOOP, &x->waiters);
    if (r != EIO_OK) {
        eventio_raise_status(r);
    }
    return mp_const_none;
}

static const mp_rom_map_elem_t alarm_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_relay), MP_ROM_PTR(&alarm_relay_obj) },
    { MP_ROM_QSTR(MP_QSTR_cancel), MP_ROM_PTR(&alarm_cancel_obj) },
    { MP_ROM_QSTR(MP_QSTR_arm), MP_ROM_PTR(&alarm_arm_obj) },
    { MP_ROM_QSTR(MP_QSTR_disarm), MP_ROM_PTR(&alarm_disarm_obj) },
    { MP_ROM_QSTR(MP_QSTR_fired), MP_ROM_PTR(&alarm_fired_obj) },
};
static MP_DEFINE_CONST_DICT(alarm_locals, alarm_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    eventio_alarm_type,
    MP_QSTR_Alarm,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    make_new, alarm_make_new,
    iter, alarm_iternext,
    locals_dict, &alarm_locals
    );
