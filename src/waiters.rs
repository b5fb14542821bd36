//! Waiter lists: the tasks waiting on one object (an Event, a Lock, a flag, another Task).
//!
//! Guarantees: FIFO (woken in the order they started waiting), O(1) append and pop; a cancelled
//! waiter leaves from the middle in O(its position) (see [`crate::list`]); no allocation: the
//! list is threaded through the tasks' `next`, and its head sits in the waited-on object (an
//! `eio_waitable_t` at the object's start).  Each waiter points back at the object
//! (`wait_on`), which also keeps the object alive for the garbage collector while it waits,
//! and still points there after it was woken, until the awaitable takes note.

use crate::abi::eio_waitable_t;
use crate::list;
use crate::task::{At, TaskExt, TaskPtr};

/// A waitable that wakes a task with something to take up or pass on (a permit, a turn at a
/// queue) marks it so: `wait_on` is the waitable's address with bit 0 set (objects are
/// word-aligned; no other `wait_on` is odd).  The mark is the record, so no per-task table.
const HANDED: usize = 1;

/// Mark `t` (just woken from `w`) as handed something by `w`.
///
/// # Safety
/// `t` must be valid.
pub unsafe fn mark_handed(t: TaskPtr, w: *mut eio_waitable_t) {
    // SAFETY: valid per the caller.
    unsafe { (*t).set_wait_on((w as usize | HANDED) as *mut eio_waitable_t) };
}

/// The waitable that handed `t` something it has not taken up yet, or null.
///
/// # Safety
/// `t` must be valid.
pub unsafe fn handed_by(t: TaskPtr) -> *mut eio_waitable_t {
    // SAFETY: valid per the caller.
    let w = unsafe { (*t).wait_on() } as usize;
    if w & HANDED != 0 {
        (w & !HANDED) as *mut eio_waitable_t
    } else {
        core::ptr::null_mut()
    }
}

/// Append `t` (unlinked) to `w`.
///
/// # Safety
/// `w` and `t` must be valid; `t` must not be in any queue.
pub unsafe fn push(w: *mut eio_waitable_t, t: TaskPtr) {
    // SAFETY: valid pointers per the caller.
    unsafe {
        list::push_back(&mut (*w).head, &mut (*w).tail, t);
        (*t).set_wait_on(w);
        (*t).set_place(At::Waiter);
    }
}

/// Remove `t` from `w`, wherever it is in the list.
///
/// # Safety
/// `t` must be a member of `w`.
pub unsafe fn remove(w: *mut eio_waitable_t, t: TaskPtr) {
    // SAFETY: `t` is a member of `w`.
    unsafe {
        list::unlink(&mut (*w).head, &mut (*w).tail, t);
        // `wait_on` stays: the awaitable that parked the task reads it when the task comes
        // back (see eio_task.wait_on in the header).
        (*t).set_place(At::None);
    }
}

/// Remove and return the first waiter, or null.
///
/// # Safety
/// `w` must be valid.
pub unsafe fn pop(w: *mut eio_waitable_t) -> TaskPtr {
    // SAFETY: the head, if any, is a member of `w`.
    unsafe {
        let t = (*w).head;
        if !t.is_null() {
            list::unlink_first(&mut (*w).head, &mut (*w).tail, t);
            (*t).set_place(At::None); // `wait_on` stays, as in remove()
        }
        t
    }
}

/// Empty `w`, handing each waiter (unlinked, in order) to `f`.
///
/// # Safety
/// `w` must be valid.
pub unsafe fn take_all(w: *mut eio_waitable_t, mut f: impl FnMut(TaskPtr)) {
    loop {
        // SAFETY: valid per the caller.
        let t = unsafe { pop(w) };
        if t.is_null() {
            break;
        }
        f(t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::testing::new_tasks;

    #[test]
    fn fifo_with_removal_from_anywhere() {
        let mut w = eio_waitable_t::default();
        let ts = new_tasks(5);
        unsafe {
            for &t in &ts {
                push(&mut w, t);
            }
            remove(&mut w, ts[2]); // middle
            remove(&mut w, ts[0]); // head
            remove(&mut w, ts[4]); // tail
            assert_eq!((*ts[2]).place(), At::None);
            assert_eq!(pop(&mut w), ts[1]);
            assert_eq!(pop(&mut w), ts[3]);
            assert!(pop(&mut w).is_null());
            assert!(w.head.is_null() && w.tail.is_null());
        }
    }
}
