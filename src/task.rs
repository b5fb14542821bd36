//! A task's life and where it is parked.
//!
//! A task (`eio_task_t`, laid out in `include/eventio.h`) is a MicroPython object that the
//! glue allocates; the core owns its scheduling fields.  Two small state machines describe it:
//!
//! - [`State`], its life: `Running` -> (`Awaited` | `Callback`) -> `DoneUnseen` -> `Done`.
//!   A task that finishes while awaited or with a callback goes straight to `Done`.
//! - [`At`], where it is parked: nowhere, the run queue, the timer queue, a waiter list, or
//!   parked for an explicit wake; or forgotten, by a loop that emptied its queues.  A task is in at most one place, so one set of links
//!   (`next`, and `child` or `wait_on` in one word) serves every queue; the header's table
//!   says which field means what where.

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
    /// Not a task: an alarm laid out as one (see [`crate::alarm`]); never resumed.
    Alarm = EIO_TASK_ALARM as u8,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum At {
    None = EIO_AT_NONE as u8,
    Ready = EIO_AT_READY as u8,
    Timer = EIO_AT_TIMER as u8,
    Waiter = EIO_AT_WAITER as u8,
    Parked = EIO_AT_PARKED as u8,
    Forgotten = EIO_AT_FORGOTTEN as u8,
}

// The header's bit-fields, as positions in their 32-bit word.  C (gcc) and libclang lay out
// `uint32_t` bit-fields from the least significant bit up on every target we build for
// (x86_64 SysV, Arm AAPCS); `bit_positions_match_the_header` checks it against bindgen's
// layout.  bindgen's own accessors move one bit at a time, too slow for the switch path.
const AT: (u32, u32) = (0, 3);
const STATE: (u32, u32) = (3, 3);
const OUTCOME: (u32, u32) = (6, 2);
const PRIORITY: (u32, u32) = (8, 3);
const CB_INLINE: (u32, u32) = (11, 1);
const SEQ: (u32, u32) = (12, EIO_SEQ_BITS);
const _: () = assert!(EIO_LEVELS <= 1 << PRIORITY.1, "every level must fit the priority field");
const _: () = assert!(SEQ.0 + SEQ.1 == 32, "the bit-fields fill one 32-bit word");

/// Typed views of a task's packed fields and overlaid links (the header's table says which
/// field means what where).
pub trait TaskExt {
    /// The bit-fields' word; `field((shift, width))` one field of it, `set_field` writes one.
    fn bits(&self) -> u32;
    fn set_field(&mut self, field: (u32, u32), value: u32);
    fn field(&self, (shift, width): (u32, u32)) -> u32 {
        (self.bits() >> shift) & ((1 << width) - 1)
    }
    fn life(&self) -> State {
        match self.field(STATE) {
            EIO_TASK_DONE => State::Done,
            EIO_TASK_DONE_UNSEEN => State::DoneUnseen,
            EIO_TASK_AWAITED => State::Awaited,
            EIO_TASK_CALLBACK => State::Callback,
            EIO_TASK_ALARM => State::Alarm,
            _ => State::Running,
        }
    }
    fn set_life(&mut self, s: State) {
        self.set_field(STATE, s as u32);
    }
    fn place(&self) -> At {
        match self.field(AT) {
            EIO_AT_READY => At::Ready,
            EIO_AT_TIMER => At::Timer,
            EIO_AT_WAITER => At::Waiter,
            EIO_AT_PARKED => At::Parked,
            EIO_AT_FORGOTTEN => At::Forgotten,
            _ => At::None,
        }
    }
    fn set_place(&mut self, a: At) {
        self.set_field(AT, a as u32);
    }
    /// Priority level, 0..EIO_LEVELS-1 (the field is 3 bits: every value is a level).
    fn level(&self) -> u8 {
        self.field(PRIORITY) as u8
    }
    fn set_level(&mut self, level: u8) {
        self.set_field(PRIORITY, level as u32);
    }
    /// Insertion number (`seq`), EIO_SEQ_BITS wide.
    fn order(&self) -> u32 {
        self.field(SEQ)
    }
    fn set_order(&mut self, seq: u32) {
        self.set_field(SEQ, seq);
    }
    /// eio_outcome_t.
    fn outcome_code(&self) -> u32 {
        self.field(OUTCOME)
    }
    fn set_outcome_code(&mut self, o: u32) {
        self.set_field(OUTCOME, o);
    }
    fn finished(&self) -> bool {
        (self.life() as u8) < State::Running as u8
    }
    /// Someone starts to await the task (`await task`'s first step): a finished task's outcome
    /// counts as retrieved, an unfinished one is marked awaited.  False if it cannot be
    /// awaited: it has a done callback (it is being gathered), or it is an alarm.
    fn begin_await(&mut self) -> bool {
        match self.life() {
            State::Done | State::DoneUnseen => self.set_life(State::Done),
            State::Running => self.set_life(State::Awaited),
            State::Awaited => {}
            State::Callback | State::Alarm => return false,
        }
        true
    }
    /// At TIMER: the first child in the timer heap.
    fn child(&self) -> TaskPtr;
    fn set_child(&mut self, c: TaskPtr);
    /// At WAITER (and after a wake, until the awaitable notes it): the list's owner.
    fn wait_on(&self) -> *mut eio_waitable_t;
    fn set_wait_on(&mut self, w: *mut eio_waitable_t);
    /// The task's `extra`, or null (see `eio_task_get_extra` in the header).
    fn extra(&self) -> *mut eio_task_extra_t;
}

