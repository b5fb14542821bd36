//! What a `no_std` static library needs to link into firmware: a panic handler, and the
//! unwinding personality symbol that the prebuilt `core` references even with panic=abort.

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    extern "C" {
        fn abort() -> !;
    }
    // SAFETY: abort() takes no arguments and never returns; C's abort is the port's way to
    // stop on a bug (the core has no other way to report one).
    unsafe { abort() }
}

/// Never called: panics abort.  Only satisfies the reference from the prebuilt `core`.
#[no_mangle]
pub extern "C" fn rust_eh_personality() {}

/// The critical section on Cortex-M: mask interrupts with PRIMASK, restoring the previous
/// mask on release (so sections nest).  Single core, so masking is exclusion.
#[cfg(target_arch = "arm")]
mod cs {
    struct PrimaskCs;
    critical_section::set_impl!(PrimaskCs);

    // SAFETY: PRIMASK masks every configurable interrupt on this single-core CPU, so code
    // between acquire and release cannot be interleaved with an interrupt handler.
    unsafe impl critical_section::Impl for PrimaskCs {
        unsafe fn acquire() -> critical_section::RawRestoreState {
            let primask: u32;
            // SAFETY: reading PRIMASK and setting it has no other effect.
            unsafe {
                core::arch::asm!("mrs {}, PRIMASK", "cpsid i", out(reg) primask, options(nomem, nostack, preserves_flags));
            }
            primask & 1 == 1
        }
        unsafe fn release(was_masked: critical_section::RawRestoreState) {
            if !was_masked {
                // SAFETY: unmasking restores the state acquire() found.
                unsafe { core::arch::asm!("cpsie i", options(nomem, nostack, preserves_flags)) };
            }
        }
    }
}

/// The critical section on unix: block signals in the calling thread, restoring the previous
/// mask when the outermost section ends.  Only the thread that runs the loop (holding the
/// GIL) enters it; other threads and signal handlers only post, which is lock-free, so
/// blocking this thread's signal handlers is all the exclusion needed.
#[cfg(not(target_arch = "arm"))]
mod cs {
    use core::cell::UnsafeCell;
    use core::sync::atomic::{AtomicU32, Ordering::SeqCst};

    /// Room for the C library's sigset_t (128 bytes on Linux).
    #[repr(C, align(8))]
    struct SigSet([u8; 128]);
    struct Saved(UnsafeCell<SigSet>);
    // SAFETY: only the outermost section's owner writes and reads it (DEPTH guards it).
    unsafe impl Sync for Saved {}

    static SAVED: Saved = Saved(UnsafeCell::new(SigSet([0; 128])));
    static DEPTH: AtomicU32 = AtomicU32::new(0);

    extern "C" {
        fn sigfillset(set: *mut SigSet) -> i32;
        fn pthread_sigmask(how: i32, set: *const SigSet, old: *mut SigSet) -> i32;
    }
    const SIG_BLOCK: i32 = 0;
    const SIG_SETMASK: i32 = 2;

    struct SignalCs;
    critical_section::set_impl!(SignalCs);

    // SAFETY: with signals blocked no signal handler runs in this thread, and no other thread
    // enters (see the module comment), so the section is exclusive.
    unsafe impl critical_section::Impl for SignalCs {
        unsafe fn acquire() -> critical_section::RawRestoreState {
            let mut all = SigSet([0; 128]);
            // SAFETY: both point to sigset_t-sized, aligned buffers; old mask is saved only
            // by the outermost section, before any nested one can run.
            unsafe {
                sigfillset(&mut all);
                let mut old = SigSet([0; 128]);
                pthread_sigmask(SIG_BLOCK, &all, &mut old);
                if DEPTH.fetch_add(1, SeqCst) == 0 {
                    *SAVED.0.get() = old;
                }
            }
            true
        }
        unsafe fn release(_: critical_section::RawRestoreState) {
            if DEPTH.fetch_sub(1, SeqCst) == 1 {
                // SAFETY: the outermost section saved this mask in acquire().
                unsafe { pthread_sigmask(SIG_SETMASK, SAVED.0.get(), core::ptr::null_mut()) };
            }
        }
    }
}
