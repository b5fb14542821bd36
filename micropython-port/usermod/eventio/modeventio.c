// _eventio: the MicroPython face of eventio's Rust core.
//
// This file only does what Rust cannot: define Python types, raise exceptions, call Python.
// Every scheduling decision is made by the core (include/eventio.h).  Calls that may run
// Python code and are made on behalf of the core (resume a coroutine, call a callback) catch
// exceptions with nlr before returning, so no longjmp crosses a Rust frame.
//
// Awaitables (sleep, Event.wait, Lock.acquire, awaiting a Task) are native iterators that park
// the current task in the core and yield None; none of them allocates.  A parked task's
// `wait_on` names the awaitable that parked it, so the awaitable's next step knows the task is
// coming back rather than arriving.

#include <string.h>

#include "py/gc.h"
#include "py/mphal.h"
#include "py/objexcept.h"
#include "py/objgenerator.h"
#include "py/smallint.h"
#include "py/runtime.h"
#include "py/stackctrl.h"
#include "glue.h"

MP_REGISTER_ROOT_POINTER(struct eio_loop *eventio_loop);
// Called as hook(task, exception) for a task exception nobody retrieved (asyncio's handler).
MP_REGISTER_ROOT_POINTER(mp_obj_t eventio_unhandled_hook);
// Called as hook(task) when a task with done callbacks has finished: schedules them.
MP_REGISTER_ROOT_POINTER(mp_obj_t eventio_callbacks_hook);

MP_DEFINE_EXCEPTION(CancelledError, BaseException)
MP_DEFINE_EXCEPTION(TimeoutError, Exception)

static mp_obj_t new_loop(void) {
    eventio_port_init();
    eio_loop_t *l = m_new0(eio_loop_t, 1);
    eio_loop_init(l);
    MP_STATE_VM(eventio_loop) = l;
    return mp_const_none;
}

eio_loop_t *eventio_loop(void) {
    if (MP_STATE_VM(eventio_loop) == NULL) {
        new_loop();
    }
    return MP_STATE_VM(eventio_loop);
}
#define LOOP (eventio_loop())

void eventio_soft_reset(void) {
    MP_STATE_VM(eventio_loop) = NULL;
    MP_STATE_VM(eventio_unhandled_hook) = MP_OBJ_NULL;
    MP_STATE_VM(eventio_callbacks_hook) = MP_OBJ_NULL;
}

NORETURN void eventio_raise_status(int status) {
    switch (status) {
        case EIO_E_CANT_CANCEL_SELF:
            mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("can't cancel self"));
        case EIO_E_CANT_WAIT:
            mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("can't wait"));
        case EIO_E_NO_SLOT:
            mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("too many ThreadSafeFlags"));
        case EIO_E_BAD_HANDLE:
            mp_raise_ValueError(MP_ERROR_TEXT("flag is gone"));
        case EIO_E_NO_LOOP:
        default:
            mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("no running event loop"));
    }
}

eio_task_t *eventio_current_or_raise(void) {
    eio_task_t *t = eio_current(LOOP);
    if (t == NULL) {
        eventio_raise_status(EIO_E_NO_LOOP);
    }
    return t;
}
#define current_or_raise eventio_current_or_raise

static bool is_cancel(mp_obj_t exc) {
    mp_obj_t type = mp_obj_is_type(exc, &mp_type_type) ? exc : MP_OBJ_FROM_PTR(mp_obj_get_type(exc));
    return mp_obj_is_subclass_fast(type, MP_OBJ_FROM_PTR(&mp_type_CancelledError));
}

// ---- Glue functions the core calls -------------------------------------------------------

bool eio_glue_is_cancel(eio_obj_t exc) {
    return is_cancel(exc);
}

// Debug option (eventio.gc_torture(True)): collect garbage before every resumption, so that
// anything the loop holds but the collector cannot see is freed at once and caught by tests.
static bool gc_torture;

int eio_glue_resume(eio_task_t *task, eio_obj_t *out) {
    if (gc_torture) {
        gc_collect();
    }
    mp_obj_t thrown = task->data;
    task->data = NULL;
    mp_obj_t ret;
    mp_vm_return_kind_t kind;
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        if (thrown != NULL) {
            task->wait_on = NULL; // the awaitable it was parked on is abandoned
            // As coro.throw(exc) does: a generator that has not started yet gets the
            // exception at its start rather than refusing a non-None send.
            if (mp_obj_is_type(task->coro, &mp_type_gen_instance)) {
                kind = mp_obj_gen_resume(task->coro, mp_const_none, thrown, &ret);
            } else {
                kind = mp_resume(task->coro, MP_OBJ_NULL, thrown, &ret);
            }
        } else {
            kind = mp_resume(task->coro, mp_const_none, MP_OBJ_NULL, &ret);
        }
        nlr_pop();
    } else {
        // mp_resume itself raised (e.g. the generator is already running, MemoryError).
        kind = MP_VM_RETURN_EXCEPTION;
        ret = MP_OBJ_FROM_PTR(nlr.ret_val);
    }
    *out = ret;
    if (kind == MP_VM_RETURN_YIELD) {
        return EIO_YIELD;
    }
    if (kind == MP_VM_RETURN_NORMAL) {
        return EIO_RETURN;
    }
    // Like asyncio, a task may end with an Exception or a CancelledError; any other
    // BaseException (KeyboardInterrupt, SystemExit, ...) stops the loop.
    if (mp_obj_is_subclass_fast(MP_OBJ_FROM_PTR(mp_obj_get_type(ret)), MP_OBJ_FROM_PTR(&mp_type_Exception))
        || is_cancel(ret)) {
        return EIO_RAISE;
    }
    return EIO_ERROR;
}

// Call fun(a, b) on behalf of the core: EIO_OK, or EIO_ERROR with the exception in *out.
static int call2_protected(mp_obj_t fun, mp_obj_t a, mp_obj_t b, eio_obj_t *out) {
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        mp_call_function_2(fun, a, b);
        nlr_pop();
        return EIO_OK;
    }
    *out = MP_OBJ_FROM_PTR(nlr.ret_val);
    return EIO_ERROR;
}

