//! The mailbox: events posted by interrupt handlers, signal handlers and other threads, and
//! the flags (`asyncio.ThreadSafeFlag`) they set.
//!
//! Guarantees:
//! - `eio_post` is O(1), lock-free and allocation-free: it sets one bit in a pending bitmap,
//!   raises a summary flag and, only if the loop has announced that it is going to sleep,
//!   wakes it through the port.  It never calls Python and is safe against re-entry (an
//!   interrupt posting while another post runs) and against the loop.
//! - Posts coalesce: however many posts of one handle arrive before the loop looks, the flag
//!   is delivered once (and `posts_coalesced` counts the rest).
//! - No lost wake-up: the loop announces its sleep (`SLEEPING`) before its last look at the
//!   summary flag; a poster sets the summary flag before it looks at `SLEEPING`.  With both
//!   sequentially consistent, either the loop sees the post and does not sleep, or the poster
//!   sees the announcement and wakes the port, whose wait then ends at once.
//! - Handles carry a generation: a post to a flag that is gone is refused (`EIO_E_BAD_HANDLE`),
//!   not delivered to whichever flag reuses the slot later.  A slot's handle and its pending
//!   bit are one atomic word (`STATE`), so the check and the post are one compare-and-swap:
//!   no window in which a post checked against an old flag lands on a new one.
//! - An InterruptQueue's ring takes any number of producers: `eio_queue_put` stores inside the
//!   critical section, so puts are serialised, and a flag's deinit withdraws the ring inside it
//!   too, so no put writes a ring after its flag is gone.
//! - A set is not lost to a cancel: delivering a set to waiting tasks wakes them and leaves the
//!   flag set; the first of them to come back consumes it (`eio_flag_wait`).  If every task
//!   the set woke is cancelled before it runs, the flag stays set for the next wait, as
//!   stock's flag stays set until its waiter runs.
//!
//! Threads: flags are made (`eio_flag_init`) in any thread, and dropped (`eio_flag_deinit`) in
//! whichever thread the collector finalises them; both change the table of owners (which flag
//! owns which slot, the free slots) inside the critical section, which holds across threads
//! and cores (include/eventio.h).  The loop's delivery looks a slot's owner up and touches the
//! flag inside the same section, so a flag cannot be finalised and freed under it.  A flag's
//! `is_set` is an atomic word, so `clear()` may come from any thread.  On a CPU without atomic
//! read-modify-write the atomics below are `crate::sync`'s (see there for two cores).

use crate::abi::*;
use crate::stats;
use crate::sync::{self, AtomicU32, Section};
use crate::task::{TaskExt, TaskPtr};
use crate::waiters;
use core::cell::UnsafeCell;
use core::ptr::null_mut;
use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering::*};
use critical_section::Mutex;

const SLOTS: usize = EIO_MAX_FLAGS as usize;
const WORDS: usize = SLOTS.div_ceil(32);
const INDEX_BITS: u32 = SLOTS.trailing_zeros();
const INDEX_MASK: u32 = (1 << INDEX_BITS) - 1;
/// Words of PENDING per bit of ANY (1 up to 1,024 slots).
const GROUP: usize = WORDS.div_ceil(32);
const _: () = assert!(SLOTS.is_power_of_two() && SLOTS <= 1 << 16);

/// In a slot's STATE: a post is pending (not yet delivered).
const POSTED: u32 = 1 << 31;
/// Generations of handles fit below the POSTED bit and above the index.
const GENERATIONS: u32 = (POSTED >> INDEX_BITS) - 1;

/// One bit per slot: a hint that the slot's STATE may be POSTED (for `deliver` to look at).
static PENDING: [AtomicU32; WORDS] = [const { AtomicU32::new(0) }; WORDS];
/// Bit `g`: words `g * GROUP ..` of PENDING may have a bit set (a delivery looks at those only).
static ANY: AtomicU32 = AtomicU32::new(0);
/// The loop is about to block, or blocked, in the port's wait.  Only the loop writes it, so
/// `core`'s loads and stores serve on every CPU.
static SLEEPING: AtomicBool = AtomicBool::new(false);
/// Per slot: the handle it answers to now (generation << INDEX_BITS | index, 0 when free),
/// with POSTED set while a post is pending.
static STATE: [AtomicU32; SLOTS] = [const { AtomicU32::new(0) }; SLOTS];
/// Per slot: the ring of values of an InterruptQueue, or null.
static RINGS: [AtomicPtr<eio_ring_t>; SLOTS] = [const { AtomicPtr::new(null_mut()) }; SLOTS];