impl TaskExt for eio_task_t {
    #[inline(always)]
    fn bits(&self) -> u32 {
        // SAFETY: the bit-field unit is 4 bytes, 4-aligned (bindgen aligns it as the u32 that
        // C declares), inside `self`.
        unsafe { core::ptr::addr_of!(self._bitfield_1).cast::<u32>().read() }
    }
    #[inline(always)]
    fn set_field(&mut self, (shift, width): (u32, u32), value: u32) {
        let mask = ((1u32 << width) - 1) << shift;
        let word = (self.bits() & !mask) | ((value << shift) & mask);
        // SAFETY: as in bits().
        unsafe { core::ptr::addr_of_mut!(self._bitfield_1).cast::<u32>().write(word) }
    }
    #[inline]
    fn child(&self) -> TaskPtr {
        // SAFETY: both members of the union are pointers; reading either is defined.
        unsafe { self.__bindgen_anon_1.child }
    }
    #[inline]
    fn set_child(&mut self, c: TaskPtr) {
        self.__bindgen_anon_1.child = c;
    }
    #[inline]
    fn wait_on(&self) -> *mut eio_waitable_t {
        // SAFETY: as in child().
        unsafe { self.__bindgen_anon_1.wait_on }
    }
    #[inline]
    fn set_wait_on(&mut self, w: *mut eio_waitable_t) {
        self.__bindgen_anon_1.wait_on = w;
    }
    #[inline]
    fn extra(&self) -> *mut eio_task_extra_t {
        if self.field(CB_INLINE) != 0 {
            null_mut()
        } else {
            // SAFETY: with cb_inline clear the union holds `extra`.
            unsafe { self.__bindgen_anon_2.extra }
        }
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
    t.next = null_mut();
    t.set_child(null_mut());
    t.__bindgen_anon_2.extra = null_mut();
    t.key = 0;
    t.set_order(0);
    t.set_place(At::None);
    t.set_life(State::Running);
    t.set_outcome_code(EIO_OUTCOME_NONE);
    t.set_field(CB_INLINE, 0);
}

// ---- A task's facts, for the glue ----------------------------------------------------------
// The rules of a task's life live here once: when an outcome counts as seen (`Done` versus
// `DoneUnseen`), where the one done callback is kept (in the task while it has no `extra`,
// then in the `extra`), and who may wait for it (an awaited task takes no done callback and
// the other way round).  The glue reads and changes a task only through these.

/// Reuse a finished task for a new coroutine (the glue's pool of wait_for's work tasks), if
/// nothing of the loop refers to it: see the header.
///
/// # Safety
/// `task` must be valid, and no Python code may hold it (the glue's pooled tasks).
#[no_mangle]
pub unsafe extern "C" fn eio_task_reuse(task: TaskPtr, coro: eio_obj_t) -> bool {
    // SAFETY: valid per the caller; its `extra`, if any, is valid and owned by it.
    unsafe {
        let t = &mut *task;
        let x = t.extra();
        if t.life() != State::Done || t.place() != At::None || (!x.is_null() && !(*x).waiters.head.is_null()) {
            return false;
        }
        let level = t.level();
        eio_task_init(task, coro);
        t.set_level(level);
        if !x.is_null() {
            *x = eio_task_extra_t { task, ..Default::default() };
            (*x).waiters.kind = EIO_WAITABLE_TASK as usize;
            t.__bindgen_anon_2.extra = x;
        }
        true
    }
}

/// Whether `task` has finished.
///
/// # Safety
/// `task` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_task_done(task: *const eio_task_t) -> bool {
    // SAFETY: valid per the caller.
    unsafe { (*task).finished() }
}