// The done callback of state CALLBACK lives in the task while the task has no `extra`, and in
// the `extra` once it has one (see eio_task.cb_inline): a gathered task allocates nothing more.
static void put_done_cb(eio_task_t *t, mp_obj_t cb) {
    eio_task_extra_t *x = eio_task_get_extra(t);
    if (x != NULL) {
        x->done_cb = cb;
    } else {
        t->done_cb = cb;
        t->cb_inline = cb != NULL;
    }
}

int eio_glue_done_callback(eio_task_t *task, eio_obj_t exc, eio_obj_t *out) {
    mp_obj_t cb = eio_task_done_cb(task);
    put_done_cb(task, NULL);
    return call2_protected(cb, MP_OBJ_FROM_PTR(task), exc ? exc : mp_const_none, out);
}

int eio_glue_unhandled(eio_task_t *task, eio_obj_t *out) {
    mp_obj_t hook = MP_STATE_VM(eventio_unhandled_hook);
    if (hook == MP_OBJ_NULL || hook == mp_const_none) {
        return EIO_OK;
    }
    return call2_protected(hook, MP_OBJ_FROM_PTR(task), task->data, out);
}

// ---- Task ----------------------------------------------------------------------------------


static mp_obj_t task_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, 2, false); // Task(coro, globals=None) as in asyncio
    eio_task_t *t = mp_obj_malloc(eio_task_t, type);
    eio_task_init(t, args[0]);
    return MP_OBJ_FROM_PTR(t);
}

// `await task`, first step: mark it awaited (or refuse: it is being gathered).
mp_obj_t eventio_task_getiter(mp_obj_t self_in, mp_obj_iter_buf_t *iter_buf) {
    (void)iter_buf;
    eventio_task_extra(MP_OBJ_TO_PTR(self_in)); // the waiters live there
    int r = eio_task_await_begin(MP_OBJ_TO_PTR(self_in));
    if (r != EIO_OK) {
        eventio_raise_status(r);
    }
    return self_in;
}

// `await task`, each step: return its outcome if finished, else wait on it.
mp_obj_t eventio_task_iternext(mp_obj_t self_in) {
    eio_obj_t v;
    int r = eio_task_await(LOOP, MP_OBJ_TO_PTR(self_in), &v);
    switch (r) {
        case EIO_YIELD:
            return mp_const_none;
        case EIO_RETURN:
            return mp_make_stop_iteration(v);
        case EIO_RAISE:
            nlr_raise(v);
        default:
            eventio_raise_status(r);
    }
}

static mp_obj_t task_done(mp_obj_t self_in) {
    eio_task_t *t = MP_OBJ_TO_PTR(self_in);
    return mp_obj_new_bool(t->state < EIO_TASK_RUNNING);
}
static MP_DEFINE_CONST_FUN_OBJ_1(task_done_obj, task_done);

static mp_obj_t cancel_with(mp_obj_t task, mp_obj_t exc) {
    int r = eio_task_cancel(LOOP, MP_OBJ_TO_PTR(task), exc);
    if (r < 0) {
        eventio_raise_status(r);
    }
    return mp_obj_new_bool(r);
}

static mp_obj_t task_cancel(mp_obj_t self_in) {
    return cancel_with(self_in, MP_OBJ_FROM_PTR(&mp_type_CancelledError));
}
static MP_DEFINE_CONST_FUN_OBJ_1(task_cancel_obj, task_cancel);

eio_task_extra_t *eventio_task_extra(eio_task_t *t) {
    eio_task_extra_t *x = eio_task_get_extra(t);
    if (x == NULL) {
        x = m_new0(eio_task_extra_t, 1);
        x->waiters.kind = EIO_WAITABLE_TASK;
        x->task = t;
        if (t->cb_inline) { // the done callback moves in with the rest
            x->done_cb = t->done_cb;
            t->cb_inline = 0;
        }
        t->extra = x;
    }
    return x;
}

// Task.result() / exception() on an unfinished task: MicroPython has no InvalidStateError.
static void check_finished(eio_task_t *t, const char *what) {
    if (t->state >= EIO_TASK_RUNNING) {
        mp_raise_msg_varg(&mp_type_RuntimeError, MP_ERROR_TEXT("%s is not set."), what);
    }
}

static bool ended_cancelled(eio_task_t *t) {
    return t->state < EIO_TASK_RUNNING && t->outcome == EIO_OUTCOME_RAISE && is_cancel(t->data);
}

