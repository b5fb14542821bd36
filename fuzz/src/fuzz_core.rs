//! The fuzz target without libFuzzer, on the stable toolchain: random operation sequences from
//! a seeded generator for a given time, checked against the same models as the cargo-fuzz
//! target (tests/model/mod.rs).  No coverage guidance, but deterministic per seed.
//!
//!   cargo run --release --no-default-features --bin fuzz_core -- --seconds 600 [--seed N]
//!   cargo run --release --no-default-features --bin fuzz_core -- FILE...   (replay inputs,
//!       e.g. artifacts/core_ops/crash-* found by cargo fuzz)
//!
//! A failing input is written to artifacts/core_ops/replay-<seed>-<iteration>, which both this
//! harness and `cargo fuzz run core_ops FILE` replay.

#[path = "port.rs"]
mod port;
#[path = "../../tests/model/mod.rs"]
mod model;

use std::time::{Duration, Instant};

struct SplitMix(u64);
impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// Random bytes, biased towards the operations' tag values so each kind appears often, in
/// short and long sequences.
fn input(rng: &mut SplitMix, out: &mut Vec<u8>) {
    out.clear();
    let len = match rng.next() % 4 {
        0 => rng.next() % 64,
        1 | 2 => rng.next() % 1024,
        _ => rng.next() % 8192,
    } as usize;
    // Some runs concentrate on one structure: keep tags within one group.
    let group = rng.next() % 5;
    while out.len() < len {
        let r = rng.next();
        let tag = match group {
            0 => (r % 4) as u8,                // run queue
            1 => (4 + r % 3) as u8 | (r >> 8 & 0x80) as u8, // timers
            2 => (7 + r % 3) as u8,            // waiter lists
            3 => (10 + r % 9) as u8 | (r >> 9 & 0x80) as u8, // mailbox
            _ => r as u8,                      // everything
        };
        out.push(tag);
        for k in 0..4 {
            out.push((r >> (16 + 8 * k)) as u8 % if k == 0 { 64 } else { 255 });
        }
    }
}

fn save(seed: u64, iter: u64, data: &[u8]) -> String {
    let dir = std::path::Path::new("artifacts/core_ops");
    let _ = std::fs::create_dir_all(dir);
    let p = dir.join(format!("replay-{seed}-{iter}"));
    let _ = std::fs::write(&p, data);
    p.display().to_string()
}

fn main() {
    let mut seconds = 60u64;
    let mut seed = 1u64;
    let mut files = vec![];
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seconds" => seconds = args.next().and_then(|s| s.parse().ok()).expect("--seconds N"),
            "--seed" => seed = args.next().and_then(|s| s.parse().ok()).expect("--seed N"),
            _ => files.push(a),
        }
    }
    if !files.is_empty() {
        let mut failed = 0;
        for f in &files {
            let data = std::fs::read(f).expect("read input");
            match model::run_bytes(&data) {
                Ok(()) => println!("{f}: ok"),
                Err(e) => {
                    println!("{f}: FAILED: {e}");
                    failed += 1;
                }
            }
        }
        println!("{} passed, {} failed", files.len() - failed, failed);
        std::process::exit(if failed == 0 { 0 } else { 1 });
    }
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let mut rng = SplitMix(seed);
    let (mut iters, mut ops_bytes) = (0u64, 0u64);
    let mut data = Vec::new();
    while Instant::now() < deadline {
        for _ in 0..64 {
            input(&mut rng, &mut data);
            if let Err(e) = model::run_bytes(&data) {
                let p = save(seed, iters, &data);
                eprintln!("fuzz_core: FAILED at seed {seed}, input {iters}: {e}\ninput saved to {p}");
                println!("fuzz_core: 0 passed, 1 failed");
                std::process::exit(1);
            }
            iters += 1;
            ops_bytes += data.len() as u64;
        }
    }
    println!(
        "fuzz_core: {iters} inputs ({} MB of operations) in {:.0} s, seed {seed}, no failure; port wakes {}",
        ops_bytes / 1_000_000,
        start.elapsed().as_secs_f64(),
        port::WAKES.load(std::sync::atomic::Ordering::Relaxed)
    );
    println!("fuzz_core: {iters} passed, 0 failed");
}
