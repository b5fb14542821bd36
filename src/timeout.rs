//! asyncio.timeout() / timeout_at(): a block's deadline as its own alarm.
//!
//! A Timeout (`eio_timeout_t`, include/eventio.h) starts created; entering the block makes it
//! entered, with its alarm armed for the deadline (if any) to cancel the task in the block
//! with the Timeout's own CancelledError; it reads as expired once that alarm has fired; the
//! block's end makes it exited unless it expired.  CPython's semantics (3.11), as the Python
//! Timeout this replaces had them.
//!
//! Guarantees:
//! - The block raises TimeoutError only when it expired and the exception leaving it is the
//!   Timeout's own (not another cancel that came first: the alarm never stacks on one).
//! - No task, no coroutine: the alarm is in the Timeout; entering, rescheduling and leaving
//!   allocate nothing; once left, nothing is armed and the task is not kept.
//! - Rescheduling is refused once expired or exited.
//!
//! Layer: over [`crate::alarm`].

use crate::abi::*;
use crate::alarm::{eio_alarm_arm, eio_alarm_disarm, eio_alarm_fired, eio_alarm_init};
use core::ptr::{addr_of_mut, null_mut};

/// # Safety
/// `t` must point to a writable Timeout (its `type` is left as the glue set it).
#[no_mangle]
pub unsafe extern "C" fn eio_timeout_init(t: *mut eio_timeout_t) {
    // SAFETY: per the caller.
    unsafe {
        eio_alarm_init(addr_of_mut!((*t).alarm));
        (*t).exc = null_mut();
        (*t).task = null_mut();
        (*t).state = EIO_TIMEOUT_CREATED;
        (*t).armed = 0;
    }
}

/// The state, "entered" turned "expired" once the alarm has fired.
///
/// # Safety
/// `t` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_timeout_state(t: *mut eio_timeout_t) -> u32 {
    // SAFETY: per the caller.
    unsafe {
        if (*t).state == EIO_TIMEOUT_ENTERED && (*t).armed != 0 && eio_alarm_fired(addr_of_mut!((*t).alarm)) {
            (*t).state = EIO_TIMEOUT_EXPIRED;
        }
        (*t).state
    }
}

/// # Safety
/// `l` and `t` must be valid; `exc` a live object.
#[no_mangle]
pub unsafe extern "C" fn eio_timeout_enter(l: *mut eio_loop_t, t: *mut eio_timeout_t, exc: eio_obj_t) -> i32 {
    // SAFETY: per the caller.
    unsafe {
        if (*l).current.is_null() {
            return EIO_E_NO_LOOP;
        }
        eio_alarm_disarm(l, addr_of_mut!((*t).alarm));
        (*t).task = (*l).current;
        (*t).exc = exc;
        (*t).armed = 0;
        (*t).state = EIO_TIMEOUT_ENTERED;
    }
    EIO_OK
}

/// # Safety
/// `l` and `t` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_timeout_reschedule(l: *mut eio_loop_t, t: *mut eio_timeout_t, has_deadline: bool, deadline: eio_ticks_t) -> i32 {
    // SAFETY: per the caller; an entered Timeout's task is valid.
    unsafe {
        match eio_timeout_state(t) {
            EIO_TIMEOUT_CREATED => {}
            EIO_TIMEOUT_ENTERED => {
                let a = addr_of_mut!((*t).alarm);
                eio_alarm_disarm(l, a);
                (*t).armed = has_deadline as u32;
                if has_deadline {
                    eio_alarm_arm(l, a, (*t).task, deadline, (*t).exc);
                }
            }
            _ => return EIO_E_STATE,
        }
    }
    EIO_OK
}

