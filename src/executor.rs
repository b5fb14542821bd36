//! The loop, and the operations awaitables perform on it.
//!
//! `eio_run` repeats: deliver posts, decide what is next ([`crate::idle::decide`]), sleep or
//! pop a task, resume its coroutine through the glue, and act on the outcome.  Just before a
//! resumption the mailbox is looked at once more (one load): a post since the turn's delivery
//! that readied a higher level runs that level first, the popped task handed back to the head
//! of its level, so an interrupt waits out at most one task's turn.  Awaitables (sleep, Event,
//! Lock, awaiting a Task) park the current task while the glue is resuming it, through the
//! `eio_*` functions below, then yield; the loop never looks at what was yielded.
//!
//! Re-entrancy: while `eio_run` is inside the glue, Python code calls back into this module
//! (create a task, cancel one, set an Event).  So no Rust reference to the loop is held across
//! a glue call: each function borrows the loop for its own few statements only.
//!
//! Alarms (timeouts, [`crate::alarm`]) come out of the timer queue and the run queue as tasks
//! do; `step` fires them instead of resuming anything.
//!
//! The semantics are those of MicroPython's asyncio, corner for corner: cancelling a task that
//! awaits another task cancels the awaited one; an exception that ends a task nobody awaits is
//! reported one turn later, so a task that awaits it in between still receives it; a finished
//! task is never resumed again.

use crate::abi::*;
use crate::idle::{self, Next};
use crate::task::{At, State, TaskExt, TaskPtr};
use crate::time::eio_now;
use crate::wake::{eio_wake_all, make_ready, stamp};
use crate::{alarm, event, fifo, permits, run_queue, stats, task, time, timer, waiters};
use core::ptr::null_mut;

/// # Safety
/// `l` must point to writable memory for an `eio_loop_t`.
#[no_mangle]
pub unsafe extern "C" fn eio_loop_init(l: *mut eio_loop_t) {
    // SAFETY: per the caller.
    unsafe {
        *l = eio_loop_t::default();
        (*l).io.kind = EIO_WAITABLE_IO as usize;
    }
}

/// Take `t` out of the timer queue, a waiter list or a parking spot (never the run queue).
unsafe fn unpark(l: &mut eio_loop_t, t: TaskPtr) {
    // SAFETY: `t` is valid and in the place its `at` says.
    unsafe {
        match (*t).place() {
            At::Timer => timer::remove(timer::heap_of(l, t), t),
            At::Waiter => {
                let w = (*t).wait_on();
                waiters::remove(w, t);
                match (*w).kind as u32 {
                    EIO_WAITABLE_FLAG => event::waiter_left(l, w as *mut eio_flag_t),
                    EIO_WAITABLE_IO => (*t).data = null_mut(), // the stream it waited on
                    _ => {}
                }
            }
            At::Parked | At::Forgotten => (*t).set_place(At::None),
            At::None | At::Ready => {}
        }
    }
}

/// # Safety
/// `l` and `t` must be valid; `t` freshly initialised.
#[no_mangle]
pub unsafe extern "C" fn eio_spawn(l: *mut eio_loop_t, t: TaskPtr) {
    stats::TASKS_CREATED.bump();
    // SAFETY: valid per the caller; a new task is unlinked.
    unsafe { make_ready(&mut *l, t) };
}

/// # Safety
/// `l` and `t` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_wake(l: *mut eio_loop_t, t: TaskPtr) -> bool {
    // SAFETY: valid per the caller.
    unsafe {
        let l = &mut *l;
        if (*t).place() == At::Ready {
            return false;
        }
        // Woken from outside the loop's turn (a port's I/O, gather, Loop.stop): stamp it with
        // the clock as it is now.
        l.now = eio_now();
        unpark(l, t);
        make_ready(l, t);
    }
    true
}

