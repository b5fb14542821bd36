//! Deciding what the loop does next: run a ready task, run a task whose deadline has come,
//! sleep until the next deadline (or until woken), or finish.
//!
//! The decision is a pure function of the queues and the time, so it is tested here without a
//! loop.  Ready tasks and due timers are merged in (time, insertion) order: a task whose
//! deadline passed before another task became ready runs first, as in MicroPython's asyncio,
//! where both live in one queue.  The loop only sleeps when nothing is ready and no deadline
//! is due, and then for exactly as long as the earliest deadline needs: no tick, no polling.

use crate::abi::{eio_loop_t, eio_obj_t};
use crate::task::{TaskExt, TaskPtr};
use crate::{run_queue, time, timer};

#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// Pop this task, the head of the highest non-empty level of the run queue.
    Ready(TaskPtr),
    /// Pop the root of the timer queue: its deadline has come.
    Timer(TaskPtr),
    /// Nothing can run before `timeout_ms` (negative: no deadline) or a wake-up.
    Sleep(i64),
    /// Nothing will ever run: no task is ready, sleeping, waiting on I/O or on a flag, and the
    /// run's main task (if any) has finished.
    Finished,
}

/// What the loop should do at time `now`.  Due timers of tasks above level 0 must have been
/// moved to the run queue first ([`promote_due`]).
///
/// # Safety
/// The loop's queues must be well formed.
pub unsafe fn decide(l: &eio_loop_t, now: u64) -> Next {
    let ready = run_queue::top(l);
    // A task above level 0 runs before anything of level 0, timers included.
    // SAFETY: a queued task is valid.
    if !ready.is_null() && unsafe { (*ready).level() } > 0 {
        return Next::Ready(ready);
    }
    let first_timer = l.timers;
    if !first_timer.is_null() {
        // SAFETY: the root of a well-formed heap is a valid task.
        let until = time::key_diff(unsafe { (*first_timer).key }, time::key(now));
        // SAFETY: both are valid tasks when non-null.
        if until <= 0 && (ready.is_null() || unsafe { timer::less(first_timer, ready) }) {
            return Next::Timer(first_timer);
        }
        if ready.is_null() {
            return Next::Sleep(until.min(until_hi(l, now)));
        }
    }
    if !ready.is_null() {
        Next::Ready(ready)
    } else if !l.timers_hi.is_null() {
        Next::Sleep(until_hi(l, now))
    } else if !l.io.head.is_null() || !l.armed.is_null() || main_unfinished(l) {
        // A run whose main task has not finished does not end (MicroPython 1.26+, CPython):
        // something outside the queues (a scheduled callback, a thread, a debugger) may still
        // wake it.  Where stock then polls every few ms, this is one wait with no deadline.
        Next::Sleep(-1)
    } else {
        Next::Finished
    }
}

/// Whether the run has a main task that has not finished yet.
fn main_unfinished(l: &eio_loop_t) -> bool {
    // SAFETY: the loop's main task, when set, is a live task (the run's caller holds it).
    !l.main.is_null() && !unsafe { (*l.main).finished() }
}

/// Milliseconds until the first deadline of a task above level 0 (i64::MAX if none).
fn until_hi(l: &eio_loop_t, now: u64) -> i64 {
    if l.timers_hi.is_null() {
        i64::MAX
    } else {
        // SAFETY: the root of a well-formed heap is a valid task.
        time::key_diff(unsafe { (*l.timers_hi).key }, time::key(now)).max(0)
    }
}

