// asyncio.Task: creating, running (run(), create_task), awaiting, cancelling, inspecting.

#include "py/objgenerator.h"
#include "py/runtime.h"
#include "glue.h"

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
    return mp_obj_new_bool(eio_task_done(MP_OBJ_TO_PTR(self_in)));
}
static MP_DEFINE_CONST_FUN_OBJ_1(task_done_obj, task_done);

mp_obj_t eventio_cancel_with(mp_obj_t task, mp_obj_t exc) {
    int r = eio_task_cancel(LOOP, MP_OBJ_TO_PTR(task), exc);
    if (r < 0) {
        eventio_raise_status(r);
    }
    return mp_obj_new_bool(r);
}

static mp_obj_t task_cancel(mp_obj_t self_in) {
    return eventio_cancel_with(self_in, MP_OBJ_FROM_PTR(&eventio_type_CancelledError));
}
static MP_DEFINE_CONST_FUN_OBJ_1(task_cancel_obj, task_cancel);

eio_task_extra_t *eventio_task_extra(eio_task_t *t) {
    eio_task_extra_t *x = eio_task_get_extra(t);
    if (x == NULL) {
        x = m_new0(eio_task_extra_t, 1);
        x->waiters.kind = EIO_WAITABLE_TASK;
        x->task = t;
        eio_task_attach_extra(t, x);
    }
    return x;
}

// Task.result() / exception(): the outcome, now seen.  On an unfinished task, RuntimeError
// (MicroPython has no InvalidStateError).
static int retrieve(mp_obj_t self_in, const char *what, mp_obj_t *v) {
    int r = eio_task_outcome(MP_OBJ_TO_PTR(self_in), true, v);
    if (r == EIO_E_NOT_DONE) {
        mp_raise_msg_varg(&mp_type_RuntimeError, MP_ERROR_TEXT("%s is not set."), what);
    }
    return r;
}

static mp_obj_t task_result(mp_obj_t self_in) {
    mp_obj_t v;
    if (retrieve(self_in, "Result", &v) == EIO_RAISE) {
        nlr_raise(mp_make_raise_obj(v));
    }
    return v ? v : mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(task_result_obj, task_result);

static mp_obj_t task_exception(mp_obj_t self_in) {
    mp_obj_t v;
    if (retrieve(self_in, "Exception", &v) != EIO_RAISE) {
        return mp_const_none;
    }
    if (eio_glue_is_cancel(v)) {
        nlr_raise(mp_make_raise_obj(v));
    }
    return mp_make_raise_obj(v); // an instance, even if a class was raised
}
static MP_DEFINE_CONST_FUN_OBJ_1(task_exception_obj, task_exception);

static mp_obj_t task_cancelled(mp_obj_t self_in) {
    mp_obj_t v;
    return mp_obj_new_bool(eio_task_outcome(MP_OBJ_TO_PTR(self_in), false, &v) == EIO_RAISE && eio_glue_is_cancel(v));
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
    eio_task_t *t = eventio_to_task(task);
    mp_obj_t cbs = eio_task_callbacks(t);
    if (cbs == NULL) {
        return mp_obj_new_list(0, NULL);
    }
    eio_task_set_callbacks(t, NULL);
    return cbs;
}
MP_DEFINE_CONST_FUN_OBJ_1(eventio_take_done_callbacks_obj, take_done_callbacks);

static mp_obj_t set_callbacks_hook(mp_obj_t hook) {
    MP_STATE_VM(eventio_callbacks_hook) = hook;
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_1(eventio_set_callbacks_hook_obj, set_callbacks_hook);

// add_done_callback(fn): fn(task) is called soon after the task finishes (at once, soon, if
// it already has).
static mp_obj_t task_add_done_callback(mp_obj_t self_in, mp_obj_t fn) {
    eio_task_t *t = MP_OBJ_TO_PTR(self_in);
    eventio_task_extra(t);
    mp_obj_t cbs = eio_task_callbacks(t);
    if (cbs == NULL) {
        cbs = mp_obj_new_list(0, NULL);
    }
    mp_obj_list_append(cbs, fn);
    if (eio_task_set_callbacks(t, cbs)) {
        call_soon_hook(self_in);
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(task_add_done_callback_obj, task_add_done_callback);

// remove_done_callback(fn): how many registrations of fn were removed.
static mp_obj_t task_remove_done_callback(mp_obj_t self_in, mp_obj_t fn) {
    mp_obj_t cbs = eio_task_callbacks(MP_OBJ_TO_PTR(self_in));
    mp_int_t n = 0;
    if (cbs != NULL) {
        size_t len;
        mp_obj_t *items;
        mp_obj_list_get(cbs, &len, &items);
        for (size_t i = len; i-- > 0;) {
            if (mp_obj_equal(items[i], fn)) {
                mp_obj_list_remove(cbs, items[i]);
                mp_obj_list_get(cbs, &len, &items);
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

// wait_for's work tasks (alarm.c): a Task, of a type of its own while Python has not seen it.
MP_DEFINE_CONST_OBJ_TYPE(
    eventio_pooled_task_type,
    MP_QSTR_Task,
    MP_TYPE_FLAG_ITER_IS_CUSTOM,
    attr, eventio_task_attr,
    iter, &eventio_task_iter,
    parent, &eventio_task_type
    );

mp_obj_t eventio_task_seen(eio_task_t *t) {
    if (t->type == &eventio_pooled_task_type) {
        t->type = &eventio_task_type;
    }
    return MP_OBJ_FROM_PTR(t);
}

eio_task_t *eventio_to_task(mp_obj_t o) {
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
    eio_set_priority(LOOP, t, (uint32_t)level);
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
MP_DEFINE_CONST_FUN_OBJ_KW(eventio_create_task_obj, 1, create_task);

static mp_obj_t current_task(void) {
    return eventio_task_seen(eventio_current_or_raise());
}
MP_DEFINE_CONST_FUN_OBJ_0(eventio_current_task_obj, current_task);

// run(task): run the loop until `task` ends (task may be None: until no task is left).
static mp_obj_t run(mp_obj_t main) {
    eio_task_t *m = main == mp_const_none ? NULL : eventio_to_task(main);
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
MP_DEFINE_CONST_FUN_OBJ_1(eventio_run_obj, run);