/// # Safety
/// `l` and `t` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_set_priority(l: *mut eio_loop_t, t: TaskPtr, level: u32) {
    let level = level.min(EIO_LEVELS - 1) as u8;
    // SAFETY: valid per the caller; the task is re-queued where it was, at its new level.
    unsafe {
        let l = &mut *l;
        if (*t).level() == level {
            return;
        }
        match (*t).place() {
            At::Ready => {
                run_queue::remove(l, t);
                (*t).set_level(level);
                run_queue::push(l, t); // keeps its time and insertion stamps
            }
            At::Timer => {
                timer::remove(timer::heap_of(l, t), t);
                (*t).set_level(level);
                timer::insert(timer::heap_of(l, t), t);
            }
            _ => (*t).set_level(level),
        }
    }
}

/// # Safety
/// `l` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_current(l: *const eio_loop_t) -> TaskPtr {
    // SAFETY: valid per the caller.
    unsafe { (*l).current }
}

/// # Safety
/// `l` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_loop_forget(l: *mut eio_loop_t) {
    // SAFETY: valid per the caller; every task handed out is unlinked and valid.
    unsafe {
        let l = &mut *l;
        let forget = |t: TaskPtr| (*t).set_place(At::Forgotten); // keeps `key`, its time
        run_queue::take_all(l, forget);
        timer::take_all(&mut l.timers, forget); // `child` (the union's wait_on) is null now
        timer::take_all(&mut l.timers_hi, forget);
        // Waiting for a stream or a flag: stock's I/O queue, whose cancel always wakes.
        let park = |t: TaskPtr| {
            (*t).set_wait_on(null_mut());
            (*t).set_place(At::Parked);
        };
        waiters::take_all(core::ptr::addr_of_mut!(l.io), |t| {
            (*t).data = null_mut(); // the stream it waited on
            park(t);
        });
        event::take_armed(l, park);
    }
}

/// Whether a task is ready to run: a port's wait, after running scheduled callbacks that may
/// have woken one (an Event set from `micropython.schedule`), must then not block.
///
/// # Safety
/// `l` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_has_ready(l: *const eio_loop_t) -> bool {
    // SAFETY: valid per the caller.
    !run_queue::top(unsafe { &*l }).is_null()
}

/// The running task, for an awaitable about to park it.
unsafe fn current(l: *mut eio_loop_t) -> Result<TaskPtr, i32> {
    // SAFETY: valid per the caller.
    let t = unsafe { (*l).current };
    if t.is_null() {
        Err(EIO_E_NO_LOOP)
    } else {
        Ok(t)
    }
}

/// # Safety
/// `l` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_sleep(l: *mut eio_loop_t, start: eio_ticks_t, ms: u64) -> i32 {
    // SAFETY: per the caller.
    unsafe { sleep(l, start, ms) }
}

/// eio_sleep, inlined where a staged sleep starts (the switch path).
///
/// # Safety
/// `l` must be valid.
#[inline(always)]
unsafe fn sleep(l: *mut eio_loop_t, start: eio_ticks_t, ms: u64) -> i32 {
    // SAFETY: valid per the caller; the current task is running, so it is unlinked.
    unsafe {
        let t = match current(l) {
            Ok(t) => t,
            Err(e) => return e,
        };
        let l = &mut *l;
        (*t).key = time::key(if ms == 0 { l.now } else { start.wrapping_add(ms) });
        stamp(l, t);
        if ms == 0 {
            // Due at once: the run queue is the same place in (time, insertion) order, O(1).
            run_queue::push(l, t);
        } else {
            // Even if the deadline has passed by now, the timer queue runs it in its turn.
            timer::insert(timer::heap_of(l, t), t);
        }
    }
    EIO_OK
}

/// # Safety
/// `l` and `w` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_wait_on(l: *mut eio_loop_t, w: *mut eio_waitable_t) -> i32 {
    // SAFETY: valid per the caller; the current task is unlinked.
    unsafe {
        match current(l) {
            Ok(t) => waiters::push(w, t),
            Err(e) => return e,
        }
    }
    EIO_OK
}

