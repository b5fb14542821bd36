//! The port and glue functions the core imports, as do-nothing fakes: the operations fuzzed
//! never resume a coroutine or block; eio_wake reads the clock, eio_post may wake the port.
//! (Integration tests get these from tests/c/abi_test.c instead.)
#![allow(clippy::missing_safety_doc)]

use eventio::abi::*;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

static NOW: AtomicU64 = AtomicU64::new(0);
pub static WAKES: AtomicU64 = AtomicU64::new(0);

#[no_mangle]
pub extern "C" fn eio_port_ticks_ms() -> eio_ticks_t {
    NOW.fetch_add(1, Relaxed)
}
#[no_mangle]
pub extern "C" fn eio_port_wake() {
    WAKES.fetch_add(1, Relaxed);
}
#[no_mangle]
pub unsafe extern "C" fn eio_port_wait(_l: *mut eio_loop_t, _ms: i64, _out: *mut eio_obj_t) -> i32 {
    EIO_OK
}
#[no_mangle]
pub unsafe extern "C" fn eio_port_poll(_l: *mut eio_loop_t, _out: *mut eio_obj_t) -> i32 {
    EIO_OK
}
#[no_mangle]
pub unsafe extern "C" fn eio_glue_resume(_t: *mut eio_task_t, _thrown: eio_obj_t, _out: *mut eio_obj_t) -> i32 {
    EIO_RETURN
}
#[no_mangle]
pub unsafe extern "C" fn eio_glue_done_callback(_t: *mut eio_task_t, _cb: eio_obj_t, _e: eio_obj_t, _out: *mut eio_obj_t) -> i32 {
    EIO_OK
}
#[no_mangle]
pub unsafe extern "C" fn eio_glue_unhandled(_t: *mut eio_task_t, _e: eio_obj_t, _out: *mut eio_obj_t) -> i32 {
    EIO_OK
}
#[no_mangle]
pub unsafe extern "C" fn eio_glue_call(_f: eio_obj_t, _a: eio_obj_t, _out: *mut eio_obj_t) -> i32 {
    EIO_OK
}
#[no_mangle]
pub unsafe extern "C" fn eio_glue_finished(_t: *mut eio_task_t, _out: *mut eio_obj_t) -> i32 {
    EIO_OK
}
#[no_mangle]
pub extern "C" fn eio_glue_is_cancel(_e: eio_obj_t) -> bool {
    false
}
