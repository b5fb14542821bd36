//! Generates the Rust side of the C ABI from `include/eventio.h` (the one definition of it) and
//! builds the C test of the ABI that `cargo test` runs (tests/c/abi_test.c).
use std::{env, path::PathBuf};

fn main() {
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=include/eventio.h");
    println!("cargo:rerun-if-changed=tests/c/abi_test.c");

    let target = env::var("TARGET").unwrap();
    let mut builder = bindgen::Builder::default()
        .header("include/eventio.h")
        .use_core()
        .ctypes_prefix("cty")
        .allowlist_type("eio_.*")
        .allowlist_function("eio_.*")
        .allowlist_var("EIO_.*")
        .prepend_enum_name(false)
        .default_enum_style(bindgen::EnumVariation::Consts)
        .derive_default(true)
        .layout_tests(false);
    // libclang needs the target to lay structs out as the firmware's C compiler does (every
    // 32-bit Arm or RISC-V target lays the ABI's structs out alike).
    let clang_target = match env::var("CARGO_CFG_TARGET_ARCH").unwrap().as_str() {
        "arm" => Some("thumbv7m-none-eabi"),
        "riscv32" => Some("riscv32-unknown-none-elf"),
        _ => None,
    };
    if let Some(t) = clang_target {
        builder = builder.clang_arg(format!("--target={t}")).clang_arg("-ffreestanding");
    }
    builder
        .generate()
        .expect("bindgen: include/eventio.h")
        .write_to_file(out.join("abi.rs"))
        .unwrap();

    // The C test of the ABI: a fake glue and port that drive the core exactly as the real glue
    // does. Linked into the integration tests only, never into the library itself.
    if target == env::var("HOST").unwrap() {
        cc::Build::new()
            .file("tests/c/abi_test.c")
            .include("include")
            .warnings(true)
            .extra_warnings(true)
            .cargo_metadata(false)
            .compile("eio_abi_test");
        println!("cargo:rustc-link-arg-tests={}", out.join("libeio_abi_test.a").display());
    }
}