/// # Safety
/// `l` must be valid; `stream` a live object.
#[no_mangle]
pub unsafe extern "C" fn eio_io_wait(l: *mut eio_loop_t, stream: eio_obj_t, events: u32) -> i32 {
    // SAFETY: valid per the caller; the current task is unlinked.
    unsafe {
        match current(l) {
            Ok(t) => {
                waiters::push(core::ptr::addr_of_mut!((*l).io), t);
                // See the header's table: a waiter's `data` and `key` are free.
                (*t).data = stream;
                (*t).key = (events & (EIO_IO_READ | EIO_IO_WRITE)) as eio_key_t;
            }
            Err(e) => return e,
        }
    }
    EIO_OK
}

/// Start the staged wait and unstage it (the first step of its `await`), so that the step
/// after it finds nothing staged: EIO_OK, or EIO_E_NO_LOOP (unstaged too).
///
/// # Safety
/// `l` and `s` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_stage_start(l: *mut eio_loop_t, s: *mut eio_stage_t) -> i32 {
    // SAFETY: per the caller.
    unsafe {
        (*s).staged = 0;
        if (*s).stream.is_null() {
            sleep(l, (*s).start, (*s).n as u64)
        } else {
            let stream = (*s).stream;
            (*s).stream = null_mut(); // not kept past the call (static memory)
            eio_io_wait(l, stream, (*s).n as u32)
        }
    }
}

/// # Safety
/// `l` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_park(l: *mut eio_loop_t) -> i32 {
    // SAFETY: valid per the caller.
    unsafe {
        match current(l) {
            Ok(t) => (*t).set_place(At::Parked),
            Err(e) => return e,
        }
    }
    EIO_OK
}

/// A step of the awaitable `aw` that parks the current task for an explicit wake: EIO_RETURN
/// when the task comes back from its park by `aw`, else it parks it (EIO_YIELD).
///
/// # Safety
/// `l` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_park_step(l: *mut eio_loop_t, aw: *mut cty::c_void) -> i32 {
    let aw = aw.cast::<eio_waitable_t>();
    // SAFETY: valid per the caller; the current task is unlinked.
    unsafe {
        let t = match current(l) {
            Ok(t) => t,
            Err(e) => return e,
        };
        if (*t).wait_on() == aw {
            (*t).set_wait_on(null_mut()); // woken, since a cancel clears it
            return EIO_RETURN;
        }
        (*t).set_place(At::Parked);
        (*t).set_wait_on(aw);
    }
    EIO_YIELD
}

/// A step of the kernel's `await task.cancel()`: see the header.
///
/// # Safety
/// `l` and `t` (with its `extra`) must be valid, `started` writable.
#[no_mangle]
pub unsafe extern "C" fn eio_task_cancel_join(l: *mut eio_loop_t, t: TaskPtr, exc: eio_obj_t, started: *mut bool) -> i32 {
    // SAFETY: valid per the caller.
    unsafe {
        if !*started {
            if (*t).finished() {
                return EIO_OK; // nothing to cancel
            }
            // Awaitable first ("can't wait" before anything is cancelled), then cancel.
            if !(*t).begin_await() {
                return EIO_E_CANT_WAIT;
            }
            match eio_task_cancel(l, t, exc) {
                1 => *started = true,
                r => return r, // 0 cannot be (unfinished); EIO_E_CANT_CANCEL_SELF
            }
        }
        let mut out = null_mut();
        match eio_task_await(l, t, &mut out) {
            EIO_YIELD => EIO_YIELD,
            r if r < 0 => r,
            _ => EIO_RETURN, // finished: by the cancel, or by what its cleanup did
        }
    }
}

/// Cancel `t` as [`eio_task_cancel`], unless it already has an exception pending (0).
///
/// # Safety
/// `l` and `t` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_task_cancel_if_idle(l: *mut eio_loop_t, t: TaskPtr, exc: eio_obj_t) -> i32 {
    // SAFETY: valid per the caller; `wait_on` is valid while the task waits.
    unsafe {
        let io = (*t).place() == At::Waiter && (*(*t).wait_on()).kind == EIO_WAITABLE_IO as usize;
        if !(*t).finished() && !io && !(*t).data.is_null() {
            return 0;
        }
        eio_task_cancel(l, t, exc)
    }
}

