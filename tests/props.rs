//! Property tests of the Rust core against simple models (tests/model/mod.rs): the run queue
//! (one FIFO per level), the timer pairing heap (a Vec sorted by wrapping key distance and
//! insertion order, keys and insertion numbers crossing their wrap), waiter lists (FIFOs) and
//! the mailbox (posts coalesce, stale handles refused, the counters add up).
//!
//! Deterministic: proptest's seed is fixed below (no persisted failure files), so `cargo test`
//! runs the same cases every time.  Set PROPTEST_CASES to run more.
//! The port's functions (eio_port_*, eio_glue_*) come from tests/c/abi_test.c, which build.rs
//! links into every integration test.

mod model;

use model::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn runner(cases: u32) -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(cases);
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]))
}

fn check<T: std::fmt::Debug>(cases: u32, strategy: impl Strategy<Value = T>, f: impl Fn(T) -> Result<(), String>) {
    let result = runner(cases).run(&strategy, |v| f(v).map_err(TestCaseError::fail));
    if let Err(e) = result {
        panic!("{e}");
    }
}

// ---- Run queue ------------------------------------------------------------------------------

fn rq_op() -> impl Strategy<Value = RqOp> {
    prop_oneof![
        4 => (0u8..12, 0u8..9).prop_map(|(task, level)| RqOp::Push { task, level }),
        2 => (0u8..12).prop_map(|task| RqOp::Remove { task }),
        3 => Just(RqOp::PopTop),
        1 => (0u8..12, 0u8..9).prop_map(|(task, level)| RqOp::SetPriority { task, level }),
    ]
}

#[test]
fn run_queue_is_one_fifo_per_level() {
    check(256, prop::collection::vec(rq_op(), 0..200), |ops| {
        let mut m = RunQueueModel::new(12);
        for (i, op) in ops.iter().enumerate() {
            m.apply(op).map_err(|e| format!("step {i} {op:?}: {e}"))?;
        }
        Ok(())
    });
}

// ---- Timer heap -----------------------------------------------------------------------------

fn timer_op(tasks: u8, spread: u16) -> impl Strategy<Value = TimerOp> {
    prop_oneof![
        5 => (0..tasks, 0..=spread).prop_map(|(task, offset)| TimerOp::Insert { task, offset }),
        3 => Just(TimerOp::Pop),
        2 => (0..tasks).prop_map(|task| TimerOp::Remove { task }),
    ]
}

/// Keys start anywhere, often just before the wrap of the key type; insertion numbers too.
fn key_base() -> impl Strategy<Value = usize> {
    prop_oneof![
        any::<usize>(),
        (0usize..64).prop_map(|d| usize::MAX - d),
        (0usize..64).prop_map(|d| (isize::MAX as usize).wrapping_sub(d)),
    ]
}

fn seq_base() -> impl Strategy<Value = u32> {
    prop_oneof![any::<u32>(), (0u32..64).prop_map(|d| u32::MAX - d)]
}

fn timer_case(tasks: u8, spread: u16, len: usize) -> impl Strategy<Value = (usize, u32, Vec<TimerOp>)> {
    (key_base(), seq_base(), prop::collection::vec(timer_op(tasks, spread), 0..len))
}

fn run_timer_case(tasks: u8, (base, seq0, ops): (usize, u32, Vec<TimerOp>)) -> Result<(), String> {
    let mut m = TimerModel::new(tasks as usize, base, seq0);
    for (i, op) in ops.iter().enumerate() {
        m.apply(op).map_err(|e| format!("step {i} {op:?}: {e}"))?;
    }
    while m.len() > 0 {
        m.apply(&TimerOp::Pop).map_err(|e| format!("draining: {e}"))?;
    }
    Ok(())
}

#[test]
fn timer_heap_matches_sorted_model_with_many_ties() {
    // Few distinct deadlines: order among equal keys must be insertion order.
    check(256, timer_case(24, 4, 300), |c| run_timer_case(24, c));
}

