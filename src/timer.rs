//! The timer queue: tasks sleeping until a deadline, kept in a pairing heap.
//!
//! Guarantees:
//! - Ordered by (`key`, `seq`): the earliest deadline first, and among equal deadlines the task
//!   inserted first (FIFO), so the order is total and stable.  Deadlines and insertion numbers
//!   are compared by wrapping difference (see [`crate::time`]).
//! - Insert O(1); pop-min amortised O(log n).  Removal of a task that is not the root (a
//!   cancelled sleeper) walks its siblings, as in MicroPython's own pairing heap; a long walk
//!   also pairs the siblings up, so that a run of removals stays cheap.  Nothing is allocated: the heap is threaded through the tasks' `child` and
//!   `next` fields.  `next` is the next sibling; the last child's `next` is its parent's
//!   address with the low bit set (tasks are at least 2-byte aligned), which is how a removal
//!   finds the parent without a third link per task.  The garbage collector ignores these
//!   tagged words (they are not block-aligned); the parent is reachable from the root anyway.
//!
//! A heap is its root pointer (`eio_loop.timers`, or `timers_hi` for tasks above level 0).
//!
//! ```
//! # use eventio::{abi::*, timer};
//! let mut heap = core::ptr::null_mut();
//! let (mut a, mut b) = (eio_task_t::default(), eio_task_t::default());
//! a.key = 20; b.key = 10;
//! unsafe {
//!     timer::insert(&mut heap, &mut a);
//!     timer::insert(&mut heap, &mut b);
//!     assert_eq!(timer::pop(&mut heap), &mut b as *mut _);
//!     assert_eq!(timer::pop(&mut heap), &mut a as *mut _);
//! }
//! ```

use crate::task::{At, TaskExt, TaskPtr};
use crate::time;
use core::ptr::null_mut;

/// `a` is due before `b`.
///
/// # Safety
/// Both must be valid tasks.
#[inline]
pub unsafe fn less(a: TaskPtr, b: TaskPtr) -> bool {
    // SAFETY: the caller passes valid tasks.
    let (a, b) = unsafe { (&*a, &*b) };
    let d = time::key_diff(a.key, b.key);
    d < 0 || (d == 0 && time::seq_before(a.order(), b.order()))
}

/// The `next` of a last child: its parent, tagged.
#[inline]
fn parent_link(p: TaskPtr) -> TaskPtr {
    (p as usize | 1) as TaskPtr
}

/// The parent named by a tagged `next`, or None if `n` is a plain sibling link (or null).
#[inline]
fn parent_of_link(n: TaskPtr) -> Option<TaskPtr> {
    if n as usize & 1 != 0 {
        Some((n as usize & !1) as TaskPtr)
    } else {
        None
    }
}

/// The next sibling, or null after the last child.
#[inline]
unsafe fn sibling(t: TaskPtr) -> TaskPtr {
    // SAFETY: the caller passes a node of a heap.
    let n = unsafe { (*t).next };
    if parent_of_link(n).is_some() {
        null_mut()
    } else {
        n
    }
}

/// Join two heap roots (each with null `next`); returns the new root.
unsafe fn meld(a: TaskPtr, b: TaskPtr) -> TaskPtr {
    if a.is_null() {
        return b;
    }
    if b.is_null() {
        return a;
    }
    // SAFETY: both are valid roots; the loser becomes the winner's first child.
    unsafe {
        let (root, sub) = if less(b, a) { (b, a) } else { (a, b) };
        let first = (*root).child();
        (*sub).next = if first.is_null() { parent_link(root) } else { first };
        (*root).set_child(sub);
        root
    }
}

/// Two-pass pairing of a sibling list into one heap; returns its root.
unsafe fn pair_up(mut first: TaskPtr) -> TaskPtr {
    // SAFETY (whole function): every pointer followed is a task of this sibling list.
    unsafe {
        // Pass 1, left to right: meld neighbours, stacking the results (linked via `next`).
        let mut stack: TaskPtr = null_mut();
        while !first.is_null() {
            let a = first;
            let b = sibling(a);
            first = if b.is_null() { null_mut() } else { sibling(b) };
            (*a).next = null_mut();
            let m = if b.is_null() {
                a
            } else {
                (*b).next = null_mut();
                meld(a, b)
            };
            (*m).next = stack;
            stack = m;
        }
        // Pass 2, right to left: meld each pair into the accumulated heap.
        let mut root: TaskPtr = null_mut();
        while !stack.is_null() {
            let m = stack;
            stack = (*m).next;
            (*m).next = null_mut();
            root = meld(root, m);
        }
        root
    }
}

