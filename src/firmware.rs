//! What a `no_std` static library needs to link into firmware: a panic handler, the
//! unwinding personality symbol that the prebuilt `core` references even with panic=abort, and
//! the critical section, which the port provides.

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

/// The core's critical section is the port's: `eio_port_critical_enter()` / `exit(token)`
/// (include/eventio.h says what each port does and why).  Nothing here knows the platform.
struct PortCs;
critical_section::set_impl!(PortCs);

// SAFETY: the header obliges every port's pair to exclude every other context that enters the
// core (interrupt and signal handlers, other threads, other cores) until the matching exit,
// and to nest: an inner enter's token makes its exit leave the outer section held.
unsafe impl critical_section::Impl for PortCs {
    unsafe fn acquire() -> critical_section::RawRestoreState {
        // SAFETY: callable from any context (the header); the token goes back to exit().
        unsafe { crate::abi::eio_port_critical_enter() }
    }
    unsafe fn release(token: critical_section::RawRestoreState) {
        // SAFETY: `token` is what the matching enter returned, released in reverse order.
        unsafe { crate::abi::eio_port_critical_exit(token) }
    }
}
