// _eventio_sync: CPython-named synchronisation primitives for asyncio, native and allocation-free
// per wait: Queue, Semaphore, BoundedSemaphore, Condition.
//
// The glue keeps the Python side: types, argument parsing, raising, and the allocation of the
// helper objects and of the Queue's ring.  The behaviour is the core's: eio_fifo_* (Queue),
// eio_permits_* (Semaphore; Lock in lock.c), eio_cond_wait (Condition), each awaitable's step
// a call to it.  Hand-off on cancellation (a woken waiter cancelled before it runs passes on
// what it was given) is decided by the core where it throws the cancel in, for all of them.
// Everything a wait needs lives in the object or in helper objects it recycles, so in steady
// state a wait allocates nothing.

#include "py/objexcept.h"
#include "py/runtime.h"
#include "glue.h"


EVENTIO_DEFINE_EXCEPTION(QueueEmpty, Exception)
EVENTIO_DEFINE_EXCEPTION(QueueFull, Exception)

static void waitable_init(eio_waitable_t *w, const mp_obj_type_t *type) {
    w->type = type;
    w->head = w->tail = NULL;
    w->kind = EIO_WAITABLE_PLAIN;
}

// Raise `exc` (a class or an instance) as `throw` must.
static NORETURN void reraise(size_t n_args, const mp_obj_t *args) {
    nlr_raise(mp_make_raise_obj(n_args > 2 && args[2] != mp_const_none ? args[2] : args[1]));
}

// ---- Queue ---------------------------------------------------------------------------------
//
// The core's eio_fifo_t decides (items, counters, who is woken, hand-off on cancellation); the
// glue allocates its ring: preallocated at construction for a bounded queue (up to
// PREALLOC_MAX slots; a larger bound grows the ring as needed), grown by doubling for an
// unbounded one when the core says EIO_E_GROW.  The queue itself is the awaitable of get();
// put() on a full queue returns a putter (recycled through a free list) that holds the item
// until there is room; join() returns the queue's joiner.

#define PREALLOC_MAX 4096

typedef struct _queue_t queue_t;

typedef struct _putter_t {
    mp_obj_base_t base;
    queue_t *q;
    mp_obj_t item;              // MP_OBJ_NULL once put
    struct _putter_t *next_free;
} putter_t;

struct _queue_t {
    eio_fifo_t fifo;            // first: the object's start
    putter_t *free_putters;
};

static const mp_obj_type_t queue_type, putter_type, joiner_type, waitlist_type;

// The core asked for a larger ring: allocate it, move the items, free the old one.
static void q_grow(queue_t *q) {
    size_t old_cap = q->fifo.cap, cap = eio_fifo_grown_cap(&q->fifo);
    mp_obj_t *old = q->fifo.ring;
    eio_fifo_regrow(&q->fifo, m_new0(mp_obj_t, cap), cap);
    m_del(mp_obj_t, old, old_cap);
}

// Put `item` in (there is room): EIO_OK.
static int q_push(queue_t *q, mp_obj_t item) {
    int r;
    while ((r = eio_fifo_push(LOOP, &q->fifo, item)) == EIO_E_GROW) {
        q_grow(q);
    }
    return r;
}

static mp_obj_t queue_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    enum { ARG_maxsize };
    static const mp_arg_t allowed[] = {
        { MP_QSTR_maxsize, MP_ARG_INT, {.u_int = 0} },
    };
    mp_arg_val_t vals[MP_ARRAY_SIZE(allowed)];
    mp_arg_parse_all_kw_array(n_args, n_kw, args, MP_ARRAY_SIZE(allowed), allowed, vals);
    mp_int_t maxsize = vals[ARG_maxsize].u_int;
    queue_t *q = mp_obj_malloc(queue_t, type);
    eio_fifo_side_t *putters = m_new_obj(eio_fifo_side_t);
    putters->waiters.type = &waitlist_type;
    eio_fifo_side_t *joiners = m_new_obj(eio_fifo_side_t);
    joiners->waiters.type = &joiner_type;
    size_t cap = maxsize <= 0 ? 8 : maxsize > PREALLOC_MAX ? PREALLOC_MAX : (size_t)maxsize;
    eio_fifo_init(&q->fifo, type, putters, joiners, maxsize, m_new0(mp_obj_t, cap), cap);
    q->free_putters = NULL;
    return MP_OBJ_FROM_PTR(q);
}