/// The loop side: each slot's flag, and the free slots.
struct Table {
    owners: [*mut eio_flag_t; SLOTS],
    free: heapless::Vec<u16, SLOTS>,
    generation: u32,
    initialised: bool,
}

// SAFETY: the raw pointers are only dereferenced inside the critical section, from which a
// flag's finaliser is excluded until it has taken its pointer out (see the module doc); the
// Mutex only hands the table out inside a critical section.
unsafe impl Send for Table {}

static TABLE: Mutex<UnsafeCell<Table>> = Mutex::new(UnsafeCell::new(Table {
    owners: [null_mut(); SLOTS],
    free: heapless::Vec::new(),
    generation: 0,
    initialised: false,
}));

/// The table, for the holder of the critical section `cs`.  (Not a RefCell: its borrow flag
/// costs ~10 cycles a delivery on the M0+, and the three users below cannot overlap.)
///
/// # Safety
/// The caller must not hold another reference to the table: each of eio_flag_init,
/// eio_flag_deinit and deliver takes it once, inside its own section, and calls nothing
/// that takes it again.
#[allow(clippy::mut_from_ref)]
unsafe fn table<'cs>(cs: critical_section::CriticalSection<'cs>) -> &'cs mut Table {
    // SAFETY: the section excludes every other context (interrupts, threads, cores), so the
    // only references are the caller's, which it promises are unique.
    unsafe { &mut *TABLE.borrow(cs).get() }
}

fn bit(index: u32) -> (usize, u32) {
    ((index / 32) as usize, 1 << (index % 32))
}

/// # Safety
/// `f` must point to a writable flag whose `waiters.type` the glue has set.
#[no_mangle]
pub unsafe extern "C" fn eio_flag_init(f: *mut eio_flag_t) -> i32 {
    critical_section::with(|cs| {
        // SAFETY: taken once in this section (see table()).
        let t = unsafe { table(cs) };
        if !t.initialised {
            t.initialised = true;
            for i in (0..SLOTS).rev() {
                let _ = t.free.push(i as u16);
            }
        }
        let Some(index) = t.free.pop() else {
            return EIO_E_NO_SLOT;
        };
        // Generations count from 1, so that no live handle is 0.
        t.generation = (t.generation % GENERATIONS) + 1;
        let handle = t.generation << INDEX_BITS | index as u32;
        t.owners[index as usize] = f;
        // SAFETY: valid per the caller.
        unsafe {
            (*f).waiters.head = null_mut();
            (*f).waiters.tail = null_mut();
            (*f).waiters.kind = EIO_WAITABLE_FLAG as usize;
            (*f).armed_next = null_mut();
            (*f).armed_prev = null_mut();
            (*f).is_set = 0;
            (*f).handle = handle;
        }
        STATE[index as usize].store(handle, SeqCst); // not posted
        EIO_OK
    })
}

/// # Safety
/// `f` must be a flag given to `eio_flag_init` and not yet deinitialised.
#[no_mangle]
pub unsafe extern "C" fn eio_flag_deinit(f: *mut eio_flag_t) {
    // SAFETY: valid per the caller.
    let handle = unsafe { (*f).handle };
    let index = handle & INDEX_MASK;
    critical_section::with(|cs| {
        // SAFETY: taken once in this section (see table()).
        let t = unsafe { table(cs) };
        if handle == 0 || t.owners[index as usize] != f {
            return;
        }
        // A post still pending dies with the flag: count it as taken, so the counters add up.
        sync::within(cs, |s| {
            if STATE[index as usize].swap_in(s, 0, SeqCst) & POSTED != 0 {
                stats::POSTS_DELIVERED.add_in(s, 1);
            }
        });
        // Producers write the ring inside this section only: none is writing it now, and none
        // finds it from here on.
        RINGS[index as usize].store(null_mut(), SeqCst);
        t.owners[index as usize] = null_mut();
        let _ = t.free.push(index as u16);
    });
    // SAFETY: as above.
    unsafe { (*f).handle = 0 };
}

