//! The one doubly-linked FIFO of tasks that the run queue's levels and the waiter lists are
//! made of: threaded through the tasks' `next`/`prev`, with the head and tail kept by the
//! owner.  O(1) append and removal of any member; nothing allocated.

use crate::task::TaskPtr;
use core::ptr::null_mut;

/// Append `t` (unlinked) after `*tail`.
///
/// # Safety
/// `t` must be valid and unlinked; `head`/`tail` must describe a well-formed list.
pub unsafe fn push_back(head: &mut TaskPtr, tail: &mut TaskPtr, t: TaskPtr) {
    // SAFETY: per the caller; the tail, if any, is a member of the list.
    unsafe {
        (*t).next = null_mut();
        (*t).prev = *tail;
        if tail.is_null() {
            *head = t;
        } else {
            (**tail).next = t;
        }
    }
    *tail = t;
}

/// Remove `t` from the list, wherever it is, and clear its links.
///
/// # Safety
/// `t` must be a member of the list `head`/`tail` describe.
pub unsafe fn unlink(head: &mut TaskPtr, tail: &mut TaskPtr, t: TaskPtr) {
    // SAFETY: `t` is a member, so its neighbours are members too (or null at the ends).
    unsafe {
        let (prev, next) = ((*t).prev, (*t).next);
        if prev.is_null() {
            *head = next;
        } else {
            (*prev).next = next;
        }
        if next.is_null() {
            *tail = prev;
        } else {
            (*next).prev = prev;
        }
        (*t).next = null_mut();
        (*t).prev = null_mut();
    }
}
