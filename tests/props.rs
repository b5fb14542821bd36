//! Property tests of the Rust core against simple models (tests/model/mod.rs): the run queue
//! (one FIFO per level), the timer pairing heap (a Vec sorted by wrapping key distance and
//! insertion order, keys and insertion numbers crossing their wrap), waiter lists (FIFOs),
//! the mailbox (posts coalesce, stale handles refused, the counters add up) and counted permits
//! (FIFO hand-off; a cancelled task handed a permit passes it on, through the loop's own
//! `take_thrown`; no permit lost or made).
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

// ---- Permits (Semaphore, Lock): FIFO hand-off, and the hand-off rule on cancel --------------

use eventio::abi::{eio_loop_t, eio_obj_t, eio_permits_t, EIO_OK, EIO_YIELD};
use eventio::task::{eio_task_init, TaskPtr};
use eventio::{executor, permits, run_queue};
use std::collections::VecDeque;

#[derive(Debug, Clone)]
enum PermOp {
    Acquire(u8),
    Release(u8),
    Run,
    Cancel(u8),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum PState {
    Idle,
    Waiting,
    Granted,
    Holding,
    CancelledWaiting,
    CancelledGranted,
}

fn perm_op(n: u8) -> impl Strategy<Value = PermOp> {
    prop_oneof![
        4 => (0..n).prop_map(PermOp::Acquire),
        3 => (0..n).prop_map(PermOp::Release),
        4 => Just(PermOp::Run),
        2 => (0..n).prop_map(PermOp::Cancel),
    ]
}

fn run_permits_case(n: usize, initial: usize, ops: &[PermOp]) -> Result<(), String> {
    let mut l = Box::new(eio_loop_t::default());
    let mut p = Box::new(eio_permits_t::default());
    let ts: Vec<TaskPtr> = (0..n)
        .map(|_| {
            let t = Box::into_raw(Box::new(eventio::abi::eio_task_t::default()));
            // SAFETY: freshly boxed.
            unsafe { eio_task_init(t, std::ptr::null_mut()) };
            t
        })
        .collect();
    // SAFETY: all boxed and live for the whole case; each call below is what the glue or the
    // loop does at that point of a task's life.
    unsafe {
        executor::eio_loop_init(&mut *l);
        permits::eio_permits_init(&mut *p, std::ptr::null(), initial);
    }
    let idx = |t: TaskPtr| ts.iter().position(|&u| u == t).unwrap();
    let (mut count, mut waiting, mut ready) = (initial, VecDeque::<usize>::new(), VecDeque::<usize>::new());
    let mut st = vec![PState::Idle; n];
    let hand_on = |count: &mut usize, waiting: &mut VecDeque<usize>, ready: &mut VecDeque<usize>, st: &mut Vec<PState>| {
        match waiting.pop_front() {
            Some(w) => {
                st[w] = PState::Granted;
                ready.push_back(w);
            }
            None => *count += 1,
        }
    };
    for (step, op) in ops.iter().enumerate() {
        let ctx = |e: String| format!("step {step} {op:?}: {e}");
        match *op {
            PermOp::Acquire(i) if st[i as usize] == PState::Idle => {
                let i = i as usize;
                l.current = ts[i];
                let r = unsafe { permits::eio_permits_acquire(&mut *l, &mut *p) };
                l.current = std::ptr::null_mut();
                let want = if count > 0 && waiting.is_empty() {
                    count -= 1;
                    st[i] = PState::Holding;
                    EIO_OK
                } else {
                    waiting.push_back(i);
                    st[i] = PState::Waiting;
                    EIO_YIELD
                };
                if r != want {
                    return Err(ctx(format!("acquire gave {r}, model {want}")));
                }
            }
            PermOp::Release(i) if st[i as usize] == PState::Holding => {
                st[i as usize] = PState::Idle;
                unsafe { permits::eio_permits_release(&mut *l, &mut *p) };
                hand_on(&mut count, &mut waiting, &mut ready, &mut st);
            }
            PermOp::Cancel(i) => {
                let i = i as usize;
                let exc = 8 as eio_obj_t;
                match st[i] {
                    PState::Waiting => {
                        unsafe { executor::eio_task_cancel(&mut *l, ts[i], exc) };
                        waiting.retain(|&w| w != i);
                        ready.push_back(i);
                        st[i] = PState::CancelledWaiting;
                    }
                    PState::Granted => {
                        unsafe { executor::eio_task_cancel(&mut *l, ts[i], exc) };
                        st[i] = PState::CancelledGranted;
                    }
                    _ => {}
                }
            }
            PermOp::Run => {
                let t = run_queue::top(&l);
                let want = ready.pop_front();
                if t.is_null() {
                    if want.is_some() {
                        return Err(ctx(format!("nothing ready, model {want:?}")));
                    }
                    continue;
                }
                let i = idx(t);
                if Some(i) != want {
                    return Err(ctx(format!("task {i} ready first, model {want:?}")));
                }
                unsafe { run_queue::remove(&mut l, t) };
                // As the loop's step, then the awaitable's: a cancel raises out of acquire.
                let thrown = unsafe { executor::take_thrown(&mut *l, t) };
                match st[i] {
                    PState::CancelledWaiting | PState::CancelledGranted => {
                        if thrown.is_null() {
                            return Err(ctx("cancel not thrown".into()));
                        }
                        if st[i] == PState::CancelledGranted {
                            hand_on(&mut count, &mut waiting, &mut ready, &mut st);
                        }
                        st[i] = PState::Idle;
                    }
                    PState::Granted => {
                        l.current = t;
                        let r = unsafe { permits::eio_permits_acquire(&mut *l, &mut *p) };
                        l.current = std::ptr::null_mut();
                        if r != EIO_OK {
                            return Err(ctx(format!("granted task's acquire gave {r}")));
                        }
                        st[i] = PState::Holding;
                    }
                    s => return Err(ctx(format!("task {i} ran in state {s:?}"))),
                }
            }
            _ => {}
        }
        // The permits match the model: free count, grants outstanding, the waiters' order.
        let granted = st.iter().filter(|s| matches!(s, PState::Granted | PState::CancelledGranted)).count();
        let holding = st.iter().filter(|s| **s == PState::Holding).count();
        if p.count != count || p.granted != granted {
            return Err(ctx(format!("count/granted {}/{}, model {count}/{granted}", p.count, p.granted)));
        }
        if count + granted + holding != initial {
            return Err(ctx("a permit was lost or made".into()));
        }
        let mut list = Vec::new();
        let mut w = p.waiters.head;
        while !w.is_null() {
            list.push(idx(w));
            w = unsafe { (*w).next };
        }
        if list != Vec::from(waiting.clone()) {
            return Err(ctx(format!("waiters {list:?}, model {waiting:?}")));
        }
        if !waiting.is_empty() && count != 0 {
            return Err(ctx("a permit is free while tasks wait".into()));
        }
    }
    for t in ts {
        // SAFETY: boxed above; nothing refers to them once the case is over.
        drop(unsafe { Box::from_raw(t) });
    }
    Ok(())
}

#[test]
fn permits_hand_on_fifo_and_a_cancelled_grant_goes_on() {
    check(512, (0usize..3, prop::collection::vec(perm_op(6), 0..200)), |(initial, ops)| run_permits_case(6, initial, &ops));
}