/// The heap `t` sleeps in: level 0 tasks in `eio_loop.timers`, others in `timers_hi`.
pub fn heap_of(l: &mut crate::abi::eio_loop_t, t: TaskPtr) -> &mut TaskPtr {
    // SAFETY: callers pass valid tasks.
    if unsafe { (*t).level() } == 0 {
        &mut l.timers
    } else {
        &mut l.timers_hi
    }
}

/// Insert `t` (parked nowhere, `key` set to its deadline). The caller sets `seq`.
///
/// # Safety
/// `t` must be valid and unlinked.
pub unsafe fn insert(heap: &mut TaskPtr, t: TaskPtr) {
    // SAFETY: `t` is valid and unlinked, so it is a one-node heap.
    unsafe {
        (*t).next = null_mut();
        (*t).set_child(null_mut());
        (*t).set_place(At::Timer);
        *heap = meld(*heap, t);
    }
}

/// Remove and return the task with the earliest deadline, or null.
///
/// # Safety
/// The heap must be well formed.
pub unsafe fn pop(heap: &mut TaskPtr) -> TaskPtr {
    let t = *heap;
    if !t.is_null() {
        // SAFETY: `t` is the root; its children form a sibling list.
        unsafe {
            *heap = pair_up((*t).child());
            (*t).set_child(null_mut());
            (*t).set_place(At::None);
        }
    }
    t
}

/// How long a walk along siblings `remove` takes before it tidies them up.  The root gathers
/// one child per insertion until the next pop, so without this a cancellation storm among n
/// sleeping tasks would cost O(n) per task.
const LONG_SIBLING_LIST: usize = 16;

/// Remove `t`, which must be in this heap.
///
/// # Safety
/// `t` must be a node of `heap`.
pub unsafe fn remove(heap: &mut TaskPtr, t: TaskPtr) {
    if t == *heap {
        // SAFETY: `t` is the root.
        unsafe { pop(heap) };
        return;
    }
    // SAFETY: `t` is a non-root node: its siblings end in a tagged link to their parent, whose
    // child list holds `t`.
    unsafe {
        let mut walked = 0usize;
        let mut last = t;
        let parent = loop {
            match parent_of_link((*last).next) {
                Some(p) => break p,
                None => last = (*last).next,
            }
            walked += 1;
        };
        let first = (*parent).child();
        if first == t {
            (*parent).set_child(sibling(t));
        } else {
            let mut left = first;
            while (*left).next != t {
                left = (*left).next;
                walked += 1;
            }
            (*left).next = (*t).next; // may be the tagged parent: `left` is then the last
        }
        (*t).next = null_mut();
        if walked > LONG_SIBLING_LIST && !(*parent).child().is_null() {
            // Pair the remaining siblings up into one subtree of `parent` (they are all due
            // after it, so the order holds): the walk just paid for it, and the next removal
            // among them walks a short list.
            let rest = pair_up((*parent).child());
            (*rest).next = parent_link(parent);
            (*parent).set_child(rest);
        }
        let sub = pair_up((*t).child());
        (*t).set_child(null_mut());
        (*t).set_place(At::None);
        *heap = meld(*heap, sub);
    }
}

