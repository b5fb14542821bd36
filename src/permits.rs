//! Counted permits handed on first-in first-out: the behaviour of Semaphore, BoundedSemaphore
//! and Lock (one permit), without the Python types, which the glue keeps.
//!
//! Guarantees:
//! - No overtaking: acquire takes a free permit only when no task waits; otherwise the task
//!   parks at the back of the permits' waiter list.  While tasks wait, no permit is free.
//! - release hands its permit to the first waiter, which is woken owning it (the next step of
//!   its acquire completes), else counts it.  `granted` counts the permits handed and not yet
//!   taken up, so a Lock handed to a task that has not run yet reads as unlocked, as stock's.
//! - The one hand-off rule, for every primitive built on permits: a task handed a permit that
//!   abandons the wait before it runs (a cancel, or an alarm's, thrown in at its step) passes
//!   the permit to the next waiter, else back to the count.  The loop's `step` decides it
//!   ([`abandon`]), where it throws the exception in, so no awaitable's `throw` does.
//! - A grant is recorded in the task itself, with no per-task table: the granted task is
//!   marked handed ([`waiters::mark_handed`]).  A waiter removed from the list without a grant
//!   (a cancel, a stray wake) is not marked, so its next acquire step simply tries again.
//! - O(1), nothing allocated.  While a granted task waits for its turn, its coroutine (parked
//!   in the acquire) keeps the permits object alive, not the tagged `wait_on`.
//!
//! Layer: beside the mailbox and the alarms, on top of the waiter lists and waking; the loop
//! ([`crate::executor`]) calls [`abandon`].

use crate::abi::{eio_loop_t, eio_permits_t, EIO_E_NO_LOOP, EIO_OK, EIO_WAITABLE_PERMITS, EIO_YIELD};
use crate::task::{TaskExt, TaskPtr};
use crate::{wake, waiters};
use core::ptr::null_mut;

#[cfg(test)]
fn grant_of(p: *mut eio_permits_t) -> *mut crate::abi::eio_waitable_t {
    (p as usize | 1) as *mut crate::abi::eio_waitable_t
}

/// # Safety
/// `p` must point to writable memory for an `eio_permits_t`.
#[no_mangle]
pub unsafe extern "C" fn eio_permits_init(p: *mut eio_permits_t, ty: *const cty::c_void, count: usize) {
    // SAFETY: per the caller.
    unsafe {
        *p = eio_permits_t::default();
        (*p).waiters.type_ = ty;
        (*p).waiters.kind = EIO_WAITABLE_PERMITS as usize;
        (*p).count = count;
    }
}

/// # Safety
/// `l` and `p` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_permits_acquire(l: *mut eio_loop_t, p: *mut eio_permits_t) -> i32 {
    // SAFETY: valid per the caller; the current task runs, so it is unlinked.
    unsafe {
        let t = (*l).current;
        if t.is_null() {
            return EIO_E_NO_LOOP;
        }
        if waiters::handed_by(t) == p.cast() {
            // Handed a permit by release() while it waited: it is the task's now.
            (*t).set_wait_on(null_mut());
            (*p).granted -= 1;
            return EIO_OK;
        }
        if (*t).wait_on() == p.cast() {
            (*t).set_wait_on(null_mut()); // left the list without a grant: try again
        }
        if (*p).count > 0 && (*p).waiters.head.is_null() {
            (*p).count -= 1;
            return EIO_OK;
        }
        waiters::push(core::ptr::addr_of_mut!((*p).waiters), t);
    }
    EIO_YIELD
}

/// # Safety
/// `l` and `p` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_permits_release(l: *mut eio_loop_t, p: *mut eio_permits_t) {
    // SAFETY: valid per the caller; a popped waiter is unlinked.
    unsafe {
        let t = waiters::pop(core::ptr::addr_of_mut!((*p).waiters));
        if t.is_null() {
            (*p).count += 1;
            return;
        }
        waiters::mark_handed(t, p.cast());
        (*p).granted += 1;
        wake::make_ready(&mut *l, t);
    }
}

