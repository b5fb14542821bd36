//! Time: the port's clock, and tick arithmetic.
//!
//! Guarantees: ticks are milliseconds of a monotonic clock (the port's `eio_port_ticks_ms`)
//! that may start anywhere and may wrap: two instants are compared by their wrapping
//! difference, so ordering is right as long as they are less than half the tick range apart
//! (2^63 ms here; 2^31 ms for the pointer-wide keys tasks store on 32-bit targets).  Reading
//! the clock has no preconditions and allocates nothing, from any context.
//!
//! Layer: uses only the ABI; every other module may use it.

use crate::abi::{eio_key_t, eio_ticks_t};

/// The current time of the port's clock.
#[no_mangle]
pub extern "C" fn eio_now() -> eio_ticks_t {
    // SAFETY: the port's clock has no preconditions.
    unsafe { crate::abi::eio_port_ticks_ms() }
}

/// Signed distance from `b` to `a`: positive when `a` is later.
#[inline]
pub fn diff(a: eio_ticks_t, b: eio_ticks_t) -> i64 {
    a.wrapping_sub(b) as i64
}

/// `a` comes strictly before `b`.
#[inline]
pub fn before(a: eio_ticks_t, b: eio_ticks_t) -> bool {
    diff(a, b) < 0
}

/// A time as the tasks store it: truncated to the width of a pointer.
#[inline]
pub fn key(t: eio_ticks_t) -> eio_key_t {
    t as eio_key_t
}

/// Signed distance between two stored times (see [`key`]).
#[inline]
pub fn key_diff(a: eio_key_t, b: eio_key_t) -> i64 {
    a.wrapping_sub(b) as isize as i64
}

/// Insertion numbers wrap too; same rule, at the width of `eio_task.seq` (EIO_SEQ_BITS).
#[inline]
pub fn seq_before(a: u32, b: u32) -> bool {
    ((a.wrapping_sub(b) << (32 - crate::abi::EIO_SEQ_BITS)) as i32) < 0
}

/// The port's clock for the unit tests: always 0 (the C test of the ABI, in tests/, has a
/// simulated one).
#[cfg(test)]
#[no_mangle]
extern "C" fn eio_port_ticks_ms() -> u64 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_survives_wrap_around() {
        let late = 5u64; // just after the wrap
        let early = u64::MAX - 5; // just before it
        assert!(before(early, late));
        assert!(!before(late, early));
        assert_eq!(diff(late, early), 11);
        assert!(seq_before((1 << crate::abi::EIO_SEQ_BITS) - 1, 0));
        // Stored keys wrap at the pointer width.
        assert_eq!(key_diff(key(5), key(u64::MAX - 5)), 11);
        assert_eq!(key_diff(2, usize::MAX), 3);
        assert!(!seq_before(3, 3));
    }
}
