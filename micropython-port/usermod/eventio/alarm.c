// _eventio.Alarm: a timeout without a helper task, the core's alarm (include/eventio.h,
// src/alarm.rs) as a Python object.  Internal, for the Python layer (timeout(), wait(), ...):
//   a = Alarm()
//   a.arm(task, ms, exc=None)  in `ms` ms (an int; 0 or less: at the next turn) throw `exc` into
//                              `task` (as a cancel), or with exc None wake it if it is parked
//   a.disarm()                 True if it was armed and had not fired (now it never will)
//   a.fired()                  whether it fired since it was last armed
// One object serves any number of timeouts, one at a time: arming allocates nothing.

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

static const mp_rom_map_elem_t alarm_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_arm), MP_ROM_PTR(&alarm_arm_obj) },
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