static mp_obj_t queue_qsize(mp_obj_t self_in) {
    queue_t *q = MP_OBJ_TO_PTR(self_in);
    return MP_OBJ_NEW_SMALL_INT(q->fifo.count);
}
static MP_DEFINE_CONST_FUN_OBJ_1(queue_qsize_obj, queue_qsize);

static mp_obj_t queue_empty(mp_obj_t self_in) {
    queue_t *q = MP_OBJ_TO_PTR(self_in);
    return mp_obj_new_bool(q->fifo.count == 0);
}
static MP_DEFINE_CONST_FUN_OBJ_1(queue_empty_obj, queue_empty);

static mp_obj_t queue_full(mp_obj_t self_in) {
    queue_t *q = MP_OBJ_TO_PTR(self_in);
    return mp_obj_new_bool(eio_fifo_full(&q->fifo));
}
static MP_DEFINE_CONST_FUN_OBJ_1(queue_full_obj, queue_full);

static mp_obj_t queue_put_nowait(mp_obj_t self_in, mp_obj_t item) {
    if (q_push(MP_OBJ_TO_PTR(self_in), item) == EIO_E_FULL) {
        mp_raise_type(&eventio_type_QueueFull);
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(queue_put_nowait_obj, queue_put_nowait);

static mp_obj_t queue_get_nowait(mp_obj_t self_in) {
    queue_t *q = MP_OBJ_TO_PTR(self_in);
    mp_obj_t item;
    if (eio_fifo_pop(LOOP, &q->fifo, &item) != EIO_OK) {
        mp_raise_type(&eventio_type_QueueEmpty);
    }
    return item;
}
static MP_DEFINE_CONST_FUN_OBJ_1(queue_get_nowait_obj, queue_get_nowait);

// put(item): with room, the item goes in now and the awaitable completes at once; on a full
// queue, a putter holds the item until there is room.
static mp_obj_t queue_put(mp_obj_t self_in, mp_obj_t item) {
    queue_t *q = MP_OBJ_TO_PTR(self_in);
    if (q_push(q, item) == EIO_OK) {
        return MP_OBJ_FROM_PTR(&eventio_ready_singleton);
    }
    putter_t *p = q->free_putters;
    if (p != NULL) {
        q->free_putters = p->next_free;
        p->next_free = NULL;
    } else {
        p = mp_obj_malloc(putter_t, &putter_type);
        p->q = q;
        p->next_free = NULL;
    }
    p->item = item;
    return MP_OBJ_FROM_PTR(p);
}
static MP_DEFINE_CONST_FUN_OBJ_2(queue_put_obj, queue_put);

static void putter_recycle(putter_t *p) {
    p->item = MP_OBJ_NULL;
    p->next_free = p->q->free_putters;
    p->q->free_putters = p;
}

static mp_obj_t putter_iternext(mp_obj_t self_in) {
    putter_t *p = MP_OBJ_TO_PTR(self_in);
    if (p->item == MP_OBJ_NULL) {
        return MP_OBJ_STOP_ITERATION; // already put (awaited twice)
    }
    int r;
    while ((r = eio_fifo_put(LOOP, &p->q->fifo, p->item)) == EIO_E_GROW) {
        q_grow(p->q);
    }
    if (r == EIO_YIELD) {
        return mp_const_none;
    }
    if (r != EIO_OK) {
        eventio_raise_status(r);
    }
    putter_recycle(p);
    return MP_OBJ_STOP_ITERATION;
}

// Cancelled while waiting for room: the item is dropped (the core passed on a turn we got).
static mp_obj_t putter_throw(size_t n_args, const mp_obj_t *args) {
    putter_t *p = MP_OBJ_TO_PTR(args[0]);
    if (p->item != MP_OBJ_NULL) {
        putter_recycle(p);
    }
    reraise(n_args, args);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(putter_throw_obj, 2, 4, putter_throw);

static const mp_rom_map_elem_t putter_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&eventio_awaitable_send_obj) },
    { MP_ROM_QSTR(MP_QSTR_throw), MP_ROM_PTR(&putter_throw_obj) },
};
static MP_DEFINE_CONST_DICT(putter_locals, putter_locals_table);
static MP_DEFINE_CONST_OBJ_TYPE(
    putter_type, MP_QSTR_put, MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    iter, putter_iternext, locals_dict, &putter_locals);