static mp_obj_t task_result(mp_obj_t self_in) {
    eio_task_t *t = MP_OBJ_TO_PTR(self_in);
    check_finished(t, "Result");
    t->state = EIO_TASK_DONE; // retrieved
    if (t->outcome == EIO_OUTCOME_RAISE) {
        nlr_raise(mp_make_raise_obj(t->data));
    }
    return t->data ? t->data : mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(task_result_obj, task_result);

static mp_obj_t task_exception(mp_obj_t self_in) {
    eio_task_t *t = MP_OBJ_TO_PTR(self_in);
    check_finished(t, "Exception");
    t->state = EIO_TASK_DONE; // retrieved
    if (t->outcome != EIO_OUTCOME_RAISE) {
        return mp_const_none;
    }
    if (is_cancel(t->data)) {
        nlr_raise(mp_make_raise_obj(t->data));
    }
    return mp_make_raise_obj(t->data); // an instance, even if a class was raised
}
static MP_DEFINE_CONST_FUN_OBJ_1(task_exception_obj, task_exception);

static mp_obj_t task_cancelled(mp_obj_t self_in) {
    return mp_obj_new_bool(ended_cancelled(MP_OBJ_TO_PTR(self_in)));
}
static MP_DEFINE_CONST_FUN_OBJ_1(task_cancelled_obj, task_cancelled);

// Tasks are named "Task-N" in creation order, as in CPython, unless given a name.
static mp_uint_t task_counter;

static mp_obj_t task_get_name(mp_obj_t self_in) {
    eio_task_extra_t *x = eventio_task_extra(MP_OBJ_TO_PTR(self_in));
    if (x->name == NULL) {
        vstr_t v;
        vstr_init(&v, 16);
        vstr_printf(&v, "Task-" UINT_FMT, ++task_counter);
        x->name = mp_obj_new_str_from_vstr(&v);
    }
    return x->name;
}
static MP_DEFINE_CONST_FUN_OBJ_1(task_get_name_obj, task_get_name);

static mp_obj_t task_set_name(mp_obj_t self_in, mp_obj_t name) {
    eventio_task_extra(MP_OBJ_TO_PTR(self_in))->name = mp_call_function_1(MP_OBJ_FROM_PTR(&mp_type_str), name);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(task_set_name_obj, task_set_name);

static eio_task_t *to_task(mp_obj_t o);

static void call_soon_hook(mp_obj_t task) {
    mp_obj_t hook = MP_STATE_VM(eventio_callbacks_hook);
    if (hook != MP_OBJ_NULL && hook != mp_const_none) {
        mp_call_function_1(hook, task);
    }
}

int eio_glue_finished(eio_task_t *task, eio_obj_t *out) {
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        call_soon_hook(MP_OBJ_FROM_PTR(task));
        nlr_pop();
        return EIO_OK;
    }
    *out = MP_OBJ_FROM_PTR(nlr.ret_val);
    return EIO_ERROR;
}

// take_done_callbacks(task): the callbacks to run now (each runs once), as a list.
static mp_obj_t take_done_callbacks(mp_obj_t task) {
    eio_task_extra_t *x = eio_task_get_extra(to_task(task));
    mp_obj_t cbs = x && x->callbacks ? x->callbacks : mp_obj_new_list(0, NULL);
    if (x) {
        x->callbacks = NULL;
    }
    return cbs;
}
static MP_DEFINE_CONST_FUN_OBJ_1(take_done_callbacks_obj, take_done_callbacks);

static mp_obj_t set_callbacks_hook(mp_obj_t hook) {
    MP_STATE_VM(eventio_callbacks_hook) = hook;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(set_callbacks_hook_obj, set_callbacks_hook);

// add_done_callback(fn): fn(task) is called soon after the task finishes (at once, soon, if
// it already has).
static mp_obj_t task_add_done_callback(mp_obj_t self_in, mp_obj_t fn) {
    eio_task_t *t = MP_OBJ_TO_PTR(self_in);
    eio_task_extra_t *x = eventio_task_extra(t);
    if (x->callbacks == NULL) {
        x->callbacks = mp_obj_new_list(0, NULL);
    }
    mp_obj_list_append(x->callbacks, fn);
    if (t->state < EIO_TASK_RUNNING) {
        call_soon_hook(self_in);
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(task_add_done_callback_obj, task_add_done_callback);

// remove_done_callback(fn): how many registrations of fn were removed.
static mp_obj_t task_remove_done_callback(mp_obj_t self_in, mp_obj_t fn) {
    eio_task_extra_t *x = eio_task_get_extra(MP_OBJ_TO_PTR(self_in));
    mp_int_t n = 0;
    if (x != NULL && x->callbacks != NULL) {
        size_t len;
        mp_obj_t *items;
        mp_obj_list_get(x->callbacks, &len, &items);
        for (size_t i = len; i-- > 0;) {
            if (mp_obj_equal(items[i], fn)) {
                mp_obj_list_remove(x->callbacks, items[i]);
                mp_obj_list_get(x->callbacks, &len, &items);
                n++;
            }
        }
    }
    return MP_OBJ_NEW_SMALL_INT(n);
}
static MP_DEFINE_CONST_FUN_OBJ_2(task_remove_done_callback_obj, task_remove_done_callback);

static const mp_rom_map_elem_t task_methods_table[] = {
    { MP_ROM_QSTR(MP_QSTR_done), MP_ROM_PTR(&task_done_obj) },
    { MP_ROM_QSTR(MP_QSTR_cancel), MP_ROM_PTR(&task_cancel_obj) },
    { MP_ROM_QSTR(MP_QSTR_result), MP_ROM_PTR(&task_result_obj) },
    { MP_ROM_QSTR(MP_QSTR_exception), MP_ROM_PTR(&task_exception_obj) },
    { MP_ROM_QSTR(MP_QSTR_cancelled), MP_ROM_PTR(&task_cancelled_obj) },
    { MP_ROM_QSTR(MP_QSTR_get_name), MP_ROM_PTR(&task_get_name_obj) },
    { MP_ROM_QSTR(MP_QSTR_set_name), MP_ROM_PTR(&task_set_name_obj) },
    { MP_ROM_QSTR(MP_QSTR_add_done_callback), MP_ROM_PTR(&task_add_done_callback_obj) },
    { MP_ROM_QSTR(MP_QSTR_remove_done_callback), MP_ROM_PTR(&task_remove_done_callback_obj) },
};
static MP_DEFINE_CONST_MAP(task_methods, task_methods_table);

void eventio_task_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    eio_task_t *t = MP_OBJ_TO_PTR(self_in);
    if (dest[0] == MP_OBJ_NULL) {
        if (attr == MP_QSTR_coro) {
            dest[0] = t->coro;
        } else if (attr == MP_QSTR_data) {
            eio_task_extra_t *x = eio_task_get_extra(t);
            dest[0] = x && x->user_data ? x->user_data : mp_const_none;
        } else if (attr == MP_QSTR_priority) {
            dest[0] = MP_OBJ_NEW_SMALL_INT(t->priority);
        } else {
            mp_map_elem_t *m = mp_map_lookup((mp_map_t *)&task_methods, MP_OBJ_NEW_QSTR(attr), MP_MAP_LOOKUP);
            if (m != NULL) {
                dest[0] = m->value;
                dest[1] = self_in;
            }
        }
    } else if (dest[1] != MP_OBJ_NULL && attr == MP_QSTR_data) {
        eventio_task_extra(t)->user_data = dest[1];
        dest[0] = MP_OBJ_NULL;
    } else if (dest[1] != MP_OBJ_NULL && attr == MP_QSTR_priority) {
        mp_int_t level = mp_obj_get_int(dest[1]);
        if (level < 0 || level >= EIO_LEVELS) {
            mp_raise_ValueError(MP_ERROR_TEXT("priority out of range"));
        }
        eio_set_priority(LOOP, t, (uint32_t)level);
        dest[0] = MP_OBJ_NULL;
    }
}

const mp_getiter_iternext_custom_t eventio_task_iter = { eventio_task_getiter, eventio_task_iternext };

MP_DEFINE_CONST_OBJ_TYPE(
    eventio_task_type,
    MP_QSTR_Task,
    MP_TYPE_FLAG_ITER_IS_CUSTOM,
    make_new, task_make_new,
    attr, eventio_task_attr,
    iter, &eventio_task_iter
    );

static eio_task_t *to_task(mp_obj_t o) {
    if (!mp_obj_is_type(o, &eventio_task_type) && !mp_obj_is_type(o, &eventio_kernel_task_type)) {
        mp_raise_TypeError(MP_ERROR_TEXT("Task expected"));
    }
    return MP_OBJ_TO_PTR(o);
}

// A new task of `type` running `coro` at priority `level`, scheduled.
mp_obj_t eventio_spawn_task(const mp_obj_type_t *type, mp_obj_t coro, mp_int_t level) {
    mp_obj_t dest[2];
    mp_load_method_maybe(coro, MP_QSTR_send, dest);
    if (dest[0] == MP_OBJ_NULL) {
        mp_raise_TypeError(MP_ERROR_TEXT("coroutine expected"));
    }
    if (level < 0 || level >= EIO_LEVELS) {
        mp_raise_ValueError(MP_ERROR_TEXT("priority out of range"));
    }
    eio_task_t *t = mp_obj_malloc(eio_task_t, type);
    eio_task_init(t, coro);
    t->priority = (uint8_t)level;
    eio_spawn(LOOP, t);
    return MP_OBJ_FROM_PTR(t);
}

// create_task(coro, *, name=None, priority=0)
static mp_obj_t create_task(size_t n_args, const mp_obj_t *args, mp_map_t *kw_args) {
    mp_map_elem_t *p = mp_map_lookup(kw_args, MP_OBJ_NEW_QSTR(MP_QSTR_priority), MP_MAP_LOOKUP);
    mp_map_elem_t *n = mp_map_lookup(kw_args, MP_OBJ_NEW_QSTR(MP_QSTR_name), MP_MAP_LOOKUP);
    if (kw_args->used > (size_t)(p != NULL) + (n != NULL)) {
        mp_raise_TypeError(MP_ERROR_TEXT("unexpected keyword argument"));
    }
    mp_obj_t task = eventio_spawn_task(&eventio_task_type, args[0], p ? mp_obj_get_int(p->value) : 0);
    if (n != NULL && n->value != mp_const_none) {
        task_set_name(task, n->value);
    }
    return task;
}
static MP_DEFINE_CONST_FUN_OBJ_KW(create_task_obj, 1, create_task);

static mp_obj_t current_task(void) {
    return MP_OBJ_FROM_PTR(current_or_raise());
}
static MP_DEFINE_CONST_FUN_OBJ_0(current_task_obj, current_task);

// run(task): run the loop until `task` ends (task may be None: until no task is left).
static mp_obj_t run(mp_obj_t main) {
    eio_task_t *m = main == mp_const_none ? NULL : to_task(main);
    eio_obj_t out = NULL;
    int r = eio_run(LOOP, m, &out);
    switch (r) {
        case EIO_RETURN:
            return out;
        case EIO_RAISE:
        case EIO_ERROR:
            nlr_raise(out);
        case EIO_OK:
            return mp_const_none;
        default:
            eventio_raise_status(r);
    }
}
static MP_DEFINE_CONST_FUN_OBJ_1(run_obj, run);

// ---- Awaitables ---------------------------------------------------------------------------

// sleep_ms(t) / sleep(t): one preallocated awaitable, armed with the deadline of the next
// sleep.  The deadline is computed when sleep_ms() is called, as in asyncio.
typedef struct {
    mp_obj_base_t base;
    eio_ticks_t start;
    mp_uint_t ms;
    bool armed;
} sleep_obj_t;

static mp_obj_t sleep_iternext(mp_obj_t self_in) {
    sleep_obj_t *s = MP_OBJ_TO_PTR(self_in);
    if (!s->armed) {
        return MP_OBJ_STOP_ITERATION;
    }
    s->armed = false;
    int r = eio_sleep(LOOP, s->start, s->ms);
    if (r != EIO_OK) {
        eventio_raise_status(r);
    }
    return mp_const_none;
}

static MP_DEFINE_CONST_OBJ_TYPE(
    sleep_type,
    MP_QSTR_sleep,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    iter, sleep_iternext
    );

static sleep_obj_t sleep_singleton = {{&sleep_type}, 0, 0, false};

static mp_obj_t sleep_ms_int(mp_int_t ms) {
    // Same limit as time.ticks_add(), which asyncio's sleep_ms uses.
    if (ms >= (mp_int_t)(MICROPY_PY_TIME_TICKS_PERIOD / 2)) {
        mp_raise_msg(&mp_type_OverflowError, MP_ERROR_TEXT("ticks interval overflow"));
    }
    // The deadline counts from now, as asyncio's; a zero sleep needs no clock at all.
    sleep_singleton.ms = ms > 0 ? (mp_uint_t)ms : 0;
    sleep_singleton.start = sleep_singleton.ms ? eio_now() : 0;
    sleep_singleton.armed = true;
    return MP_OBJ_FROM_PTR(&sleep_singleton);
}

static mp_obj_t sleep_ms(mp_obj_t t) {
    return sleep_ms_int(mp_obj_get_int(t));
}
static MP_DEFINE_CONST_FUN_OBJ_1(sleep_ms_obj, sleep_ms);

// sleep(t) sleeps int(t * 1000) ms, as asyncio does, with the same errors for odd input
// (ValueError for a str, OverflowError for a huge or infinite float, ...).
static mp_obj_t sleep_s(mp_obj_t t) {
    if (mp_obj_is_small_int(t)) {
        mp_int_t s = MP_OBJ_SMALL_INT_VALUE(t);
        if (s < (mp_int_t)(MICROPY_PY_TIME_TICKS_PERIOD / 2 / 1000)) {
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
    return sleep_ms(mp_call_function_1(MP_OBJ_FROM_PTR(&mp_type_int), ms));
}
static MP_DEFINE_CONST_FUN_OBJ_1(sleep_obj, sleep_s);

// io_wait(stream, events): one preallocated awaitable that parks the current task until
// `stream` is ready to read (events 1) or write (2), as the port's wait sees it.
typedef struct {
    mp_obj_base_t base;
    mp_obj_t stream; // set by io_wait(), taken by the next step
    uint8_t events;
} io_wait_obj_t;

static mp_obj_t io_wait_iternext(mp_obj_t self_in) {
    io_wait_obj_t *w = MP_OBJ_TO_PTR(self_in);
    if (w->stream == MP_OBJ_NULL) {
        return MP_OBJ_STOP_ITERATION;
    }
    mp_obj_t stream = w->stream;
    w->stream = MP_OBJ_NULL;
    int r = eio_io_wait(LOOP, stream, w->events);
    if (r != EIO_OK) {
        eventio_raise_status(r);
    }
    return mp_const_none;
}

static MP_DEFINE_CONST_OBJ_TYPE(
    io_wait_type,
    MP_QSTR_io_wait,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    iter, io_wait_iternext
    );

static io_wait_obj_t io_wait_singleton = {{&io_wait_type}, MP_OBJ_NULL, 0};

static mp_obj_t io_wait(mp_obj_t stream, mp_obj_t events) {
    eventio_port_check_stream(stream);
    io_wait_singleton.stream = stream;
    io_wait_singleton.events = mp_obj_get_int(events) & (EIO_IO_READ | EIO_IO_WRITE);
    return MP_OBJ_FROM_PTR(&io_wait_singleton);
}
static MP_DEFINE_CONST_FUN_OBJ_2(io_wait_obj, io_wait);

// park(): an awaitable that parks the current task until wake(task) or a cancel.
static mp_obj_t park_iternext(mp_obj_t self_in) {
    eio_task_t *t = current_or_raise();
    if (resuming_from(t, self_in)) {
        return MP_OBJ_STOP_ITERATION;
    }
    eio_park(LOOP);
    parked_by(t, self_in);
    return mp_const_none;
}

static MP_DEFINE_CONST_OBJ_TYPE(
    park_type,
    MP_QSTR_park,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    iter, park_iternext
    );

static const mp_obj_base_t park_singleton = {&park_type};

// An awaitable that completes at once with None (what `async with` awaits on exit).
static mp_obj_t ready_iternext(mp_obj_t self_in) {
    (void)self_in;
    return MP_OBJ_STOP_ITERATION;
}

static MP_DEFINE_CONST_OBJ_TYPE(
    ready_type,
    MP_QSTR_ready,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    iter, ready_iternext
    );

const mp_obj_base_t eventio_ready_singleton = {&ready_type};
#define ready_singleton eventio_ready_singleton

// ---- Event ---------------------------------------------------------------------------------

typedef struct {
    eio_waitable_t waiters; // first: the object's start
    bool is_set;
} event_obj_t;

mp_obj_t eventio_event_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    (void)args;
    mp_arg_check_num(n_args, n_kw, 0, 0, false);
    event_obj_t *e = mp_obj_malloc(event_obj_t, type);
    e->waiters.head = e->waiters.tail = NULL;
    e->waiters.kind = EIO_WAITABLE_PLAIN;
    e->is_set = false;
    return MP_OBJ_FROM_PTR(e);
}

static mp_obj_t event_is_set(mp_obj_t self_in) {
    event_obj_t *e = MP_OBJ_TO_PTR(self_in);
    return mp_obj_new_bool(e->is_set);
}
MP_DEFINE_CONST_FUN_OBJ_1(eventio_event_is_set_obj, event_is_set);
#define event_is_set_obj eventio_event_is_set_obj

mp_obj_t eventio_event_set(mp_obj_t self_in) {
    event_obj_t *e = MP_OBJ_TO_PTR(self_in);
    eio_wake_all(LOOP, &e->waiters);
    e->is_set = true;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(event_set_obj, eventio_event_set);

static mp_obj_t event_clear(mp_obj_t self_in) {
    event_obj_t *e = MP_OBJ_TO_PTR(self_in);
    e->is_set = false;
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_1(eventio_event_clear_obj, event_clear);
#define event_clear_obj eventio_event_clear_obj

// ev.wait() returns the event itself: awaiting it is the wait, with no allocation.
static mp_obj_t event_wait(mp_obj_t self_in) {
    return self_in;
}
static MP_DEFINE_CONST_FUN_OBJ_1(event_wait_obj, event_wait);

mp_obj_t eventio_event_iternext(mp_obj_t self_in) {
    event_obj_t *e = MP_OBJ_TO_PTR(self_in);
    eio_task_t *t = current_or_raise();
    if (resuming_from(t, self_in) || e->is_set) {
        return mp_make_stop_iteration(mp_const_true);
    }
    eio_wait_on(LOOP, &e->waiters);
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
#define awaitable_send_obj eventio_awaitable_send_obj

static const mp_rom_map_elem_t event_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&awaitable_send_obj) },
    { MP_ROM_QSTR(MP_QSTR_is_set), MP_ROM_PTR(&event_is_set_obj) },
    { MP_ROM_QSTR(MP_QSTR_set), MP_ROM_PTR(&event_set_obj) },
    { MP_ROM_QSTR(MP_QSTR_clear), MP_ROM_PTR(&event_clear_obj) },
    { MP_ROM_QSTR(MP_QSTR_wait), MP_ROM_PTR(&event_wait_obj) },
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

// ---- Lock ----------------------------------------------------------------------------------
//
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
    eio_task_t *t = current_or_raise();
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
    return MP_OBJ_FROM_PTR(&ready_singleton);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(lock_aexit_obj, 4, 4, lock_aexit);

static mp_obj_t return_self(mp_obj_t self_in) {
    return self_in;
}
MP_DEFINE_CONST_FUN_OBJ_1(eventio_return_self_obj, return_self);
#define return_self_obj eventio_return_self_obj

static const mp_rom_map_elem_t lock_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_locked), MP_ROM_PTR(&lock_locked_obj) },
    { MP_ROM_QSTR(MP_QSTR_release), MP_ROM_PTR(&lock_release_obj) },
    { MP_ROM_QSTR(MP_QSTR_acquire), MP_ROM_PTR(&return_self_obj) },
    { MP_ROM_QSTR(MP_QSTR___aenter__), MP_ROM_PTR(&return_self_obj) },
    { MP_ROM_QSTR(MP_QSTR___aexit__), MP_ROM_PTR(&lock_aexit_obj) },
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&awaitable_send_obj) },
    { MP_ROM_QSTR(MP_QSTR_throw), MP_ROM_PTR(&lock_throw_obj) },
};
static MP_DEFINE_CONST_DICT(lock_locals, lock_locals_table);

