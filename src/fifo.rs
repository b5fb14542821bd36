//! asyncio.Queue's state and decisions: a ring of items, the count of unfinished items, and
//! who is woken when.  The glue keeps the Python types, the putters' helper objects and the
//! ring's allocation; the ring itself (a GC array) is passed in and grown by the glue when
//! this module says so ([`EIO_E_GROW`]).
//!
//! Guarantees (CPython's asyncio.Queue):
//! - Items leave in the order they came; `count <= cap`, and a bounded queue holds at most
//!   `maxsize` items.
//! - A put wakes the first getter, a get the first putter, each marked handed
//!   ([`waiters::mark_handed`]); a woken task looks again at its next step and parks at the
//!   back if another task was quicker (as CPython's `while self.empty()` loop).
//! - The hand-off rule ([`abandon`], called by the loop where it throws a cancel in): a getter
//!   (putter) that was woken and abandons the wait before it runs wakes the next getter
//!   (putter) if the queue still has an item (room), as CPython's `get()`/`put()` do when
//!   their future was done and not cancelled.  One that was not woken wakes nobody.
//! - task_done() on the last unfinished item wakes every joiner; join() with none completes.
//! - O(1) per operation (regrow: O(count)), nothing allocated.
//!
//! Layer: beside [`crate::permits`], on top of the waiter lists and waking.

use crate::abi::*;
use crate::task::{TaskExt, TaskPtr};
use crate::{wake, waiters};
use core::ptr::{addr_of_mut, null_mut};

/// Wake the first waiter of `w`, marked handed; whether there was one.
unsafe fn hand_on(l: *mut eio_loop_t, w: *mut eio_waitable_t) -> bool {
    // SAFETY: valid per the caller; a popped waiter is unlinked.
    unsafe {
        let t = waiters::pop(w);
        if t.is_null() {
            return false;
        }
        waiters::mark_handed(t, w);
        wake::make_ready(&mut *l, t);
    }
    true
}

/// Forget that the current task `t` was parked on `w` (woken, marked or not): it is back.
unsafe fn back_from(t: TaskPtr, w: *mut eio_waitable_t) -> bool {
    // SAFETY: valid per the caller.
    unsafe {
        if (*t).wait_on() == w || waiters::handed_by(t) == w {
            (*t).set_wait_on(null_mut());
            return true;
        }
    }
    false
}

unsafe fn putters(q: *mut eio_fifo_t) -> *mut eio_waitable_t {
    // SAFETY: valid per the caller.
    unsafe { addr_of_mut!((*(*q).putters).waiters) }
}

/// # Safety
/// `q` writable; `putters`, `joiners` valid; `ring` `cap` (> 0) zeroed slots.
#[no_mangle]
pub unsafe extern "C" fn eio_fifo_init(
    q: *mut eio_fifo_t,
    ty: *const cty::c_void,
    putters: *mut eio_fifo_side_t,
    joiners: *mut eio_fifo_side_t,
    maxsize: isize,
    ring: *mut eio_obj_t,
    cap: usize,
) {
    // SAFETY: per the caller.
    unsafe {
        *q = eio_fifo_t::default();
        (*q).getters.type_ = ty;
        (*q).getters.kind = EIO_WAITABLE_FIFO_GET as usize;
        for (side, kind) in [(putters, EIO_WAITABLE_FIFO_PUT), (joiners, EIO_WAITABLE_PLAIN)] {
            (*side).waiters.head = null_mut();
            (*side).waiters.tail = null_mut();
            (*side).waiters.kind = kind as usize;
            (*side).fifo = q;
        }
        (*q).putters = putters;
        (*q).joiners = joiners;
        (*q).maxsize = maxsize;
        (*q).ring = ring;
        (*q).cap = cap;
    }
}

/// # Safety
/// `q` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_fifo_full(q: *const eio_fifo_t) -> bool {
    // SAFETY: valid per the caller.
    unsafe { (*q).maxsize > 0 && (*q).count as isize >= (*q).maxsize }
}

/// # Safety
/// `q` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_fifo_grown_cap(q: *const eio_fifo_t) -> usize {
    // SAFETY: valid per the caller.
    unsafe {
        let cap = (*q).cap * 2;
        if (*q).maxsize > 0 {
            cap.min((*q).maxsize as usize)
        } else {
            cap
        }
    }
}