static MP_DEFINE_CONST_OBJ_TYPE(waitlist_type, MP_QSTR_waitlist, MP_TYPE_FLAG_NONE);

// get(): the queue itself.
static mp_obj_t queue_iternext(mp_obj_t self_in) {
    queue_t *q = MP_OBJ_TO_PTR(self_in);
    mp_obj_t item;
    int r = eio_fifo_get(LOOP, &q->fifo, &item);
    if (r == EIO_YIELD) {
        return mp_const_none;
    }
    if (r != EIO_OK) {
        eventio_raise_status(r);
    }
    return mp_make_stop_iteration(item);
}

static mp_obj_t queue_task_done(mp_obj_t self_in) {
    queue_t *q = MP_OBJ_TO_PTR(self_in);
    if (!eio_fifo_task_done(LOOP, &q->fifo)) {
        mp_raise_ValueError(MP_ERROR_TEXT("task_done() called too many times"));
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(queue_task_done_obj, queue_task_done);

static mp_obj_t queue_join(mp_obj_t self_in) {
    queue_t *q = MP_OBJ_TO_PTR(self_in);
    return MP_OBJ_FROM_PTR(q->fifo.joiners);
}
static MP_DEFINE_CONST_FUN_OBJ_1(queue_join_obj, queue_join);

// join(): complete when every item put has been marked task_done() (woken when the count
// reaches zero, as CPython's join() waits on an Event).
static mp_obj_t joiner_iternext(mp_obj_t self_in) {
    eio_fifo_side_t *j = MP_OBJ_TO_PTR(self_in);
    int r = eio_fifo_join(LOOP, j->fifo);
    if (r == EIO_YIELD) {
        return mp_const_none;
    }
    if (r != EIO_OK) {
        eventio_raise_status(r);
    }
    return MP_OBJ_STOP_ITERATION;
}
static const mp_rom_map_elem_t joiner_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&eventio_awaitable_send_obj) },
};
static MP_DEFINE_CONST_DICT(joiner_locals, joiner_locals_table);
static MP_DEFINE_CONST_OBJ_TYPE(
    joiner_type, MP_QSTR_join, MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    iter, joiner_iternext, locals_dict, &joiner_locals);

static void queue_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    queue_t *q = MP_OBJ_TO_PTR(self_in);
    if (dest[0] == MP_OBJ_NULL && attr == MP_QSTR_maxsize) {
        dest[0] = MP_OBJ_NEW_SMALL_INT(q->fifo.maxsize);
        return;
    }
    dest[1] = MP_OBJ_SENTINEL; // go on to the methods
}

static const mp_rom_map_elem_t queue_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_qsize), MP_ROM_PTR(&queue_qsize_obj) },
    { MP_ROM_QSTR(MP_QSTR_empty), MP_ROM_PTR(&queue_empty_obj) },
    { MP_ROM_QSTR(MP_QSTR_full), MP_ROM_PTR(&queue_full_obj) },
    { MP_ROM_QSTR(MP_QSTR_put_nowait), MP_ROM_PTR(&queue_put_nowait_obj) },
    { MP_ROM_QSTR(MP_QSTR_get_nowait), MP_ROM_PTR(&queue_get_nowait_obj) },
    { MP_ROM_QSTR(MP_QSTR_put), MP_ROM_PTR(&queue_put_obj) },
    { MP_ROM_QSTR(MP_QSTR_get), MP_ROM_PTR(&eventio_return_self_obj) },
    { MP_ROM_QSTR(MP_QSTR_task_done), MP_ROM_PTR(&queue_task_done_obj) },
    { MP_ROM_QSTR(MP_QSTR_join), MP_ROM_PTR(&queue_join_obj) },
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&eventio_awaitable_send_obj) },
};
static MP_DEFINE_CONST_DICT(queue_locals, queue_locals_table);

static MP_DEFINE_CONST_OBJ_TYPE(
    queue_type, MP_QSTR_Queue, MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    make_new, queue_make_new, attr, queue_attr, iter, queue_iternext,
    locals_dict, &queue_locals);

// ---- Semaphore, BoundedSemaphore -------------------------------------------------------------
//
// The core's counted permits (eio_permits_t): release() with waiters hands its permit to the
// first one (as CPython's does); a waiter handed one and cancelled before it runs passes it on.