#[no_mangle]
pub extern "C" fn eio_post(handle: u32) -> i32 {
    let outcome = sync::atomically(|s| post_in(s, handle));
    posted(outcome)
}

/// What a post did.
#[derive(PartialEq)]
enum Post {
    /// Marked the slot pending: the loop must look, and be woken if it sleeps.
    New,
    /// The slot was pending already.
    Coalesced,
    /// Not a live handle.
    Bad,
}

/// The post of `handle`, as one step (one critical section where the CPU needs one): mark the
/// slot's STATE posted (a compare-and-swap against the live handle), then its PENDING bit and
/// its word's bit in ANY, in that order, so that a loop that sees ANY finds the bit.
fn post_in(s: &Section, handle: u32) -> Post {
    if handle == 0 || handle & POSTED != 0 {
        return Post::Bad;
    }
    let index = handle & INDEX_MASK;
    let state = &STATE[index as usize];
    // A first guess for the compare-and-swap, which orders the post.
    let mut now = state.load(Relaxed);
    while now == handle {
        // Relaxed: the mark is published by the PENDING bit's Release below, which a delivery
        // that finds the bit acquires (its swap), so the delivery's take sees the mark; the
        // compare-and-swap's atomicity, not its ordering, is what excludes a deinit.
        match state.compare_exchange_in(s, handle, handle | POSTED, Relaxed) {
            Ok(_) => {
                stats::POSTS.add_in(s, 1);
                let (w, b) = bit(index);
                // Release: orders the mark before the bit.  ANY's SeqCst is both the bit's
                // publication (a release) and the poster's half of the idle handshake.
                PENDING[w].fetch_or_in(s, b, Release);
                ANY.fetch_or_in(s, 1 << (w / GROUP), SeqCst);
                return Post::New;
            }
            Err(changed) => now = changed,
        }
    }
    if now != handle | POSTED {
        return Post::Bad;
    }
    stats::POSTS.add_in(s, 1);
    stats::POSTS_COALESCED.add_in(s, 1);
    Post::Coalesced
}

/// After a post's step: wake the loop if it announced its sleep (SeqCst, after the post's
/// SeqCst marks: see the module comment), and say how it went.
fn posted(outcome: Post) -> i32 {
    match outcome {
        Post::Bad => EIO_E_BAD_HANDLE,
        Post::Coalesced => EIO_OK,
        Post::New => {
            eio_notify();
            EIO_OK
        }
    }
}

/// Something the core does not see may have work for the loop (MicroPython's scheduler got a
/// callback, possibly from another thread): end the loop's idle wait if it is in one, so the
/// wait runs the callback.  From any context; wakes the port only while the loop sleeps.
#[no_mangle]
pub extern "C" fn eio_notify() {
    if SLEEPING.load(SeqCst) {
        // SAFETY: the port's wake is callable from any context (see the header).
        unsafe { eio_port_wake() };
    }
}

/// The ring's head, tail and overflow counter, as the atomics they are shared as.  Only loads
/// and stores: producers are serialised by the critical section, and the loop is the one
/// consumer, so each word has one writer at a time (the CPU's plain atomic stores suffice,
/// with or without read-modify-write instructions).
///
/// # Safety
/// `r` must point to a live ring.
unsafe fn ring_counters<'a>(r: *mut eio_ring_t) -> (&'a Word, &'a Word, &'a Word) {
    // SAFETY: the fields are aligned u32s of a live ring, only ever accessed atomically.
    unsafe {
        (
            Word::from_ptr(core::ptr::addr_of_mut!((*r).head)),
            Word::from_ptr(core::ptr::addr_of_mut!((*r).tail)),
            Word::from_ptr(core::ptr::addr_of_mut!((*r).overflows)),
        )
    }
}

/// A word of shared memory that needs atomic loads and stores only (every CPU has them).
type Word = core::sync::atomic::AtomicU32;

