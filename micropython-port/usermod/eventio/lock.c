// asyncio.Lock.

#include "py/runtime.h"
#include "glue.h"

// One permit of the core's (eio_permits_t): release() hands the lock to the first waiter, which
// takes it when it runs; handed on and not yet taken it reads as unlocked, as stock's; a
// waiter handed the lock and cancelled before it runs passes it on (the core, at the cancel).

static mp_obj_t lock_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    (void)args;
    mp_arg_check_num(n_args, n_kw, 0, 0, false);
    eio_permits_t *k = mp_obj_malloc(eio_permits_t, type);
    eio_permits_init(k, type, 1);
    return MP_OBJ_FROM_PTR(k);
}

static mp_obj_t lock_locked(mp_obj_t self_in) {
    return mp_obj_new_bool(eio_lock_held(MP_OBJ_TO_PTR(self_in)));
}
static MP_DEFINE_CONST_FUN_OBJ_1(lock_locked_obj, lock_locked);

mp_obj_t eventio_lock_release(mp_obj_t self_in) {
    eio_permits_t *k = MP_OBJ_TO_PTR(self_in);
    if (!eio_lock_held(k)) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("Lock not acquired"));
    }
    eio_permits_release(LOOP, k);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(lock_release_obj, eventio_lock_release);

// lock.acquire() returns the lock itself: awaiting it is the acquisition.
static mp_obj_t lock_iternext(mp_obj_t self_in) {
    int r = eio_permits_acquire(LOOP, MP_OBJ_TO_PTR(self_in));
    if (r == EIO_YIELD) {
        return mp_const_none;
    }
    if (r != EIO_OK) {
        eventio_raise_status(r);
    }
    return mp_make_stop_iteration(mp_const_true);
}

static mp_obj_t lock_aexit(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    eventio_lock_release(args[0]);
    return MP_OBJ_FROM_PTR(&eventio_ready_singleton);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(lock_aexit_obj, 4, 4, lock_aexit);

static mp_obj_t return_self(mp_obj_t self_in) {
    return self_in;
}
MP_DEFINE_CONST_FUN_OBJ_1(eventio_return_self_obj, return_self);

static const mp_rom_map_elem_t lock_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_locked), MP_ROM_PTR(&lock_locked_obj) },
    { MP_ROM_QSTR(MP_QSTR_release), MP_ROM_PTR(&lock_release_obj) },
    { MP_ROM_QSTR(MP_QSTR_acquire), MP_ROM_PTR(&eventio_return_self_obj) },
    { MP_ROM_QSTR(MP_QSTR___aenter__), MP_ROM_PTR(&eventio_return_self_obj) },
    { MP_ROM_QSTR(MP_QSTR___aexit__), MP_ROM_PTR(&lock_aexit_obj) },
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&eventio_awaitable_send_obj) },
};
static MP_DEFINE_CONST_DICT(lock_locals, lock_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    eventio_lock_type,
    MP_QSTR_Lock,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    make_new, lock_make_new,
    iter, lock_iternext,
    locals_dict, &lock_locals
    );
