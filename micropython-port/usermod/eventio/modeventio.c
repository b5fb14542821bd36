// _eventio: the MicroPython face of eventio's Rust core.
//
// This file only does what Rust cannot: define Python types, raise exceptions, call Python.
// Every scheduling decision is made by the core (include/eventio.h).  Calls that may run
// Python code and are made on behalf of the core (resume a coroutine, call a callback) catch
// exceptions with nlr before returning, so no longjmp crosses a Rust frame.
//
// Awaitables (sleep, Event.wait, Lock.acquire, awaiting a Task) are native iterators that park
// the current task in the core and yield None; none of them allocates.  Whether a step is the
// task arriving or coming back is the core's to tell (each awaitable's eio_* step function).
//
// The module, one file per concept: task.c (Task, create_task, run), awaitables.c (sleep,
// io_wait, park), alarm.c (Alarm: a timeout on the core's timer queue; wait_for), timeout.c
// (asyncio.Timeout), event.c, lock.c,
// interrupts.c (ThreadSafeFlag, InterruptQueue), kernel.c (the eventio kernel's Task and
// Event), modsync.c (the _eventio_sync module: Queue, Semaphore,
// Condition).  This file: the loop's root, the functions the core calls, the internal helpers
// of the Python layer, statistics, and the module table.

#include "py/bc.h"
#include "py/gc.h"
#include "py/objexcept.h"
#include "py/objgenerator.h"
#include "py/runtime.h"
#include "glue.h"

MP_REGISTER_ROOT_POINTER(struct eio_loop *eventio_loop);
// Called as hook(task, exception) for a task exception nobody retrieved (asyncio's handler).
MP_REGISTER_ROOT_POINTER(mp_obj_t eventio_unhandled_hook);
// Called as hook(task) when a task with done callbacks has finished: schedules them.
MP_REGISTER_ROOT_POINTER(mp_obj_t eventio_callbacks_hook);

EVENTIO_DEFINE_EXCEPTION(CancelledError, BaseException)
EVENTIO_DEFINE_EXCEPTION(TimeoutError, Exception)

eio_loop_t *eventio_loop(void) {
    if (MP_STATE_VM(eventio_loop) == NULL) {
        eventio_port_init();
        eio_loop_t *l = m_new0(eio_loop_t, 1);
        eio_loop_init(l);
        MP_STATE_VM(eventio_loop) = l;
    }
    return MP_STATE_VM(eventio_loop);
}

void eventio_soft_reset(void) {
    MP_STATE_VM(eventio_loop) = NULL;
    MP_STATE_VM(eventio_unhandled_hook) = MP_OBJ_NULL;
    MP_STATE_VM(eventio_callbacks_hook) = MP_OBJ_NULL;
    MP_STATE_VM(eventio_wait_for_free) = NULL;
    MP_STATE_VM(eventio_timeout_free) = NULL;
}

