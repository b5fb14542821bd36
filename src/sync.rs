//! Atomic words that interrupt handlers, signal handlers, threads and other cores share with
//! the loop, on every CPU the core runs on.
//!
//! Where the CPU has atomic read-modify-write instructions (`target_has_atomic = "32"`: x86,
//! Cortex-M3/M4/M7/M33, RISC-V with the A extension) these are `core`'s own atomics: nothing
//! is added to any path.  Where it has none (Cortex-M0+, `thumbv6m-none-eabi`: the RP2040),
//! `core` offers only loads and stores, and the types here do each read-modify-write inside
//! the port's critical section ([`critical_section::with`], which the port implements as
//! `eio_port_critical_enter`/`exit`; see include/eventio.h).
//!
//! The two-core argument (RP2040: the loop on core 0, `_thread` Python on core 1 posting):
//! - The port's critical section holds across both cores (interrupts off on this core and a
//!   hardware spinlock, as `mp_thread_begin_atomic_section()`), so two read-modify-writes of
//!   one word never interleave, wherever they run.
//! - A store must not land between the load and the store of another core's read-modify-write
//!   (it would be lost).  So every store of these types is made inside the critical section
//!   too: on such a CPU a word of these types is only ever written inside it.
//! - Loads need no section: an aligned 32-bit load is single-copy atomic and sees the value
//!   before or after any section.  The port's section is a full barrier on entry and exit (the
//!   spinlock's), and the loads and stores inside keep the orderings asked for, so the
//!   happens-before arguments made in `event` for SeqCst/Acquire/Release hold unchanged.
//! - Words the loop alone writes (its own counters, `stats::Counter`) use `core`'s plain
//!   atomic stores and never take the section: the switch path stays free of it.
//!
//! On a single core (an ISR preempting the loop) the same holds with "the other core" read as
//! "the interrupt handler": the section masks interrupts.

#[cfg(target_has_atomic = "32")]
pub use core::sync::atomic::{AtomicBool, AtomicU32};

#[cfg(not(target_has_atomic = "32"))]
pub use fallback::{AtomicBool, AtomicU32};

// Also built for the host's tests, which run it against threads (see the tests below).
#[cfg(any(test, not(target_has_atomic = "32")))]
mod fallback {
    use core::sync::atomic::{self, Ordering};

    /// `core::sync::atomic::AtomicU32` with its read-modify-writes (and stores) made inside
    /// the port's critical section; see the module comment.
    #[repr(transparent)]
    pub struct AtomicU32(atomic::AtomicU32);

    impl AtomicU32 {
        pub const fn new(v: u32) -> Self {
            AtomicU32(atomic::AtomicU32::new(v))
        }
        #[inline]
        pub fn load(&self, order: Ordering) -> u32 {
            self.0.load(order)
        }
        #[inline]
        pub fn store(&self, v: u32, order: Ordering) {
            critical_section::with(|_| self.0.store(v, order))
        }
        /// Replace the value with `f(old)`; returns the old value.
        #[inline]
        fn update(&self, order: Ordering, f: impl FnOnce(u32) -> u32) -> u32 {
            critical_section::with(|_| {
                let old = self.0.load(load_order(order));
                self.0.store(f(old), store_order(order));
                old
            })
        }
        pub fn swap(&self, v: u32, order: Ordering) -> u32 {
            self.update(order, |_| v)
        }
        pub fn fetch_or(&self, v: u32, order: Ordering) -> u32 {
            self.update(order, |old| old | v)
        }
        pub fn fetch_and(&self, v: u32, order: Ordering) -> u32 {
            self.update(order, |old| old & v)
        }
        pub fn fetch_add(&self, v: u32, order: Ordering) -> u32 {
            self.update(order, |old| old.wrapping_add(v))
        }
        pub fn compare_exchange_weak(&self, current: u32, new: u32, success: Ordering, failure: Ordering) -> Result<u32, u32> {
            critical_section::with(|_| {
                let old = self.0.load(load_order(success));
                if old == current {
                    self.0.store(new, store_order(success));
                    Ok(old)
                } else {
                    let _ = failure; // the load above already ordered at least as strongly
                    Err(old)
                }
            })
        }
    }

    /// `core::sync::atomic::AtomicBool`, likewise.
    #[repr(transparent)]
    pub struct AtomicBool(atomic::AtomicBool);

    impl AtomicBool {
        pub const fn new(v: bool) -> Self {
            AtomicBool(atomic::AtomicBool::new(v))
        }
        #[inline]
        pub fn load(&self, order: Ordering) -> bool {
            self.0.load(order)
        }
        #[inline]
        pub fn store(&self, v: bool, order: Ordering) {
            critical_section::with(|_| self.0.store(v, order))
        }
        pub fn swap(&self, v: bool, order: Ordering) -> bool {
            critical_section::with(|_| {
                let old = self.0.load(load_order(order));
                self.0.store(v, store_order(order));
                old
            })
        }
    }

    /// The load half of a read-modify-write ordered `order`.
    fn load_order(order: Ordering) -> Ordering {
        match order {
            Ordering::Release => Ordering::Relaxed,
            Ordering::AcqRel => Ordering::Acquire,
            o => o,
        }
    }

    /// The store half of a read-modify-write ordered `order`.
    fn store_order(order: Ordering) -> Ordering {
        match order {
            Ordering::Acquire => Ordering::Relaxed,
            Ordering::AcqRel => Ordering::Release,
            o => o,
        }
    }
}

#[cfg(test)]
mod tests {
    //! The fallback on the host, with the std critical section: threads doing read-modify-writes
    //! and stores on one word lose nothing, as two cores would on the RP2040.
    use super::fallback;
    use core::sync::atomic::Ordering::SeqCst;

    #[test]
    fn fallback_read_modify_writes_lose_nothing_across_threads() {
        static WORD: fallback::AtomicU32 = fallback::AtomicU32::new(0);
        static BITS: fallback::AtomicU32 = fallback::AtomicU32::new(0);
        std::thread::scope(|s| {
            for k in 0..4u32 {
                s.spawn(move || {
                    for i in 0..10_000u32 {
                        WORD.fetch_add(1, SeqCst);
                        BITS.fetch_or(1 << (k * 8 + i % 8), SeqCst);
                        let mut cur = WORD.load(SeqCst);
                        while let Err(now) = WORD.compare_exchange_weak(cur, cur + 1, SeqCst, SeqCst) {
                            cur = now;
                        }
                    }
                });
            }
        });
        assert_eq!(WORD.load(SeqCst), 80_000);
        assert_eq!(BITS.swap(0, SeqCst), u32::MAX);
        assert_eq!(BITS.fetch_and(0, SeqCst), 0);
        let flag = fallback::AtomicBool::new(false);
        assert!(!flag.swap(true, SeqCst));
        flag.store(false, SeqCst);
        assert!(!flag.load(SeqCst));
    }
}
