//! asyncio.Event: a latch with waiters, without the Python type, which the glue keeps.
//!
//! Guarantees:
//! - set() wakes every task waiting at that moment, in the order they came, and leaves the
//!   event set; clear() unsets it and wakes nobody; is_set() reads it.
//! - A wait completes at once when the event is set; else the task parks at the back of the
//!   event's waiter list, and completes when it comes back from there (woken by a set), even
//!   if the event was cleared meanwhile, as stock's.  A task that leaves the list otherwise (a
//!   cancel) has no wait to complete: the cancel is thrown in instead.
//! - O(1) but for waking (one step per waiter), nothing allocated.
//!
//! Layer: beside the mailbox and the permits, on top of the waiter lists and waking.

use crate::abi::*;
use crate::task::TaskExt;
use crate::{waiters, wake};
use core::ptr::null_mut;

/// # Safety
/// `e` must point to writable memory for an `eio_event_t`.
#[no_mangle]
pub unsafe extern "C" fn eio_event_init(e: *mut eio_event_t, ty: *const cty::c_void) {
    // SAFETY: per the caller.
    unsafe {
        *e = eio_event_t::default();
        (*e).waiters.type_ = ty;
        (*e).waiters.kind = EIO_WAITABLE_PLAIN as usize;
    }
}

/// # Safety
/// `l` and `e` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_event_set(l: *mut eio_loop_t, e: *mut eio_event_t) {
    // SAFETY: per the caller.
    unsafe {
        wake::eio_wake_all(l, core::ptr::addr_of_mut!((*e).waiters));
        (*e).is_set = 1;
    }
}

/// # Safety
/// `e` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_event_clear(e: *mut eio_event_t) {
    // SAFETY: per the caller.
    unsafe { (*e).is_set = 0 }
}

/// # Safety
/// `e` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_event_is_set(e: *const eio_event_t) -> bool {
    // SAFETY: per the caller.
    unsafe { (*e).is_set != 0 }
}

/// A step of wait() by the current task: EIO_RETURN (set, or back from its wait), EIO_YIELD
/// (parked in the event's list), EIO_E_NO_LOOP.
///
/// # Safety
/// `l` and `e` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_event_wait(l: *mut eio_loop_t, e: *mut eio_event_t) -> i32 {
    // SAFETY: per the caller; the current task runs, so it is unlinked.
    unsafe {
        let t = (*l).current;
        if t.is_null() {
            return EIO_E_NO_LOOP;
        }
        let w = core::ptr::addr_of_mut!((*e).waiters);
        if (*t).wait_on() == w {
            (*t).set_wait_on(null_mut()); // back from the list: woken by a set
            return EIO_RETURN;
        }
        if (*e).is_set != 0 {
            return EIO_RETURN;
        }
        waiters::push(w, t);
        EIO_YIELD
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run_queue::testing::drain;
    use crate::task::testing::new_tasks;

    #[test]
    fn set_wakes_every_waiter_in_order_and_a_woken_wait_completes_even_if_cleared() {
        let mut l = eio_loop_t::default();
        let mut e = eio_event_t::default();
        let ts = new_tasks(3);
        unsafe {
            eio_event_init(&mut e, null_mut());
            for &t in &ts {
                l.current = t;
                assert_eq!(eio_event_wait(&mut l, &mut e), EIO_YIELD);
            }
            l.current = null_mut();
            eio_event_set(&mut l, &mut e);
            assert!(eio_event_is_set(&e));
            eio_event_clear(&mut e);
            assert!(!eio_event_is_set(&e));
            assert_eq!(drain(&mut l), ts);
            for &t in &ts {
                l.current = t;
                assert_eq!(eio_event_wait(&mut l, &mut e), EIO_RETURN);
                // A new wait on the cleared event parks again.
                assert_eq!(eio_event_wait(&mut l, &mut e), EIO_YIELD);
            }
            l.current = null_mut();
            assert_eq!(eio_event_wait(&mut l, &mut e), EIO_E_NO_LOOP);
        }
    }

    #[test]
    fn a_set_event_completes_a_wait_at_once_and_set_with_no_waiter_wakes_nobody() {
        let mut l = eio_loop_t::default();
        let mut e = eio_event_t::default();
        let ts = new_tasks(1);
        unsafe {
            eio_event_init(&mut e, null_mut());
            eio_event_set(&mut l, &mut e);
            assert!(drain(&mut l).is_empty());
            l.current = ts[0];
            assert_eq!(eio_event_wait(&mut l, &mut e), EIO_RETURN);
            assert!(e.waiters.head.is_null());
        }
    }
}
