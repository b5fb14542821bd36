//! wait_for with no coroutine of its own: the caller's side of MicroPython's wait_for, over a
//! relay ([`crate::alarm`]) that stands for its runner task.
//!
//! The awaitable the glue returns for `wait_for(aw, timeout)` is an `eio_wait_for_t`
//! (include/eventio.h): a relay, and the state of the caller's side.  Stock's wait_for
//! coroutine makes a task W for the work and a runner task, then sleeps until the timeout; the
//! runner awaits W and, when W ends, cancels that sleep.  Here the glue spawns W (reusing the
//! previous one's task when it can), the relay takes the runner's turns, and each step of the
//! caller is [`eio_wait_for_step`].
//!
//! Guarantees:
//! - Order: the caller, W and every other task run in the turns stock's wait_for gives them
//!   (W spawned, then the relay's first turn queued, then the caller's sleep stamped), with
//!   the same outcome: the work's value or exception when it ended first; when the timeout
//!   came first, the work is cancelled, the caller waits for its end and raises TimeoutError;
//!   cancelled from outside, the caller cancels the work and leaves at once.
//! - No allocation: an ended wait_for goes back to the free list for the next call, with
//!   nothing alive through it but the task it keeps for the next work; a wait_for left while
//!   its relay still runs (cancelled from outside) is not reused.
//! - A reference kept to an ended wait_for is harmless: awaited again, or by another task
//!   than the one that started it, it completes at once with nothing (as an exhausted
//!   coroutine), without touching the wait_for that reuses the object.
//!
//! Layer: above [`crate::executor`] (sleeping, waiting, cancelling the relay).

use crate::abi::*;
use crate::alarm::{eio_alarm_fired, eio_alarm_init, eio_relay_start};
use crate::executor::{eio_relay_cancel, eio_sleep, eio_wait_on};
use crate::task::{self, TaskExt, TaskPtr};
use core::ptr::null_mut;

/// # Safety
/// `wf` must point to a writable `eio_wait_for_t` (its `type` is left as the glue set it).
#[no_mangle]
pub unsafe extern "C" fn eio_wait_for_init(wf: *mut eio_wait_for_t) {
    // SAFETY: per the caller.
    unsafe {
        eio_alarm_init(core::ptr::addr_of_mut!((*wf).relay));
        (*wf).next_free = null_mut();
        (*wf).work = null_mut();
        (*wf).owner = null_mut();
        (*wf).aw = null_mut();
        (*wf).timeout = null_mut();
        (*wf).phase = EIO_WF_IDLE;
    }
}

/// The first of the free list, taken out of it, or null.
///
/// # Safety
/// `free` must be valid, the list's members valid.
#[no_mangle]
pub unsafe extern "C" fn eio_wait_for_pop(free: *mut *mut eio_wait_for_t) -> *mut eio_wait_for_t {
    // SAFETY: per the caller.
    unsafe {
        let wf = *free;
        if !wf.is_null() {
            *free = (*wf).next_free;
            (*wf).next_free = null_mut();
        }
        wf
    }
}

/// # Safety
/// `wf` must be valid and not in the free list.
#[no_mangle]
pub unsafe extern "C" fn eio_wait_for_arm(wf: *mut eio_wait_for_t, aw: eio_obj_t, timeout: eio_obj_t, ms: bool) {
    // SAFETY: per the caller.
    unsafe {
        (*wf).aw = aw;
        (*wf).timeout = timeout;
        (*wf).ms = ms as u32;
        (*wf).owner = null_mut();
        (*wf).phase = EIO_WF_ARMED;
    }
}

/// The start, from the caller (the current task), once the glue has spawned `work` (or was
/// given it): the relay's first turn is queued, then the caller sleeps until its timeout.
///
/// # Safety
/// `l` and `wf` (armed, its relay with its `extra`) must be valid; `work` a task with its
/// `extra`.
#[no_mangle]
pub unsafe extern "C" fn eio_wait_for_start(l: *mut eio_loop_t, wf: *mut eio_wait_for_t, work: TaskPtr, exc: eio_obj_t, start: eio_ticks_t, ms: u64) -> i32 {
    // SAFETY: valid per the caller.
    unsafe {
        let caller = (*l).current;
        if caller.is_null() {
            return EIO_E_NO_LOOP;
        }
        let r = core::ptr::addr_of_mut!((*wf).relay);
        eio_relay_start(l, r, caller, work, exc);
        (*wf).aw = work as eio_obj_t;
        (*wf).timeout = null_mut();
        (*wf).owner = caller;
        (*wf).phase = EIO_WF_SLEEP;
        eio_sleep(l, start, ms)
    }
}

