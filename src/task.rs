//! A task's life and where it is parked.
//!
//! A task (`eio_task_t`, laid out in `include/eventio.h`) is a MicroPython object that the
//! glue allocates; the core owns its scheduling fields.  Two small state machines describe it:
//!
//! - [`State`], its life: `Running` -> (`Awaited` | `Callback`) -> `DoneUnseen` -> `Done`.
//!   A task that finishes while awaited or with a callback goes straight to `Done`.
//! - [`At`], where it is parked: nowhere, the run queue, the timer queue, a waiter list, or
//!   parked for an explicit wake.  A task is in at most one place, so one set of links
//!   (`next`, `prev`, `child`) serves every queue.

use crate::abi::*;
use core::ptr::null_mut;

pub type TaskPtr = *mut eio_task_t;

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum State {
    Done = EIO_TASK_DONE as u8,
    DoneUnseen = EIO_TASK_DONE_UNSEEN as u8,
    Running = EIO_TASK_RUNNING as u8,
    Awaited = EIO_TASK_AWAITED as u8,
    Callback = EIO_TASK_CALLBACK as u8,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum At {
    None = EIO_AT_NONE as u8,
    Ready = EIO_AT_READY as u8,
    Timer = EIO_AT_TIMER as u8,
    Waiter = EIO_AT_WAITER as u8,
    Parked = EIO_AT_PARKED as u8,
}

/// Typed views of a task's byte-sized fields.
pub trait TaskExt {
    fn state(&self) -> State;
    fn set_state(&mut self, s: State);
    fn at(&self) -> At;
    fn set_at(&mut self, a: At);
    fn finished(&self) -> bool {
        (self.state() as u8) < State::Running as u8
    }
}

impl TaskExt for eio_task_t {
    #[inline]
    fn state(&self) -> State {
        match self.state as u32 {
            EIO_TASK_DONE => State::Done,
            EIO_TASK_DONE_UNSEEN => State::DoneUnseen,
            EIO_TASK_AWAITED => State::Awaited,
            EIO_TASK_CALLBACK => State::Callback,
            _ => State::Running,
        }
    }
    #[inline]
    fn set_state(&mut self, s: State) {
        self.state = s as u8;
    }
    #[inline]
    fn at(&self) -> At {
        match (self.at & 0x0f) as u32 {
            EIO_AT_READY => At::Ready,
            EIO_AT_TIMER => At::Timer,
            EIO_AT_WAITER => At::Waiter,
            EIO_AT_PARKED => At::Parked,
            _ => At::None,
        }
    }
    #[inline]
    fn set_at(&mut self, a: At) {
        self.at = a as u8;
    }
}

/// Reset `task` to a new task of `coro`, parked nowhere.
///
/// # Safety
/// `task` must point to a writable `eio_task_t` (its `type` is left as the glue set it).
#[no_mangle]
pub unsafe extern "C" fn eio_task_init(task: TaskPtr, coro: eio_obj_t) {
    // SAFETY: the caller gives a valid task; no other reference to it exists yet.
    let t = unsafe { &mut *task };
    t.coro = coro;
    t.data = null_mut();
    t.wait_on = null_mut();
    t.extra = null_mut();
    t.next = null_mut();
    t.prev = null_mut();
    t.child = null_mut();
    t.key = 0;
    t.seq = 0;
    t.set_at(At::None);
    t.set_state(State::Running);
    t.outcome = EIO_OUTCOME_NONE as u8;
    t.done_cb = null_mut();
}

#[cfg(test)]
pub(crate) mod testing {
    //! Tasks for unit tests: boxed, never freed while a test runs.
    use super::*;

    pub fn new_task() -> TaskPtr {
        let t = Box::into_raw(Box::new(eio_task_t::default()));
        // SAFETY: freshly boxed.
        unsafe { eio_task_init(t, null_mut()) };
        t
    }

    pub fn new_tasks(n: usize) -> Vec<TaskPtr> {
        (0..n).map(|_| new_task()).collect()
    }
}