#[test]
fn timer_heap_matches_sorted_model_with_spread_keys() {
    // Keys spread over 2^16 around the base, straddling the wrap when the base is near it.
    check(192, timer_case(64, u16::MAX, 400), |c| run_timer_case(64, c));
}

// ---- Waiter lists ---------------------------------------------------------------------------

fn wait_op() -> impl Strategy<Value = WaitOp> {
    prop_oneof![
        4 => (0u8..10, 0u8..3).prop_map(|(task, list)| WaitOp::Push { task, list }),
        3 => (0u8..10).prop_map(|task| WaitOp::Remove { task }),
        3 => (0u8..3).prop_map(|list| WaitOp::Pop { list }),
    ]
}

#[test]
fn waiter_lists_are_fifos_with_removal_anywhere() {
    check(256, prop::collection::vec(wait_op(), 0..200), |ops| {
        let mut m = WaitersModel::new(10);
        for (i, op) in ops.iter().enumerate() {
            m.apply(op).map_err(|e| format!("step {i} {op:?}: {e}"))?;
        }
        Ok(())
    });
}

// ---- Mailbox --------------------------------------------------------------------------------

fn flag_op() -> impl Strategy<Value = FlagOp> {
    let flag = 0u8..FLAGS as u8;
    prop_oneof![
        3 => flag.clone().prop_map(|flag| FlagOp::Init { flag }),
        1 => flag.clone().prop_map(|flag| FlagOp::Deinit { flag }),
        6 => flag.clone().prop_map(|flag| FlagOp::Post { flag }),
        1 => any::<u8>().prop_map(|k| FlagOp::PostStale { k }),
        1 => any::<u32>().prop_map(|handle| FlagOp::PostRaw { handle }),
        1 => flag.clone().prop_map(|flag| FlagOp::Clear { flag }),
        4 => (0u8..8, flag).prop_map(|(task, flag)| FlagOp::Wait { task, flag }),
        1 => (0u8..8).prop_map(|task| FlagOp::Cancel { task }),
        3 => Just(FlagOp::Deliver),
        3 => Just(FlagOp::Run),
        1 => Just(FlagOp::Announce),
    ]
}

#[test]
fn mailbox_matches_model() {
    let _g = MAILBOX_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    check(256, prop::collection::vec(flag_op(), 0..200), |ops| {
        let mut m = MailboxModel::new(8);
        for (i, op) in ops.iter().enumerate() {
            m.apply(op).map_err(|e| format!("step {i} {op:?}: {e}"))?;
        }
        // Let the loop look at everything: then posts = coalesced + delivered (+ wiped, see
        // MailboxModel::lost_by_reuse), which check() asserts.
        m.apply(&FlagOp::Deliver)?;
        if !m.all_looked_at() {
            return Err("posts still pending after deliver".into());
        }
        Ok(())
    });
}

#[test]
fn mailbox_counters_add_up_while_flags_live() {
    // Without slot reuse (no deinit), every post is coalesced or delivered once the loop has
    // looked: the invariant eventio.stats() documents.
    let _g = MAILBOX_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let ops = prop::collection::vec(flag_op().prop_filter("no deinit", |o| !matches!(o, FlagOp::Deinit { .. })), 0..200);
    check(128, ops, |ops| {
        let mut m = MailboxModel::new(8);
        for (i, op) in ops.iter().enumerate() {
            m.apply(op).map_err(|e| format!("step {i} {op:?}: {e}"))?;
        }
        m.apply(&FlagOp::Deliver)?;
        if m.lost_by_reuse != 0 {
            return Err("a post was lost without a deinit".into());
        }
        Ok(())
    });
}

// ---- Everything, from bytes: the fuzz target's harness, with proptest's bytes ---------------

#[test]
fn core_ops_from_random_bytes() {
    let _g = MAILBOX_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    check(128, prop::collection::vec(any::<u8>(), 0..1500), |bytes| run_bytes(&bytes));
}
