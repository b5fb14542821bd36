//! Atomic words that interrupt handlers, signal handlers, threads and other cores share with
//! the loop, on every CPU the core runs on.
//!
//! Where the CPU has atomic read-modify-write instructions (`target_has_atomic = "32"`: x86,
//! Cortex-M3/M4/M7/M33, RISC-V with the A extension) these are `core`'s own atomics: nothing
//! is added to any path.  Where it has none (Cortex-M0+, `thumbv6m-none-eabi`: the RP2040),
//! `core` offers only loads and stores, and the read-modify-writes here are made inside the
//! port's critical section ([`critical_section::with`], which the port implements as
//! `eio_port_critical_enter`/`exit`; see include/eventio.h).  They take a [`Section`]: the
//! caller groups the read-modify-writes of one step (a post, a delivery pass) into one
//! critical section with [`atomically`] (about 60 cycles each on the RP2040; a post used to
//! take four), which costs nothing where the CPU has the instructions.
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
//!   spinlock's) while another core can enter one, and orders what is done inside it against
//!   what follows, so the happens-before arguments made in `event` for SeqCst/Acquire/Release
//!   hold unchanged with relaxed accesses inside (see `plain`).
//! - Words the loop alone writes (its own counters, `stats::Counter`) use `core`'s plain
//!   atomic stores and never take the section: the switch path stays free of it.
//!
//! On a single core (an ISR preempting the loop) the same holds with "the other core" read as
//! "the interrupt handler": the section masks interrupts.

pub use imp::AtomicU32;
#[cfg(target_has_atomic = "32")]
use native as imp;
#[cfg(not(target_has_atomic = "32"))]
use plain as imp;

use core::marker::PhantomData;
use core::sync::atomic::Ordering;

/// Several read-modify-writes made as one step: the `_in` operations of [`AtomicU32`] take a
/// `Section`, which only [`atomically`] and [`within`] make.  Where the CPU has atomic
/// read-modify-writes a `Section` costs nothing and its operations are the CPU's; where it has
/// none, a `Section` is a critical section held, inside which they are plain loads and stores.
/// So a post that changes four words takes one critical section on the RP2040, not four.
///
/// ```ignore
/// let old = sync::atomically(|s| {
///     PENDING.fetch_or_in(s, bit, SeqCst);
///     ANY.fetch_or_in(s, 1, SeqCst)
/// });
/// ```
pub struct Section<'a> {
    _held: PhantomData<&'a ()>,
}

/// Run `f` with a [`Section`]: inside one critical section where the CPU has no atomic
/// read-modify-write, at once where it has.  `f` should be short (interrupts wait for it).
#[inline]
pub fn atomically<R>(f: impl FnOnce(&Section<'_>) -> R) -> R {
    #[cfg(target_has_atomic = "32")]
    {
        f(&Section { _held: PhantomData })
    }
    #[cfg(not(target_has_atomic = "32"))]
    {
        critical_section::with(|cs| within(cs, f))
    }
}

/// A [`Section`] for code that already holds the critical section (`cs`).
#[inline]
pub fn within<'cs, R>(
    _cs: critical_section::CriticalSection<'cs>,
    f: impl FnOnce(&Section<'cs>) -> R,
) -> R {
    f(&Section { _held: PhantomData })
}

/// Where the CPU has read-modify-write instructions: `core`'s atomic, every operation its own.
#[cfg(target_has_atomic = "32")]
mod native {
    use super::{Ordering, Section};
    use core::sync::atomic;

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
            self.0.store(v, order)
        }
        #[inline]
        pub fn swap_in(&self, _: &Section, v: u32, order: Ordering) -> u32 {
            self.0.swap(v, order)
        }
        #[inline]
        pub fn fetch_or_in(&self, _: &Section, v: u32, order: Ordering) -> u32 {
            self.0.fetch_or(v, order)
        }
        #[inline]
        pub fn fetch_and_in(&self, _: &Section, v: u32, order: Ordering) -> u32 {
            self.0.fetch_and(v, order)
        }
        #[inline]
        pub fn fetch_add_in(&self, _: &Section, v: u32, order: Ordering) -> u32 {
            self.0.fetch_add(v, order)
        }
        /// `compare_exchange`, with `order` for both outcomes.
        #[inline]
        pub fn compare_exchange_in(
            &self,
            _: &Section,
            current: u32,
            new: u32,
            order: Ordering,
        ) -> Result<u32, u32> {
            self.0
                .compare_exchange(current, new, order, super::load_order(order))
        }
    }
}

