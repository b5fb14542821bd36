//! Alarms: timeouts as timer entries, with no task or coroutine of their own.
//!
//! An alarm (`eio_alarm_t`, include/eventio.h) is laid out as a task in state `Alarm`, so the
//! timer heap and the run queue hold it as they hold a sleeping task.  When its turn comes the
//! loop does not resume it: it asks [`fire`] what to do, and does that (cancel or wake the
//! target).
//!
//! Guarantees:
//! - Ordering: an alarm fires in the (deadline, insertion) order of the timer queue, merged with
//!   the ready tasks exactly as a sleeping task's wake-up is: an alarm armed with a deadline
//!   already past fires after the tasks already ready, as a helper task's `sleep` would end.
//!   Its level is its target's, so a timeout of a high-priority task is not held back by busy
//!   tasks of lower levels.
//! - Cost: arming is O(1) (a heap insertion), disarming O(siblings) as a cancelled sleep's,
//!   firing one pop; nothing is allocated: the glue allocates the alarm once per timeout
//!   object and may re-arm it any number of times.
//! - Disarmed is final: once [`disarm`] returns, the alarm is in no queue and never fires until
//!   armed again; it returns whether the alarm was still pending, so the caller knows which of
//!   "the awaited thing finished" and "the deadline came" won.
//! - A call alarm (`eio_alarm_call`: loop.call_soon/call_later/call_at) calls its function
//!   once, at its turn, through the glue; disarmed first, never.
//! - A cancel alarm never stacks on another exception: if the target has already finished or
//!   has an exception pending (a cancel, another alarm's) when the alarm fires, it only records
//!   that it fired.  A wake alarm wakes the target only if it is parked (`eio_park`); a target
//!   already woken, or waiting elsewhere, is left alone.
//!
//! A relay is an alarm that stands for `wait_for`'s runner task: MicroPython's `wait_for` runs
//! the work in a task W, and a runner task that awaits W and, when W ends, cancels the caller's
//! timeout sleep.  The relay takes exactly the runner's turns (its first turn queued when it
//! starts, as a new task's; then the turn after W ends), so every task runs in the order
//! stock's `wait_for` gives, with no runner task or coroutine:
//! - at its first turn it awaits W (joins W's waiters), unless W has finished already;
//! - when W has finished it ends: W's outcome counts as retrieved, the tasks awaiting the
//!   relay's end are woken, and the caller's timeout sleep ends where the runner's cancel
//!   would end it (unless the relay was cancelled, or the caller already has an exception
//!   pending); the caller, seeing the relay ended, takes W's outcome;
//! - cancelling it is cancelling the runner: it will cancel nobody; if it awaits W, W is
//!   cancelled; if its first turn has not come, it ends then without touching W.  A task
//!   awaiting the relay's end has its cancels forwarded to W, as through the runner.
//!
//! Layer: on the queues and [`crate::wake`]; the loop ([`crate::executor`]) fires alarms.

use crate::abi::*;
use crate::task::{At, State, TaskExt, TaskPtr};
use crate::{run_queue, time, timer, waiters, wake};
use core::ptr::null_mut;

/// What the loop must do for an alarm whose turn has come.
#[derive(Debug, PartialEq, Eq)]
pub enum Fire {
    Nothing,
    /// Cancel this task with this exception (as `eio_task_cancel`).
    Cancel(TaskPtr, eio_obj_t),
    /// Wake this task (parked, or a relay's caller in its timeout sleep).
    Wake(TaskPtr),
    /// Call this function with this argument (a call alarm, `eio_alarm_call`).
    Call(eio_obj_t, eio_obj_t),
}

/// A relay's phases, in its `outcome` field.
const FIRST_TURN: u32 = EIO_OUTCOME_NONE;
const AWAITING: u32 = EIO_OUTCOME_RAISE;
const ENDED: u32 = EIO_OUTCOME_RETURN;

/// Whether a task has an exception pending (to be thrown in at its next resumption).
///
/// # Safety
/// `t` must be valid and unfinished.
unsafe fn exception_pending(t: TaskPtr) -> bool {
    // SAFETY: valid per the caller; `wait_on` is valid while the task waits.
    unsafe {
        !(*t).data.is_null()
            && !((*t).place() == At::Waiter && (*(*t).wait_on()).kind == EIO_WAITABLE_IO as usize)
    }
}