/// `t`, handed a permit of `p`, abandons it before it ran (the loop throws an exception into
/// it): the permit goes on as if released.  `t`'s mark is cleared.
///
/// # Safety
/// `l` and `t` must be valid, `p` the waitable that handed `t` a permit
/// ([`waiters::handed_by`]): live, as `t`'s coroutine, parked in its acquire, refers to it.
pub unsafe fn abandon(l: *mut eio_loop_t, t: TaskPtr, p: *mut eio_permits_t) {
    // SAFETY: valid per the caller.
    unsafe {
        (*t).set_wait_on(null_mut());
        (*p).granted -= 1;
        eio_permits_release(l, p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run_queue;
    use crate::task::testing::new_tasks;

    struct Fx {
        l: Box<eio_loop_t>,
        p: Box<eio_permits_t>,
    }

    impl Fx {
        fn new(count: usize) -> Fx {
            let mut p = Box::new(eio_permits_t::default());
            unsafe { eio_permits_init(&mut *p, core::ptr::null(), count) };
            Fx { l: Box::default(), p }
        }
        /// One acquire step of `t` as the loop runs it.
        fn acquire(&mut self, t: TaskPtr) -> i32 {
            self.l.current = t;
            let r = unsafe { eio_permits_acquire(&mut *self.l, &mut *self.p) };
            self.l.current = null_mut();
            r
        }
        fn release(&mut self) {
            unsafe { eio_permits_release(&mut *self.l, &mut *self.p) };
        }        fn drain_ready(&mut self) -> Vec<TaskPtr> {
            run_queue::testing::drain(&mut self.l)
        }
    }

    #[test]
    fn free_permits_are_taken_then_waiters_park_in_order() {
        let mut f = Fx::new(2);
        let ts = new_tasks(4);
        assert_eq!(f.acquire(ts[0]), EIO_OK);
        assert_eq!(f.acquire(ts[1]), EIO_OK);
        assert_eq!(f.acquire(ts[2]), EIO_YIELD);
        assert_eq!(f.acquire(ts[3]), EIO_YIELD);
        assert_eq!(f.p.count, 0);
        f.release();
        f.release();
        assert_eq!(f.drain_ready(), vec![ts[2], ts[3]]);
        assert_eq!((f.p.count, f.p.granted), (0, 2));
        unsafe { assert_eq!((*ts[2]).wait_on(), grant_of(&mut *f.p)) };
        assert_eq!(f.acquire(ts[2]), EIO_OK);
        assert_eq!(f.acquire(ts[3]), EIO_OK);
        assert_eq!((f.p.count, f.p.granted), (0, 0));
        unsafe { assert!((*ts[2]).wait_on().is_null()) };
        f.release();
        assert_eq!(f.p.count, 1);
    }

    #[test]
    fn no_overtaking_while_a_permit_is_handed_on() {
        // A released permit goes to the waiter, not to a task arriving before the waiter runs.
        let mut f = Fx::new(1);
        let ts = new_tasks(3);
        assert_eq!(f.acquire(ts[0]), EIO_OK);
        assert_eq!(f.acquire(ts[1]), EIO_YIELD);
        f.release();
        assert_eq!(f.acquire(ts[2]), EIO_YIELD);
        assert_eq!(f.drain_ready(), vec![ts[1]]);
        assert_eq!(f.acquire(ts[1]), EIO_OK);
    }

    #[test]
    fn an_abandoned_grant_goes_to_the_next_waiter_then_to_the_count() {
        let mut f = Fx::new(1);
        let ts = new_tasks(3);
        assert_eq!(f.acquire(ts[0]), EIO_OK);
        assert_eq!(f.acquire(ts[1]), EIO_YIELD);
        assert_eq!(f.acquire(ts[2]), EIO_YIELD);
        f.release(); // to ts[1]
        assert_eq!(f.drain_ready(), vec![ts[1]]);
        unsafe {
            assert_eq!(waiters::handed_by(ts[1]), (&mut *f.p as *mut eio_permits_t).cast());
            abandon(&mut *f.l, ts[1], &mut *f.p); // cancelled before it ran
            assert!((*ts[1]).wait_on().is_null());
        }
        assert_eq!(f.drain_ready(), vec![ts[2]]);
        assert_eq!((f.p.count, f.p.granted), (0, 1));
        unsafe { abandon(&mut *f.l, ts[2], &mut *f.p) };
        assert_eq!((f.p.count, f.p.granted), (1, 0));
        assert!(f.drain_ready().is_empty());
        unsafe { assert!(waiters::handed_by(ts[0]).is_null()) }; // held no grant
        assert_eq!(f.p.count, 1);
    }

    #[test]
    fn a_waiter_removed_without_a_grant_tries_again() {
        let mut f = Fx::new(0);
        let ts = new_tasks(2);
        assert_eq!(f.acquire(ts[0]), EIO_YIELD);
        assert_eq!(f.acquire(ts[1]), EIO_YIELD);
        unsafe {
            waiters::remove(&mut f.p.waiters, ts[0]); // a cancel's (or a stray wake's) removal
            assert!(waiters::handed_by(ts[0]).is_null());
        }
        assert_eq!(f.acquire(ts[0]), EIO_YIELD); // no permit: back in the list, behind ts[1]
        f.release();
        assert_eq!(f.drain_ready(), vec![ts[1]]);
        assert_eq!(f.acquire(ts[1]), EIO_OK);
        f.release();
        assert_eq!(f.drain_ready(), vec![ts[0]]);
        assert_eq!(f.acquire(ts[0]), EIO_OK);
        assert_eq!((f.p.count, f.p.granted), (0, 0));
    }
}
