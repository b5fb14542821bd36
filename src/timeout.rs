//! asyncio.timeout() / timeout_at(): a block's deadline as an alarm.
//!
//! A Timeout (`eio_timeout_t`, include/eventio.h) starts created; entering the block makes it
//! entered, with an alarm armed for the deadline (if any) to cancel the task in the block with
//! the alarm's own CancelledError; it reads as expired once that alarm has fired; the block's
//! end makes it exited unless it expired.  CPython's semantics (3.11), as the Python Timeout
//! this replaces had them.
//!
//! The Timeout object is one GC block (the program may keep it, so each timeout() makes one);
//! the alarm and what else an entered block needs are an `eio_timeout_block_t`, taken from a
//! free list on entry and given back on exit.  While entered, the Timeout's `at` is its block;
//! otherwise `at` is the state itself (below 4, never a block's address).
//!
//! Guarantees:
//! - The block raises TimeoutError only when it expired and the exception leaving it is the
//!   Timeout's own (not another cancel that came first: the alarm never stacks on one).
//! - No task, no coroutine: entering, rescheduling and leaving allocate nothing once a block
//!   is free; once left, nothing is armed, the task is not kept, and the Timeout keeps only
//!   its state.
//! - A block goes back to the free list only if its exception was never thrown (the program
//!   may hold a thrown one); the next entry then asks the glue for a new block.
//! - Rescheduling is refused once expired or exited.
//!
//! Layer: over [`crate::alarm`].

use crate::abi::*;
use crate::alarm::{eio_alarm_arm, eio_alarm_disarm, eio_alarm_fired, eio_alarm_init};
use core::ptr::{addr_of_mut, null_mut};

type Block = *mut eio_timeout_block_t;

/// The block of an entered Timeout, or None.
///
/// # Safety
/// `t` must be valid.
unsafe fn block_of(t: *mut eio_timeout_t) -> Option<Block> {
    // SAFETY: per the caller.
    let at = unsafe { (*t).at };
    (at > EIO_TIMEOUT_EXITED as usize).then_some(at as Block)
}

/// # Safety
/// `t` must point to a writable Timeout (its `type` is left as the glue set it).
#[no_mangle]
pub unsafe extern "C" fn eio_timeout_init(t: *mut eio_timeout_t) {
    // SAFETY: per the caller.
    unsafe { (*t).at = EIO_TIMEOUT_CREATED as usize };
}

/// Make `b` a free block whose alarm throws `exc`, and put it in `free`.
///
/// # Safety
/// `b` must point to a writable block (its `type` is left as the glue set it), kept alive by
/// `free`'s owner; `free` valid.
#[no_mangle]
pub unsafe extern "C" fn eio_timeout_block_init(b: Block, exc: eio_obj_t, free: *mut Block) {
    // SAFETY: per the caller.
    unsafe {
        eio_alarm_init(addr_of_mut!((*b).alarm));
        (*b).exc = exc;
        (*b).task = null_mut();
        (*b).armed = 0;
        give_back(b, free);
    }
}

/// Put the free block `b` in `free`.
///
/// # Safety
/// `b` and `free` must be valid.
unsafe fn give_back(b: Block, free: *mut Block) {
    // SAFETY: per the caller.
    unsafe {
        (*b).next_free = *free;
        *free = b;
    }
}

/// The state, "entered" read as "expired" once the alarm has fired.
///
/// # Safety
/// `t` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_timeout_state(t: *mut eio_timeout_t) -> u32 {
    // SAFETY: per the caller; an entered Timeout's block is valid.
    unsafe {
        match block_of(t) {
            Some(b) if (*b).armed != 0 && eio_alarm_fired(addr_of_mut!((*b).alarm)) => EIO_TIMEOUT_EXPIRED,
            Some(_) => EIO_TIMEOUT_ENTERED,
            None => (*t).at as u32,
        }
    }
}