/// Where it has none (and on the host, for the tests below): every store is made inside the
/// critical section (see the module comment), and so are the read-modify-writes, as a relaxed
/// load and store.  Relaxed is enough: the section's entry and exit order them against every
/// other section (the port's barriers, as the module comment says), loads outside a section
/// see a word before or after a section, and where one core alone runs there is only program
/// order, which the section's opaque calls keep the compiler to.  (Each SeqCst access would
/// add a DMB or two on the M0+.)  The `order` arguments say what the callers need.
#[cfg(any(test, not(target_has_atomic = "32")))]
mod plain {
    use super::{Ordering, Section};
    use core::sync::atomic;

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
        /// Replace the value with `f(old)`, inside the section `_s` proves held; returns the old.
        #[inline]
        fn update(&self, _s: &Section, order: Ordering, f: impl FnOnce(u32) -> u32) -> u32 {
            let _ = order;
            let old = self.0.load(Ordering::Relaxed);
            self.0.store(f(old), Ordering::Relaxed);
            old
        }
        #[inline]
        pub fn swap_in(&self, s: &Section, v: u32, order: Ordering) -> u32 {
            self.update(s, order, |_| v)
        }
        #[inline]
        pub fn fetch_or_in(&self, s: &Section, v: u32, order: Ordering) -> u32 {
            self.update(s, order, |old| old | v)
        }
        #[inline]
        pub fn fetch_and_in(&self, s: &Section, v: u32, order: Ordering) -> u32 {
            self.update(s, order, |old| old & v)
        }
        #[inline]
        pub fn fetch_add_in(&self, s: &Section, v: u32, order: Ordering) -> u32 {
            self.update(s, order, |old| old.wrapping_add(v))
        }
        #[inline]
        pub fn compare_exchange_in(
            &self,
            _s: &Section,
            current: u32,
            new: u32,
            order: Ordering,
        ) -> Result<u32, u32> {
            let _ = order;
            let old = self.0.load(Ordering::Relaxed);
            if old == current {
                self.0.store(new, Ordering::Relaxed);
                Ok(old)
            } else {
                Err(old)
            }
        }
    }

    /// On the host the public `atomically` takes no section: the tests take it here.
    #[cfg(test)]
    pub fn atomically<R>(f: impl FnOnce(&Section<'_>) -> R) -> R {
        critical_section::with(|cs| super::within(cs, f))
    }
}

/// The failure half of a compare-and-swap ordered `order`.
#[cfg(target_has_atomic = "32")]
fn load_order(order: Ordering) -> Ordering {
    match order {
        Ordering::Release => Ordering::Relaxed,
        Ordering::AcqRel => Ordering::Acquire,
        o => o,
    }
}

#[cfg(test)]
mod tests {
    //! The plain implementation on the host, with the std critical section: threads doing
    //! read-modify-writes and stores on one word lose nothing, as two cores would on the RP2040.
    use super::plain;
    use core::sync::atomic::Ordering::SeqCst;

    #[test]
    fn plain_read_modify_writes_lose_nothing_across_threads() {
        static WORD: plain::AtomicU32 = plain::AtomicU32::new(0);
        static BITS: plain::AtomicU32 = plain::AtomicU32::new(0);
        std::thread::scope(|s| {
            for k in 0..4u32 {
                s.spawn(move || {
                    for i in 0..10_000u32 {
                        plain::atomically(|s| WORD.fetch_add_in(s, 1, SeqCst));
                        // Two words changed in one section.
                        plain::atomically(|s| {
                            BITS.fetch_or_in(s, 1 << (k * 8 + i % 8), SeqCst);
                            WORD.fetch_add_in(s, 1, SeqCst)
                        });
                        let mut cur = WORD.load(SeqCst);
                        while let Err(now) =
                            plain::atomically(|s| WORD.compare_exchange_in(s, cur, cur + 1, SeqCst))
                        {
                            cur = now;
                        }
                    }
                });
            }
        });
        assert_eq!(WORD.load(SeqCst), 120_000);
        assert_eq!(plain::atomically(|s| BITS.swap_in(s, 0, SeqCst)), u32::MAX);
        assert_eq!(plain::atomically(|s| BITS.fetch_and_in(s, 0, SeqCst)), 0);
        BITS.store(7, SeqCst);
        assert_eq!(BITS.load(SeqCst), 7);
    }
}