static MP_DEFINE_CONST_OBJ_TYPE(
    lock_type,
    MP_QSTR_Lock,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    make_new, lock_make_new,
    iter, lock_iternext,
    locals_dict, &lock_locals
    );

// ---- ThreadSafeFlag ---------------------------------------------------------------------
//
// Set from anywhere: another thread, a signal handler, micropython.schedule, the loop.  set()
// posts to the core's mailbox; the loop delivers it, waking every task waiting at that moment
// (or, with none, leaving the flag set for the next wait).  Waiting costs no polling.

static void flag_init_or_raise(eio_flag_t *f) {
    int r = eio_flag_init(f);
    if (r == EIO_E_NO_SLOT) {
        // Dropped flags give their slots back in their finalisers: collect, and try again.
        gc_collect();
        r = eio_flag_init(f);
    }
    if (r != EIO_OK) {
        f->handle = 0;
        eventio_raise_status(r);
    }
}

static mp_obj_t flag_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    (void)args;
    mp_arg_check_num(n_args, n_kw, 0, 0, false);
    eventio_loop(); // the port's wake-up must exist before anyone can post
    eio_flag_t *f = mp_obj_malloc_with_finaliser(eio_flag_t, type);
    flag_init_or_raise(f);
    return MP_OBJ_FROM_PTR(f);
}

