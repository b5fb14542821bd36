//! cargo fuzz target: sequences of core operations (run queue push/pop/remove/re-prioritise,
//! timer insert/pop/remove with keys crossing the wrap, waiter lists, flag init/deinit/post/
//! clear/wait/cancel/deliver) checked step by step against the models of tests/model/mod.rs,
//! the same ones tests/props.rs uses.  `cargo +nightly fuzz run core_ops` (see ../README.md).
#![no_main]

#[path = "../src/port.rs"]
mod port;
#[path = "../../tests/model/mod.rs"]
mod model;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = model::run_bytes(data) {
        panic!("{e}");
    }
});
