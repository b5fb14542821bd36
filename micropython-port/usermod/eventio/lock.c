// asyncio.Lock.

#include "py/runtime.h"
#include "glue.h"

// `owner` is 0 (unlocked), 1 (locked), or the task the lock was handed to by release() and
// which has not run yet: it takes the lock when it resumes.  Waiters queue FIFO.

typedef struct {
    eio_waitable_t waiters; // first: the object's start
    mp_obj_t owner;
} lock_obj_t;

#define UNLOCKED MP_OBJ_NEW_SMALL_INT(0)
#define LOCKED MP_OBJ_NEW_SMALL_INT(1)

static mp_obj_t lock_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    (void)args;
    mp_arg_check_num(n_args, n_kw, 0, 0, false);
    lock_obj_t *k = mp_obj_malloc(lock_obj_t, type);
    k->waiters.head = k->waiters.tail = NULL;
    k->waiters.kind = EIO_WAITABLE_PLAIN;
    k->owner = UNLOCKED;
    return MP_OBJ_FROM_PTR(k);
}

static mp_obj_t lock_locked(mp_obj_t self_in) {
    lock_obj_t *k = MP_OBJ_TO_PTR(self_in);
    return mp_obj_new_bool(k->owner == LOCKED);
}
static MP_DEFINE_CONST_FUN_OBJ_1(lock_locked_obj, lock_locked);

static mp_obj_t lock_release(mp_obj_t self_in) {
    lock_obj_t *k = MP_OBJ_TO_PTR(self_in);
    if (k->owner != LOCKED) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("Lock not acquired"));
    }
    eio_task_t *next = eio_wake_one(LOOP, &k->waiters);
    k->owner = next ? MP_OBJ_FROM_PTR(next) : UNLOCKED;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(lock_release_obj, lock_release);

// lock.acquire() returns the lock itself: awaiting it is the acquisition.
static mp_obj_t lock_iternext(mp_obj_t self_in) {
    lock_obj_t *k = MP_OBJ_TO_PTR(self_in);
    eio_task_t *t = eventio_current_or_raise();
    if (!resuming_from(t, self_in) && k->owner != UNLOCKED) {
        eio_wait_on(LOOP, &k->waiters);
        return mp_const_none;
    }
    k->owner = LOCKED;
    return mp_make_stop_iteration(mp_const_true);
}

// Cancelled while waiting: if release() had already handed us the lock, pass it on.
static mp_obj_t lock_throw(size_t n_args, const mp_obj_t *args) {
    lock_obj_t *k = MP_OBJ_TO_PTR(args[0]);
    if (k->owner == MP_OBJ_FROM_PTR(eio_current(LOOP))) {
        k->owner = LOCKED;
        lock_release(args[0]);
    }
    nlr_raise(mp_make_raise_obj(n_args > 2 && args[2] != mp_const_none ? args[2] : args[1]));
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(lock_throw_obj, 2, 4, lock_throw);

static mp_obj_t lock_aexit(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    lock_release(args[0]);
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
    { MP_ROM_QSTR(MP_QSTR_throw), MP_ROM_PTR(&lock_throw_obj) },
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