static mp_obj_t flag_del(mp_obj_t self_in) {
    eio_flag_deinit(MP_OBJ_TO_PTR(self_in));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(flag_del_obj, flag_del);

static mp_obj_t flag_set(mp_obj_t self_in) {
    eio_flag_t *f = MP_OBJ_TO_PTR(self_in);
    int r = eio_post(f->handle);
    if (r != EIO_OK) {
        eventio_raise_status(r);
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(flag_set_obj, flag_set);

static mp_obj_t flag_clear(mp_obj_t self_in) {
    eio_flag_clear(MP_OBJ_TO_PTR(self_in));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(flag_clear_obj, flag_clear);

static mp_obj_t flag_iternext(mp_obj_t self_in) {
    eio_task_t *t = current_or_raise();
    if (resuming_from(t, self_in)) {
        return MP_OBJ_STOP_ITERATION;
    }
    int r = eio_flag_wait(LOOP, MP_OBJ_TO_PTR(self_in));
    if (r == EIO_RETURN) {
        return MP_OBJ_STOP_ITERATION;
    }
    if (r != EIO_YIELD) {
        eventio_raise_status(r);
    }
    return mp_const_none; // eio_flag_wait() parked it on the flag's list: that records it
}

static const mp_rom_map_elem_t flag_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___del__), MP_ROM_PTR(&flag_del_obj) },
    { MP_ROM_QSTR(MP_QSTR_set), MP_ROM_PTR(&flag_set_obj) },
    { MP_ROM_QSTR(MP_QSTR_clear), MP_ROM_PTR(&flag_clear_obj) },
    { MP_ROM_QSTR(MP_QSTR_wait), MP_ROM_PTR(&return_self_obj) },
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&awaitable_send_obj) },
};
static MP_DEFINE_CONST_DICT(flag_locals, flag_locals_table);