typedef struct {
    eio_permits_t permits; // first: the object's start
    mp_int_t bound;        // BoundedSemaphore: the initial value; else -1
} sem_t;

static const mp_obj_type_t semaphore_type, bounded_semaphore_type;

static mp_obj_t sem_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    enum { ARG_value };
    static const mp_arg_t allowed[] = {
        { MP_QSTR_value, MP_ARG_INT, {.u_int = 1} },
    };
    mp_arg_val_t vals[MP_ARRAY_SIZE(allowed)];
    mp_arg_parse_all_kw_array(n_args, n_kw, args, MP_ARRAY_SIZE(allowed), allowed, vals);
    if (vals[ARG_value].u_int < 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("Semaphore initial value must be >= 0"));
    }
    sem_t *s = mp_obj_malloc(sem_t, type);
    eio_permits_init(&s->permits, type, vals[ARG_value].u_int);
    s->bound = type == &bounded_semaphore_type ? vals[ARG_value].u_int : -1;
    return MP_OBJ_FROM_PTR(s);
}

static mp_obj_t sem_locked(mp_obj_t self_in) {
    sem_t *s = MP_OBJ_TO_PTR(self_in);
    return mp_obj_new_bool(s->permits.count == 0 || s->permits.waiters.head != NULL);
}
static MP_DEFINE_CONST_FUN_OBJ_1(sem_locked_obj, sem_locked);

static mp_obj_t semaphore_release(mp_obj_t self_in) {
    sem_t *s = MP_OBJ_TO_PTR(self_in);
    if (s->bound >= 0 && (mp_int_t)s->permits.count >= s->bound) {
        mp_raise_ValueError(MP_ERROR_TEXT("BoundedSemaphore released too many times"));
    }
    eio_permits_release(LOOP, &s->permits);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(semaphore_release_obj, semaphore_release);

static mp_obj_t sem_iternext(mp_obj_t self_in) {
    sem_t *s = MP_OBJ_TO_PTR(self_in);
    int r = eio_permits_acquire(LOOP, &s->permits);
    if (r == EIO_YIELD) {
        return mp_const_none;
    }
    if (r != EIO_OK) {
        eventio_raise_status(r);
    }
    return mp_make_stop_iteration(mp_const_true);
}

static mp_obj_t sem_aexit(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    semaphore_release(args[0]);
    return MP_OBJ_FROM_PTR(&eventio_ready_singleton);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(sem_aexit_obj, 4, 4, sem_aexit);

static const mp_rom_map_elem_t sem_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_locked), MP_ROM_PTR(&sem_locked_obj) },
    { MP_ROM_QSTR(MP_QSTR_release), MP_ROM_PTR(&semaphore_release_obj) },
    { MP_ROM_QSTR(MP_QSTR_acquire), MP_ROM_PTR(&eventio_return_self_obj) },
    { MP_ROM_QSTR(MP_QSTR___aenter__), MP_ROM_PTR(&eventio_return_self_obj) },
    { MP_ROM_QSTR(MP_QSTR___aexit__), MP_ROM_PTR(&sem_aexit_obj) },
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&eventio_awaitable_send_obj) },
};
static MP_DEFINE_CONST_DICT(sem_locals, sem_locals_table);

static MP_DEFINE_CONST_OBJ_TYPE(
    semaphore_type, MP_QSTR_Semaphore, MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    make_new, sem_make_new, iter, sem_iternext, locals_dict, &sem_locals);

static MP_DEFINE_CONST_OBJ_TYPE(
    bounded_semaphore_type, MP_QSTR_BoundedSemaphore, MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    make_new, sem_make_new, iter, sem_iternext, locals_dict, &sem_locals);

// ---- Condition -------------------------------------------------------------------------------
//
// The core's eio_cond_wait() decides wait() (release the lock, wait for notify(), take the
// lock again even when cancelled) over a native Lock (one permit of the core's).  Each wait()
// in progress has its own awaitable, which holds the wait's state (recycled through a free
// list, as Queue's putters: no allocation per wait in steady state).

typedef struct _cond_waiter_t cond_waiter_t;

typedef struct {
    eio_waitable_t waiters; // first: the object's start; tasks waiting for notify()
    eio_permits_t *lock;    // an _eventio.Lock
    cond_waiter_t *free_waiters;
} cond_t;

