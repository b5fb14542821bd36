//! Waking: how a task enters the run queue, and moving the waiters of an object there.
//!
//! Guarantees:
//! - A task made ready is stamped with the loop's time of this turn (`eio_loop.now`) and the
//!   next insertion number, then appended to its level of the run queue: tasks woken in one
//!   order run in that order, and a ready task keeps its place in the (time, insertion) order
//!   the loop merges level 0 and the timer queue in.
//! - Waking the waiters of an object takes them first-in first-out; O(1) per waiter, nothing
//!   allocated, no clock read.
//!
//! Layer: below the mailbox ([`crate::event`]) and the loop ([`crate::executor`]), which both
//! wake tasks through it; above the queues it moves tasks between.

use crate::abi::{eio_loop_t, eio_waitable_t};
use crate::task::{TaskExt, TaskPtr};
use crate::{run_queue, time, waiters};

/// Give `t` the next insertion number: ties on time are broken first-in first-out.
pub fn stamp(l: &mut eio_loop_t, t: TaskPtr) {
    // SAFETY: callers pass valid tasks.
    unsafe { (*t).set_order(l.seq) };
    l.seq = l.seq.wrapping_add(1);
}

/// Append `t` (unlinked) to the run queue, ready as of this turn.
///
/// The stamp is the loop's time of this turn (`eio_loop.now`), not a fresh clock reading: the
/// run queue's order does not depend on it, and it is only compared with deadlines of timers,
/// while which the loop reads the clock at every turn.  That saves a clock reading per wake-up.
///
/// # Safety
/// `t` must be valid and unlinked.
pub unsafe fn make_ready(l: &mut eio_loop_t, t: TaskPtr) {
    // SAFETY: `t` is valid and unlinked.
    unsafe {
        (*t).key = time::key(l.now);
        stamp(l, t);
        run_queue::push(l, t);
    }
}

/// # Safety
/// `l` and `w` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_wake_one(l: *mut eio_loop_t, w: *mut eio_waitable_t) -> TaskPtr {
    // SAFETY: valid per the caller; a popped waiter is unlinked.
    unsafe {
        let t = waiters::pop(w);
        if !t.is_null() {
            make_ready(&mut *l, t);
        }
        t
    }
}

/// # Safety
/// `l` and `w` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_wake_all(l: *mut eio_loop_t, w: *mut eio_waitable_t) -> usize {
    let mut n = 0;
    // SAFETY: valid per the caller.
    while !unsafe { eio_wake_one(l, w) }.is_null() {
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::testing::new_tasks;

    #[test]
    fn waiters_wake_in_order_stamped_with_the_turn() {
        let mut l = eio_loop_t::default();
        let mut w = eio_waitable_t::default();
        l.now = 77;
        l.seq = 5;
        let ts = new_tasks(3);
        unsafe {
            for &t in &ts {
                waiters::push(&mut w, t);
            }
            assert_eq!(eio_wake_all(&mut l, &mut w), 3);
            assert!(w.head.is_null());
            for (i, &t) in ts.iter().enumerate() {
                assert_eq!(run_queue::top(&l), t);
                assert_eq!((*t).key, 77);
                assert_eq!((*t).order(), 5 + i as u32);
                run_queue::remove(&mut l, t);
            }
            assert!(eio_wake_one(&mut l, &mut w).is_null());
        }
    }
}