/// Empty the heap, handing each task (unlinked, in no particular order) to `f`.  O(n), and
/// without a stack: the tasks still to visit are chained through their `next`.
///
/// # Safety
/// The heap must be well formed.
pub unsafe fn take_all(heap: &mut TaskPtr, mut f: impl FnMut(TaskPtr)) {
    let mut todo = core::mem::replace(heap, null_mut()); // the root's `next` is null
    // SAFETY: every task reached is a node of the heap; a node's links are read before the
    // node is re-chained or handed out.
    unsafe {
        while !todo.is_null() {
            let t = todo;
            todo = (*t).next;
            let mut c = (*t).child();
            while !c.is_null() {
                let after = sibling(c);
                (*c).next = todo;
                todo = c;
                c = after;
            }
            (*t).next = null_mut();
            (*t).set_child(null_mut());
            (*t).set_place(At::None);
            f(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::testing::new_tasks;

    fn with_keys(keys: &[usize]) -> (TaskPtr, Vec<TaskPtr>) {
        let mut l: TaskPtr = core::ptr::null_mut();
        let ts = new_tasks(keys.len());
        for (i, (&t, &k)) in ts.iter().zip(keys).enumerate() {
            unsafe {
                (*t).key = k;
                (*t).set_order(i as u32);
                insert(&mut l, t);
            }
        }
        (l, ts)
    }

    fn drain(l: &mut TaskPtr) -> Vec<TaskPtr> {
        let mut out = vec![];
        loop {
            let t = unsafe { pop(l) };
            if t.is_null() {
                return out;
            }
            out.push(t);
        }
    }

    #[test]
    fn pops_in_deadline_order() {
        let keys = [50, 10, 40, 20, 30, 0, 60];
        let (mut l, ts) = with_keys(&keys);
        let got: Vec<usize> = drain(&mut l).iter().map(|&t| unsafe { (*t).key }).collect();
        assert_eq!(got, vec![0, 10, 20, 30, 40, 50, 60]);
        assert!(ts.iter().all(|&t| unsafe { (*t).place() } == At::None));
    }

    #[test]
    fn equal_deadlines_keep_fifo_order() {
        let (mut l, ts) = with_keys(&[7; 100]);
        assert_eq!(drain(&mut l), ts);
    }

    #[test]
    fn ordering_across_tick_wrap_around() {
        // Deadlines straddling the wrap of the tick counter still come out in time order.
        let base = usize::MAX - 2;
        let keys: Vec<usize> = (0..6usize).rev().map(|i| base.wrapping_add(i)).collect();
        let (mut l, _) = with_keys(&keys);
        let got: Vec<usize> = drain(&mut l).iter().map(|&t| unsafe { (*t).key }).collect();
        let want: Vec<usize> = (0..6usize).map(|i| base.wrapping_add(i)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn remove_any_node_keeps_order() {
        // Remove every third task from a heap of 300 (after one pop, so it has depth).
        let keys: Vec<usize> = (0..300usize).map(|i| (i * 7919) % 1000).collect();
        let (mut l, ts) = with_keys(&keys);
        let first = unsafe { pop(&mut l) };
        let mut removed = vec![first];
        for (i, &t) in ts.iter().enumerate() {
            if i % 3 == 0 && t != first {
                unsafe { remove(&mut l, t) };
                assert_eq!(unsafe { (*t).place() }, At::None);
                removed.push(t);
            }
        }
        let got = drain(&mut l);
        let mut want: Vec<TaskPtr> = ts.iter().copied().filter(|t| !removed.contains(t)).collect();
        want.sort_by_key(|&t| unsafe { ((*t).key, (*t).order()) });
        assert_eq!(got, want);
    }

    #[test]
    fn cancellation_storm_keeps_order() {
        // 20,000 sleepers, each a child of the root (no pop in between), removed in a scattered
        // order: the long sibling walks tidy the list up (else this is 2 * 10^8 steps), and the
        // ones left still come out in order.
        let n = 20_000usize;
        let keys: Vec<usize> = (0..n).map(|i| 1_000 + (i * 7919) % 5_000).collect();
        let (mut l, ts) = with_keys(&keys);
        for i in 0..n - 100 {
            unsafe { remove(&mut l, ts[(i * 7919) % n]) };
        }
        let got = drain(&mut l);
        assert_eq!(got.len(), 100);
        assert!(got.windows(2).all(|w| unsafe { !less(w[1], w[0]) }));
    }

    #[test]
    fn take_all_hands_out_every_task_once_and_unlinked() {
        // After pops and removals the heap has depth and tagged parent links.
        let keys: Vec<usize> = (0..500usize).map(|i| (i * 7919) % 1000).collect();
        let (mut l, ts) = with_keys(&keys);
        let first = unsafe { pop(&mut l) };
        unsafe { remove(&mut l, ts[77]) };
        let mut got = vec![];
        unsafe { take_all(&mut l, |t| got.push(t)) };
        assert!(l.is_null());
        let mut want: Vec<TaskPtr> = ts.iter().copied().filter(|&t| t != first && t != ts[77]).collect();
        got.sort();
        want.sort();
        assert_eq!(got, want);
        assert!(got.iter().all(|&t| unsafe {
            (*t).place() == At::None && (*t).next.is_null() && (*t).child().is_null()
        }));
    }

    #[test]
    fn large_heap_is_fast_enough() {
        // 100,000 timers: O(log n) pops keep this well under a second even in debug builds.
        let keys: Vec<usize> = (0..100_000usize).map(|i| (i * 2654435761) % 100_000).collect();
        let (mut l, _) = with_keys(&keys);
        let got = drain(&mut l);
        assert_eq!(got.len(), 100_000);
        assert!(got.windows(2).all(|w| unsafe { !less(w[1], w[0]) }));
    }
}