/// # Safety
/// `t` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_task_await_begin(t: TaskPtr) -> i32 {
    // SAFETY: valid per the caller.
    if unsafe { (*t).begin_await() } {
        EIO_OK
    } else {
        EIO_E_CANT_WAIT
    }
}

/// # Safety
/// `l` and `t` must be valid, `out` writable.
#[no_mangle]
pub unsafe extern "C" fn eio_task_await(l: *mut eio_loop_t, t: TaskPtr, out: *mut eio_obj_t) -> i32 {
    // SAFETY: valid per the caller.
    unsafe {
        if (*t).finished() {
            return task::eio_task_outcome(t, false, out);
        }
        let extra = (*t).extra();
        if extra.is_null() {
            return EIO_E_CANT_WAIT; // the glue gives an awaited task its `extra` first
        }
        match eio_wait_on(l, core::ptr::addr_of_mut!((*extra).waiters)) {
            EIO_OK => EIO_YIELD,
            e => e,
        }
    }
}

/// # Safety
/// `l` and `t` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_task_cancel(l: *mut eio_loop_t, t: TaskPtr, exc: eio_obj_t) -> i32 {
    // SAFETY: valid per the caller; a waitable of kind TASK is the `extra` of a live task,
    // which points back at it.
    unsafe {
        if (*t).finished() {
            return 0;
        }
        if t == (*l).current {
            return EIO_E_CANT_CANCEL_SELF;
        }
        // Cancelling a task that awaits another task cancels the awaited one: its
        // CancelledError then reaches the waiter the ordinary way.
        let mut t = t;
        while (*t).place() == At::Waiter && (*(*t).wait_on()).kind == EIO_WAITABLE_TASK as usize {
            t = (*((*t).wait_on() as *mut eio_task_extra_t)).task;
        }
        // Waiting or sleeping: it runs now.  Already queued, or sleeping but due: in its turn.
        let wake = match (*t).place() {
            At::Waiter | At::Parked => true,
            // A forgotten task is woken as stock's cancel treats a task that is not in its
            // (new) queue: by its time, if that is still ahead.
            At::Timer | At::Forgotten => time::key_diff((*t).key, time::key(eio_now())) > 0,
            At::None | At::Ready => false,
        };
        if wake {
            eio_wake(l, t);
        }
        (*t).data = exc;
    }
    1
}

/// Cancel a relay (wait_for's runner, see [`crate::alarm`]): it will end nobody's sleep, and
/// the task it awaits is cancelled with its exception.
///
/// # Safety
/// `l` and `r` (a relay) must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_relay_cancel(l: *mut eio_loop_t, r: TaskPtr) {
    // SAFETY: valid per the caller.
    unsafe {
        if let Some((w, exc)) = alarm::relay_cancel(r) {
            eio_task_cancel(l, w, exc);
        }
    }
}

/// Record how `t` ended and tell whoever is interested.  Returns EIO_OK, or EIO_ERROR with an
/// exception in `*out` if a done callback raised.  `main`: `t` is the run's main task, whose
/// outcome the caller of the run receives, so it counts as retrieved.
unsafe fn finish(l: *mut eio_loop_t, t: TaskPtr, status: i32, value: eio_obj_t, out: *mut eio_obj_t, main: bool) -> i32 {
    stats::TASKS_FINISHED.bump();
    let raised = status == EIO_RAISE;
    // SAFETY: `t` is the task just resumed, valid and unlinked; glue calls get no borrow.
    unsafe {
        let prior = (*t).life();
        (*t).data = value;
        (*t).set_outcome_code(if raised { EIO_OUTCOME_RAISE } else { EIO_OUTCOME_RETURN });
        // Done callbacks (Task.add_done_callback) first: they are told (they receive the task),
        // and they are scheduled before the tasks awaiting it are woken, as in CPython, where an
        // awaiter's wake-up is itself a done callback, added when it started to wait.
        let extra = (*t).extra();
        let callbacks = !extra.is_null() && !(*extra).callbacks.is_null();
        let mut result = if callbacks { eio_glue_finished(t, out) } else { EIO_OK };
        let mut someone_told = callbacks;
        match prior {
            State::Running => (*t).set_life(State::DoneUnseen),
            State::Awaited => {
                (*t).set_life(State::Done);
                if !extra.is_null() {
                    someone_told |= eio_wake_all(l, core::ptr::addr_of_mut!((*extra).waiters)) > 0;
                }
            }
            State::Callback => {
                (*t).set_life(State::Done);
                someone_told = true;
                let mut exc: eio_obj_t = null_mut();
                let cb = task::take_done_cb(&mut *t);
                let r = eio_glue_done_callback(t, cb, if raised { value } else { null_mut() }, &mut exc);
                if r != EIO_OK && result == EIO_OK {
                    result = r;
                    *out = exc;
                }
            }
            State::Done | State::DoneUnseen | State::Alarm => {}
        }
        if main {
            (*t).set_life(State::Done);
            someone_told = true;
        }
        if raised && !someone_told && !eio_glue_is_cancel(value) {
            // Report the exception one turn later, unless somebody awaits the task meanwhile.
            make_ready(&mut *l, t);
        }
        result
    }
}

