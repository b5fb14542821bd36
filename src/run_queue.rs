//! The run queue: tasks ready to run, first in first out.
//!
//! Guarantees: O(1) push and pop, no allocation (tasks are linked through `next`), and a task
//! pushed earlier runs earlier.  Every task is stamped with the time it became ready (`key`) and
//! an insertion number (`seq`), so the executor can merge this queue with the timer queue in
//! one (time, insertion) order, which is the order MicroPython's own asyncio runs tasks in.

use crate::abi::eio_loop_t;
use crate::task::{At, TaskExt, TaskPtr};
use core::ptr::null_mut;

/// Append `t` (parked nowhere) to the run queue.
///
/// # Safety
/// `l` and `t` must be valid; `t` must not be linked into any queue.
pub unsafe fn push(l: &mut eio_loop_t, t: TaskPtr) {
    // SAFETY: the caller guarantees `t` is valid and unlinked; the tail, if any, is a
    // valid task linked into this queue.
    unsafe {
        (*t).next = null_mut();
        (*t).set_at(At::Ready);
        if l.ready_tail.is_null() {
            l.ready_head = t;
        } else {
            (*l.ready_tail).next = t;
        }
    }
    l.ready_tail = t;
}

/// The task that would be popped next, or null.
pub fn peek(l: &eio_loop_t) -> TaskPtr {
    l.ready_head
}

/// Remove and return the first task, or null if the queue is empty.
///
/// # Safety
/// `l` must be valid and its queue well formed.
pub unsafe fn pop(l: &mut eio_loop_t) -> TaskPtr {
    let t = l.ready_head;
    if !t.is_null() {
        // SAFETY: `t` is the head of a well-formed queue.
        unsafe {
            l.ready_head = (*t).next;
            if l.ready_head.is_null() {
                l.ready_tail = null_mut();
            }
            (*t).next = null_mut();
            (*t).set_at(At::None);
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::testing::new_tasks;

    #[test]
    fn first_in_first_out() {
        let mut l = eio_loop_t::default();
        let ts = new_tasks(4);
        unsafe {
            for &t in &ts {
                push(&mut l, t);
            }
            assert_eq!(peek(&l), ts[0]);
            for &t in &ts {
                assert_eq!((*t).at(), At::Ready);
                assert_eq!(pop(&mut l), t);
                assert_eq!((*t).at(), At::None);
            }
            assert!(pop(&mut l).is_null());
            // Reusable after draining.
            push(&mut l, ts[2]);
            assert_eq!(pop(&mut l), ts[2]);
            assert!(l.ready_tail.is_null());
        }
    }
}