/// A step of `await wf`; see the header for what each status asks of the glue.
///
/// # Safety
/// `l`, `wf` and `free` must be valid, `out` writable.
#[no_mangle]
pub unsafe extern "C" fn eio_wait_for_step(l: *mut eio_loop_t, wf: *mut eio_wait_for_t, free: *mut *mut eio_wait_for_t, thrown: eio_obj_t, out: *mut eio_obj_t) -> i32 {
    // SAFETY: valid per the caller; a started wait_for's `aw` is its work's task, valid.
    unsafe {
        let phase = (*wf).phase;
        if phase == EIO_WF_ARMED && thrown.is_null() {
            (*wf).phase = EIO_WF_IDLE; // until started: a raise in the glue's start leaves it so
            return EIO_OK;
        }
        if phase < EIO_WF_SLEEP || (*wf).owner != (*l).current {
            // Over, never started, or another task's: as an exhausted coroutine.
            *out = thrown;
            return if thrown.is_null() { EIO_RETURN } else { EIO_RAISE };
        }
        let r = core::ptr::addr_of_mut!((*wf).relay);
        let work = (*wf).aw as TaskPtr;
        let status = if !thrown.is_null() {
            // Cancelled from outside: cancel the runner (and so the work), and leave.
            if phase == EIO_WF_SLEEP {
                eio_relay_cancel(l, r);
            }
            *out = thrown;
            EIO_RAISE
        } else if phase == EIO_WF_SLEEP && eio_alarm_fired(r) {
            // The work ended first (its relay ended the sleep): its outcome is ours.
            if (*work).finished() {
                task::eio_task_outcome(work, false, out)
            } else {
                EIO_E_CANT_WAIT // the relay could not await it: it is being gathered
            }
        } else {
            if phase == EIO_WF_SLEEP {
                // The timeout came first: cancel the work and wait for its end.
                eio_relay_cancel(l, r);
                (*wf).phase = EIO_WF_ENDING;
            }
            if eio_alarm_fired(r) {
                EIO_E_TIMEOUT
            } else {
                match eio_wait_on(l, core::ptr::addr_of_mut!((*(*r).extra()).waiters)) {
                    EIO_OK => return EIO_YIELD,
                    e => e,
                }
            }
        };
        // Over.
        (*wf).phase = EIO_WF_IDLE;
        (*wf).owner = null_mut();
        (*wf).aw = null_mut();
        if eio_alarm_fired(r) {
            (*wf).next_free = *free;
            *free = wf;
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::testing::new_task;
    use crate::task::{At, State};
    use crate::{run_queue, wake};

    struct Fixture {
        l: Box<eio_loop_t>,
        wf: *mut eio_wait_for_t,
        free: *mut eio_wait_for_t,
        caller: TaskPtr,
        work: TaskPtr,
    }

    fn with_extra(t: TaskPtr) {
        let x = Box::into_raw(Box::new(eio_task_extra_t::default()));
        unsafe {
            (*x).waiters.kind = EIO_WAITABLE_TASK as usize;
            (*x).task = t;
            (*t).__bindgen_anon_2.extra = x;
        }
    }

    /// A wait_for started by `caller` (current) on `work`, with a timeout of `ms`.
    fn started(ms: u64) -> Fixture {
        let mut f = Fixture {
            l: Box::default(),
            wf: Box::into_raw(Box::new(eio_wait_for_t::default())),
            free: null_mut(),
            caller: new_task(),
            work: new_task(),
        };
        unsafe {
            eio_wait_for_init(f.wf);
            with_extra(core::ptr::addr_of_mut!((*f.wf).relay));
            with_extra(f.work);
            eio_wait_for_arm(f.wf, 0x10 as eio_obj_t, 0x20 as eio_obj_t, false);
            f.l.current = f.caller;
            assert_eq!(f.step(null_mut()).0, EIO_OK); // the glue starts it
            wake::make_ready(&mut f.l, f.work); // spawned by the glue
            assert_eq!(eio_wait_for_start(&mut *f.l, f.wf, f.work, 0x30 as eio_obj_t, 0, ms), EIO_OK);
            f.l.current = null_mut();
        }
        f
    }

    impl Fixture {
        fn relay(&self) -> TaskPtr {
            unsafe { core::ptr::addr_of_mut!((*self.wf).relay) }
        }
        fn step(&mut self, thrown: eio_obj_t) -> (i32, eio_obj_t) {
            let mut out = null_mut();
            let r = unsafe { eio_wait_for_step(&mut *self.l, self.wf, &mut self.free, thrown, &mut out) };
            (r, out)
        }
        /// The next queued entry, taken out (the loop's order for due entries).
        fn next(&mut self) -> TaskPtr {
            let t = run_queue::top(&self.l);
            unsafe { run_queue::remove(&mut self.l, t) };
            t
        }
        /// The work ends with `value`, waking its awaiters (the relay).
        fn work_returns(&mut self, value: usize) {
            unsafe {
                (*self.work).data = value as eio_obj_t;
                (*self.work).set_outcome_code(EIO_OUTCOME_RETURN);
                (*self.work).set_life(State::Done);
                wake::eio_wake_all(&mut *self.l, core::ptr::addr_of_mut!((*(*self.work).extra()).waiters));
            }
        }
    }

    #[test]
    fn the_work_ending_first_gives_its_value_and_frees_the_wait_for() {
        let mut f = started(1000);
        unsafe {
            // Stock's order: W's first turn, then the runner's; the caller sleeps.
            assert_eq!(f.next(), f.work);
            assert_eq!(f.next(), f.relay());
            assert_eq!(alarm_fire(&mut f), None);
            assert_eq!((*f.caller).place(), At::Timer);
            f.work_returns(7);
            assert_eq!(f.next(), f.relay());
            // The relay ends the caller's sleep (as the runner's cancel would).
            assert_eq!(alarm_fire(&mut f), Some(f.caller));
            f.l.current = f.caller;
            assert_eq!(f.step(null_mut()), (EIO_RETURN, 7 as eio_obj_t));
            assert_eq!(f.free, f.wf);
            assert!((*f.wf).aw.is_null() && (*f.wf).owner.is_null());
            // Awaited again: as an exhausted coroutine.
            assert_eq!(f.step(null_mut()), (EIO_RETURN, null_mut()));
            assert_eq!(eio_wait_for_pop(&mut f.free), f.wf);
            assert!(f.free.is_null());
        }
    }

    /// Fire the relay as the loop does; the task it wakes, if any.
    fn alarm_fire(f: &mut Fixture) -> Option<TaskPtr> {
        let r = f.relay();
    match unsafe { crate::alarm::fire(&mut f.l, r) } {
            crate::alarm::Fire::Wake(t) => {
                unsafe { crate::executor::eio_wake(&mut *f.l, t) };
                Some(t)
            }
            crate::alarm::Fire::Nothing => None,
            _ => panic!("a relay cancels and calls nobody"),
        }
    }

    #[test]
    fn the_timeout_cancels_the_work_and_waits_for_its_end() {
        let mut f = started(0);
        unsafe {
            assert_eq!(f.next(), f.work);
            (*f.work).set_place(At::Parked); // the work waits
            assert_eq!(f.next(), f.relay());
            alarm_fire(&mut f);
            // The caller's zero timeout is due: it runs and cancels the work.
            assert!(f.l.timers.is_null());
            assert_eq!(f.next(), f.caller);
            f.l.current = f.caller;
            assert_eq!(f.step(null_mut()).0, EIO_YIELD);
            assert_eq!((*f.wf).phase, EIO_WF_ENDING);
            assert_eq!((*f.work).data, 0x30 as eio_obj_t); // the work has its CancelledError
            // Cancelling the caller now is forwarded to the work, as through the runner.
            f.l.current = null_mut();
            assert_eq!(crate::executor::eio_task_cancel(&mut *f.l, f.caller, 0x40 as eio_obj_t), 1);
            assert_eq!((*f.caller).place(), At::Waiter);
            // The work ends; then the relay; then the caller raises TimeoutError.
            assert_eq!(f.next(), f.work);
            f.work_returns(0);
            assert_eq!(f.next(), f.relay());
            assert_eq!(alarm_fire(&mut f), None);
            assert_eq!(f.next(), f.caller);
            f.l.current = f.caller;
            assert_eq!(f.step(null_mut()).0, EIO_E_TIMEOUT);
            assert_eq!(f.free, f.wf);
        }
    }

    #[test]
    fn cancelled_from_outside_it_cancels_the_work_and_is_not_reused_while_the_relay_runs() {
        let mut f = started(1000);
        unsafe {
            assert_eq!(f.next(), f.work);
            (*f.work).set_place(At::Parked);
            assert_eq!(f.next(), f.relay());
            alarm_fire(&mut f);
            f.l.current = f.caller;
            // Another task's step, or a stale one, changes nothing.
            let other = new_task();
            f.l.current = other;
            assert_eq!(f.step(null_mut()), (EIO_RETURN, null_mut()));
            assert_eq!((*f.wf).phase, EIO_WF_SLEEP);
            f.l.current = f.caller;
            assert_eq!(f.step(0x50 as eio_obj_t), (EIO_RAISE, 0x50 as eio_obj_t));
            assert_eq!((*f.work).data, 0x30 as eio_obj_t);
            assert!(f.free.is_null()); // the relay still awaits the work
        }
    }
}