static MP_DEFINE_CONST_OBJ_TYPE(
    flag_type,
    MP_QSTR_ThreadSafeFlag,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    make_new, flag_make_new,
    iter, flag_iternext,
    locals_dict, &flag_locals
    );

// ---- InterruptQueue ------------------------------------------------------------------------
//
// eventio.InterruptQueue(capacity): values (32-bit ints) put by one interrupt handler through
// eio_queue_put(q.handle, value), or by put_nowait() from a thread; `await q.get()` takes them
// in order.  The handler never blocks: when the ring is full the value is dropped and counted
// (q.overflows).  Waiting costs no polling and, in steady state, no allocation.

typedef struct {
    eio_flag_t flag; // first: the object's start, and what get() waits on
    eio_ring_t *ring;
} irq_queue_t;

static mp_obj_t irq_queue_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, 1, false);
    mp_int_t want = mp_obj_get_int(args[0]);
    if (want < 1 || want > 65536) {
        mp_raise_ValueError(MP_ERROR_TEXT("capacity must be 1 to 65536"));
    }
    uint32_t cap = 1;
    while (cap < (uint32_t)want) {
        cap <<= 1;
    }
    eventio_loop();
    eio_ring_t *ring = m_malloc0(sizeof(eio_ring_t) + cap * sizeof(uint32_t));
    ring->capacity = cap;
    irq_queue_t *q = mp_obj_malloc_with_finaliser(irq_queue_t, type);
    q->ring = ring;
    flag_init_or_raise(&q->flag);
    eio_ring_attach(&q->flag, ring);
    return MP_OBJ_FROM_PTR(q);
}

static mp_obj_t irq_queue_iternext(mp_obj_t self_in) {
    irq_queue_t *q = MP_OBJ_TO_PTR(self_in);
    eio_task_t *t = current_or_raise();
    resuming_from(t, self_in);
    for (;;) {
        uint32_t v;
        if (eio_ring_get(q->ring, &v) == EIO_OK) {
            return mp_make_stop_iteration(mp_obj_new_int_from_uint(v));
        }
        int r = eio_flag_wait(LOOP, &q->flag);
        if (r == EIO_YIELD) {
            return mp_const_none;
        }
        if (r != EIO_RETURN) {
            eventio_raise_status(r);
        }
        // A post was pending: its value may be there now (or was taken by another getter).
    }
}

static mp_obj_t irq_queue_put_nowait(mp_obj_t self_in, mp_obj_t value) {
    irq_queue_t *q = MP_OBJ_TO_PTR(self_in);
    int r = eio_queue_put(q->flag.handle, (uint32_t)mp_obj_get_int_truncated(value));
    return mp_obj_new_bool(r == EIO_OK);
}
static MP_DEFINE_CONST_FUN_OBJ_2(irq_queue_put_nowait_obj, irq_queue_put_nowait);

