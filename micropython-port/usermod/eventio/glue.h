// Shared by the glue's C files: the loop's root, and the exception types.
#ifndef EVENTIO_GLUE_H
#define EVENTIO_GLUE_H

#include "py/obj.h"
#include "py/mpstate.h"
#include "eventio.h"

// The loop state lives on the GC heap, reachable from this root pointer; eventio_loop() makes
// it on first use.  LOOP is on every wait's path: the look-up inline, the call only the once.
eio_loop_t *eventio_loop(void);
#define LOOP (MP_STATE_VM(eventio_loop) ? MP_STATE_VM(eventio_loop) : eventio_loop())

// Forget the loop and the hooks (their objects are gone after a soft reset); a port calls it
// after mp_init() on every soft reset.
void eventio_soft_reset(void);

// Raise the Python exception matching a negative eio_status_t.
NORETURN void eventio_raise_status(int status);

// ---- For native awaitables (see modeventio.c's header comment) ----

// The running task; RuntimeError("no running event loop") without one.
eio_task_t *eventio_current_or_raise(void);

// The task's `extra` (waiters, done callback, data, name), allocated on first use.
eio_task_extra_t *eventio_task_extra(eio_task_t *t);

// Methods shared by awaitables: f(self) -> self (e.g. wait(), acquire()), and send(value)
// so an awaitable can be passed where a coroutine is expected (create_task, wait_for).
MP_DECLARE_CONST_FUN_OBJ_1(eventio_return_self_obj);
MP_DECLARE_CONST_FUN_OBJ_2(eventio_awaitable_send_obj);

// An awaitable that completes at once with None (for __aexit__ and the like).
extern const mp_obj_base_t eventio_ready_singleton;

// ---- Types shared by task.c and event.c (asyncio's) and kernel.c (the eventio kernel's) ----

// An exception type named eventio_type_NAME in C (MicroPython's MP_DEFINE_EXCEPTION takes the
// mp_type_ names, which a port or a later MicroPython may define too: TimeoutError is a
// builtin in CPython).
#define EVENTIO_DEFINE_EXCEPTION(exc_name, base_name) \
    MP_DEFINE_CONST_OBJ_TYPE(eventio_type_##exc_name, MP_QSTR_##exc_name, MP_TYPE_FLAG_NONE, \
    make_new, mp_obj_exception_make_new, \
    print, mp_obj_exception_print, \
    attr, mp_obj_exception_attr, \
    parent, &mp_type_##base_name \
    );

extern const mp_obj_type_t eventio_type_CancelledError; // asyncio.CancelledError
extern const mp_obj_type_t eventio_type_TimeoutError;
extern const mp_obj_type_t eventio_task_type;
// A Task that Python code has not seen (wait_for's pooled work task, alarm.c): its type, and
// the task as Python code may see it (a pooled one becomes a plain Task, never reused).
extern const mp_obj_type_t eventio_pooled_task_type;
mp_obj_t eventio_task_seen(eio_task_t *t);
extern const mp_obj_type_t eventio_event_type;
extern const mp_obj_type_t eventio_kernel_task_type;
extern const mp_obj_type_t eventio_kernel_event_type;
extern const mp_getiter_iternext_custom_t eventio_task_iter;
// `await task`'s first step: mark it awaited, or raise RuntimeError("can't wait").
mp_obj_t eventio_task_getiter(mp_obj_t self_in, mp_obj_iter_buf_t *iter_buf);
void eventio_task_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest);
mp_obj_t eventio_event_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args);
mp_obj_t eventio_event_iternext(mp_obj_t self_in);
mp_obj_t eventio_event_set(mp_obj_t self_in);
MP_DECLARE_CONST_FUN_OBJ_1(eventio_event_is_set_obj);
MP_DECLARE_CONST_FUN_OBJ_1(eventio_event_clear_obj);

// A new task of `type` (asyncio's or the kernel's Task) running `coro` at priority `level`,
// scheduled; TypeError if `coro` is not a coroutine, ValueError for a bad level.
mp_obj_t eventio_spawn_task(const mp_obj_type_t *type, mp_obj_t coro, mp_int_t level);

// ---- The _eventio module's contents, one file per concept (listed in modeventio.c) ----

