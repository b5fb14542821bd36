//! The run queue: tasks ready to run, one first-in first-out queue per priority level.
//!
//! Guarantees: O(1) push, pop (and handing a popped task back to the head of its level) and
//! finding the highest non-empty level (a bitmap of non-empty levels); removal of a task from
//! the middle of its level (re-prioritising it) walks the level, see [`crate::list`]; no
//! allocation (tasks are linked through `next`).
//! Within a level, a task pushed earlier runs earlier.  Every task is stamped with the time it
//! became ready (`key`) and an insertion number (`seq`), so the executor can merge level 0 with
//! the timer queue in one (time, insertion) order, which is the order MicroPython's own
//! asyncio runs tasks in.
//!
//! ```
//! # use eventio::{abi::*, run_queue, task::TaskExt};
//! let mut l = eio_loop_t::default();
//! let (mut low, mut high) = (eio_task_t::default(), eio_task_t::default());
//! high.set_level(3);
//! unsafe {
//!     run_queue::push(&mut l, &mut low);
//!     run_queue::push(&mut l, &mut high);
//!     assert_eq!(run_queue::top(&l), &mut high as *mut _); // the higher level first
//! }
//! ```

use crate::abi::eio_loop_t;
use crate::list;
use crate::task::{At, TaskExt, TaskPtr};
use core::ptr::null_mut;

// `top` masks a bit index into a level.
const _: () = assert!(crate::abi::EIO_LEVELS.is_power_of_two());

/// The level a task is queued at.
#[inline]
pub fn level_of(t: TaskPtr) -> usize {
    // SAFETY: callers pass valid tasks.
    // The field is 3 bits wide: every value is a level (EIO_LEVELS is 8).
    unsafe { (*t).level() as usize }
}

/// Append `t` (parked nowhere) to the queue of its level.
///
/// # Safety
/// `t` must be valid and unlinked.
pub unsafe fn push(l: &mut eio_loop_t, t: TaskPtr) {
    let n = level_of(t);
    // SAFETY: `t` is valid and unlinked; level `n` is a well-formed list.
    unsafe {
        list::push_back(&mut l.ready_head[n], &mut l.ready_tail[n], t);
        (*t).set_place(At::Ready);
    }
    l.ready_levels |= 1 << n;
}

/// Put `t` (parked nowhere) back at the head of its level: for a task taken from the queue
/// (or the timer queue) to run, and handed back before it ran, in the place it was taken from.
///
/// # Safety
/// `t` must be valid and unlinked, and must not run after any task of its level now queued
/// (in the (time, insertion) order: it was the first to run).
pub unsafe fn push_front(l: &mut eio_loop_t, t: TaskPtr) {
    let n = level_of(t);
    // SAFETY: `t` is valid and unlinked; level `n` is a well-formed list.
    unsafe {
        list::push_front(&mut l.ready_head[n], &mut l.ready_tail[n], t);
        (*t).set_place(At::Ready);
    }
    l.ready_levels |= 1 << n;
}

/// Whether a level above `n` has a task ready.
#[inline]
pub fn above(l: &eio_loop_t, n: usize) -> bool {
    l.ready_levels >> (n + 1) != 0
}

/// Remove `t`, which is queued, from its level.
///
/// # Safety
/// `t` must be in this run queue, at the level its priority says.
pub unsafe fn remove(l: &mut eio_loop_t, t: TaskPtr) {
    let n = level_of(t);
    // SAFETY: `t` is a member of level `n`.
    unsafe {
        list::unlink(&mut l.ready_head[n], &mut l.ready_tail[n], t);
        left(l, t, n);
    }
}

/// Remove `t`, the head of its level (what [`top`] returned): [`remove`] without the walk.
///
/// # Safety
/// `t` must be the head of its level in this run queue.
#[inline]
pub unsafe fn remove_head(l: &mut eio_loop_t, t: TaskPtr) {
    let n = level_of(t);
    // SAFETY: `t` is the first member of level `n`.
    unsafe {
        list::unlink_first(&mut l.ready_head[n], &mut l.ready_tail[n], t);
        left(l, t, n);
    }
}