static mp_obj_t irq_queue_qsize(mp_obj_t self_in) {
    irq_queue_t *q = MP_OBJ_TO_PTR(self_in);
    return MP_OBJ_NEW_SMALL_INT((uint32_t)(q->ring->tail - q->ring->head));
}
static MP_DEFINE_CONST_FUN_OBJ_1(irq_queue_qsize_obj, irq_queue_qsize);

static void irq_queue_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    irq_queue_t *q = MP_OBJ_TO_PTR(self_in);
    if (dest[0] != MP_OBJ_NULL) {
        return;
    }
    if (attr == MP_QSTR_overflows) {
        dest[0] = mp_obj_new_int_from_uint(q->ring->overflows);
    } else if (attr == MP_QSTR_handle) {
        dest[0] = mp_obj_new_int_from_uint(q->flag.handle);
    } else if (attr == MP_QSTR_capacity) {
        dest[0] = MP_OBJ_NEW_SMALL_INT(q->ring->capacity);
    } else {
        dest[1] = MP_OBJ_SENTINEL; // look in locals_dict
    }
}

static const mp_rom_map_elem_t irq_queue_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___del__), MP_ROM_PTR(&flag_del_obj) },
    { MP_ROM_QSTR(MP_QSTR_get), MP_ROM_PTR(&return_self_obj) },
    { MP_ROM_QSTR(MP_QSTR_put_nowait), MP_ROM_PTR(&irq_queue_put_nowait_obj) },
    { MP_ROM_QSTR(MP_QSTR_qsize), MP_ROM_PTR(&irq_queue_qsize_obj) },
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&awaitable_send_obj) },
};
static MP_DEFINE_CONST_DICT(irq_queue_locals, irq_queue_locals_table);

static MP_DEFINE_CONST_OBJ_TYPE(
    irq_queue_type,
    MP_QSTR_InterruptQueue,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    make_new, irq_queue_make_new,
    attr, irq_queue_attr,
    iter, irq_queue_iternext,
    locals_dict, &irq_queue_locals
    );

// signal_flag(signum): a ThreadSafeFlag set by the POSIX signal `signum`.
static mp_obj_t signal_flag(mp_obj_t signum) {
    mp_obj_t flag = flag_make_new(&flag_type, 0, 0, NULL);
    eio_flag_t *f = MP_OBJ_TO_PTR(flag);
    eventio_port_signal_source(mp_obj_get_int(signum), f->handle);
    return flag;
}
static MP_DEFINE_CONST_FUN_OBJ_1(signal_flag_obj, signal_flag);

// test_source(flag, count, period_us): a native source posts to `flag` `count` times; for an
// InterruptQueue it puts the values 0 .. count-1.
static mp_obj_t test_source(mp_obj_t flag, mp_obj_t count, mp_obj_t period_us) {
    bool queue = mp_obj_is_type(flag, &irq_queue_type);
    if (!mp_obj_is_type(flag, &flag_type) && !queue) {
        mp_raise_TypeError(MP_ERROR_TEXT("ThreadSafeFlag or InterruptQueue expected"));
    }
    mp_int_t n = mp_obj_get_int(count), p = mp_obj_get_int(period_us);
    if (n < 0 || p < 0) {
        mp_raise_ValueError(NULL);
    }
    eio_flag_t *f = MP_OBJ_TO_PTR(flag);
    eventio_port_test_source(f->handle, (uint32_t)n, (uint32_t)p, queue);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(test_source_obj, test_source);

// ---- Internal helpers for the Python layer (gather, wait_for) ----------------------------

// set_done_callback(task, cb): call cb(task, exc_or_None) when `task` finishes.  Returns
// True if registered, False if the task had already finished; RuntimeError("can't gather")
// if the task is already awaited.  With cb None, unregisters: True if a callback was removed.
static mp_obj_t set_done_callback(mp_obj_t task, mp_obj_t cb) {
    eio_task_t *t = to_task(task);
    if (cb == mp_const_none) {
        if (t->state != EIO_TASK_CALLBACK) {
            return mp_const_false;
        }
        t->state = EIO_TASK_RUNNING;
        put_done_cb(t, NULL);
        return mp_const_true;
    }
    if (t->state < EIO_TASK_RUNNING) {
        return mp_const_false;
    }
    if (t->state != EIO_TASK_RUNNING) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("can't gather"));
    }
    t->state = EIO_TASK_CALLBACK;
    put_done_cb(t, cb);
    return mp_const_true;
}
static MP_DEFINE_CONST_FUN_OBJ_2(set_done_callback_obj, set_done_callback);

// _outcome(task): (True, exception) or (False, value) of a finished task.
static mp_obj_t outcome(mp_obj_t task) {
    eio_task_t *t = to_task(task);
    mp_obj_t items[2] = {
        mp_obj_new_bool(t->outcome == EIO_OUTCOME_RAISE),
        t->data ? t->data : mp_const_none,
    };
    return mp_obj_new_tuple(2, items);
}
static MP_DEFINE_CONST_FUN_OBJ_1(outcome_obj, outcome);

// _wake(task): put a parked task on the run queue.
static mp_obj_t wake(mp_obj_t task) {
    return mp_obj_new_bool(eio_wake(LOOP, to_task(task)));
}
static MP_DEFINE_CONST_FUN_OBJ_1(wake_obj, wake);

// _cancel(task, exc, only_if_idle): cancel with a given exception; with only_if_idle, do
// nothing (return False) when the task already has an exception pending.
static mp_obj_t cancel_internal(mp_obj_t task, mp_obj_t exc, mp_obj_t only_if_idle) {
    eio_task_t *t = to_task(task);
    if (mp_obj_is_true(only_if_idle) && eio_task_pending_exc(t) != NULL) {
        return mp_const_false;
    }
    return cancel_with(task, exc);
}
static MP_DEFINE_CONST_FUN_OBJ_3(cancel_internal_obj, cancel_internal);

