//! Counters the core keeps about itself, read by `eventio.stats()` (through `eio_stats`).
//!
//! They are relaxed atomics: a reader only wants a recent value, never a consistent snapshot
//! of several.  Where the target has no 64-bit atomics (Cortex-M3), they are 32 bits wide and
//! wrap at 2^32.  Counters that only the loop writes (switches, tasks) are bumped with a plain
//! load and store ([`Counter`]): an atomic read-modify-write costs a locked instruction per
//! task switch on x86, an LDREX/STREX loop on Cortex-M3 and a critical section on Cortex-M0+,
//! for a guarantee that one writer does not need.  Counters that interrupt handlers, threads
//! and other cores write (posts) are [`SharedCounter`]s.

// Counters the loop alone writes need only atomic loads and stores, which every target has.
#[cfg(not(target_has_atomic = "64"))]
use core::sync::atomic::AtomicU32 as Word;
#[cfg(target_has_atomic = "64")]
use core::sync::atomic::AtomicU64 as Word;
// Counters several contexts add to need a read-modify-write (crate::sync: in the critical
// section where the CPU has none).
#[cfg(not(target_has_atomic = "64"))]
use crate::sync::AtomicU32 as SharedWord;
#[cfg(target_has_atomic = "64")]
use core::sync::atomic::AtomicU64 as SharedWord;
use core::sync::atomic::Ordering::Relaxed;
/// The largest value a [`Counter`] holds before it wraps.
#[cfg(not(target_has_atomic = "64"))]
const WRAP: u64 = u32::MAX as u64;
#[cfg(target_has_atomic = "64")]
const WRAP: u64 = u64::MAX;

/// A counter with one writer, the loop: bumped with a plain load and store.
pub struct Counter(Word);

impl Counter {
    pub const fn new() -> Self {
        Counter(Word::new(0))
    }
    /// Add `n`, from the loop's own thread only (the counter's single writer).
    #[inline]
    pub fn add_local(&self, n: u64) {
        self.0.store(self.0.load(Relaxed).wrapping_add(n as _), Relaxed);
    }
    #[inline]
    pub fn bump(&self) {
        self.add_local(1);
    }
    /// Take back a bump (a switch that did not happen after all).
    #[inline]
    pub fn unbump(&self) {
        self.0.store(self.0.load(Relaxed).wrapping_sub(1), Relaxed);
    }
    #[inline]
    pub fn set(&self, v: u64) {
        self.0.store(v as _, Relaxed);
    }
    #[inline]
    pub fn get(&self) -> u64 {
        self.0.load(Relaxed) as u64
    }
}

/// A counter that interrupt handlers, threads, other cores and the loop all add to.
pub struct SharedCounter(SharedWord);

impl SharedCounter {
    pub const fn new() -> Self {
        SharedCounter(SharedWord::new(0))
    }
    /// Add `n`, as part of the step `s` makes; safe from any context.
    #[inline]
    pub fn add_in(&self, s: &crate::sync::Section, n: u64) {
        #[cfg(target_has_atomic = "64")]
        let _ = (s, self.0.fetch_add(n as _, Relaxed));
        #[cfg(not(target_has_atomic = "64"))]
        self.0.fetch_add_in(s, n as _, Relaxed);
    }
    #[inline]
    pub fn get(&self) -> u64 {
        self.0.load(Relaxed) as u64
    }
}

/// Task switches per level the task ran at; `switches` is their sum (one bump per switch).
pub static SWITCHES_BY_LEVEL: [Counter; crate::abi::EIO_LEVELS as usize] =
    [const { Counter::new() }; crate::abi::EIO_LEVELS as usize];
pub static TASKS_CREATED: Counter = Counter::new();
pub static TASKS_FINISHED: Counter = Counter::new();
pub static IDLE_WAITS: Counter = Counter::new();
pub static WAKEUPS: Counter = Counter::new();
pub static POSTS: SharedCounter = SharedCounter::new();
pub static POSTS_COALESCED: SharedCounter = SharedCounter::new();
/// Added to by the loop, and by a flag's finaliser in whichever thread collects it.
pub static POSTS_DELIVERED: SharedCounter = SharedCounter::new();
pub static MS_AWAKE: Counter = Counter::new();
pub static MS_ASLEEP: Counter = Counter::new();
/// While a loop runs and is awake: when it woke (so readers can add the current stretch).
pub static AWAKE_SINCE: Counter = Counter::new();
pub static AWAKE_NOW: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);

/// Fill `out` with the current counters.
///
/// # Safety
/// `out` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn eio_stats(out: *mut crate::abi::eio_stats_t) {
    // SAFETY: the caller passes a writable eio_stats_t.
    let out = unsafe { &mut *out };
    let mut switches = 0u64;
    for (o, c) in out.switches_by_level.iter_mut().zip(SWITCHES_BY_LEVEL.iter()) {
        *o = c.get();
        switches = switches.wrapping_add(*o);
    }
    // Wrapping at the counters' width, as one counter would.
    out.switches = switches & WRAP;
    out.tasks_created = TASKS_CREATED.get();
    out.tasks_finished = TASKS_FINISHED.get();
    out.idle_waits = IDLE_WAITS.get();
    out.wakeups = WAKEUPS.get();
    out.posts = POSTS.get();
    out.posts_coalesced = POSTS_COALESCED.get();
    out.posts_delivered = POSTS_DELIVERED.get();
    out.ms_awake = MS_AWAKE.get();
    if AWAKE_NOW.load(Relaxed) {
        // The loop is awake right now: count the stretch so far.
        let now = crate::time::eio_now();
        out.ms_awake += crate::time::diff(now, AWAKE_SINCE.get()).max(0) as u64;
    }
    out.ms_asleep = MS_ASLEEP.get();
}
