//! The one singly-linked FIFO of tasks that the run queue's levels and the waiter lists are
//! made of: threaded through the tasks' `next`, with the head and tail kept by the owner.
//!
//! Guarantees: O(1) append, O(1) insertion before the first member and O(1) removal of the
//! first member; removal of any other member walks from the head, O(its position).  Nothing is
//! allocated.  Only the first member leaves on the hot paths (running the next task, waking
//! the next waiter); a member leaves from the middle only when it is cancelled or
//! re-prioritised, which is why one link per task (and so a two-block task on 32-bit targets)
//! is the better trade than O(1) removal everywhere.

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
        if tail.is_null() {
            *head = t;
        } else {
            (**tail).next = t;
        }
    }
    *tail = t;
}

/// Put `t` (unlinked) before `*head`.
///
/// # Safety
/// `t` must be valid and unlinked; `head`/`tail` must describe a well-formed list.
pub unsafe fn push_front(head: &mut TaskPtr, tail: &mut TaskPtr, t: TaskPtr) {
    // SAFETY: per the caller.
    unsafe { (*t).next = *head };
    if tail.is_null() {
        *tail = t;
    }
    *head = t;
}

/// Remove the first member, `t`, and clear its link: [`unlink`] without the walk.
///
/// # Safety
/// `t` must be the first member of the list `head`/`tail` describe.
#[inline]
pub unsafe fn unlink_first(head: &mut TaskPtr, tail: &mut TaskPtr, t: TaskPtr) {
    // SAFETY: `t` is the first member.
    unsafe {
        *head = (*t).next;
        if head.is_null() {
            *tail = null_mut();
        }
        (*t).next = null_mut();
    }
}

/// Remove `t` from the list, wherever it is, and clear its link.
///
/// # Safety
/// `t` must be a member of the list `head`/`tail` describe.
pub unsafe fn unlink(head: &mut TaskPtr, tail: &mut TaskPtr, t: TaskPtr) {
    // SAFETY: `t` is a member, so the walk from the head reaches it through members.
    unsafe {
        if *head == t {
            return unlink_first(head, tail, t);
        }
        let mut prev = *head;
        while (*prev).next != t {
            prev = (*prev).next;
        }
        (*prev).next = (*t).next;
        if *tail == t {
            *tail = prev;
        }
        (*t).next = null_mut();
    }
}