/// # Safety
/// `l` and `t` must be valid; `free` a valid free list.
#[no_mangle]
pub unsafe extern "C" fn eio_timeout_enter(l: *mut eio_loop_t, t: *mut eio_timeout_t, free: *mut Block) -> i32 {
    // SAFETY: per the caller.
    unsafe {
        if (*l).current.is_null() {
            return EIO_E_NO_LOOP;
        }
        let b = match block_of(t) {
            Some(b) => b, // entered again from inside: the same block, re-armed by the glue
            None if (*free).is_null() => return EIO_E_EMPTY,
            None => {
                let b = *free;
                *free = (*b).next_free;
                (*b).next_free = null_mut();
                b
            }
        };
        eio_alarm_disarm(l, addr_of_mut!((*b).alarm));
        (*b).task = (*l).current;
        (*b).armed = 0;
        (*t).at = b as usize;
    }
    EIO_OK
}

/// # Safety
/// `l` and `t` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_timeout_reschedule(l: *mut eio_loop_t, t: *mut eio_timeout_t, has_deadline: bool, deadline: eio_ticks_t) -> i32 {
    // SAFETY: per the caller; an entered Timeout's block and task are valid.
    unsafe {
        match eio_timeout_state(t) {
            EIO_TIMEOUT_CREATED => {}
            EIO_TIMEOUT_ENTERED => {
                let b = (*t).at as Block;
                let a = addr_of_mut!((*b).alarm);
                eio_alarm_disarm(l, a);
                (*b).armed = has_deadline as usize;
                if has_deadline {
                    eio_alarm_arm(l, a, (*b).task, deadline, (*b).exc);
                }
            }
            _ => return EIO_E_STATE,
        }
    }
    EIO_OK
}

