//! asyncio.Condition's wait(), over a Lock made of one permit ([`crate::permits`]).
//!
//! Guarantees (CPython's Condition.wait()):
//! - wait() requires the lock held; it releases it (handing it to the first task waiting for
//!   it) and parks the task at the back of the condition's list, which notify() wakes FIFO.
//! - Once notified, or cancelled, the task takes the lock again before wait() ends: it queues
//!   for the lock as any acquirer (a lock handed to it and abandoned by a cancel went on to
//!   the next waiter already: the loop's hand-off rule).  A cancel, while waiting or while
//!   taking the lock again, does not stop the relock: it is raised once the lock is held (the
//!   latest, if several).  So wait() always returns or raises holding the lock.
//! - The state of one wait lives in its `eio_cond_wait_t` (the awaitable's), so no per-task
//!   table; nothing allocated.
//!
//! Layer: on top of [`crate::permits`] and the waiter lists.

use crate::abi::*;
use crate::permits::{eio_permits_acquire, eio_permits_release};
use crate::task::TaskExt;
use crate::waiters;
use core::ptr::null_mut;

/// # Safety
/// `l`, `cond`, `lock`, `w` valid; `out` writable.
#[no_mangle]
pub unsafe extern "C" fn eio_cond_wait(
    l: *mut eio_loop_t,
    cond: *mut eio_waitable_t,
    lock: *mut eio_permits_t,
    w: *mut eio_cond_wait_t,
    thrown: eio_obj_t,
    out: *mut eio_obj_t,
) -> i32 {
    // SAFETY: valid per the caller; the current task runs, so it is unlinked.
    unsafe {
        let t = (*l).current;
        if t.is_null() {
            return EIO_E_NO_LOOP;
        }
        let w = &mut *w;
        match w.phase as u32 {
            EIO_COND_START => {
                if !thrown.is_null() {
                    *out = thrown;
                    w.phase = EIO_COND_DONE as usize;
                    return EIO_RAISE;
                }
                if !((*lock).count == 0 && (*lock).granted == 0) {
                    return EIO_E_NOT_HELD;
                }
                eio_permits_release(l, lock);
                waiters::push(cond, t);
                w.phase = EIO_COND_NOTIFY as usize;
                return EIO_YIELD;
            }
            EIO_COND_NOTIFY => {
                // Notified (woken from `cond`), or cancelled (taken out of it by the cancel).
                if (*t).wait_on() == cond {
                    (*t).set_wait_on(null_mut());
                }
                w.exc = thrown;
                w.phase = EIO_COND_RELOCK as usize;
            }
            EIO_COND_RELOCK => {
                if !thrown.is_null() {
                    w.exc = thrown;
                }
            }
            _ => return EIO_OK,
        }
        match eio_permits_acquire(l, lock) {
            EIO_OK => {}
            r => return r,
        }
        w.phase = EIO_COND_DONE as usize;
        let exc = w.exc;
        w.exc = null_mut();
        if exc.is_null() {
            EIO_OK
        } else {
            *out = exc;
            EIO_RAISE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permits::eio_permits_init;
    use crate::run_queue;
    use crate::task::testing::new_tasks;
    use crate::task::TaskPtr;
    use crate::wake::eio_wake_one;

    struct Fx {
        l: Box<eio_loop_t>,
        cond: Box<eio_waitable_t>,
        lock: Box<eio_permits_t>,
    }

    impl Fx {
        fn new() -> Fx {
            let mut lock = Box::new(eio_permits_t::default());
            unsafe { eio_permits_init(&mut *lock, core::ptr::null(), 1) };
            Fx { l: Box::default(), cond: Box::default(), lock }
        }
        fn step(&mut self, t: TaskPtr, w: &mut eio_cond_wait_t, thrown: eio_obj_t) -> (i32, eio_obj_t) {
            self.l.current = t;
            let mut out = null_mut();
            let r = unsafe { eio_cond_wait(&mut *self.l, &mut *self.cond, &mut *self.lock, w, thrown, &mut out) };
            self.l.current = null_mut();
            (r, out)
        }
        fn acquire(&mut self, t: TaskPtr) -> i32 {
            self.l.current = t;
            let r = unsafe { eio_permits_acquire(&mut *self.l, &mut *self.lock) };
            self.l.current = null_mut();
            r
        }
        fn release(&mut self) {
            unsafe { eio_permits_release(&mut *self.l, &mut *self.lock) };
        }
        fn drain_ready(&mut self) -> Vec<TaskPtr> {
            run_queue::testing::drain(&mut self.l)
        }
    }

    #[test]
    fn wait_releases_then_relocks_after_notify() {
        let mut f = Fx::new();
        let ts = new_tasks(2);
        let mut w = eio_cond_wait_t::default();
        assert_eq!(f.step(ts[0], &mut w, null_mut()).0, EIO_E_NOT_HELD);
        assert_eq!(f.acquire(ts[0]), EIO_OK);
        assert_eq!(f.step(ts[0], &mut w, null_mut()).0, EIO_YIELD);
        assert_eq!(f.lock.count, 1); // released
        assert_eq!(f.acquire(ts[1]), EIO_OK); // the notifier holds it
        unsafe { eio_wake_one(&mut *f.l, &mut *f.cond) };
        assert_eq!(f.drain_ready(), vec![ts[0]]);
        assert_eq!(f.step(ts[0], &mut w, null_mut()).0, EIO_YIELD); // queues for the lock
        f.release(); // hands it to ts[0]
        assert_eq!(f.drain_ready(), vec![ts[0]]);
        assert_eq!(f.step(ts[0], &mut w, null_mut()).0, EIO_OK);
        assert_eq!((w.phase as u32, f.lock.count, f.lock.granted), (EIO_COND_DONE, 0, 0));
    }

    #[test]
    fn a_cancel_is_raised_only_once_the_lock_is_held_again() {
        let mut f = Fx::new();
        let ts = new_tasks(2);
        let (e1, e2) = (8 as eio_obj_t, 16 as eio_obj_t);
        let mut w = eio_cond_wait_t::default();
        assert_eq!(f.acquire(ts[0]), EIO_OK);
        assert_eq!(f.step(ts[0], &mut w, null_mut()).0, EIO_YIELD);
        assert_eq!(f.acquire(ts[1]), EIO_OK);
        // Cancelled while waiting (the cancel took it out of the list): queues for the lock.
        unsafe { waiters::remove(&mut *f.cond, ts[0]) };
        assert_eq!(f.step(ts[0], &mut w, e1).0, EIO_YIELD);
        // Cancelled again while queued for the lock: the latest cancel is kept.
        unsafe { waiters::remove(&mut f.lock.waiters, ts[0]) };
        assert_eq!(f.step(ts[0], &mut w, e2).0, EIO_YIELD);
        f.release();
        assert_eq!(f.drain_ready(), vec![ts[0]]);
        assert_eq!(f.step(ts[0], &mut w, null_mut()), (EIO_RAISE, e2));
        assert!(w.exc.is_null());
        assert_eq!((f.lock.count, f.lock.granted), (0, 0)); // held by ts[0]
    }
}