// _eventio.__init__, run when the module is first imported after a (soft) reset: what the
// previous session left behind is gone with its heap.  This is how a port that does not call
// eventio_soft_reset() itself (any port but our QEMU board) starts each session clean.
// MicroPython calls a built-in module's __init__ at every import that does not find the module
// in sys.modules, so the first one puts it there: later imports in the session (asyncio's
// lazily loaded parts import _eventio too) must not reset the running loop.
extern const mp_obj_module_t eventio_user_cmodule;
static mp_obj_t module_init(void) {
    eventio_soft_reset();
    eventio_port_soft_reset();
    mp_map_lookup(&MP_STATE_VM(mp_loaded_modules_dict).map, MP_OBJ_NEW_QSTR(MP_QSTR__eventio),
        MP_MAP_LOOKUP_ADD_IF_NOT_FOUND)->value = MP_OBJ_FROM_PTR(&eventio_user_cmodule);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_0(module_init_obj, module_init);

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

static bool is_cancel(mp_obj_t exc) {
    mp_obj_t type = mp_obj_is_type(exc, &mp_type_type) ? exc : MP_OBJ_FROM_PTR(mp_obj_get_type(exc));
    return mp_obj_is_subclass_fast(type, MP_OBJ_FROM_PTR(&eventio_type_CancelledError));
}

// ---- Glue functions the core calls -------------------------------------------------------

bool eio_glue_is_cancel(eio_obj_t exc) {
    return is_cancel(exc);
}

// Debug option (eventio.gc_torture(True)): collect garbage before every resumption, so that
// anything the loop holds but the collector cannot see is freed at once and caught by tests.
static bool gc_torture;

// The head of MicroPython's generator instance (mp_obj_gen_instance_t, private to
// py/objgenerator.c, the same from 1.25 to 1.28): what mp_obj_gen_resume reads before it runs
// the generator.
typedef struct {
    mp_obj_base_t base;
    mp_obj_t pend_exc; // MP_OBJ_NULL while the generator runs
    mp_code_state_t code_state;
} gen_head_t;

// The most mp_obj_gen_resume's frame (and mp_cstack_check's) can add to this one's stack
// before its own stack check, with room to spare: a shallower check here is then the stricter.
#define GEN_RESUME_STACK_MARGIN (512)

// Whether mp_obj_gen_resume(coro, mp_const_none, ...) cannot raise, so that it needs no nlr of
// ours.  The only exceptions it raises itself are its C stack check's (RuntimeError) and
// "generator already executing" (ValueError); a bytecode generator's own exceptions are caught
// by the VM, which returns MP_VM_RETURN_EXCEPTION, and turning a StopIteration into a
// RuntimeError allocates with a fallback (mp_obj_new_exception_msg does not raise).  Native
// generators, settrace's frame hooks (they run before the VM's nlr) and stackless builds take
// the protected way.
static inline bool gen_resume_cannot_raise(mp_obj_t coro) {
    #if MICROPY_PY_SYS_SETTRACE || MICROPY_STACKLESS
    (void)coro;
    return false;
    #else
    const gen_head_t *g = MP_OBJ_TO_PTR(coro);
    if (g->pend_exc == MP_OBJ_NULL || g->code_state.exc_sp_idx == MP_CODE_STATE_EXC_SP_IDX_SENTINEL) {
        return false;
    }
    #if MICROPY_STACK_CHECK
    size_t used = (size_t)(MP_STATE_THREAD(stack_top) - (char *)__builtin_frame_address(0));
    if (used + GEN_RESUME_STACK_MARGIN >= MP_STATE_THREAD(stack_limit)) {
        return false;
    }
    #endif
    return true;
    #endif
}

int eio_glue_resume(eio_task_t *task, eio_obj_t thrown, eio_obj_t *out) {
    if (gc_torture) {
        gc_collect();
    }
    mp_obj_t ret;
    mp_vm_return_kind_t kind;
    nlr_buf_t nlr;
    if (mp_obj_is_type(task->coro, &mp_type_gen_instance) && gen_resume_cannot_raise(task->coro)) {
        // A coroutine (the usual case), resumed directly: nothing it raises leaves
        // mp_obj_gen_resume, so no nlr is needed (it costs ~25 instructions a switch).
        kind = mp_obj_gen_resume(task->coro, mp_const_none, thrown, &ret);
    } else if (nlr_push(&nlr) == 0) {
        // A coroutine (the usual case) is resumed directly, without mp_resume's dispatch.
        bool gen = mp_obj_is_type(task->coro, &mp_type_gen_instance);
        if (thrown != NULL) {
            // As coro.throw(exc) does: a generator that has not started yet gets the
            // exception at its start rather than refusing a non-None send.
            kind = gen ? mp_obj_gen_resume(task->coro, mp_const_none, thrown, &ret)
                       : mp_resume(task->coro, MP_OBJ_NULL, thrown, &ret);
        } else {
            kind = gen ? mp_obj_gen_resume(task->coro, mp_const_none, MP_OBJ_NULL, &ret)
                       : mp_resume(task->coro, mp_const_none, MP_OBJ_NULL, &ret);
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
        if (b == MP_OBJ_NULL) {
            mp_call_function_1(fun, a);
        } else {
            mp_call_function_2(fun, a, b);
        }
        nlr_pop();
        return EIO_OK;
    }
    *out = MP_OBJ_FROM_PTR(nlr.ret_val);
    return EIO_ERROR;
}

int eio_glue_done_callback(eio_task_t *task, eio_obj_t cb, eio_obj_t exc, eio_obj_t *out) {
    return call2_protected(cb, MP_OBJ_FROM_PTR(task), exc ? exc : mp_const_none, out);
}

int eio_glue_call(eio_obj_t func, eio_obj_t arg, eio_obj_t *out) {
    return call2_protected(func, arg, MP_OBJ_NULL, out);
}

int eio_glue_unhandled(eio_task_t *task, eio_obj_t exc, eio_obj_t *out) {
    mp_obj_t hook = MP_STATE_VM(eventio_unhandled_hook);
    if (hook == MP_OBJ_NULL || hook == mp_const_none) {
        return EIO_OK;
    }
    return call2_protected(hook, eventio_task_seen(task), exc, out);
}

// ---- Internal helpers for the Python layer (gather, wait_for) ----------------------------

// set_done_callback(task, cb): call cb(task, exc_or_None) when `task` finishes.  Returns
// True if registered, False if the task had already finished; RuntimeError("can't gather")
// if the task is already awaited.  With cb None, unregisters: True if a callback was removed.
static mp_obj_t set_done_callback(mp_obj_t task, mp_obj_t cb) {
    int r = eio_task_set_done_cb(eventio_to_task(task), cb == mp_const_none ? NULL : cb);
    if (r < 0) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("can't gather"));
    }
    return mp_obj_new_bool(r);
}
static MP_DEFINE_CONST_FUN_OBJ_2(set_done_callback_obj, set_done_callback);