struct _cond_waiter_t {
    mp_obj_base_t base;
    cond_t *c;
    eio_cond_wait_t wait;
    cond_waiter_t *next_free;
};

static const mp_obj_type_t cond_waiter_type;

static mp_obj_t cond_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    enum { ARG_lock };
    static const mp_arg_t allowed[] = {
        { MP_QSTR_lock, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
    };
    mp_arg_val_t vals[MP_ARRAY_SIZE(allowed)];
    mp_arg_parse_all_kw_array(n_args, n_kw, args, MP_ARRAY_SIZE(allowed), allowed, vals);
    mp_obj_t lock = vals[ARG_lock].u_obj;
    if (lock == mp_const_none) {
        lock = mp_call_function_0(MP_OBJ_FROM_PTR(&eventio_lock_type));
    } else if (!mp_obj_is_exact_type(lock, &eventio_lock_type)) {
        mp_raise_TypeError(MP_ERROR_TEXT("Condition needs an asyncio.Lock"));
    }
    cond_t *c = mp_obj_malloc(cond_t, type);
    waitable_init(&c->waiters, type);
    c->lock = MP_OBJ_TO_PTR(lock);
    c->free_waiters = NULL;
    return MP_OBJ_FROM_PTR(c);
}

static void cond_check_held(cond_t *c, mp_rom_error_text_t msg) {
    if (!eio_lock_held(c->lock)) {
        mp_raise_msg(&mp_type_RuntimeError, msg);
    }
}

// wait(): a waiter, recycled or new.
static mp_obj_t condition_wait(mp_obj_t self_in) {
    cond_t *c = MP_OBJ_TO_PTR(self_in);
    cond_waiter_t *w = c->free_waiters;
    if (w != NULL) {
        c->free_waiters = w->next_free;
    } else {
        w = mp_obj_malloc(cond_waiter_t, &cond_waiter_type);
        w->c = c;
    }
    w->next_free = NULL;
    w->wait.phase = EIO_COND_START;
    w->wait.exc = MP_OBJ_NULL;
    return MP_OBJ_FROM_PTR(w);
}
static MP_DEFINE_CONST_FUN_OBJ_1(condition_wait_obj, condition_wait);

// One step of a wait, `thrown` the exception thrown in (or NULL): yields, returns True, raises.
static mp_obj_t cond_waiter_step(cond_waiter_t *w, mp_obj_t thrown) {
    cond_t *c = w->c;
    mp_obj_t exc = MP_OBJ_NULL;
    int r = eio_cond_wait(LOOP, &c->waiters, c->lock, &w->wait, thrown, &exc);
    if (r == EIO_YIELD) {
        return mp_const_none;
    }
    if (r == EIO_E_NOT_HELD) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("cannot wait on un-acquired lock"));
    }
    if (r != EIO_OK && r != EIO_RAISE) {
        eventio_raise_status(r);
    }
    // Over: recycle the waiter, then return or raise.
    w->next_free = c->free_waiters;
    c->free_waiters = w;
    if (r == EIO_RAISE) {
        nlr_raise(mp_make_raise_obj(exc));
    }
    return mp_make_stop_iteration(mp_const_true);
}

static mp_obj_t cond_waiter_iternext(mp_obj_t self_in) {
    return cond_waiter_step(MP_OBJ_TO_PTR(self_in), MP_OBJ_NULL);
}

static mp_obj_t cond_waiter_throw(size_t n_args, const mp_obj_t *args) {
    return cond_waiter_step(MP_OBJ_TO_PTR(args[0]), n_args > 2 && args[2] != mp_const_none ? args[2] : args[1]);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(cond_waiter_throw_obj, 2, 4, cond_waiter_throw);

static const mp_rom_map_elem_t cond_waiter_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&eventio_awaitable_send_obj) },
    { MP_ROM_QSTR(MP_QSTR_throw), MP_ROM_PTR(&cond_waiter_throw_obj) },
};
static MP_DEFINE_CONST_DICT(cond_waiter_locals, cond_waiter_locals_table);
static MP_DEFINE_CONST_OBJ_TYPE(
    cond_waiter_type, MP_QSTR_wait, MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    iter, cond_waiter_iternext, locals_dict, &cond_waiter_locals);

