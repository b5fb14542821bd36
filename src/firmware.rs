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