/// # Safety
/// `a` must point to a writable alarm (its `type` is left as the glue set it).
#[no_mangle]
pub unsafe extern "C" fn eio_alarm_init(a: TaskPtr) {
    // SAFETY: per the caller.
    unsafe {
        crate::task::eio_task_init(a, null_mut());
        (*a).set_life(State::Alarm);
    }
}

/// # Safety
/// `l`, `a` (an alarm) and `target` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_alarm_arm(l: *mut eio_loop_t, a: TaskPtr, target: TaskPtr, deadline: eio_ticks_t, exc: eio_obj_t) {
    // SAFETY: valid per the caller; a disarmed alarm is unlinked.
    unsafe {
        let l = &mut *l;
        eio_alarm_disarm(l, a);
        (*a).coro = target as eio_obj_t;
        (*a).data = exc;
        (*a).set_outcome_code(EIO_OUTCOME_NONE);
        (*a).set_level((*target).level());
        (*a).key = time::key(deadline);
        wake::stamp(l, a);
        timer::insert(timer::heap_of(l, a), a);
    }
}

/// A call alarm's phases, in its `outcome` field: its first turn is to come (then it sleeps
/// its `ms`, kept in `coro`), it waits for its call, it has called.
const CALL_FIRST_TURN: u32 = EIO_OUTCOME_NONE;
const CALL_ARMED: u32 = EIO_OUTCOME_RAISE;

/// Arm `a` (disarming it first) to call `func(arg)` as a helper task created now would:
/// `ms` negative, at its first turn (loop.call_soon); else after sleeping `ms` from its first
/// turn (call_later, call_at).  Level 0, as such a task.
///
/// # Safety
/// `l` and `a` (an alarm without `extra`) must be valid; `func` and `arg` live objects.
#[no_mangle]
pub unsafe extern "C" fn eio_alarm_call(l: *mut eio_loop_t, a: TaskPtr, ms: i64, func: eio_obj_t, arg: eio_obj_t) {
    // SAFETY: valid per the caller; a disarmed alarm is unlinked.
    unsafe {
        let l = &mut *l;
        eio_alarm_disarm(l, a);
        (*a).data = arg;
        crate::task::put_done_cb(&mut *a, func);
        // (`coro` is no object here: an integer, which the collector may take for a pointer
        // and so at worst keep something alive a little longer.)
        (*a).coro = ms.max(0) as usize as eio_obj_t;
        (*a).set_outcome_code(if ms < 0 { CALL_ARMED } else { CALL_FIRST_TURN });
        (*a).set_level(0);
        wake::make_ready(l, a);
    }
}

/// # Safety
/// `l` and `a` (an alarm) must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_alarm_disarm(l: *mut eio_loop_t, a: TaskPtr) -> bool {
    // SAFETY: valid per the caller; the alarm is where its `at` says.
    unsafe {
        let l = &mut *l;
        let pending = match (*a).place() {
            At::Timer => {
                timer::remove(timer::heap_of(l, a), a);
                true
            }
            // Promoted: an alarm above level 0 whose deadline came waits in the run queue.
            At::Ready => {
                run_queue::remove(l, a);
                true
            }
            // A relay awaiting its task.
            At::Waiter => {
                waiters::remove((*a).wait_on(), a);
                true
            }
            _ => false,
        };
        (*a).set_place(At::None);
        if (*a).extra().is_null() {
            // A disarmed alarm keeps nothing alive (its object may wait in a pool).
            (*a).coro = null_mut();
            (*a).data = null_mut();
            crate::task::take_done_cb(&mut *a);
        }
        pending
    }
}

/// # Safety
/// `a` must be a valid alarm.
#[no_mangle]
pub unsafe extern "C" fn eio_alarm_fired(a: *const eio_task_t) -> bool {
    // SAFETY: valid per the caller.
    unsafe { (*a).outcome_code() == EIO_OUTCOME_RETURN }
}

