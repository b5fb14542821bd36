//! eventio.InterruptQueue's get(): the values interrupt handlers put in a flag's ring
//! ([`crate::event`]), in order, waiting on the flag while the ring is empty.
//!
//! Guarantees:
//! - Each value is taken once, in the order it was put; a getter looks at the ring before it
//!   waits and whenever it comes back, so a value put while it was on its way is not missed.
//! - Waiting is the flag's wait (one-bit, not lost to a cancel); nothing allocated.
//!
//! Layer: over the mailbox.

use crate::abi::*;
use crate::event::{eio_flag_wait, eio_ring_get};
use crate::task::TaskExt;
use core::ptr::null_mut;

/// A step of get() by the current task: EIO_RETURN with the value in `*value`, EIO_YIELD
/// (parked on the flag), EIO_E_NO_LOOP.
///
/// # Safety
/// `l`, `f` and `ring` (the flag's) must be valid, `value` writable.
#[no_mangle]
pub unsafe extern "C" fn eio_ring_wait(l: *mut eio_loop_t, f: *mut eio_flag_t, ring: *mut eio_ring_t, value: *mut u32) -> i32 {
    // SAFETY: per the caller.
    unsafe {
        let t = (*l).current;
        if t.is_null() {
            return EIO_E_NO_LOOP;
        }
        if (*t).wait_on() == f.cast::<eio_waitable_t>() {
            // Back from the flag: look at the ring first (the post that woke it may have been
            // consumed by another getter; the flag's own wait would take this return as a set).
            (*t).set_wait_on(null_mut());
        }
        loop {
            if eio_ring_get(ring, value) == EIO_OK {
                return EIO_RETURN;
            }
            match eio_flag_wait(l, f) {
                EIO_RETURN => {} // a post was pending: its value may be there now
                r => return r,
            }
        }
    }
}