/// After `t` was unlinked from level `n`: it is parked nowhere, and an emptied level leaves
/// the bitmap.
///
/// # Safety
/// `t` must be valid.
#[inline(always)]
unsafe fn left(l: &mut eio_loop_t, t: TaskPtr, n: usize) {
    // SAFETY: per the caller.
    unsafe { (*t).set_place(At::None) };
    if l.ready_head[n].is_null() {
        l.ready_levels &= !(1 << n);
    }
}

/// Empty the queue, handing each task (unlinked, in queue order) to `f`.
///
/// # Safety
/// The queue must be well formed.
pub unsafe fn take_all(l: &mut eio_loop_t, mut f: impl FnMut(TaskPtr)) {
    for n in 0..l.ready_head.len() {
        let mut t = core::mem::replace(&mut l.ready_head[n], null_mut());
        l.ready_tail[n] = null_mut();
        // SAFETY: the members of a well-formed level are valid tasks.
        while !t.is_null() {
            let next = unsafe { (*t).next };
            unsafe {
                (*t).next = null_mut();
                (*t).set_place(At::None);
            }
            f(t);
            t = next;
        }
    }
    l.ready_levels = 0;
}

/// The head of the highest non-empty level, or null.
pub fn top(l: &eio_loop_t) -> TaskPtr {
    if l.ready_levels == 0 {
        return null_mut();
    }
    // The highest set bit is a level (only levels are ever set): masked, no bounds check.
    l.ready_head[(31 - l.ready_levels.leading_zeros() as usize) & (crate::abi::EIO_LEVELS as usize - 1)]
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// The ready tasks, in the order the loop would run them, taken out of the run queue.
    pub fn drain(l: &mut eio_loop_t) -> Vec<TaskPtr> {
        let mut v = Vec::new();
        loop {
            let t = top(l);
            if t.is_null() {
                return v;
            }
            // SAFETY: `t` is queued in `l` (top found it there).
            unsafe { remove(l, t) };
            v.push(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::drain;
    use super::*;
    use crate::task::testing::new_tasks;

    #[test]
    fn first_in_first_out_within_a_level() {
        let mut l = eio_loop_t::default();
        let ts = new_tasks(4);
        unsafe {
            for &t in &ts {
                push(&mut l, t);
            }
            for &t in &ts {
                assert_eq!(top(&l), t);
                assert_eq!((*t).place(), At::Ready);
                remove(&mut l, t);
                assert_eq!((*t).place(), At::None);
            }
            assert!(top(&l).is_null());
            assert_eq!(l.ready_levels, 0);
        }
    }

    #[test]
    fn a_head_handed_back_runs_first_again() {
        let mut l = eio_loop_t::default();
        let ts = new_tasks(3);
        let up = ts[2];
        unsafe {
            (*up).set_level(1);
            push(&mut l, ts[0]);
            push(&mut l, ts[1]);
            let t = top(&l);
            remove_head(&mut l, t);
            assert!(!above(&l, 0));
            push(&mut l, ts[2]); // readied meanwhile, a level up
            assert!(above(&l, 0) && !above(&l, 1));
            push_front(&mut l, t);
            assert_eq!(drain(&mut l), vec![ts[2], ts[0], ts[1]]);
            // Handed back to an empty level.
            push(&mut l, ts[0]);
            remove_head(&mut l, ts[0]);
            assert_eq!(l.ready_levels, 0);
            push_front(&mut l, ts[0]);
            push(&mut l, ts[1]);
            assert_eq!(drain(&mut l), vec![ts[0], ts[1]]);
        }
    }

    #[test]
    fn higher_levels_first_and_removal_from_the_middle() {
        let mut l = eio_loop_t::default();
        let ts = new_tasks(6);
        unsafe {
            for (i, &t) in ts.iter().enumerate() {
                (*t).set_level([0, 2, 0, 2, 1, 7][i]);
                push(&mut l, t);
            }
            let mut order = vec![];
            remove(&mut l, ts[3]); // from the middle of level 2... its tail
            while !top(&l).is_null() {
                let t = top(&l);
                remove(&mut l, t);
                order.push(ts.iter().position(|&x| x == t).unwrap());
            }
            assert_eq!(order, vec![5, 1, 4, 0, 2]);
        }
    }
}