// raised(task): whether a finished task raised; value(task): what it returned or raised.
// (Two calls rather than one returning a tuple: gather asks for every task, allocating nothing.)
static mp_obj_t raised(mp_obj_t task) {
    mp_obj_t v;
    return mp_obj_new_bool(eio_task_outcome(eventio_to_task(task), false, &v) == EIO_RAISE);
}
static MP_DEFINE_CONST_FUN_OBJ_1(raised_obj, raised);

static mp_obj_t value(mp_obj_t task) {
    mp_obj_t v = NULL;
    eio_task_outcome(eventio_to_task(task), false, &v);
    return v ? v : mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(value_obj, value);

// _wake(task): put a parked task on the run queue.
static mp_obj_t wake(mp_obj_t task) {
    return mp_obj_new_bool(eio_wake(LOOP, eventio_to_task(task)));
}
static MP_DEFINE_CONST_FUN_OBJ_1(wake_obj, wake);

// _cancel(task, exc, only_if_idle): cancel with a given exception; with only_if_idle, do
// nothing (return False) when the task already has an exception pending.
static mp_obj_t cancel_internal(mp_obj_t task, mp_obj_t exc, mp_obj_t only_if_idle) {
    eio_task_t *t = eventio_to_task(task);
    if (!mp_obj_is_true(only_if_idle)) {
        return eventio_cancel_with(task, exc);
    }
    int r = eio_task_cancel_if_idle(LOOP, t, exc);
    if (r < 0) {
        eventio_raise_status(r);
    }
    return mp_obj_new_bool(r);
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

// new_event_loop(): the loop's queues start empty, as stock's asyncio replaces its queues;
// the loop itself stays (a run in progress carries on with it), see eio_loop_forget().
static mp_obj_t new_event_loop(void) {
    eio_loop_forget(LOOP);
    return mp_const_none;
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
    #if MICROPY_MODULE_BUILTIN_INIT
    { MP_ROM_QSTR(MP_QSTR___init__), MP_ROM_PTR(&module_init_obj) },
    #endif
    { MP_ROM_QSTR(MP_QSTR_Task), MP_ROM_PTR(&eventio_task_type) },
    { MP_ROM_QSTR(MP_QSTR_Event), MP_ROM_PTR(&eventio_event_type) },
    { MP_ROM_QSTR(MP_QSTR_Lock), MP_ROM_PTR(&eventio_lock_type) },
    { MP_ROM_QSTR(MP_QSTR_Alarm), MP_ROM_PTR(&eventio_alarm_type) },
    { MP_ROM_QSTR(MP_QSTR_wait_for), MP_ROM_PTR(&eventio_wait_for_obj) },
    #if MICROPY_PY_BUILTINS_FLOAT
    { MP_ROM_QSTR(MP_QSTR_Timeout), MP_ROM_PTR(&eventio_timeout_type) },
    { MP_ROM_QSTR(MP_QSTR_timeout), MP_ROM_PTR(&eventio_timeout_obj) },
    #endif
    { MP_ROM_QSTR(MP_QSTR_KernelTask), MP_ROM_PTR(&eventio_kernel_task_type) },
    { MP_ROM_QSTR(MP_QSTR_KernelEvent), MP_ROM_PTR(&eventio_kernel_event_type) },
    { MP_ROM_QSTR(MP_QSTR_spawn), MP_ROM_PTR(&eventio_kernel_spawn_obj) },
    { MP_ROM_QSTR(MP_QSTR_ThreadSafeFlag), MP_ROM_PTR(&eventio_flag_type) },
    { MP_ROM_QSTR(MP_QSTR_InterruptQueue), MP_ROM_PTR(&eventio_irq_queue_type) },
    { MP_ROM_QSTR(MP_QSTR_signal_flag), MP_ROM_PTR(&eventio_signal_flag_obj) },
    { MP_ROM_QSTR(MP_QSTR_pin_flag), MP_ROM_PTR(&eventio_pin_flag_obj) },
    { MP_ROM_QSTR(MP_QSTR_test_source), MP_ROM_PTR(&eventio_test_source_obj) },
    { MP_ROM_QSTR(MP_QSTR_CancelledError), MP_ROM_PTR(&eventio_type_CancelledError) },
    { MP_ROM_QSTR(MP_QSTR_TimeoutError), MP_ROM_PTR(&eventio_type_TimeoutError) },
    { MP_ROM_QSTR(MP_QSTR_create_task), MP_ROM_PTR(&eventio_create_task_obj) },
    { MP_ROM_QSTR(MP_QSTR_current_task), MP_ROM_PTR(&eventio_current_task_obj) },
    { MP_ROM_QSTR(MP_QSTR_sleep), MP_ROM_PTR(&eventio_sleep_obj) },
    { MP_ROM_QSTR(MP_QSTR_sleep_ms), MP_ROM_PTR(&eventio_sleep_ms_obj) },
    { MP_ROM_QSTR(MP_QSTR_run), MP_ROM_PTR(&eventio_run_obj) },
    { MP_ROM_QSTR(MP_QSTR_park), MP_ROM_PTR(&eventio_park_singleton) },
    { MP_ROM_QSTR(MP_QSTR_io_wait), MP_ROM_PTR(&eventio_io_wait_obj) },
    { MP_ROM_QSTR(MP_QSTR_wake), MP_ROM_PTR(&wake_obj) },
    { MP_ROM_QSTR(MP_QSTR_cancel), MP_ROM_PTR(&cancel_internal_obj) },
    { MP_ROM_QSTR(MP_QSTR_set_done_callback), MP_ROM_PTR(&set_done_callback_obj) },
    { MP_ROM_QSTR(MP_QSTR_raised), MP_ROM_PTR(&raised_obj) },
    { MP_ROM_QSTR(MP_QSTR_value), MP_ROM_PTR(&value_obj) },
    { MP_ROM_QSTR(MP_QSTR_set_unhandled_hook), MP_ROM_PTR(&set_unhandled_hook_obj) },
    { MP_ROM_QSTR(MP_QSTR_new_event_loop), MP_ROM_PTR(&new_event_loop_obj) },
    { MP_ROM_QSTR(MP_QSTR_stats), MP_ROM_PTR(&stats_obj) },
    { MP_ROM_QSTR(MP_QSTR_gc_torture), MP_ROM_PTR(&set_gc_torture_obj) },
    { MP_ROM_QSTR(MP_QSTR_resume_floor), MP_ROM_PTR(&resume_floor_obj) },
    { MP_ROM_QSTR(MP_QSTR_take_done_callbacks), MP_ROM_PTR(&eventio_take_done_callbacks_obj) },
    { MP_ROM_QSTR(MP_QSTR_set_callbacks_hook), MP_ROM_PTR(&eventio_set_callbacks_hook_obj) },
};
static MP_DEFINE_CONST_DICT(eventio_globals, eventio_globals_table);

const mp_obj_module_t eventio_user_cmodule = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&eventio_globals,
};

MP_REGISTER_MODULE(MP_QSTR__eventio, eventio_user_cmodule);