/// # Safety
/// `q` valid; `ring` has `cap` (>= count) writable slots.
#[no_mangle]
pub unsafe extern "C" fn eio_fifo_regrow(q: *mut eio_fifo_t, ring: *mut eio_obj_t, cap: usize) {
    // SAFETY: per the caller; the old ring holds `count` items from `head`.
    unsafe {
        let q = &mut *q;
        for i in 0..q.count {
            *ring.add(i) = *q.ring.add((q.head + i) % q.cap);
        }
        q.ring = ring;
        q.cap = cap;
        q.head = 0;
    }
}

/// # Safety
/// `l` and `q` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_fifo_push(l: *mut eio_loop_t, q: *mut eio_fifo_t, item: eio_obj_t) -> i32 {
    // SAFETY: valid per the caller; the slot written is inside the ring.
    unsafe {
        if eio_fifo_full(q) {
            return EIO_E_FULL;
        }
        let f = &mut *q;
        if f.count == f.cap {
            return EIO_E_GROW;
        }
        *f.ring.add((f.head + f.count) % f.cap) = item;
        f.count += 1;
        f.unfinished += 1;
        hand_on(l, addr_of_mut!((*q).getters));
    }
    EIO_OK
}

/// # Safety
/// `l` and `q` must be valid, `out` writable.
#[no_mangle]
pub unsafe extern "C" fn eio_fifo_pop(l: *mut eio_loop_t, q: *mut eio_fifo_t, out: *mut eio_obj_t) -> i32 {
    // SAFETY: valid per the caller; the slot read is the head, inside the ring.
    unsafe {
        let f = &mut *q;
        if f.count == 0 {
            return EIO_E_EMPTY;
        }
        let slot = f.ring.add(f.head);
        *out = *slot;
        *slot = null_mut(); // the collector need not keep it
        f.head = (f.head + 1) % f.cap;
        f.count -= 1;
        hand_on(l, putters(q));
    }
    EIO_OK
}

/// # Safety
/// `l` and `q` must be valid, `out` writable.
#[no_mangle]
pub unsafe extern "C" fn eio_fifo_get(l: *mut eio_loop_t, q: *mut eio_fifo_t, out: *mut eio_obj_t) -> i32 {
    // SAFETY: valid per the caller; the current task runs, so it is unlinked.
    unsafe {
        let t = (*l).current;
        if t.is_null() {
            return EIO_E_NO_LOOP;
        }
        let w = addr_of_mut!((*q).getters);
        back_from(t, w);
        if (*q).count == 0 {
            waiters::push(w, t);
            return EIO_YIELD;
        }
        eio_fifo_pop(l, q, out)
    }
}

/// # Safety
/// `l` and `q` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_fifo_put(l: *mut eio_loop_t, q: *mut eio_fifo_t, item: eio_obj_t) -> i32 {
    // SAFETY: valid per the caller; the current task runs, so it is unlinked.
    unsafe {
        let t = (*l).current;
        if t.is_null() {
            return EIO_E_NO_LOOP;
        }
        let w = putters(q);
        back_from(t, w);
        if eio_fifo_full(q) {
            waiters::push(w, t);
            return EIO_YIELD;
        }
        eio_fifo_push(l, q, item)
    }
}

/// # Safety
/// `l` and `q` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_fifo_task_done(l: *mut eio_loop_t, q: *mut eio_fifo_t) -> bool {
    // SAFETY: valid per the caller.
    unsafe {
        if (*q).unfinished <= 0 {
            return false;
        }
        (*q).unfinished -= 1;
        if (*q).unfinished == 0 {
            wake::eio_wake_all(l, addr_of_mut!((*(*q).joiners).waiters));
        }
    }
    true
}

/// # Safety
/// `l` and `q` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_fifo_join(l: *mut eio_loop_t, q: *mut eio_fifo_t) -> i32 {
    // SAFETY: valid per the caller; the current task runs, so it is unlinked.
    unsafe {
        let t = (*l).current;
        if t.is_null() {
            return EIO_E_NO_LOOP;
        }
        let w = addr_of_mut!((*(*q).joiners).waiters);
        if back_from(t, w) || (*q).unfinished == 0 {
            return EIO_OK;
        }
        waiters::push(w, t);
    }
    EIO_YIELD
}