/// A flag's `is_set`: the loop sets and consumes it, `clear()` may come from any thread.
///
/// # Safety
/// `f` must point to a live flag.
unsafe fn is_set<'a>(f: *mut eio_flag_t) -> &'a Word {
    // SAFETY: an aligned u32 of a live flag, only ever accessed atomically.
    unsafe { Word::from_ptr(core::ptr::addr_of_mut!((*f).is_set)) }
}

/// # Safety
/// `f` is an initialised flag; `ring` a live, empty ring with its capacity set (a power of
/// two) that stays alive until `eio_flag_deinit(f)`.
#[no_mangle]
pub unsafe extern "C" fn eio_ring_attach(f: *mut eio_flag_t, ring: *mut eio_ring_t) {
    // SAFETY: valid per the caller.
    let index = unsafe { (*f).handle } & INDEX_MASK;
    RINGS[index as usize].store(ring, SeqCst);
}

/// Is `handle` the live handle of its slot?
fn live(handle: u32) -> bool {
    handle != 0 && handle & POSTED == 0 && STATE[(handle & INDEX_MASK) as usize].load(SeqCst) & !POSTED == handle
}

#[no_mangle]
pub extern "C" fn eio_queue_put(handle: u32, value: u32) -> i32 {
    let index = (handle & INDEX_MASK) as usize;
    // Several producers (threads, interrupt handlers, two cores) serialise here: a put is a
    // few instructions, and it excludes a deinit freeing the ring under it.  The post is part
    // of the same section.
    let (status, outcome) = critical_section::with(|cs| {
        let ring = RINGS[index].load(SeqCst);
        if !live(handle) || ring.is_null() {
            return (EIO_E_BAD_HANDLE, Post::Bad);
        }
        // SAFETY: a ring in the table is alive until its flag's deinit clears the entry, which
        // it does inside this section; inside it, `tail` and `overflows` are ours to move.
        unsafe {
            let (head, tail, overflows) = ring_counters(ring);
            let cap = (*ring).capacity;
            let t = tail.load(Relaxed);
            let status = if t.wrapping_sub(head.load(Acquire)) >= cap {
                overflows.store(overflows.load(Relaxed).wrapping_add(1), Relaxed);
                EIO_E_FULL
            } else {
                let values = core::ptr::addr_of_mut!((*ring).values) as *mut u32;
                values.add((t & (cap - 1)) as usize).write_volatile(value);
                tail.store(t.wrapping_add(1), Release); // publishes the value
                EIO_OK
            };
            (status, sync::within(cs, |s| post_in(s, handle)))
        }
    });
    match posted(outcome) {
        EIO_OK => status,
        e => e,
    }
}

/// # Safety
/// `ring` must be live; called by the loop only (the one consumer).
#[no_mangle]
pub unsafe extern "C" fn eio_ring_get(ring: *mut eio_ring_t, value: *mut u32) -> i32 {
    // SAFETY: valid per the caller; values before `tail` were published by its Release.
    unsafe {
        let (head, tail, _) = ring_counters(ring);
        let h = head.load(Relaxed);
        if h == tail.load(Acquire) {
            return EIO_E_EMPTY;
        }
        let values = core::ptr::addr_of_mut!((*ring).values) as *mut u32;
        *value = values.add((h & ((*ring).capacity - 1)) as usize).read_volatile();
        head.store(h.wrapping_add(1), Release); // frees the slot for the producer
    }
    EIO_OK
}

/// Take the pending post of the slot whose live handle is `handle`, if any.
fn take_slot(s: &Section, handle: u32) -> bool {
    let taken = handle != 0
        && STATE[(handle & INDEX_MASK) as usize].fetch_and_in(s, !POSTED, SeqCst)
            == handle | POSTED;
    if taken {
        stats::POSTS_DELIVERED.add_in(s, 1);
    }
    taken
}

/// Take `f`'s pending post, if any.  A load first: most of the time there is none, and then
/// no read-modify-write is made (no critical section on the RP2040).  A post landing after
/// that load stays pending, as one landing just after the take would.
fn take_pending(f: &eio_flag_t) -> bool {
    let h = f.handle;
    h != 0
        && STATE[(h & INDEX_MASK) as usize].load(Relaxed) == h | POSTED
        && sync::atomically(|s| take_slot(s, h))
}