/// The alarm `a`'s turn has come (the loop took it from the timer queue or the run queue):
/// record that it fired and say what the loop must do.
///
/// # Safety
/// `a` must be a valid alarm, unlinked; its target valid.
pub unsafe fn fire(l: &mut eio_loop_t, a: TaskPtr) -> Fire {
    // SAFETY: valid per the caller; an armed alarm's `coro` is its target task.
    unsafe {
        if !(*a).extra().is_null() {
            return fire_relay(l, a);
        }
        let func = crate::task::take_done_cb(&mut *a);
        if !func.is_null() {
            return fire_call(l, a, func);
        }
        (*a).set_outcome_code(EIO_OUTCOME_RETURN);
        let target = (*a).coro as TaskPtr;
        let exc = (*a).data;
        if target.is_null() || (*target).finished() {
            Fire::Nothing
        } else if !exc.is_null() {
            if exception_pending(target) {
                Fire::Nothing
            } else {
                Fire::Cancel(target, exc)
            }
        } else if (*target).place() == At::Parked {
            Fire::Wake(target)
        } else {
            Fire::Nothing
        }
    }
}

/// A call alarm's turn (`func` taken from it): the helper task's first turn, after which it
/// sleeps, or its call.
///
/// # Safety
/// `a` must be a call alarm, unlinked.
unsafe fn fire_call(l: &mut eio_loop_t, a: TaskPtr, func: eio_obj_t) -> Fire {
    // SAFETY: per the caller.
    unsafe {
        if (*a).outcome_code() == CALL_FIRST_TURN {
            // As eio_sleep: a zero sleep goes to the back of the run queue, else to the timer.
            crate::task::put_done_cb(&mut *a, func);
            (*a).set_outcome_code(CALL_ARMED);
            let ms = (*a).coro as usize as u64;
            (*a).coro = null_mut();
            (*a).key = time::key(if ms == 0 { l.now } else { time::eio_now().wrapping_add(ms) });
            wake::stamp(l, a);
            if ms == 0 {
                run_queue::push(l, a);
            } else {
                timer::insert(timer::heap_of(l, a), a);
            }
            return Fire::Nothing;
        }
        (*a).set_outcome_code(EIO_OUTCOME_RETURN);
        let arg = (*a).data;
        (*a).data = null_mut(); // a fired alarm keeps nothing alive
        Fire::Call(func, arg)
    }
}

/// A relay's turn: its first one, or the one after W ended.
///
/// # Safety
/// `r` must be a started relay, unlinked.
unsafe fn fire_relay(l: &mut eio_loop_t, r: TaskPtr) -> Fire {
    // SAFETY: a started relay's `extra->task` is W, a valid task; `coro` the caller or null.
    unsafe {
        let x = (*r).extra();
        let w = (*x).task;
        let caller = (*r).coro as TaskPtr;
        if (*r).outcome_code() == FIRST_TURN {
            if caller.is_null() {
                end(l, r); // cancelled before it started: W is not awaited
                return Fire::Nothing;
            }
            let wx = (*w).extra();
            if !(*w).finished() && !wx.is_null() && (*w).begin_await() {
                waiters::push(core::ptr::addr_of_mut!((*wx).waiters), r);
                (*r).set_outcome_code(AWAITING);
                return Fire::Nothing;
            }
            // W has finished, or cannot be awaited (it is being gathered): the runner's await
            // returned or raised at once.
        }
        if (*w).finished() {
            (*w).set_life(State::Done); // retrieved, as by the runner's await
        }
        end(l, r);
        // The runner would cancel the caller's timeout sleep now (if nothing else has: a
        // cancel already pending wins).  The relay ends that sleep instead: the caller wakes
        // where the cancel would wake it (at once if its deadline is ahead, else in its turn)
        // and, finding the relay ended, takes W's outcome.  No exception object is needed.
        if caller.is_null() || (*caller).finished() || exception_pending(caller) {
            Fire::Nothing
        } else if matches!((*caller).place(), At::Timer | At::Forgotten)
            && time::key_diff((*caller).key, time::key(time::eio_now())) > 0
        {
            Fire::Wake(caller)
        } else {
            Fire::Nothing
        }
    }
}

/// The relay ends: wake the tasks awaiting its end.
unsafe fn end(l: &mut eio_loop_t, r: TaskPtr) {
    // SAFETY: a relay has its `extra`.
    unsafe {
        (*r).set_outcome_code(ENDED);
        wake::eio_wake_all(l, core::ptr::addr_of_mut!((*(*r).extra()).waiters));
        // An ended relay keeps nothing alive: it waits in a pool for the next wait_for.
        (*(*r).extra()).task = null_mut();
        (*r).coro = null_mut();
    }
}