/// The one hand-off rule, for every primitive: `t`, about to have an exception thrown in, was
/// handed something by the object it waited on (a permit, a queue's turn) and has not taken
/// it up: it goes to the next waiter (or back to the object).
unsafe fn abandon(l: *mut eio_loop_t, t: TaskPtr) {
    // SAFETY: valid per the caller; a marked task's waitable is live (its coroutine, parked in
    // the awaitable, refers to it) and of a hand-off kind.
    unsafe {
        let w = waiters::handed_by(t);
        if w.is_null() {
            return;
        }
        match (*w).kind as u32 {
            EIO_WAITABLE_PERMITS => permits::abandon(l, t, w.cast()),
            EIO_WAITABLE_FIFO_GET | EIO_WAITABLE_FIFO_PUT => fifo::abandon(l, t, w),
            _ => {}
        }
    }
}

/// The exception to throw into `t` as it is resumed now (a cancel's), or null.  With one,
/// the task leaves whatever it waited on (the awaitable that parked it sees `wait_on` clear
/// and does not take the task back), and what it was handed goes on (the one hand-off rule).
/// Public for the property tests, which drive it as `step` does.
///
/// # Safety
/// `l` and `t` must be valid, `t` unlinked and about to be resumed.
pub unsafe fn take_thrown(l: *mut eio_loop_t, t: TaskPtr) -> eio_obj_t {
    // SAFETY: per the caller.
    unsafe {
        let thrown = (*t).data;
        (*t).data = null_mut();
        if !thrown.is_null() {
            abandon(l, t);
            (*t).set_wait_on(null_mut());
        }
        thrown
    }
}