/// # Safety
/// `l` and `t` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_timeout_exit(l: *mut eio_loop_t, t: *mut eio_timeout_t, exc: eio_obj_t) -> i32 {
    // SAFETY: per the caller.
    unsafe {
        eio_alarm_disarm(l, addr_of_mut!((*t).alarm));
        let expired = eio_timeout_state(t) == EIO_TIMEOUT_EXPIRED;
        if !expired {
            (*t).state = EIO_TIMEOUT_EXITED;
        }
        (*t).armed = 0;
        (*t).task = null_mut();
        let ours = !exc.is_null() && exc == (*t).exc;
        (*t).exc = null_mut();
        if expired && ours {
            EIO_E_TIMEOUT
        } else {
            EIO_OK
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::testing::new_task;
    use crate::{alarm, timer};

    fn entered(l: &mut eio_loop_t) -> (*mut eio_timeout_t, TaskPtr) {
        let t = Box::into_raw(Box::new(eio_timeout_t::default()));
        let task = new_task();
        unsafe {
            eio_timeout_init(t);
            l.current = task;
            assert_eq!(eio_timeout_enter(l, t, 0x10 as eio_obj_t), EIO_OK);
            l.current = null_mut();
        }
        (t, task)
    }
    use crate::task::TaskPtr;

    #[test]
    fn it_expires_when_its_alarm_fires_and_then_raises_timeout_for_its_own_cancel_only() {
        let mut l = eio_loop_t::default();
        let (t, task) = entered(&mut l);
        unsafe {
            assert_eq!(eio_timeout_reschedule(&mut l, t, true, 50), EIO_OK);
            assert_eq!(eio_timeout_reschedule(&mut l, t, true, 40), EIO_OK); // moved, one entry
            let a = addr_of_mut!((*t).alarm);
            assert_eq!(timer::pop(&mut l.timers), a);
            assert!(l.timers.is_null());
            assert_eq!(eio_timeout_state(t), EIO_TIMEOUT_ENTERED);
            assert_eq!(alarm::fire(&mut l, a), alarm::Fire::Cancel(task, 0x10 as eio_obj_t));
            assert_eq!(eio_timeout_state(t), EIO_TIMEOUT_EXPIRED);
            assert_eq!(eio_timeout_reschedule(&mut l, t, true, 60), EIO_E_STATE);
            assert_eq!(eio_timeout_exit(&mut l, t, 0x10 as eio_obj_t), EIO_E_TIMEOUT);
            assert_eq!(eio_timeout_state(t), EIO_TIMEOUT_EXPIRED);
            // Another exception leaving an expired block is not turned into TimeoutError.
            let (t2, _) = entered(&mut l);
            eio_timeout_reschedule(&mut l, t2, true, 0);
            let a2 = addr_of_mut!((*t2).alarm);
            assert_eq!(timer::pop(&mut l.timers), a2);
            alarm::fire(&mut l, a2);
            assert_eq!(eio_timeout_exit(&mut l, t2, 0x20 as eio_obj_t), EIO_OK);
            assert!((*t2).task.is_null() && (*t2).exc.is_null());
        }
    }

    #[test]
    fn left_in_time_it_is_exited_disarmed_and_keeps_nothing() {
        let mut l = eio_loop_t::default();
        let (t, _) = entered(&mut l);
        unsafe {
            assert_eq!(eio_timeout_reschedule(&mut l, t, true, 50), EIO_OK);
            assert_eq!(eio_timeout_exit(&mut l, t, null_mut()), EIO_OK);
            assert!(l.timers.is_null());
            assert_eq!(eio_timeout_state(t), EIO_TIMEOUT_EXITED);
            assert!(!eio_alarm_fired(addr_of_mut!((*t).alarm)));
            assert_eq!(eio_timeout_reschedule(&mut l, t, true, 60), EIO_E_STATE);
            // No deadline: nothing armed, never expires.
            let (u, _) = entered(&mut l);
            assert_eq!(eio_timeout_reschedule(&mut l, u, false, 0), EIO_OK);
            assert!(l.timers.is_null());
            assert_eq!(eio_timeout_exit(&mut l, u, 0x10 as eio_obj_t), EIO_OK);
            // Outside a task it cannot be entered.
            let v = Box::into_raw(Box::new(eio_timeout_t::default()));
            eio_timeout_init(v);
            assert_eq!(eio_timeout_enter(&mut l, v, 0x10 as eio_obj_t), EIO_E_NO_LOOP);
            assert_eq!(eio_timeout_reschedule(&mut l, v, true, 1), EIO_OK); // created: kept by the glue
        }
    }
}