/// # Safety
/// `f` must be an initialised flag.
#[no_mangle]
pub unsafe extern "C" fn eio_flag_clear(f: *mut eio_flag_t) {
    // SAFETY: valid per the caller; `handle` is only written by init and deinit.
    unsafe {
        take_pending(&*f);
        is_set(f).store(0, Release);
    }
}

/// Whether `f` is set: delivered and not consumed, or a post is pending.  Only reads, so any
/// thread may ask (select.poll on a flag); the answer may be stale by the time it is used.
///
/// # Safety
/// `f` must be an initialised flag.
#[no_mangle]
pub unsafe extern "C" fn eio_flag_is_set(f: *const eio_flag_t) -> bool {
    // SAFETY: valid per the caller; `is_set` is only accessed atomically (see is_set()).
    let (handle, set) = unsafe { ((*f).handle, is_set(f.cast_mut()).load(SeqCst)) };
    set != 0 || (handle != 0 && STATE[(handle & INDEX_MASK) as usize].load(SeqCst) == handle | POSTED)
}

/// # Safety
/// `l` and `f` must be valid.
#[no_mangle]
pub unsafe extern "C" fn eio_flag_wait(l: *mut eio_loop_t, f: *mut eio_flag_t) -> i32 {
    // SAFETY: valid per the caller; the current task is running, so unlinked.
    unsafe {
        let t: TaskPtr = (*l).current;
        if t.is_null() {
            return EIO_E_NO_LOOP;
        }
        // The flag is one bit, as stock's: set while delivered (`is_set`) or posted and not
        // yet delivered, and a wait that returns consumes both, so that sets made before the
        // waiter comes back count as one (a post left pending would wake the next wait too).
        if (*t).wait_on() == f.cast::<eio_waitable_t>() {
            // Back from a wait on `f`, woken by a set: this task consumes it (the delivery left
            // the flag set, so that a set whose woken tasks are all cancelled is not lost),
            // with any set made since the wake-up.
            (*t).set_wait_on(null_mut());
            take_pending(&*f);
            is_set(f).store(0, Release);
            return EIO_RETURN;
        }
        let posted = take_pending(&*f);
        if posted || is_set(f).load(Acquire) != 0 {
            is_set(f).store(0, Release);
            return EIO_RETURN;
        }
        if (*f).waiters.head.is_null() {
            arm(&mut *l, f);
        }
        waiters::push(core::ptr::addr_of_mut!((*f).waiters), t);
    }
    EIO_YIELD
}

/// Link `f` into the loop's armed list: the loop keeps it (and its waiters) alive and does not
/// finish while it waits.
unsafe fn arm(l: &mut eio_loop_t, f: *mut eio_flag_t) {
    // SAFETY: `f` is valid and not armed; the head, if any, is an armed flag.
    unsafe {
        (*f).armed_prev = null_mut();
        (*f).armed_next = l.armed;
        if !l.armed.is_null() {
            (*l.armed).armed_prev = f;
        }
        l.armed = f;
    }
}

unsafe fn disarm(l: &mut eio_loop_t, f: *mut eio_flag_t) {
    // SAFETY: `f` is armed, so its neighbours are armed flags or null.
    unsafe {
        let (p, n) = ((*f).armed_prev, (*f).armed_next);
        if p.is_null() {
            l.armed = n;
        } else {
            (*p).armed_next = n;
        }
        if !n.is_null() {
            (*n).armed_prev = p;
        }
        (*f).armed_next = null_mut();
        (*f).armed_prev = null_mut();
    }
}

/// A waiter left `f` (cancelled): disarm it if it has no waiter left.
///
/// # Safety
/// `l` and `f` must be valid.
pub unsafe fn waiter_left(l: &mut eio_loop_t, f: *mut eio_flag_t) {
    // SAFETY: valid per the caller.
    unsafe {
        if (*f).waiters.head.is_null() && (l.armed == f || !(*f).armed_prev.is_null()) {
            disarm(l, f);
        }
    }
}