static mp_obj_t cond_notify(size_t n_args, const mp_obj_t *args) {
    cond_t *c = MP_OBJ_TO_PTR(args[0]);
    mp_int_t n = n_args > 1 ? mp_obj_get_int(args[1]) : 1;
    cond_check_held(c, MP_ERROR_TEXT("cannot notify on un-acquired lock"));
    while (n-- > 0 && eio_wake_one(LOOP, &c->waiters) != NULL) {
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(cond_notify_obj, 1, 2, cond_notify);

static mp_obj_t cond_notify_all(mp_obj_t self_in) {
    cond_t *c = MP_OBJ_TO_PTR(self_in);
    cond_check_held(c, MP_ERROR_TEXT("cannot notify on un-acquired lock"));
    eio_wake_all(LOOP, &c->waiters);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(cond_notify_all_obj, cond_notify_all);

static mp_obj_t cond_acquire(mp_obj_t self_in) {
    cond_t *c = MP_OBJ_TO_PTR(self_in);
    return MP_OBJ_FROM_PTR(c->lock); // the Lock is its own acquire() awaitable
}
static MP_DEFINE_CONST_FUN_OBJ_1(cond_acquire_obj, cond_acquire);

static mp_obj_t cond_release(mp_obj_t self_in) {
    cond_t *c = MP_OBJ_TO_PTR(self_in);
    return eventio_lock_release(MP_OBJ_FROM_PTR(c->lock));
}
static MP_DEFINE_CONST_FUN_OBJ_1(cond_release_obj, cond_release);

static mp_obj_t cond_locked(mp_obj_t self_in) {
    cond_t *c = MP_OBJ_TO_PTR(self_in);
    return mp_obj_new_bool(eio_lock_held(c->lock));
}
static MP_DEFINE_CONST_FUN_OBJ_1(cond_locked_obj, cond_locked);

static mp_obj_t cond_aexit(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    cond_release(args[0]);
    return MP_OBJ_FROM_PTR(&eventio_ready_singleton);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(cond_aexit_obj, 4, 4, cond_aexit);

static const mp_rom_map_elem_t cond_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_wait), MP_ROM_PTR(&condition_wait_obj) },
    { MP_ROM_QSTR(MP_QSTR_notify), MP_ROM_PTR(&cond_notify_obj) },
    { MP_ROM_QSTR(MP_QSTR_notify_all), MP_ROM_PTR(&cond_notify_all_obj) },
    { MP_ROM_QSTR(MP_QSTR_acquire), MP_ROM_PTR(&cond_acquire_obj) },
    { MP_ROM_QSTR(MP_QSTR_release), MP_ROM_PTR(&cond_release_obj) },
    { MP_ROM_QSTR(MP_QSTR_locked), MP_ROM_PTR(&cond_locked_obj) },
    { MP_ROM_QSTR(MP_QSTR___aenter__), MP_ROM_PTR(&cond_acquire_obj) },
    { MP_ROM_QSTR(MP_QSTR___aexit__), MP_ROM_PTR(&cond_aexit_obj) },
};
static MP_DEFINE_CONST_DICT(cond_locals, cond_locals_table);

static MP_DEFINE_CONST_OBJ_TYPE(
    condition_type, MP_QSTR_Condition, MP_TYPE_FLAG_NONE,
    make_new, cond_make_new, locals_dict, &cond_locals);

// ---- Module ----------------------------------------------------------------------------------

static const mp_rom_map_elem_t sync_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR__eventio_sync) },
    { MP_ROM_QSTR(MP_QSTR_Queue), MP_ROM_PTR(&queue_type) },
    { MP_ROM_QSTR(MP_QSTR_QueueEmpty), MP_ROM_PTR(&eventio_type_QueueEmpty) },
    { MP_ROM_QSTR(MP_QSTR_QueueFull), MP_ROM_PTR(&eventio_type_QueueFull) },
    { MP_ROM_QSTR(MP_QSTR_Semaphore), MP_ROM_PTR(&semaphore_type) },
    { MP_ROM_QSTR(MP_QSTR_BoundedSemaphore), MP_ROM_PTR(&bounded_semaphore_type) },
    { MP_ROM_QSTR(MP_QSTR_Condition), MP_ROM_PTR(&condition_type) },
};
static MP_DEFINE_CONST_DICT(sync_globals, sync_globals_table);

const mp_obj_module_t eventio_sync_user_cmodule = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&sync_globals,
};

MP_REGISTER_MODULE(MP_QSTR__eventio_sync, eventio_sync_user_cmodule);