static mp_obj_t set_gc_torture(mp_obj_t on) {
    gc_torture = mp_obj_is_true(on);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(set_gc_torture_obj, set_gc_torture);

static mp_obj_t set_unhandled_hook(mp_obj_t hook) {
    MP_STATE_VM(eventio_unhandled_hook) = hook;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(set_unhandled_hook_obj, set_unhandled_hook);

static mp_obj_t new_event_loop(void) {
    return new_loop();
}
static MP_DEFINE_CONST_FUN_OBJ_0(new_event_loop_obj, new_event_loop);

// resume_floor(gens, n): resume the generators round robin, n resumptions in all, with
// nothing else: the native floor a scheduler's task switch is compared with (make bench).
static mp_obj_t resume_floor(mp_obj_t gens, mp_obj_t n_in) {
    size_t len;
    mp_obj_t *items;
    mp_obj_get_array(gens, &len, &items);
    mp_int_t n = mp_obj_get_int(n_in);
    for (mp_int_t i = 0; len && i < n; i++) {
        mp_obj_t ret;
        if (mp_resume(items[i % len], mp_const_none, MP_OBJ_NULL, &ret) != MP_VM_RETURN_YIELD) {
            mp_raise_ValueError(MP_ERROR_TEXT("generator ended"));
        }
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(resume_floor_obj, resume_floor);

// ---- Statistics ----------------------------------------------------------------------------

static mp_obj_t stats(void) {
    eio_stats_t s;
    eio_stats(&s);
    mp_obj_t d = mp_obj_new_dict(11);
    #define STAT(name) mp_obj_dict_store(d, MP_OBJ_NEW_QSTR(MP_QSTR_##name), mp_obj_new_int_from_ull(s.name))
    STAT(switches);
    STAT(tasks_created);
    STAT(tasks_finished);
    STAT(idle_waits);
    STAT(wakeups);
    STAT(posts);
    STAT(posts_coalesced);
    STAT(posts_delivered);
    mp_obj_t levels[EIO_LEVELS];
    for (size_t i = 0; i < EIO_LEVELS; i++) {
        levels[i] = mp_obj_new_int_from_ull(s.switches_by_level[i]);
    }
    mp_obj_dict_store(d, MP_OBJ_NEW_QSTR(MP_QSTR_switches_by_level), mp_obj_new_tuple(EIO_LEVELS, levels));
    STAT(ms_awake);
    STAT(ms_asleep);
    #undef STAT
    return d;
}
static MP_DEFINE_CONST_FUN_OBJ_0(stats_obj, stats);

// ---- Module ----------------------------------------------------------------------------------

static const mp_rom_map_elem_t eventio_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR__eventio) },
    { MP_ROM_QSTR(MP_QSTR_Task), MP_ROM_PTR(&eventio_task_type) },
    { MP_ROM_QSTR(MP_QSTR_Event), MP_ROM_PTR(&eventio_event_type) },
    { MP_ROM_QSTR(MP_QSTR_Lock), MP_ROM_PTR(&lock_type) },
    { MP_ROM_QSTR(MP_QSTR_KernelTask), MP_ROM_PTR(&eventio_kernel_task_type) },
    { MP_ROM_QSTR(MP_QSTR_KernelEvent), MP_ROM_PTR(&eventio_kernel_event_type) },
    { MP_ROM_QSTR(MP_QSTR_spawn), MP_ROM_PTR(&eventio_kernel_spawn_obj) },
    { MP_ROM_QSTR(MP_QSTR_ThreadSafeFlag), MP_ROM_PTR(&flag_type) },
    { MP_ROM_QSTR(MP_QSTR_InterruptQueue), MP_ROM_PTR(&irq_queue_type) },
    { MP_ROM_QSTR(MP_QSTR_signal_flag), MP_ROM_PTR(&signal_flag_obj) },
    { MP_ROM_QSTR(MP_QSTR_test_source), MP_ROM_PTR(&test_source_obj) },
    { MP_ROM_QSTR(MP_QSTR_CancelledError), MP_ROM_PTR(&mp_type_CancelledError) },
    { MP_ROM_QSTR(MP_QSTR_TimeoutError), MP_ROM_PTR(&mp_type_TimeoutError) },
    { MP_ROM_QSTR(MP_QSTR_create_task), MP_ROM_PTR(&create_task_obj) },
    { MP_ROM_QSTR(MP_QSTR_current_task), MP_ROM_PTR(&current_task_obj) },
    { MP_ROM_QSTR(MP_QSTR_sleep), MP_ROM_PTR(&sleep_obj) },
    { MP_ROM_QSTR(MP_QSTR_sleep_ms), MP_ROM_PTR(&sleep_ms_obj) },
    { MP_ROM_QSTR(MP_QSTR_run), MP_ROM_PTR(&run_obj) },
    { MP_ROM_QSTR(MP_QSTR_park), MP_ROM_PTR(&park_singleton) },
    { MP_ROM_QSTR(MP_QSTR_io_wait), MP_ROM_PTR(&io_wait_obj) },
    { MP_ROM_QSTR(MP_QSTR_wake), MP_ROM_PTR(&wake_obj) },
    { MP_ROM_QSTR(MP_QSTR_cancel), MP_ROM_PTR(&cancel_internal_obj) },
    { MP_ROM_QSTR(MP_QSTR_set_done_callback), MP_ROM_PTR(&set_done_callback_obj) },
    { MP_ROM_QSTR(MP_QSTR_outcome), MP_ROM_PTR(&outcome_obj) },
    { MP_ROM_QSTR(MP_QSTR_set_unhandled_hook), MP_ROM_PTR(&set_unhandled_hook_obj) },
    { MP_ROM_QSTR(MP_QSTR_new_event_loop), MP_ROM_PTR(&new_event_loop_obj) },
    { MP_ROM_QSTR(MP_QSTR_stats), MP_ROM_PTR(&stats_obj) },
    { MP_ROM_QSTR(MP_QSTR_gc_torture), MP_ROM_PTR(&set_gc_torture_obj) },
    { MP_ROM_QSTR(MP_QSTR_resume_floor), MP_ROM_PTR(&resume_floor_obj) },
    { MP_ROM_QSTR(MP_QSTR_take_done_callbacks), MP_ROM_PTR(&take_done_callbacks_obj) },
    { MP_ROM_QSTR(MP_QSTR_set_callbacks_hook), MP_ROM_PTR(&set_callbacks_hook_obj) },
};
static MP_DEFINE_CONST_DICT(eventio_globals, eventio_globals_table);

const mp_obj_module_t eventio_user_cmodule = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&eventio_globals,
};

MP_REGISTER_MODULE(MP_QSTR__eventio, eventio_user_cmodule);