/// # Safety
/// `l` and `r` must be valid, `r` an alarm with `extra` (a relay), ended or never started;
/// `caller` and `work` valid tasks, `work` with its `extra`.
#[no_mangle]
pub unsafe extern "C" fn eio_relay_start(l: *mut eio_loop_t, r: TaskPtr, caller: TaskPtr, work: TaskPtr, exc: eio_obj_t) {
    // SAFETY: valid per the caller.
    unsafe {
        let l = &mut *l;
        eio_alarm_disarm(l, r);
        let x = (*r).extra();
        (*x).task = work;
        (*x).waiters.kind = EIO_WAITABLE_TASK as usize;
        (*r).coro = caller as eio_obj_t;
        (*r).data = exc;
        (*r).set_outcome_code(FIRST_TURN);
        (*r).set_level(0); // the runner is a task of level 0
        wake::make_ready(l, r); // its first turn, where a new task's would be
    }
}

/// Cancelling the relay (its runner): returns the task to cancel with the exception given,
/// W when the relay awaits it.
///
/// # Safety
/// `r` must be a valid relay.
pub unsafe fn relay_cancel(r: TaskPtr) -> Option<(TaskPtr, eio_obj_t)> {
    // SAFETY: valid per the caller; a relay's `extra->task` is W.
    unsafe {
        (*r).coro = null_mut();
        if (*r).outcome_code() == AWAITING {
            Some(((*(*r).extra()).task, (*r).data))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::testing::new_task;

    fn new_alarm() -> TaskPtr {
        let a = new_task();
        unsafe { eio_alarm_init(a) };
        a
    }

    #[test]
    fn an_alarm_sits_in_the_timer_queue_in_deadline_order() {
        let mut l = eio_loop_t::default();
        let (target, a, b) = (new_task(), new_alarm(), new_alarm());
        let sleeper = new_task();
        unsafe {
            eio_alarm_arm(&mut l, a, target, 30, 0x10 as eio_obj_t);
            (*sleeper).key = 20;
            wake::stamp(&mut l, sleeper);
            timer::insert(&mut l.timers, sleeper);
            eio_alarm_arm(&mut l, b, target, 20, null_mut()); // same deadline, inserted later
            assert_eq!(timer::pop(&mut l.timers), sleeper);
            assert_eq!(timer::pop(&mut l.timers), b);
            assert_eq!(timer::pop(&mut l.timers), a);
            assert!(!eio_alarm_fired(a));
        }
    }

    #[test]
    fn disarm_takes_it_out_and_says_whether_it_was_pending() {
        let mut l = eio_loop_t::default();
        let (target, a) = (new_task(), new_alarm());
        unsafe {
            eio_alarm_arm(&mut l, a, target, 50, 0x10 as eio_obj_t);
            // Re-arming moves it: one entry, the new deadline.
            eio_alarm_arm(&mut l, a, target, 70, 0x10 as eio_obj_t);
            assert_eq!(l.timers, a);
            assert_eq!((*a).key, 70);
            assert!(eio_alarm_disarm(&mut l, a));
            assert!(l.timers.is_null());
            assert!(!eio_alarm_disarm(&mut l, a)); // disarmed already
            assert!(!eio_alarm_fired(a));
            assert!((*a).coro.is_null() && (*a).data.is_null()); // keeps nothing alive
            // Fired: no longer pending.
            eio_alarm_arm(&mut l, a, target, 70, 0x10 as eio_obj_t);
            assert_eq!(timer::pop(&mut l.timers), a);
            assert_eq!(fire(&mut l, a), Fire::Cancel(target, 0x10 as eio_obj_t));
            assert!(eio_alarm_fired(a));
            assert!(!eio_alarm_disarm(&mut l, a));
            assert!(eio_alarm_fired(a)); // until armed again
            eio_alarm_arm(&mut l, a, target, 90, 0x10 as eio_obj_t);
            assert!(!eio_alarm_fired(a));
        }
    }

    #[test]
    fn a_high_level_alarm_is_promoted_and_disarmed_from_the_run_queue() {
        let mut l = eio_loop_t::default();
        let (target, a) = (new_task(), new_alarm());
        unsafe {
            (*target).set_level(3);
            eio_alarm_arm(&mut l, a, target, 10, 0x10 as eio_obj_t);
            assert!(l.timers.is_null());
            assert_eq!(l.timers_hi, a);
            crate::idle::promote_due(&mut l, 10);
            assert_eq!(run_queue::top(&l), a);
            assert!(eio_alarm_disarm(&mut l, a));
            assert!(run_queue::top(&l).is_null());
        }
    }

    #[test]
    fn fire_cancels_only_an_idle_unfinished_target_and_wakes_only_a_parked_one() {
        let (target, a) = (new_task(), new_alarm());
        let mut l = eio_loop_t::default();
        unsafe {
            let exc = 0x10 as eio_obj_t;
            eio_alarm_arm(&mut l, a, target, 0, exc);
            assert_eq!(timer::pop(&mut l.timers), a); // its turn, as the loop takes it
            assert_eq!(fire(&mut l, a), Fire::Cancel(target, exc));
            (*target).data = 0x20 as eio_obj_t; // another cancel is pending
            assert_eq!(fire(&mut l, a), Fire::Nothing);
            (*target).data = null_mut();
            (*target).set_life(State::Done);
            assert_eq!(fire(&mut l, a), Fire::Nothing);
            (*target).set_life(State::Running);
            // Wake mode.
            eio_alarm_arm(&mut l, a, target, 0, null_mut());
            assert_eq!(timer::pop(&mut l.timers), a);
            assert_eq!(fire(&mut l, a), Fire::Nothing); // not parked
            (*target).set_place(At::Parked);
            assert_eq!(fire(&mut l, a), Fire::Wake(target));
        }
    }

    #[test]
    fn a_call_alarm_takes_a_helper_tasks_turns_calls_once_and_keeps_nothing_alive() {
        let mut l = eio_loop_t::default();
        let (soon, later, zero) = (new_alarm(), new_alarm(), new_alarm());
        let task = new_task();
        unsafe {
            eio_alarm_call(&mut l, later, 30, 0x10 as eio_obj_t, 0x11 as eio_obj_t);
            eio_alarm_call(&mut l, zero, 0, 0x20 as eio_obj_t, 0x21 as eio_obj_t);
            eio_alarm_call(&mut l, soon, -1, 0x30 as eio_obj_t, 0x31 as eio_obj_t);
            // First turns in order, where new tasks' would be; call_soon's calls at it.
            wake::make_ready(&mut l, task); // a task made ready meanwhile
            for a in [later, zero] {
                assert_eq!(run_queue::top(&l), a);
                run_queue::remove(&mut l, a);
                assert_eq!(fire(&mut l, a), Fire::Nothing);
            }
            assert_eq!(run_queue::top(&l), soon);
            run_queue::remove(&mut l, soon);
            assert_eq!(fire(&mut l, soon), Fire::Call(0x30 as eio_obj_t, 0x31 as eio_obj_t));
            assert!(eio_alarm_fired(soon) && (*soon).data.is_null() && (*soon).extra().is_null());
            // A zero delay sleeps behind that task; the other in the timer queue.
            assert_eq!(run_queue::top(&l), task);
            run_queue::remove(&mut l, task);
            assert_eq!(run_queue::top(&l), zero);
            assert_eq!(l.timers, later);
            assert_eq!((*later).key, 30);
            // Disarmed before its call: it never calls, and keeps nothing.
            assert!(eio_alarm_disarm(&mut l, later));
            assert!(l.timers.is_null() && (*later).data.is_null() && (*later).extra().is_null());
            assert!(!eio_alarm_fired(later));
            // Re-armed as a cancel alarm, it is one.
            eio_alarm_arm(&mut l, later, task, 0, 0x40 as eio_obj_t);
            assert_eq!(timer::pop(&mut l.timers), later);
            assert_eq!(fire(&mut l, later), Fire::Cancel(task, 0x40 as eio_obj_t));
        }
    }

    /// A relay with its `extra` (the glue's part), and W with its own.
    fn new_relay() -> (TaskPtr, TaskPtr) {
        let (r, w) = (new_alarm(), new_task());
        for t in [r, w] {
            let x = Box::into_raw(Box::new(eio_task_extra_t::default()));
            unsafe {
                (*x).waiters.kind = EIO_WAITABLE_TASK as usize;
                (*x).task = t;
                (*t).__bindgen_anon_2.extra = x;
            }
        }
        (r, w)
    }

    /// The caller in its timeout sleep, deadline `at`.
    fn sleeping_caller(l: &mut eio_loop_t, at: usize) -> TaskPtr {
        let c = new_task();
        unsafe {
            (*c).key = at;
            wake::stamp(l, c);
            timer::insert(&mut l.timers, c);
        }
        c
    }

    #[test]
    fn a_relay_awaits_the_work_at_its_first_turn_and_ends_the_sleep_when_it_ends() {
        let mut l = eio_loop_t::default();
        let (r, w) = new_relay();
        let caller = sleeping_caller(&mut l, 1000);
        unsafe {
            eio_relay_start(&mut l, r, caller, w, 0x10 as eio_obj_t);
            // Its first turn is queued where a new task's is.
            assert_eq!(run_queue::top(&l), r);
            run_queue::remove(&mut l, r);
            assert_eq!(fire(&mut l, r), Fire::Nothing);
            assert_eq!((*r).place(), At::Waiter);
            assert_eq!((*w).life(), State::Awaited);
            // W ends: the relay is woken as an awaiter is, and at its turn ends the sleep.
            (*w).set_life(State::Done);
            assert_eq!(wake::eio_wake_all(&mut l, core::ptr::addr_of_mut!((*(*w).extra()).waiters)), 1);
            run_queue::remove(&mut l, r);
            assert!(!eio_alarm_fired(r));
            assert_eq!(fire(&mut l, r), Fire::Wake(caller));
            assert!(eio_alarm_fired(r));
            // Ended, it keeps neither task alive.
            assert!((*(*r).extra()).task.is_null() && (*r).coro.is_null());
        }
    }

    #[test]
    fn a_relay_whose_work_ended_first_retrieves_it_at_its_first_turn() {
        let mut l = eio_loop_t::default();
        let (r, w) = new_relay();
        let caller = sleeping_caller(&mut l, 1000);
        unsafe {
            (*w).set_life(State::DoneUnseen);
            eio_relay_start(&mut l, r, caller, w, 0x10 as eio_obj_t);
            run_queue::remove(&mut l, r);
            assert_eq!(fire(&mut l, r), Fire::Wake(caller));
            assert_eq!((*w).life(), State::Done); // not reported as unretrieved
            // A caller whose deadline has come, or with a cancel pending, is left to its turn.
            // (The unit tests' clock stays at 0.)
            let due = sleeping_caller(&mut l, 0);
            eio_relay_start(&mut l, r, due, w, 0x10 as eio_obj_t);
            run_queue::remove(&mut l, r);
            assert_eq!(fire(&mut l, r), Fire::Nothing);
            (*caller).data = 0x20 as eio_obj_t;
            eio_relay_start(&mut l, r, caller, w, 0x10 as eio_obj_t);
            run_queue::remove(&mut l, r);
            assert_eq!(fire(&mut l, r), Fire::Nothing);
            assert!(eio_alarm_fired(r));
        }
    }

    #[test]
    fn cancelling_a_relay_is_cancelling_the_runner() {
        let mut l = eio_loop_t::default();
        let (r, w) = new_relay();
        let caller = sleeping_caller(&mut l, 1000);
        unsafe {
            // Before its first turn: it ends then, without awaiting W.
            eio_relay_start(&mut l, r, caller, w, 0x10 as eio_obj_t);
            assert_eq!(relay_cancel(r), None);
            run_queue::remove(&mut l, r);
            assert_eq!(fire(&mut l, r), Fire::Nothing);
            assert!(eio_alarm_fired(r));
            assert_eq!((*w).life(), State::Running);
            // Awaiting W: W is to be cancelled; when W ends the relay ends, waking the tasks
            // that await its end, and the caller's sleep is left alone.
            eio_relay_start(&mut l, r, caller, w, 0x10 as eio_obj_t);
            run_queue::remove(&mut l, r);
            fire(&mut l, r);
            assert_eq!(relay_cancel(r), Some((w, 0x10 as eio_obj_t)));
            let waiter = new_task();
            waiters::push(core::ptr::addr_of_mut!((*(*r).extra()).waiters), waiter);
            (*w).set_life(State::Done);
            wake::eio_wake_all(&mut l, core::ptr::addr_of_mut!((*(*w).extra()).waiters));
            run_queue::remove(&mut l, r);
            assert_eq!(fire(&mut l, r), Fire::Nothing);
            assert_eq!(run_queue::top(&l), waiter);
        }
    }
}