/// For `eio_loop_forget`: disarm every armed flag, handing its waiters (unlinked) to `f`.
///
/// # Safety
/// `l` must be valid.
pub unsafe fn take_armed(l: &mut eio_loop_t, mut f: impl FnMut(TaskPtr)) {
    // SAFETY: armed flags are alive (the list keeps them) and their waiter lists well formed.
    unsafe {
        while !l.armed.is_null() {
            let flag = l.armed;
            disarm(l, flag);
            waiters::take_all(core::ptr::addr_of_mut!((*flag).waiters), &mut f);
        }
    }
}

/// The indices of the bits set in `x`, lowest first.
fn set_bits(mut x: u32) -> impl Iterator<Item = u32> {
    core::iter::from_fn(move || {
        (x != 0).then(|| {
            let i = x.trailing_zeros();
            x &= x - 1;
            i
        })
    })
}

/// Deliver every pending post: wake the flag's waiters, or leave it set for the next wait.
/// Cheap when nothing was posted (one atomic load).
///
/// # Safety
/// `l` must be valid; called by the loop only.
#[inline(always)]
pub unsafe fn deliver(l: *mut eio_loop_t) {
    // Looked at every turn: a plain load first, so that a turn with nothing posted costs no
    // read-modify-write (a locked instruction on x86).  A post that this load misses is seen
    // next turn, and before sleeping announce_sleep() looks again (SeqCst).
    if pending() {
        // SAFETY: per the caller.  Inlined here (the turn's delivery, the one an interrupt's
        // latency waits for), out of line at the loop's second look (`deliver_pending`).
        unsafe { deliver_all(l) };
    }
}

/// [`deliver`] once [`pending`] said yes, out of line (the loop's look just before it resumes a
/// task, which rarely finds anything).
///
/// # Safety
/// As [`deliver`].
#[inline(never)]
pub unsafe fn deliver_pending(l: *mut eio_loop_t) {
    // SAFETY: per the caller.
    unsafe { deliver_all(l) };
}

/// # Safety
/// As [`deliver`].
#[inline(always)]
unsafe fn deliver_all(l: *mut eio_loop_t) {
    // One section for the whole pass: a flag's finaliser (in any thread) waits until the loop
    // is done with the flags it looked up, and where the CPU has no read-modify-write the
    // pass's swaps are made in it too.
    critical_section::with(|cs| {
        // SAFETY: taken once in this section (see table()); wake_all does not look at it.
        let table = unsafe { table(cs) };
        // SAFETY: per the caller; the section is held.
        sync::within(cs, |s| unsafe { deliver_pass(l, table, s) });
    });
}

/// The pass of [`deliver_all`], inside its section (a function of its own, so that it is
/// inlined where the section is, not called).
///
/// # Safety
/// As [`deliver`], inside the section `s` belongs to.
#[inline(always)]
unsafe fn deliver_pass(l: *mut eio_loop_t, table: &Table, s: &Section) {
    // Only the words ANY names: a post sets its PENDING bit before its ANY bit, so a bit set
    // after this swap is found next turn (announce_sleep() looks at ANY too).  Acquire, both
    // swaps: each pairs with the poster's release of what it read (ANY's of the PENDING bit,
    // the bit's of the slot's mark), so that take_slot below sees the mark of every bit found.
    // (Neither is half of the idle handshake, which is announce_sleep's SLEEPING and ANY.)
    for g in set_bits(ANY.swap_in(s, 0, Acquire)).map(|g| g as usize) {
        for w in g * GROUP..((g + 1) * GROUP).min(WORDS) {
            for bit in set_bits(PENDING[w].swap_in(s, 0, Acquire)) {
                // SAFETY: per the caller; the section is held.
                unsafe { deliver_slot(l, table, s, w as u32 * 32 + bit) };
            }
        }
    }
}

/// Whether a post may be waiting for [`deliver`]: one plain load, for the loop to look just
/// before it resumes a task (a post that lands after it is delivered at the next turn).
/// Relaxed: it is a hint, and `deliver`'s section orders what it reads.
#[inline]
pub fn pending() -> bool {
    ANY.load(Relaxed) != 0
}