/// The task's done callbacks (Task.add_done_callback's list), or null.
///
/// # Safety
/// `task` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_task_callbacks(task: *const eio_task_t) -> eio_obj_t {
    // SAFETY: valid per the caller; `extra` is valid when there.
    unsafe {
        let x = (*task).extra();
        if x.is_null() {
            null_mut()
        } else {
            (*x).callbacks
        }
    }
}

/// Give the task its done callbacks (`list`), or with null take them (they are to run now);
/// true if the task has finished, so that the callbacks are due at once (as the loop makes
/// them due when it finishes).
///
/// # Safety
/// `task` must be valid and have its `extra`; `list` a live object or null.
#[no_mangle]
pub unsafe extern "C" fn eio_task_set_callbacks(task: TaskPtr, list: eio_obj_t) -> bool {
    // SAFETY: valid per the caller.
    unsafe {
        (*(*task).extra()).callbacks = list;
        (*task).finished()
    }
}

/// The outcome of a finished task (EIO_RETURN or EIO_RAISE, its value or exception in
/// `*out`), or EIO_E_NOT_DONE.  `retrieve`: the outcome is handed to Python code, so an
/// exception counts as seen.
///
/// # Safety
/// `task` must be valid and `out` writable.
#[no_mangle]
pub unsafe extern "C" fn eio_task_outcome(task: TaskPtr, retrieve: bool, out: *mut eio_obj_t) -> i32 {
    // SAFETY: valid per the caller.
    let t = unsafe { &mut *task };
    if !t.finished() {
        return EIO_E_NOT_DONE;
    }
    if retrieve {
        t.set_life(State::Done);
    }
    // SAFETY: writable per the caller.
    unsafe { *out = t.data };
    if t.outcome_code() == EIO_OUTCOME_RAISE {
        EIO_RAISE
    } else {
        EIO_RETURN
    }
}

/// Register (or, with `cb` null, unregister) the task's one done callback; see the header.
///
/// # Safety
/// `task` must be valid; `cb` a live object or null.
#[no_mangle]
pub unsafe extern "C" fn eio_task_set_done_cb(task: TaskPtr, cb: eio_obj_t) -> i32 {
    // SAFETY: valid per the caller.
    let t = unsafe { &mut *task };
    if cb.is_null() {
        if t.life() != State::Callback {
            return 0;
        }
        t.set_life(State::Running);
        put_done_cb(t, null_mut());
        return 1;
    }
    match t.life() {
        State::Done | State::DoneUnseen => 0,
        State::Awaited | State::Callback | State::Alarm => EIO_E_CANT_WAIT,
        State::Running => {
            t.set_life(State::Callback);
            put_done_cb(t, cb);
            1
        }
    }
}

/// Give the task its `extra`; an inline done callback moves into it.
///
/// # Safety
/// `task` must be valid and have no `extra`; `extra` valid, zeroed but for its kind and task.
#[no_mangle]
pub unsafe extern "C" fn eio_task_attach_extra(task: TaskPtr, extra: *mut eio_task_extra_t) {
    // SAFETY: valid per the caller; the union holds the callback while cb_inline is set.
    unsafe {
        let t = &mut *task;
        if t.field(CB_INLINE) != 0 {
            (*extra).done_cb = t.__bindgen_anon_2.done_cb;
            t.set_field(CB_INLINE, 0);
        }
        t.__bindgen_anon_2.extra = extra;
    }
}

/// Take the done callback of a task in state `Callback` (null if it has none), leaving none.
pub(crate) fn take_done_cb(t: &mut eio_task_t) -> eio_obj_t {
    let cb = if t.field(CB_INLINE) != 0 {
        // SAFETY: with cb_inline set the union holds the callback.
        unsafe { t.__bindgen_anon_2.done_cb }
    } else if t.extra().is_null() {
        null_mut()
    } else {
        // SAFETY: a non-null `extra` is the task's live extra.
        unsafe { (*t.extra()).done_cb }
    };
    put_done_cb(t, null_mut());
    cb
}