/// Resume one task popped from a queue; returns Some(status) when the run must end.
unsafe fn step(l: *mut eio_loop_t, t: TaskPtr, out: *mut eio_obj_t) -> Option<i32> {
    // SAFETY: `l` and `t` are valid; `t` was just popped, so it is unlinked.
    unsafe {
        // One test on the switch path for both rare cases: a task to resume is running,
        // awaited or has a callback; anything else is an alarm or a finished task.
        let life = (*t).life();
        if !matches!(life, State::Running | State::Awaited | State::Callback) {
            if life == State::Alarm {
                // Not a task: an alarm whose turn came (the loop resumes nothing).
                (*l).current = null_mut();
                match alarm::fire(&mut *l, t) {
                    alarm::Fire::Cancel(target, exc) => {
                        eio_task_cancel(l, target, exc);
                    }
                    alarm::Fire::Wake(target) => {
                        eio_wake(l, target);
                    }
                    alarm::Fire::Call(func, arg) => {
                        let r = eio_glue_call(func, arg, out);
                        if r != EIO_OK {
                            return Some(r);
                        }
                    }
                    alarm::Fire::Nothing => {}
                }
                return None;
            }
            // Finished: queued only to report an exception nobody retrieved (see `finish`).
            (*l).current = t;
            if life == State::DoneUnseen {
                let r = eio_glue_unhandled(t, (*t).data, out);
                if r != EIO_OK {
                    return Some(r);
                }
            }
            return None;
        }
        (*l).current = t;
        let n = run_queue::level_of(t);
        stats::SWITCHES_BY_LEVEL[n].bump();
        // A post that landed since this turn's delivery may have readied a task of a higher
        // level: it runs first, and `t` goes back where it was taken from, the head of its
        // level (the first of its level to run: the head itself, or a level-0 timer due before
        // it), its switch not counted.  Looked at here, the last thing before the resumption
        // that can be taken back, so that a post just missed waits out one task's turn plus
        // the few instructions from here to the resumption, not a whole decision.  (`current`
        // is left as it is after any turn: stale until the next resumption.)
        if event::pending() {
            event::deliver_pending(l);
            if run_queue::above(&*l, n) {
                stats::SWITCHES_BY_LEVEL[n].unbump();
                run_queue::push_front(&mut *l, t);
                return None;
            }
        }
        let thrown = take_thrown(l, t);
        let mut value: eio_obj_t = null_mut();
        let r = eio_glue_resume(t, thrown, &mut value);
        match r {
            EIO_YIELD => None,
            // The run ends with its main task, after waking the tasks that await it (and
            // running its callbacks), as MicroPython 1.26+ does: a later run goes on with
            // them.  (1.26+ drops the awaiters when the main task raises; they get the
            // exception here.)
            EIO_RETURN | EIO_RAISE if t == (*l).main => match finish(l, t, r, value, out, true) {
                EIO_OK => {
                    *out = value;
                    Some(r)
                }
                e => Some(e),
            },
            EIO_RETURN | EIO_RAISE => match finish(l, t, r, value, out, false) {
                EIO_OK => None,
                e => Some(e),
            },
            _ => {
                *out = value;
                Some(EIO_ERROR)
            }
        }
    }
}