/// Deliver slot `index`'s post, if it is still pending.
///
/// # Safety
/// As [`deliver`], inside its section.
unsafe fn deliver_slot(l: *mut eio_loop_t, table: &Table, s: &Section, index: u32) {
    let f = table.owners[index as usize];
    // SAFETY: a flag in the table is alive: its finaliser takes it out first, inside the
    // section we hold.
    if f.is_null() || !take_slot(s, unsafe { (*f).handle }) {
        return; // gone, or the post was taken by a wait or a clear meanwhile
    }
    // SAFETY: as above; the waiter list and the armed list are the loop's.
    unsafe {
        // Set, with or without waiters: the first woken task to come back consumes it
        // (eio_flag_wait), so if all of them are cancelled first it stays set.
        is_set(f).store(1, Release);
        if !(*f).waiters.head.is_null() {
            disarm(&mut *l, f);
            crate::wake::eio_wake_all(l, core::ptr::addr_of_mut!((*f).waiters));
        }
    }
}

/// Announce that the loop is about to sleep; returns false (and withdraws) if a post is
/// already waiting, in which case the loop must not sleep.
pub fn announce_sleep() -> bool {
    SLEEPING.store(true, SeqCst);
    if ANY.load(SeqCst) != 0 {
        SLEEPING.store(false, SeqCst);
        return false;
    }
    true
}

/// The loop is awake again.
pub fn end_sleep() {
    // SeqCst, though a poster that still saw the announcement would only wake the port once
    // more: a release store is a plain one on x86, which helgrind and drd report as racing
    // with the posters' loads (they take only locked instructions for atomics).
    SLEEPING.store(false, SeqCst);
}

#[cfg(test)]
mod tests {
    //! An exhaustive interleaving test of the idle race: every order of the loop's steps
    //! (announce the sleep, look for posts, block) against a poster's steps (mark pending,
    //! raise ANY, look at SLEEPING and wake) must end with the post seen or the loop woken.

    #[derive(Clone, Copy, Default)]
    struct World {
        any: bool,
        sleeping: bool,
        woken: bool, // the port's wake-up is pending (an eventfd count, or an IRQ for WFI)
        loop_saw_post: bool,
        loop_blocked: bool,
    }

    /// The loop's steps, in program order; `announce_first` false models the broken
    /// check-then-sleep without an announcement.
    fn loop_step(w: &mut World, step: usize, announce_first: bool) {
        match (step, announce_first) {
            (0, true) => w.sleeping = true,
            (1, true) | (0, false) => {
                if w.any {
                    w.loop_saw_post = true;
                }
            }
            (2, true) | (1, false) => {
                if !w.loop_saw_post {
                    // Blocks unless a wake-up is pending; a pending one ends the wait.
                    w.loop_blocked = !w.woken;
                }
            }
            _ => {}
        }
    }

    fn poster_step(w: &mut World, step: usize) {
        match step {
            0 => w.any = true,
            1 => {
                if w.sleeping {
                    w.woken = true;
                }
            }
            _ => {}
        }
    }

    /// A lost wake-up: the loop blocked and nothing will wake it, though a post exists.
    fn explore(w: World, l: usize, p: usize, ln: usize, announce_first: bool) -> bool {
        if l == ln && p == 2 {
            return w.loop_blocked && !w.woken;
        }
        let mut lost = false;
        if l < ln {
            let mut w2 = w;
            loop_step(&mut w2, l, announce_first);
            lost |= explore(w2, l + 1, p, ln, announce_first);
        }
        if p < 2 {
            let mut w2 = w;
            poster_step(&mut w2, p);
            lost |= explore(w2, l, p + 1, ln, announce_first);
        }
        lost
    }

    #[test]
    fn no_interleaving_loses_a_post() {
        assert!(!explore(World::default(), 0, 0, 3, true));
    }

    #[test]
    fn the_model_catches_check_then_sleep_without_announcement() {
        // Without announcing first, a post between the check and the sleep is lost: the
        // test above would fail on such an implementation.
        assert!(explore(World::default(), 0, 0, 2, false));
    }
}