/// Move every task above level 0 whose deadline has come to the run queue of its level.
///
/// # Safety
/// The loop's queues must be well formed.
pub unsafe fn promote_due(l: &mut eio_loop_t, now: u64) {
    // SAFETY: the root of a well-formed heap is a valid task; a popped task is unlinked.
    unsafe {
        while !l.timers_hi.is_null() && time::key_diff((*l.timers_hi).key, time::key(now)) <= 0 {
            let t = timer::pop(&mut l.timers_hi);
            run_queue::push(l, t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::eio_task_t;
    use crate::task::testing::new_task;

    fn at(key: usize, seq: u32) -> TaskPtr {
        let t = new_task();
        unsafe {
            (*t).key = key;
            (*t).set_order(seq);
        }
        t
    }

    #[test]
    fn empty_loop_finishes_unless_io_waits() {
        let mut l = eio_loop_t::default();
        assert_eq!(unsafe { decide(&l, 0) }, Next::Finished);
        let mut t = eio_task_t::default();
        unsafe { crate::waiters::push(&mut l.io, &mut t) };
        assert_eq!(unsafe { decide(&l, 0) }, Next::Sleep(-1));
    }

    #[test]
    fn an_unfinished_main_task_keeps_the_run_waiting() {
        let mut l = eio_loop_t::default();
        let main = new_task();
        l.main = main;
        assert_eq!(unsafe { decide(&l, 0) }, Next::Sleep(-1));
        unsafe { (*main).set_life(crate::task::State::Done) };
        assert_eq!(unsafe { decide(&l, 0) }, Next::Finished);
    }

    #[test]
    fn sleeps_exactly_until_the_first_deadline() {
        let mut l = eio_loop_t::default();
        unsafe {
            timer::insert(&mut l.timers, at(1500, 0));
            timer::insert(&mut l.timers, at(1200, 1));
            assert_eq!(decide(&l, 1000), Next::Sleep(200));
            let t = l.timers;
            assert_eq!(decide(&l, 1200), Next::Timer(t));
            // A higher-level sleeper with an earlier deadline shortens the sleep.
            let hi = at(1100, 2);
            (*hi).set_level(2);
            timer::insert(&mut l.timers_hi, hi);
            assert_eq!(decide(&l, 1000), Next::Sleep(100));
            promote_due(&mut l, 1100);
            assert_eq!(decide(&l, 1300), Next::Ready(hi));
        }
    }

    #[test]
    fn merges_ready_and_due_timers_in_time_order() {
        let mut l = eio_loop_t::default();
        let (r, early, late) = (at(100, 5), at(90, 6), at(100, 7));
        unsafe {
            run_queue::push(&mut l, r);
            timer::insert(&mut l.timers, late);
            // Deadline not yet due: the ready task runs.
            assert_eq!(decide(&l, 99), Next::Ready(r));
            // Due, but became due at the same time as `r` and later in insertion order.
            assert_eq!(decide(&l, 100), Next::Ready(r));
            // A deadline that passed before `r` became ready goes first.
            timer::insert(&mut l.timers, early);
            assert_eq!(decide(&l, 100), Next::Timer(early));
        }
    }
}

/// Accounts the time the loop spends awake and asleep, and performs the blocking wait.
///
/// The state is the statistics' own (`AWAKE_SINCE`, `AWAKE_NOW`), so a run nested in another
/// (asyncio.run() called from a task, as MicroPython's asyncio allows) shares it: only the
/// outermost run starts and stops the accounting.
pub struct Clock {
    outermost: bool,
}

impl Clock {
    /// Start accounting (if no run is active): the loop is awake from now.
    pub fn start() -> Clock {
        let outermost = !crate::stats::AWAKE_NOW.load(core::sync::atomic::Ordering::Relaxed);
        if outermost {
            Self::awake_from(time::eio_now());
        }
        Clock { outermost }
    }

    fn awake_from(now: u64) {
        crate::stats::AWAKE_SINCE.set(now);
        crate::stats::AWAKE_NOW.store(true, core::sync::atomic::Ordering::Relaxed);
    }

    /// Count the awake stretch up to `now` and mark the loop asleep.
    fn asleep_at(now: u64) {
        use crate::stats::*;
        AWAKE_NOW.store(false, core::sync::atomic::Ordering::Relaxed);
        MS_AWAKE.add_local(time::diff(now, AWAKE_SINCE.get()).max(0) as u64);
    }

    /// Block for up to `timeout_ms` (negative: no deadline) in the port's wait; the loop's `now`
    /// is then the time it woke (or found a post, which stops the sleep before it begins).
    pub fn sleep(&mut self, l: *mut eio_loop_t, timeout_ms: i64, out: *mut eio_obj_t) -> i32 {
        use crate::stats::*;
        if !crate::event::announce_sleep() {
            // A post arrived: deliver it instead of sleeping.
            // SAFETY: as below.
            unsafe { (*l).now = time::eio_now() };
            return crate::abi::EIO_OK;
        }
        let before = time::eio_now();
        Self::asleep_at(before);
        IDLE_WAITS.bump();
        // SAFETY: `out` is the caller's writable slot; the port's wait has no other inputs.
        let r = unsafe { crate::abi::eio_port_wait(l, timeout_ms, out) };
        crate::event::end_sleep();
        let after = time::eio_now();
        // SAFETY: `l` is the caller's loop, not borrowed during this call.
        unsafe { (*l).now = after };
        MS_ASLEEP.add_local(time::diff(after, before).max(0) as u64);
        WAKEUPS.bump();
        Self::awake_from(after);
        r
    }

    /// End accounting when the run ends (the outermost one).
    pub fn stop(self) {
        if self.outermost {
            Self::asleep_at(time::eio_now());
        }
    }
}