// task.c
MP_DECLARE_CONST_FUN_OBJ_KW(eventio_create_task_obj);
MP_DECLARE_CONST_FUN_OBJ_0(eventio_current_task_obj);
MP_DECLARE_CONST_FUN_OBJ_1(eventio_run_obj);
MP_DECLARE_CONST_FUN_OBJ_1(eventio_take_done_callbacks_obj);
MP_DECLARE_CONST_FUN_OBJ_1(eventio_set_callbacks_hook_obj);
// The task `o` is (TypeError if it is not one), and cancelling it with `exc`.
eio_task_t *eventio_to_task(mp_obj_t o);
mp_obj_t eventio_cancel_with(mp_obj_t task, mp_obj_t exc);
// awaitables.c
MP_DECLARE_CONST_FUN_OBJ_KW(eventio_sleep_obj);
MP_DECLARE_CONST_FUN_OBJ_1(eventio_sleep_ms_obj);
MP_DECLARE_CONST_FUN_OBJ_2(eventio_io_wait_obj);
extern const mp_obj_base_t eventio_park_singleton;
// alarm.c: Alarm, and wait_for(aw, timeout, ms=False)
extern const mp_obj_type_t eventio_alarm_type;
MP_DECLARE_CONST_FUN_OBJ_VAR(eventio_wait_for_obj);
// timeout.c: asyncio.Timeout, timeout(delay)
extern const mp_obj_type_t eventio_timeout_type;
MP_DECLARE_CONST_FUN_OBJ_1(eventio_timeout_obj);
// awaitables.c: the deadline of sleep(t) (sleep_ms(t) if `ms`), with sleep's errors.
void eventio_sleep_deadline(mp_obj_t t, bool ms, eio_ticks_t *start, mp_uint_t *n);
// lock.c
extern const mp_obj_type_t eventio_lock_type;
// Lock.release(): RuntimeError unless held (an eio_permits_t of one permit).
mp_obj_t eventio_lock_release(mp_obj_t lock);
// interrupts.c
extern const mp_obj_type_t eventio_flag_type;
extern const mp_obj_type_t eventio_irq_queue_type;
extern const mp_obj_type_t eventio_signal_flag_type;
MP_DECLARE_CONST_FUN_OBJ_1(eventio_signal_flag_obj);
MP_DECLARE_CONST_FUN_OBJ_2(eventio_pin_flag_obj);
MP_DECLARE_CONST_FUN_OBJ_3(eventio_test_source_obj);

// kernel.c: spawn(coro, priority) -> a kernel Task, scheduled.
MP_DECLARE_CONST_FUN_OBJ_2(eventio_kernel_spawn_obj);

// The port's side (micropython-port/ports/: unix/port_unix.c, hal/port_hal.c, ...).  Set-up before the first loop runs or flag is
// made: called from any thread, does its work once.
void eventio_port_init(void);
// Called when _eventio is first imported after a (soft) reset: the port forgets the sources
// that posted to flags of the previous session.
void eventio_port_soft_reset(void);
// Signals as interrupt sources: post `handle` whenever signal `signum` arrives (ValueError for
// a signal that cannot be one), until eventio_port_signal_source_end(signum, handle); when the
// last source of a signal ends, the signal's previous handler is back.  Any thread.
void eventio_port_signal_source(int signum, uint32_t handle);
void eventio_port_signal_source_end(int signum, uint32_t handle);
// Post `handle` from the interrupt of GPIO `pin` on the edges `trigger` (the port's
// machine.Pin.IRQ_* bits; 0 stops it).
void eventio_port_pin_source(mp_obj_t pin, mp_int_t trigger, uint32_t handle);
// Start a native source that posts `handle` `count` times, `period_us` apart (with `values`:
// puts 0 .. count-1 into the handle's InterruptQueue ring).
void eventio_port_test_source(uint32_t handle, uint32_t count, uint32_t period_us, bool values);
// ---- For ports (streams.c) ----

// Run scheduled callbacks and raise a pending KeyboardInterrupt inside nlr: EIO_OK, or
// EIO_ERROR with the exception in *out.
int eventio_handle_pending(eio_obj_t *out);
// Whether scheduled callbacks are still queued (the wait must come back for them at once).
bool eventio_callbacks_pending(void);
// The stream protocol of `s` if it has an ioctl, else NULL.
const struct _mp_stream_p_t *eventio_stream_protocol(mp_obj_t s);
// Raise OSError unless `stream` can be waited on (it has a stream ioctl).
void eventio_port_check_stream(mp_obj_t stream);
// The MP_STREAM_POLL_* flags a task on loop->io waits for.
mp_uint_t eventio_stream_wanted(eio_task_t *t);
// Whether an MP_STREAM_POLL answer `polled` means the waiter can go on (ready, error, hang-up).
bool eventio_stream_ready(mp_uint_t wanted, mp_uint_t polled);
// A board's wait (no file descriptors): wake the waiters of loop->io whose streams say they
// are ready (may raise: call inside nlr); returns how many were woken, and sets *must_poll when
// a waited stream other than the console cannot end the wait by itself (an ioctl-only object).
size_t eventio_wake_ready_streams(eio_loop_t *loop, bool *must_poll);

#endif