/// # Safety
/// `l` must be valid, `main` valid or null, `out` writable.
#[no_mangle]
pub unsafe extern "C" fn eio_run(l: *mut eio_loop_t, main: TaskPtr, out: *mut eio_obj_t) -> i32 {
    // SAFETY: valid per the caller; borrows of `*l` end before each glue call.
    unsafe {
        // A run may be nested in a task of an outer run (asyncio.run() from a coroutine, which
        // MicroPython's asyncio allows): it runs the loop until its own main task finishes,
        // then the outer run carries on with its task.
        (*l).now = eio_now();
        let outer_current = (*l).current;
        let outer_main = (*l).main;
        (*l).running += 1;
        (*l).main = main;
        let mut clock = crate::idle::Clock::start();
        let mut just_woke = false; // a sleep just ended, and read the clock into `now`
        let status = loop {
            // Only timers need the time: a loop of ready tasks reads the clock only now and then,
            // to keep the stamps of ready tasks recent.
            if !core::mem::take(&mut just_woke)
                && (!(*l).timers.is_null() || !(*l).timers_hi.is_null() || (*l).seq & 0x3ff == 0)
            {
                (*l).now = eio_now();
            }
            let now = (*l).now;
            event::deliver(l);
            idle::promote_due(&mut *l, now);
            let next = idle::decide(&*l, now);
            if !matches!(next, Next::Sleep(_)) && !(*l).io.head.is_null() {
                // Streams are waited on while tasks are ready: look at them without blocking.
                match eio_port_poll(l, out) {
                    EIO_OK => {}
                    e => break e,
                }
            }
            let t = match next {
                Next::Ready(t) => {
                    run_queue::remove_head(&mut *l, t);
                    t
                }
                Next::Timer(_) => timer::pop(&mut (*l).timers),
                Next::Sleep(ms) => match clock.sleep(l, ms, out) {
                    EIO_OK => {
                        just_woke = true;
                        continue;
                    }
                    e => break e,
                },
                Next::Finished => break EIO_OK,
            };
            if let Some(s) = step(l, t, out) {
                break s;
            }
        };
        clock.stop();
        (*l).current = outer_current;
        (*l).main = outer_main;
        (*l).running -= 1;
        status
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::testing::new_task;

    #[test]
    fn park_step_parks_then_tells_the_return_from_its_park() {
        let mut l = eio_loop_t::default();
        let t = new_task();
        let mut aw = 0u32;
        let aw = core::ptr::addr_of_mut!(aw).cast::<cty::c_void>();
        unsafe {
            assert_eq!(eio_park_step(&mut l, aw), EIO_E_NO_LOOP);
            l.current = t;
            assert_eq!(eio_park_step(&mut l, aw), EIO_YIELD);
            assert_eq!((*t).place(), At::Parked);
            l.current = null_mut();
            assert!(eio_wake(&mut l, t));
            run_queue::remove(&mut l, t);
            l.current = t;
            assert_eq!(eio_park_step(&mut l, aw), EIO_RETURN);
            assert!((*t).wait_on().is_null());
            // Cancelled instead: the cancel clears the mark, and a new step parks again.
            assert_eq!(eio_park_step(&mut l, aw), EIO_YIELD);
            l.current = null_mut();
            assert_eq!(eio_task_cancel_if_idle(&mut l, t, 0x10 as eio_obj_t), 1);
            assert_eq!(eio_task_cancel_if_idle(&mut l, t, 0x20 as eio_obj_t), 0); // one pending
            run_queue::remove(&mut l, t);
            assert_eq!(take_thrown(&mut l, t), 0x10 as eio_obj_t);
            l.current = t;
            assert_eq!(eio_park_step(&mut l, aw), EIO_YIELD);
        }
    }

    #[test]
    fn a_staged_wait_starts_once_and_is_unstaged() {
        let mut l = eio_loop_t::default();
        let t = new_task();
        // As the header's inline eio_stage_sleep(s, 0) and eio_stage_io() fill it.
        let zero_sleep = eio_stage_t { stream: null_mut(), start: 0, n: 0, staged: 1 };
        let stream = 0x40 as eio_obj_t;
        let mut s = zero_sleep;
        unsafe {
            assert_eq!(eio_stage_start(&mut l, &mut s), EIO_E_NO_LOOP);
            assert_eq!(s.staged, 0, "a failed start unstages");
            l.current = t;
            s = zero_sleep;
            assert_eq!(eio_stage_start(&mut l, &mut s), EIO_OK);
            assert_eq!(((*t).place(), s.staged), (At::Ready, 0));
            run_queue::remove(&mut l, t);
            s = eio_stage_t { stream, start: 0, n: EIO_IO_READ as usize, staged: 1 };
            assert_eq!(eio_stage_start(&mut l, &mut s), EIO_OK);
            assert_eq!(((*t).place(), (*t).data, (*t).key), (At::Waiter, stream, EIO_IO_READ as eio_key_t));
            assert!(s.stream.is_null() && s.staged == 0, "nothing kept, nothing staged");
        }
    }

    #[test]
    fn cancel_join_cancels_then_waits_for_the_end_and_leaves_a_finished_task_alone() {
        let mut l = eio_loop_t::default();
        let (joiner, t) = (new_task(), new_task());
        let x = Box::into_raw(Box::new(eio_task_extra_t::default()));
        unsafe {
            (*x).waiters.kind = EIO_WAITABLE_TASK as usize;
            (*x).task = t;
            task::eio_task_attach_extra(t, x);
            (*t).set_place(At::Parked);
            let mut started = false;
            l.current = joiner;
            assert_eq!(eio_task_cancel_join(&mut l, t, 0x10 as eio_obj_t, &mut started), EIO_YIELD);
            assert!(started && (*t).data == 0x10 as eio_obj_t && (*t).place() == At::Ready);
            assert_eq!((*joiner).place(), At::Waiter);
            // It ends: the joiner comes back with True.
            (*t).set_life(State::Done);
            (*t).set_outcome_code(EIO_OUTCOME_RAISE);
            assert_eq!(eio_task_cancel_join(&mut l, t, 0x10 as eio_obj_t, &mut started), EIO_RETURN);
            // Finished already: False, nothing done.
            let mut again = false;
            assert_eq!(eio_task_cancel_join(&mut l, t, 0x10 as eio_obj_t, &mut again), EIO_OK);
            assert!(!again);
        }
    }
}