/// Keep `cb` (or none) as the done callback: in the `extra` if the task has one, else in the
/// task itself, so that a gathered task allocates nothing more.
pub(crate) fn put_done_cb(t: &mut eio_task_t, cb: eio_obj_t) {
    let extra = t.extra();
    if !extra.is_null() {
        // SAFETY: the task's live extra.
        unsafe { (*extra).done_cb = cb };
    } else if cb.is_null() {
        t.set_field(CB_INLINE, 0);
        t.__bindgen_anon_2.extra = null_mut();
    } else {
        t.__bindgen_anon_2.done_cb = cb;
        t.set_field(CB_INLINE, 1);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_is_eight_words() {
        // Two GC blocks on 32-bit targets (and on 64-bit ones), as MicroPython's own Task.
        assert_eq!(core::mem::size_of::<eio_task_t>(), 8 * core::mem::size_of::<usize>());
    }

    #[test]
    fn bit_positions_match_the_header() {
        // Each field set through bindgen's accessor (the header's layout) reads back through
        // ours, alone in the word.
        let mut t = eio_task_t::default();
        for (field, set) in [
            (AT, eio_task_t::set_at as fn(&mut eio_task_t, u32)),
            (STATE, eio_task_t::set_state),
            (OUTCOME, eio_task_t::set_outcome),
            (PRIORITY, eio_task_t::set_priority),
            (CB_INLINE, eio_task_t::set_cb_inline),
            (SEQ, eio_task_t::set_seq),
        ] {
            t._bitfield_1 = Default::default();
            let all = (1u32 << field.1) - 1;
            set(&mut t, all);
            assert_eq!(t.bits(), all << field.0);
            assert_eq!(t.field(field), all);
        }
    }

    #[test]
    fn a_done_callback_lives_in_the_task_then_moves_into_its_extra() {
        let t = testing::new_task();
        let cb = 0x20 as eio_obj_t;
        unsafe {
            assert_eq!(eio_task_set_done_cb(t, cb), 1);
            assert_eq!((*t).life(), State::Callback);
            assert!((*t).extra().is_null(), "no extra needed for a gathered task");
            let x = Box::into_raw(Box::new(eio_task_extra_t::default()));
            eio_task_attach_extra(t, x);
            assert_eq!((*t).extra(), x);
            assert_eq!((*x).done_cb, cb);
            assert_eq!(eio_task_set_done_cb(t, cb), EIO_E_CANT_WAIT, "one callback at a time");
            assert_eq!(take_done_cb(&mut *t), cb);
            assert!((*x).done_cb.is_null());
            (*t).set_life(State::Callback);
            assert_eq!(eio_task_set_done_cb(t, null_mut()), 1, "unregistered");
            assert_eq!((*t).life(), State::Running);
            assert_eq!(eio_task_set_done_cb(t, null_mut()), 0, "nothing left to unregister");
        }
    }

    #[test]
    fn callbacks_added_to_a_finished_task_are_due_at_once() {
        let t = testing::new_task();
        let list = 0x40 as eio_obj_t;
        unsafe {
            assert!(eio_task_callbacks(t).is_null(), "no extra: no callbacks");
            let mut x = eio_task_extra_t::default();
            eio_task_attach_extra(t, &mut x);
            assert!(!eio_task_set_callbacks(t, list), "running: due when it finishes");
            assert_eq!(eio_task_callbacks(t), list);
            (*t).set_life(State::DoneUnseen);
            assert!(eio_task_set_callbacks(t, null_mut()), "taken from a finished task");
            assert!(eio_task_callbacks(t).is_null());
            assert!(eio_task_set_callbacks(t, list), "finished: due now");
        }
    }

    #[test]
    fn an_outcome_is_seen_only_when_retrieved() {
        let t = testing::new_task();
        let mut out = null_mut();
        unsafe {
            assert_eq!(eio_task_outcome(t, true, &mut out), EIO_E_NOT_DONE);
            (*t).data = 0x30 as eio_obj_t;
            (*t).set_outcome_code(EIO_OUTCOME_RAISE);
            (*t).set_life(State::DoneUnseen);
            assert_eq!(eio_task_outcome(t, false, &mut out), EIO_RAISE);
            assert_eq!((out as usize, (*t).life()), (0x30, State::DoneUnseen));
            assert_eq!(eio_task_set_done_cb(t, 0x20 as eio_obj_t), 0, "finished: not registered");
            assert_eq!(eio_task_outcome(t, true, &mut out), EIO_RAISE);
            assert_eq!((*t).life(), State::Done);
        }
    }

    #[test]
    fn the_done_callback_shares_the_word_of_extra() {
        let t = testing::new_task();
        unsafe {
            (*t).__bindgen_anon_2.done_cb = 0x10 as eio_obj_t;
            (*t).set_field(CB_INLINE, 1);
            assert!((*t).extra().is_null());
            (*t).set_field(CB_INLINE, 0);
            assert_eq!((*t).extra() as usize, 0x10);
        }
    }
}