/// `t`, woken from `w` (a queue's getters or putters, [`waiters::handed_by`]), abandons the
/// wait before it ran: its turn goes to the next waiter if the queue still has an item (for a
/// getter) or room (for a putter).  `t`'s mark is cleared.
///
/// # Safety
/// `l`, `t` valid; `w` live, of kind FIFO_GET (the start of an `eio_fifo_t`) or FIFO_PUT (of
/// an `eio_fifo_side_t`).
pub unsafe fn abandon(l: *mut eio_loop_t, t: TaskPtr, w: *mut eio_waitable_t) {
    // SAFETY: per the caller.
    unsafe {
        (*t).set_wait_on(null_mut());
        if (*w).kind as u32 == EIO_WAITABLE_FIFO_GET {
            if (*w.cast::<eio_fifo_t>()).count > 0 {
                hand_on(l, w);
            }
        } else if !eio_fifo_full((*w.cast::<eio_fifo_side_t>()).fifo) {
            hand_on(l, w);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run_queue;
    use crate::task::testing::new_tasks;

    struct Fx {
        l: Box<eio_loop_t>,
        q: Box<eio_fifo_t>,
        _sides: Box<[eio_fifo_side_t; 2]>,
        _ring: Vec<eio_obj_t>,
    }

    fn item(n: usize) -> eio_obj_t {
        (n * 8) as eio_obj_t
    }

    impl Fx {
        fn new(maxsize: isize, cap: usize) -> Fx {
            let mut q = Box::new(eio_fifo_t::default());
            let mut sides = Box::new([eio_fifo_side_t::default(), eio_fifo_side_t::default()]);
            let mut ring = vec![null_mut(); cap];
            let (p, j) = sides.split_at_mut(1);
            unsafe { eio_fifo_init(&mut *q, core::ptr::null(), &mut p[0], &mut j[0], maxsize, ring.as_mut_ptr(), cap) };
            Fx { l: Box::default(), q, _sides: sides, _ring: ring }
        }
        fn as_current<R>(&mut self, t: TaskPtr, f: impl FnOnce(&mut Fx) -> R) -> R {
            self.l.current = t;
            let r = f(self);
            self.l.current = null_mut();
            r
        }
        fn get(&mut self, t: TaskPtr) -> Result<eio_obj_t, i32> {
            self.as_current(t, |f| {
                let mut out = null_mut();
                match unsafe { eio_fifo_get(&mut *f.l, &mut *f.q, &mut out) } {
                    EIO_OK => Ok(out),
                    e => Err(e),
                }
            })
        }
        fn put(&mut self, t: TaskPtr, n: usize) -> i32 {
            self.as_current(t, |f| unsafe { eio_fifo_put(&mut *f.l, &mut *f.q, item(n)) })
        }
        fn push(&mut self, n: usize) -> i32 {
            let r = unsafe { eio_fifo_push(&mut *self.l, &mut *self.q, item(n)) };
            if r == EIO_E_GROW {
                let cap = unsafe { eio_fifo_grown_cap(&*self.q) };
                let mut ring = vec![null_mut(); cap];
                unsafe { eio_fifo_regrow(&mut *self.q, ring.as_mut_ptr(), cap) };
                self._ring = ring;
                return unsafe { eio_fifo_push(&mut *self.l, &mut *self.q, item(n)) };
            }
            r
        }
        fn pop(&mut self) -> Result<eio_obj_t, i32> {
            let mut out = null_mut();
            match unsafe { eio_fifo_pop(&mut *self.l, &mut *self.q, &mut out) } {
                EIO_OK => Ok(out),
                e => Err(e),
            }
        }
        fn drain_ready(&mut self) -> Vec<TaskPtr> {
            run_queue::testing::drain(&mut self.l)
        }
    }

    #[test]
    fn items_keep_their_order_across_wrap_and_growth() {
        let mut f = Fx::new(0, 2);
        let mut next_out = 0;
        for n in 0..50 {
            assert_eq!(f.push(n), EIO_OK);
            if n % 3 == 0 {
                assert_eq!(f.pop(), Ok(item(next_out)));
                next_out += 1;
            }
        }
        while let Ok(x) = f.pop() {
            assert_eq!(x, item(next_out));
            next_out += 1;
        }
        assert_eq!(next_out, 50);
        assert_eq!(f.q.unfinished, 50);
    }

    #[test]
    fn a_bounded_queue_grows_to_its_maxsize_then_is_full() {
        let mut f = Fx::new(5, 2);
        for n in 0..5 {
            assert_eq!(f.push(n), EIO_OK);
        }
        assert_eq!(f.q.cap, 5);
        assert!(unsafe { eio_fifo_full(&*f.q) });
        assert_eq!(f.push(9), EIO_E_FULL);
    }

    #[test]
    fn a_put_wakes_the_first_getter_which_may_find_it_taken() {
        let mut f = Fx::new(0, 4);
        let ts = new_tasks(2);
        assert_eq!(f.get(ts[0]), Err(EIO_YIELD));
        assert_eq!(f.get(ts[1]), Err(EIO_YIELD));
        assert_eq!(f.push(1), EIO_OK);
        assert_eq!(f.drain_ready(), vec![ts[0]]);
        assert_eq!(f.pop(), Ok(item(1))); // someone quicker
        assert_eq!(f.get(ts[0]), Err(EIO_YIELD)); // parks again, behind ts[1]
        assert_eq!(f.push(2), EIO_OK);
        assert_eq!(f.drain_ready(), vec![ts[1]]);
        assert_eq!(f.get(ts[1]), Ok(item(2)));
    }

    #[test]
    fn a_woken_getter_cancelled_passes_its_turn_on_an_unwoken_one_does_not() {
        let mut f = Fx::new(0, 4);
        let ts = new_tasks(3);
        for &t in &ts {
            assert_eq!(f.get(t), Err(EIO_YIELD));
        }
        assert_eq!(f.push(1), EIO_OK); // wakes ts[0]
        assert_eq!(f.drain_ready(), vec![ts[0]]);
        unsafe {
            // ts[1] cancelled while still waiting: removed, not handed anything.
            waiters::remove(&mut f.q.getters, ts[1]);
            assert!(waiters::handed_by(ts[1]).is_null());
            // ts[0] cancelled before it ran: the item is still there, so ts[2]'s turn.
            let w = waiters::handed_by(ts[0]);
            assert_eq!(w, &mut f.q.getters as *mut eio_waitable_t);
            abandon(&mut *f.l, ts[0], w);
        }
        assert_eq!(f.drain_ready(), vec![ts[2]]);
        assert_eq!(f.get(ts[2]), Ok(item(1)));
    }

    #[test]
    fn a_get_wakes_the_first_putter_and_a_cancelled_one_passes_the_room_on() {
        let mut f = Fx::new(1, 1);
        let ts = new_tasks(2);
        assert_eq!(f.push(0), EIO_OK);
        assert_eq!(f.put(ts[0], 1), EIO_YIELD);
        assert_eq!(f.put(ts[1], 2), EIO_YIELD);
        assert_eq!(f.pop(), Ok(item(0)));
        assert_eq!(f.drain_ready(), vec![ts[0]]);
        unsafe {
            let w = waiters::handed_by(ts[0]);
            assert_eq!((*w).kind as u32, EIO_WAITABLE_FIFO_PUT);
            abandon(&mut *f.l, ts[0], w);
        }
        assert_eq!(f.drain_ready(), vec![ts[1]]);
        assert_eq!(f.put(ts[1], 2), EIO_OK);
        assert_eq!(f.pop(), Ok(item(2)));
    }

    #[test]
    fn join_waits_for_the_last_task_done() {
        let mut f = Fx::new(0, 4);
        let ts = new_tasks(2);
        assert_eq!(f.as_current(ts[0], |f| unsafe { eio_fifo_join(&mut *f.l, &mut *f.q) }), EIO_OK);
        f.push(1);
        f.push(2);
        for &t in &ts {
            assert_eq!(f.as_current(t, |f| unsafe { eio_fifo_join(&mut *f.l, &mut *f.q) }), EIO_YIELD);
        }
        assert!(unsafe { eio_fifo_task_done(&mut *f.l, &mut *f.q) });
        assert!(f.drain_ready().is_empty());
        assert!(unsafe { eio_fifo_task_done(&mut *f.l, &mut *f.q) });
        assert_eq!(f.drain_ready(), ts);
        assert!(!unsafe { eio_fifo_task_done(&mut *f.l, &mut *f.q) });
        for &t in &ts {
            assert_eq!(f.as_current(t, |f| unsafe { eio_fifo_join(&mut *f.l, &mut *f.q) }), EIO_OK);
        }
    }
}