/// # Safety
/// `l` and `t` must be valid; `free` a valid free list.
#[no_mangle]
pub unsafe extern "C" fn eio_timeout_exit(l: *mut eio_loop_t, t: *mut eio_timeout_t, exc: eio_obj_t, free: *mut Block) -> i32 {
    // SAFETY: per the caller; an entered Timeout's block is valid.
    unsafe {
        let state = eio_timeout_state(t);
        let Some(b) = block_of(t) else {
            return EIO_OK; // not entered: nothing to leave
        };
        let a = addr_of_mut!((*b).alarm);
        eio_alarm_disarm(l, a);
        let ours = !exc.is_null() && exc == (*b).exc;
        (*b).task = null_mut();
        (*b).armed = 0;
        if eio_alarm_fired(a) {
            (*b).exc = null_mut(); // thrown: the block is the collector's
        } else {
            give_back(b, free);
        }
        let expired = state == EIO_TIMEOUT_EXPIRED;
        (*t).at = if expired { EIO_TIMEOUT_EXPIRED } else { EIO_TIMEOUT_EXITED } as usize;
        if expired && ours {
            EIO_E_TIMEOUT
        } else {
            EIO_OK
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::testing::new_task;
    use crate::task::TaskPtr;
    use crate::{alarm, timer};

    const EXC: eio_obj_t = 0x10 as eio_obj_t;

    /// A free list of `n` blocks, each throwing EXC.
    fn free_list(n: usize) -> Block {
        let mut free = null_mut();
        for _ in 0..n {
            let b = Box::into_raw(Box::new(eio_timeout_block_t::default()));
            unsafe { eio_timeout_block_init(b, EXC, &mut free) };
        }
        free
    }

    fn entered(l: &mut eio_loop_t, free: &mut Block) -> (*mut eio_timeout_t, TaskPtr) {
        let t = Box::into_raw(Box::new(eio_timeout_t::default()));
        let task = new_task();
        unsafe {
            eio_timeout_init(t);
            l.current = task;
            assert_eq!(eio_timeout_enter(l, t, free), EIO_OK);
            l.current = null_mut();
        }
        (t, task)
    }

    fn alarm_of(t: *mut eio_timeout_t) -> TaskPtr {
        unsafe { addr_of_mut!((*block_of(t).unwrap()).alarm) }
    }

    #[test]
    fn the_timeout_object_is_four_words() {
        // One GC block on every port (MicroPython's blocks are four words).
        assert_eq!(core::mem::size_of::<eio_timeout_t>(), 4 * core::mem::size_of::<usize>());
    }

    #[test]
    fn it_expires_when_its_alarm_fires_and_then_raises_timeout_for_its_own_cancel_only() {
        let mut l = eio_loop_t::default();
        let mut free = free_list(2);
        let (t, task) = entered(&mut l, &mut free);
        unsafe {
            assert_eq!(eio_timeout_reschedule(&mut l, t, true, 50), EIO_OK);
            assert_eq!(eio_timeout_reschedule(&mut l, t, true, 40), EIO_OK); // moved, one entry
            let a = alarm_of(t);
            assert_eq!(timer::pop(&mut l.timers), a);
            assert!(l.timers.is_null());
            assert_eq!(eio_timeout_state(t), EIO_TIMEOUT_ENTERED);
            assert_eq!(alarm::fire(&mut l, a), alarm::Fire::Cancel(task, EXC));
            assert_eq!(eio_timeout_state(t), EIO_TIMEOUT_EXPIRED);
            assert_eq!(eio_timeout_reschedule(&mut l, t, true, 60), EIO_E_STATE);
            let b = block_of(t).unwrap();
            assert_eq!(eio_timeout_exit(&mut l, t, EXC, &mut free), EIO_E_TIMEOUT);
            assert_eq!(eio_timeout_state(t), EIO_TIMEOUT_EXPIRED);
            // Its exception was thrown: the block is not free again.
            assert!((*b).exc.is_null() && free != b && (*free).next_free.is_null());
            // Another exception leaving an expired block is not turned into TimeoutError.
            let (t2, _) = entered(&mut l, &mut free);
            assert!(free.is_null());
            eio_timeout_reschedule(&mut l, t2, true, 0);
            let a2 = alarm_of(t2);
            assert_eq!(timer::pop(&mut l.timers), a2);
            alarm::fire(&mut l, a2);
            assert_eq!(eio_timeout_exit(&mut l, t2, 0x20 as eio_obj_t, &mut free), EIO_OK);
            assert_eq!(eio_timeout_state(t2), EIO_TIMEOUT_EXPIRED);
            // No block left: the glue is asked for one.
            let u = Box::into_raw(Box::new(eio_timeout_t::default()));
            eio_timeout_init(u);
            l.current = task;
            assert_eq!(eio_timeout_enter(&mut l, u, &mut free), EIO_E_EMPTY);
            assert_eq!(eio_timeout_state(u), EIO_TIMEOUT_CREATED);
        }
    }

    #[test]
    fn left_in_time_it_is_exited_disarmed_keeps_nothing_and_its_block_serves_the_next() {
        let mut l = eio_loop_t::default();
        let mut free = free_list(1);
        let first = free;
        let (t, _) = entered(&mut l, &mut free);
        unsafe {
            assert_eq!(eio_timeout_reschedule(&mut l, t, true, 50), EIO_OK);
            assert_eq!(eio_timeout_exit(&mut l, t, null_mut(), &mut free), EIO_OK);
            assert!(l.timers.is_null());
            assert_eq!(eio_timeout_state(t), EIO_TIMEOUT_EXITED);
            assert_eq!((*t).at, EIO_TIMEOUT_EXITED as usize); // keeps no block
            assert_eq!(free, first);
            assert!((*first).task.is_null() && (*first).exc == EXC);
            assert_eq!(eio_timeout_reschedule(&mut l, t, true, 60), EIO_E_STATE);
            assert_eq!(eio_timeout_exit(&mut l, t, null_mut(), &mut free), EIO_OK); // again: nothing
            // No deadline: nothing armed, never expires; the same block again.
            let (u, _) = entered(&mut l, &mut free);
            assert_eq!(block_of(u), Some(first));
            assert_eq!(eio_timeout_reschedule(&mut l, u, false, 0), EIO_OK);
            assert!(l.timers.is_null());
            assert_eq!(eio_timeout_exit(&mut l, u, EXC, &mut free), EIO_OK);
            assert_eq!(free, first);
            // Outside a task it cannot be entered.
            let v = Box::into_raw(Box::new(eio_timeout_t::default()));
            eio_timeout_init(v);
            assert_eq!(eio_timeout_enter(&mut l, v, &mut free), EIO_E_NO_LOOP);
            assert_eq!(eio_timeout_reschedule(&mut l, v, true, 1), EIO_OK); // created: kept by the glue
            assert_eq!(eio_timeout_state(v), EIO_TIMEOUT_CREATED);
        }
    }
}
