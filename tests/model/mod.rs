//! Reference models of the core's queues and of the mailbox, and drivers that apply one
//! operation to the real structure and to the model, then check that they agree and that the
//! real structure is well formed.  Shared by `tests/props.rs` (proptest) and `fuzz/` (the
//! cargo-fuzz target and the stable replay harness), so both check the same properties.
//!
//! An operation whose precondition does not hold in the model (popping a task that is not
//! queued, ...) is skipped: generators and fuzzers may then produce anything.
//!
//! Every check returns `Err(message)` instead of panicking, so a failure names the step.
#![allow(dead_code)]

use eventio::abi::*;
use eventio::task::{eio_task_init, At, TaskExt, TaskPtr};
use eventio::{event, executor, run_queue, stats, timer, waiters};
use std::collections::{BTreeSet, VecDeque};
use std::ptr::null_mut;

pub type Check = Result<(), String>;

macro_rules! ensure {
    ($cond:expr, $($fmt:tt)*) => {
        if !$cond {
            return Err(format!($($fmt)*));
        }
    };
}

/// A pool of boxed tasks with stable addresses, freed on drop.
pub struct Tasks(Vec<TaskPtr>);

impl Tasks {
    pub fn new(n: usize) -> Self {
        Tasks(
            (0..n)
                .map(|_| {
                    let t = Box::into_raw(Box::new(eio_task_t::default()));
                    // SAFETY: freshly boxed.
                    unsafe { eio_task_init(t, null_mut()) };
                    t
                })
                .collect(),
        )
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn ptr(&self, i: usize) -> TaskPtr {
        self.0[i]
    }
    pub fn index_of(&self, t: TaskPtr) -> Option<usize> {
        self.0.iter().position(|&p| p == t)
    }
    pub fn at(&self, i: usize) -> At {
        // SAFETY: the pool's tasks live until drop.
        unsafe { (*self.0[i]).place() }
    }
}

impl Drop for Tasks {
    fn drop(&mut self) {
        for &t in &self.0 {
            // SAFETY: boxed in new(), freed once.
            drop(unsafe { Box::from_raw(t) });
        }
    }
}

/// Walk a list (linked by `next`) from `head`, checking that it ends at `tail`; returns the
/// pool indices of its members.
fn walk_list(tasks: &Tasks, head: TaskPtr, tail: TaskPtr, what: &str) -> Result<Vec<usize>, String> {
    let mut out = vec![];
    let mut prev: TaskPtr = null_mut();
    let mut t = head;
    while !t.is_null() {
        let i = tasks.index_of(t).ok_or_else(|| format!("{what}: a member is not a pool task"))?;
        ensure!(out.len() <= tasks.len(), "{what}: cycle");
        out.push(i);
        prev = t;
        // SAFETY: pool task.
        t = unsafe { (*t).next };
    }
    ensure!(prev == tail, "{what}: `tail` is not the last member");
    Ok(out)
}

// ---- Run queue ------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub enum RqOp {
    /// Queue a task that is not queued, at level `level` (clamped to 0..7, as the glue checks).
    Push { task: u8, level: u8 },
    /// Remove a queued task from anywhere.
    Remove { task: u8 },
    /// Remove the head of the highest non-empty level (what the loop runs next).
    PopTop,
    /// Move a task (queued or not) to another level with eio_set_priority.
    SetPriority { task: u8, level: u8 },
}

/// The run queue against one FIFO per level.
pub struct RunQueueModel {
    pub tasks: Tasks,
    l: Box<eio_loop_t>,
    levels: Vec<VecDeque<usize>>,
}

impl RunQueueModel {
    pub fn new(n: usize) -> Self {
        let mut l = Box::new(eio_loop_t::default());
        // SAFETY: writable loop.
        unsafe { executor::eio_loop_init(&mut *l) };
        RunQueueModel { tasks: Tasks::new(n), l, levels: vec![VecDeque::new(); EIO_LEVELS as usize] }
    }

    fn queued(&self, i: usize) -> Option<usize> {
        self.levels.iter().position(|q| q.contains(&i))
    }

    pub fn apply(&mut self, op: &RqOp) -> Check {
        let n = self.tasks.len();
        match *op {
            RqOp::Push { task, level } => {
                let i = task as usize % n;
                if self.queued(i).is_some() {
                    return Ok(());
                }
                let t = self.tasks.ptr(i);
                // SAFETY: pool task, unlinked.
                unsafe {
                    (*t).set_level(level.min(EIO_LEVELS as u8 - 1));
                    run_queue::push(&mut self.l, t);
                }
                self.levels[(level as usize).min(EIO_LEVELS as usize - 1)].push_back(i);
            }
            RqOp::Remove { task } => {
                let i = task as usize % n;
                let Some(lv) = self.queued(i) else { return Ok(()) };
                // SAFETY: queued at its level.
                unsafe { run_queue::remove(&mut self.l, self.tasks.ptr(i)) };
                self.levels[lv].retain(|&x| x != i);
            }
            RqOp::PopTop => {
                let want = self.levels.iter_mut().rev().find(|q| !q.is_empty()).map(|q| q.pop_front().unwrap());
                let got = run_queue::top(&self.l);
                match want {
                    None => ensure!(got.is_null(), "top() of an empty queue is not null"),
                    Some(i) => {
                        ensure!(got == self.tasks.ptr(i), "top() is {:?}, the model's is task {i}", self.tasks.index_of(got));
                        // SAFETY: queued.
                        unsafe { run_queue::remove(&mut self.l, got) };
                    }
                }
            }
            RqOp::SetPriority { task, level } => {
                let i = task as usize % n;
                let t = self.tasks.ptr(i);
                let new = (level as usize).min(EIO_LEVELS as usize - 1);
                // SAFETY: pool task, in the place its `at` says.
                let old = unsafe { (*t).level() } as usize;
                unsafe { executor::eio_set_priority(&mut *self.l, t, level as u32) };
                ensure!(unsafe { (*t).level() } as usize == new, "priority not set to {new}");
                if let Some(lv) = self.queued(i) {
                    if old != new {
                        self.levels[lv].retain(|&x| x != i);
                        self.levels[new].push_back(i);
                    }
                }
            }
        }
        self.check()
    }

    pub fn check(&self) -> Check {
        let mut bits = 0u32;
        for (lv, q) in self.levels.iter().enumerate() {
            let got = walk_list(&self.tasks, self.l.ready_head[lv], self.l.ready_tail[lv], "run queue")?;
            ensure!(got.iter().eq(q.iter()), "level {lv}: queue {got:?}, model {q:?}");
            if !q.is_empty() {
                bits |= 1 << lv;
            }
        }
        ensure!(self.l.ready_levels == bits, "ready_levels {:#x}, model {bits:#x}", self.l.ready_levels);
        for i in 0..self.tasks.len() {
            let want = if self.queued(i).is_some() { At::Ready } else { At::None };
            ensure!(self.tasks.at(i) == want, "task {i} at {:?}, model {want:?}", self.tasks.at(i));
        }
        let want_top = self.levels.iter().rev().find_map(|q| q.front().copied());
        ensure!(
            self.tasks.index_of(run_queue::top(&self.l)) == want_top,
            "top() is not the model's {want_top:?}"
        );
        Ok(())
    }
}

// ---- Timer heap -----------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub enum TimerOp {
    /// Insert a task not in the heap with deadline `base + offset` (wrapping).
    Insert { task: u8, offset: u16 },
    /// Pop the earliest.
    Pop,
    /// Remove a task from anywhere in the heap.
    Remove { task: u8 },
}

/// The pairing heap against a Vec kept sorted by (wrapping distance of the key from a base,
/// insertion order).  All keys lie within 2^16 of `base`, so the wrapping comparison the heap
/// uses is a total order on them even when they straddle the wrap of the key type.
pub struct TimerModel {
    pub tasks: Tasks,
    heap: TaskPtr,
    base: eio_key_t,
    next_seq: u32,
    inserted: u64,
    /// (offset from base, insertion number, task): sorted, the earliest first.
    model: Vec<(u16, u64, usize)>,
}

impl TimerModel {
    /// `base`: where keys start (pass one near `usize::MAX` to cross the wrap); `seq0`: the
    /// first insertion number (near `u32::MAX` to cross its wrap too).
    pub fn new(n: usize, base: eio_key_t, seq0: u32) -> Self {
        TimerModel { tasks: Tasks::new(n), heap: null_mut(), base, next_seq: seq0, inserted: 0, model: vec![] }
    }

    pub fn len(&self) -> usize {
        self.model.len()
    }

    pub fn apply(&mut self, op: &TimerOp) -> Check {
        let n = self.tasks.len();
        match *op {
            TimerOp::Insert { task, offset } => {
                let i = task as usize % n;
                if self.model.iter().any(|e| e.2 == i) {
                    return Ok(());
                }
                let t = self.tasks.ptr(i);
                // SAFETY: pool task, unlinked.
                unsafe {
                    (*t).key = self.base.wrapping_add(offset as eio_key_t);
                    (*t).set_order(self.next_seq);
                    timer::insert(&mut self.heap, t);
                }
                self.next_seq = self.next_seq.wrapping_add(1);
                let e = (offset, self.inserted, i);
                self.inserted += 1;
                let at = self.model.partition_point(|x| (x.0, x.1) < (e.0, e.1));
                self.model.insert(at, e);
            }
            TimerOp::Pop => {
                // SAFETY: well-formed heap.
                let got = unsafe { timer::pop(&mut self.heap) };
                if self.model.is_empty() {
                    ensure!(got.is_null(), "pop() of an empty heap is not null");
                } else {
                    let (off, _, i) = self.model.remove(0);
                    ensure!(
                        got == self.tasks.ptr(i),
                        "pop() gave task {:?}, the model task {i} (offset {off})",
                        self.tasks.index_of(got)
                    );
                }
            }
            TimerOp::Remove { task } => {
                let i = task as usize % n;
                let Some(pos) = self.model.iter().position(|e| e.2 == i) else { return Ok(()) };
                // SAFETY: a node of the heap.
                unsafe { timer::remove(&mut self.heap, self.tasks.ptr(i)) };
                self.model.remove(pos);
            }
        }
        self.check()
    }

    /// Heap order, sibling/parent links, membership and the root, against the model.
    pub fn check(&self) -> Check {
        let mut seen = vec![false; self.tasks.len()];
        let mut count = 0usize;
        if !self.heap.is_null() {
            // SAFETY: pool tasks (checked as visited).
            unsafe {
                ensure!((*self.heap).next.is_null(), "root has siblings");
                let mut stack = vec![self.heap];
                while let Some(p) = stack.pop() {
                    let pi = self.tasks.index_of(p).ok_or("heap: a node is not a pool task")?;
                    ensure!(!seen[pi], "heap: task {pi} reached twice");
                    seen[pi] = true;
                    count += 1;
                    ensure!((*p).place() == At::Timer, "heap: task {pi} at {:?}", (*p).place());
                    let mut c = (*p).child();
                    let tagged_parent = (p as usize | 1) as TaskPtr;
                    while !c.is_null() {
                        ensure!(!timer::less(c, p), "heap: a child is due before its parent {pi}");
                        stack.push(c);
                        let n = (*c).next;
                        if n as usize & 1 != 0 {
                            ensure!(n == tagged_parent, "heap: the last child of task {pi} names another parent");
                            break;
                        }
                        ensure!(!n.is_null(), "heap: the last child of task {pi} does not name its parent");
                        c = n;
                    }
                }
            }
        }
        ensure!(count == self.model.len(), "heap holds {count} tasks, the model {}", self.model.len());
        for &(_, _, i) in &self.model {
            ensure!(seen[i], "task {i} is missing from the heap");
        }
        for (i, &s) in seen.iter().enumerate() {
            if !s {
                ensure!(self.tasks.at(i) == At::None, "task {i} out of the heap but at {:?}", self.tasks.at(i));
            }
        }
        match self.model.first() {
            None => ensure!(self.heap.is_null(), "root of an empty heap is not null"),
            Some(&(_, _, i)) => ensure!(self.heap == self.tasks.ptr(i), "root is not the model's first, task {i}"),
        }
        Ok(())
    }
}

// ---- Waiter lists ---------------------------------------------------------------------------

pub const WAIT_LISTS: usize = 3;

#[derive(Clone, Debug)]
pub enum WaitOp {
    Push { task: u8, list: u8 },
    Remove { task: u8 },
    Pop { list: u8 },
}

/// Waiter lists against one FIFO each.
pub struct WaitersModel {
    pub tasks: Tasks,
    lists: Vec<Box<eio_waitable_t>>,
    model: Vec<VecDeque<usize>>,
}

impl WaitersModel {
    pub fn new(n: usize) -> Self {
        WaitersModel {
            tasks: Tasks::new(n),
            lists: (0..WAIT_LISTS).map(|_| Box::new(eio_waitable_t::default())).collect(),
            model: vec![VecDeque::new(); WAIT_LISTS],
        }
    }

    fn waiting(&self, i: usize) -> Option<usize> {
        self.model.iter().position(|q| q.contains(&i))
    }

    fn list(&mut self, w: usize) -> *mut eio_waitable_t {
        &mut *self.lists[w]
    }

    pub fn apply(&mut self, op: &WaitOp) -> Check {
        let n = self.tasks.len();
        match *op {
            WaitOp::Push { task, list } => {
                let (i, w) = (task as usize % n, list as usize % WAIT_LISTS);
                if self.waiting(i).is_some() {
                    return Ok(());
                }
                let wp = self.list(w);
                // SAFETY: valid list, unlinked task.
                unsafe { waiters::push(wp, self.tasks.ptr(i)) };
                self.model[w].push_back(i);
            }
            WaitOp::Remove { task } => {
                let i = task as usize % n;
                let Some(w) = self.waiting(i) else { return Ok(()) };
                let wp = self.list(w);
                // SAFETY: a member of `w`.
                unsafe { waiters::remove(wp, self.tasks.ptr(i)) };
                // SAFETY: pool task.
                ensure!(unsafe { (*self.tasks.ptr(i)).wait_on() } == wp, "remove() cleared wait_on");
                self.model[w].retain(|&x| x != i);
            }
            WaitOp::Pop { list } => {
                let w = list as usize % WAIT_LISTS;
                let wp = self.list(w);
                // SAFETY: valid list.
                let got = unsafe { waiters::pop(wp) };
                let want = self.model[w].pop_front();
                ensure!(
                    self.tasks.index_of(got) == want,
                    "pop() of list {w} gave {:?}, the model {want:?}",
                    self.tasks.index_of(got)
                );
            }
        }
        self.check()
    }

    pub fn check(&self) -> Check {
        for (w, q) in self.model.iter().enumerate() {
            let wp: *const eio_waitable_t = &*self.lists[w];
            let got = walk_list(&self.tasks, self.lists[w].head, self.lists[w].tail, "waiters")?;
            ensure!(got.iter().eq(q.iter()), "list {w}: {got:?}, model {q:?}");
            for &i in q {
                // SAFETY: pool task.
                ensure!(unsafe { (*self.tasks.ptr(i)).wait_on() } as *const _ == wp, "task {i}: wait_on is not list {w}");
            }
        }
        for i in 0..self.tasks.len() {
            let want = if self.waiting(i).is_some() { At::Waiter } else { At::None };
            ensure!(self.tasks.at(i) == want, "task {i} at {:?}, model {want:?}", self.tasks.at(i));
        }
        Ok(())
    }
}

// ---- The mailbox ----------------------------------------------------------------------------

pub const FLAGS: usize = 6;
const INDEX_MASK: u32 = EIO_MAX_FLAGS - 1;

#[derive(Clone, Debug)]
pub enum FlagOp {
    /// eio_flag_init on flag object `flag` (if it is not live).
    Init { flag: u8 },
    /// eio_flag_deinit (if live and nobody waits on it: a flag with waiters is kept alive).
    Deinit { flag: u8 },
    /// eio_post of `flag`'s handle: its live one, or its last one if it is gone (stale).
    Post { flag: u8 },
    /// eio_post of a handle given out earlier whose flag is gone.
    PostStale { k: u8 },
    /// eio_post of an arbitrary number.
    PostRaw { handle: u32 },
    /// eio_flag_clear.
    Clear { flag: u8 },
    /// eio_flag_wait from task `task` (if it is idle).
    Wait { task: u8, flag: u8 },
    /// A cancel: a waiter leaves before the flag is set (eio_wake); or a task a set woke is
    /// cancelled before it runs (it comes back with an exception, not to the flag).
    Cancel { task: u8 },
    /// The loop's turn: event::deliver.
    Deliver,
    /// The loop runs the first ready task (it then is idle again).
    Run,
    /// event::announce_sleep (then end_sleep): refused iff a post is waiting.
    Announce,
}

#[derive(Clone, Debug, Default)]
struct FlagState {
    live: bool,
    handle: u32,
    is_set: bool,
    waiters: VecDeque<usize>,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum TaskState {
    Idle,
    Waiting(usize),
    /// Queued; `Some(f)`: woken by a set of flag `f`, which it consumes when it runs.
    Ready(Option<usize>),
}

/// The mailbox against a model: per slot a pending bit (posts coalesce), per flag its handle,
/// its set state and its waiters; the loop's run queue (level 0) and armed list; the counters.
///
/// The mailbox is global: hold [`MAILBOX_LOCK`] while one of these exists.  `new` first takes
/// whatever earlier users left pending, and drop gives back every slot it took.
pub struct MailboxModel {
    pub tasks: Tasks,
    l: Box<eio_loop_t>,
    flags: Vec<Box<eio_flag_t>>,
    model: Vec<FlagState>,
    tstate: Vec<TaskState>,
    ready: VecDeque<usize>,
    pending: BTreeSet<u32>, // slot indices posted and not yet taken
    any: bool,              // a post set a pending bit since the last deliver
    retired: Vec<u32>,      // handles of flags that are gone
    base: (u64, u64, u64),  // counters at the start
    posts: u64,
    coalesced: u64,
    delivered: u64,
    /// Posts lost without being counted (must stay 0: posts = coalesced + delivered + pending).
    pub lost_by_reuse: u64,
}

pub static MAILBOX_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn counters() -> (u64, u64, u64) {
    (stats::POSTS.get(), stats::POSTS_COALESCED.get(), stats::POSTS_DELIVERED.get())
}

fn flush_mailbox() {
    let mut scratch = Box::new(eio_loop_t::default());
    // SAFETY: a fresh loop; flags of earlier users are gone, so nobody is woken into it.
    unsafe {
        executor::eio_loop_init(&mut *scratch);
        event::deliver(&mut *scratch);
    }
}

impl MailboxModel {
    pub fn new(n: usize) -> Self {
        flush_mailbox();
        let mut l = Box::new(eio_loop_t::default());
        // SAFETY: writable loop.
        unsafe { executor::eio_loop_init(&mut *l) };
        MailboxModel {
            tasks: Tasks::new(n),
            l,
            flags: (0..FLAGS).map(|_| Box::new(eio_flag_t::default())).collect(),
            model: vec![FlagState::default(); FLAGS],
            tstate: vec![TaskState::Idle; n],
            ready: VecDeque::new(),
            pending: BTreeSet::new(),
            any: false,
            retired: vec![],
            base: counters(),
            posts: 0,
            coalesced: 0,
            delivered: 0,
            lost_by_reuse: 0,
        }
    }

    fn fp(&mut self, f: usize) -> *mut eio_flag_t {
        &mut *self.flags[f]
    }

    fn live_index(&self, index: u32) -> Option<usize> {
        self.model.iter().position(|m| m.live && m.handle & INDEX_MASK == index)
    }

    /// Expected result of posting `h`, applied to the model.
    fn model_post(&mut self, h: u32) -> i32 {
        let index = h & INDEX_MASK;
        if h == 0 || !self.model.iter().any(|m| m.live && m.handle == h) {
            return EIO_E_BAD_HANDLE;
        }
        self.posts += 1;
        if !self.pending.insert(index) {
            self.coalesced += 1;
        } else {
            self.any = true;
        }
        EIO_OK
    }

    fn post(&mut self, h: u32) -> Check {
        let want = self.model_post(h);
        let got = event::eio_post(h);
        ensure!(got == want, "eio_post({h:#x}) = {got}, the model {want}");
        Ok(())
    }

    pub fn apply(&mut self, op: &FlagOp) -> Check {
        let n = self.tasks.len();
        match *op {
            FlagOp::Init { flag } => {
                let f = flag as usize % FLAGS;
                if self.model[f].live {
                    return Ok(());
                }
                let fp = self.fp(f);
                // SAFETY: a writable flag object.
                let r = unsafe { event::eio_flag_init(fp) };
                ensure!(r == EIO_OK, "eio_flag_init = {r}");
                let h = self.flags[f].handle;
                ensure!(h != 0, "eio_flag_init gave handle 0");
                ensure!(!self.retired.contains(&h), "eio_flag_init gave out a retired handle {h:#x}");
                let index = h & INDEX_MASK;
                ensure!(self.live_index(index).is_none(), "eio_flag_init gave a slot in use");
                ensure!(!self.pending.contains(&index), "a new flag's slot had a post pending");
                self.model[f] = FlagState { live: true, handle: h, is_set: false, waiters: VecDeque::new() };
            }
            FlagOp::Deinit { flag } => {
                let f = flag as usize % FLAGS;
                // (A woken task still holds its flag: it is not finalised before that task runs.)
                if !self.model[f].live || !self.model[f].waiters.is_empty() || self.tstate.contains(&TaskState::Ready(Some(f))) {
                    return Ok(());
                }
                let fp = self.fp(f);
                // SAFETY: a live flag.
                let index = self.model[f].handle & INDEX_MASK;
                unsafe { event::eio_flag_deinit(fp) };
                ensure!(self.flags[f].handle == 0, "eio_flag_deinit left the handle");
                // A post still pending dies with the flag, counted as taken.
                if self.pending.remove(&index) {
                    self.delivered += 1;
                }
                let m = &mut self.model[f];
                m.live = false;
                self.retired.push(m.handle);
            }
            FlagOp::Post { flag } => {
                let f = flag as usize % FLAGS;
                let h = self.model[f].handle; // live, stale, or 0 for a flag never made
                self.post(h)?;
            }
            FlagOp::PostStale { k } => {
                if self.retired.is_empty() {
                    return Ok(());
                }
                let h = self.retired[k as usize % self.retired.len()];
                ensure!(event::eio_post(h) == EIO_E_BAD_HANDLE, "a stale handle {h:#x} was accepted");
            }
            FlagOp::PostRaw { handle } => self.post(handle)?,
            FlagOp::Clear { flag } => {
                let f = flag as usize % FLAGS;
                if !self.model[f].live {
                    return Ok(());
                }
                let index = self.model[f].handle & INDEX_MASK;
                if self.pending.remove(&index) {
                    self.delivered += 1;
                }
                self.model[f].is_set = false;
                let fp = self.fp(f);
                // SAFETY: a live flag.
                unsafe { event::eio_flag_clear(fp) };
            }
            FlagOp::Wait { task, flag } => {
                let (i, f) = (task as usize % n, flag as usize % FLAGS);
                if self.tstate[i] != TaskState::Idle || !self.model[f].live {
                    return Ok(());
                }
                let index = self.model[f].handle & INDEX_MASK;
                // One bit: a wait that returns takes the pending post and the delivered set.
                let posted = self.pending.remove(&index);
                if posted {
                    self.delivered += 1;
                }
                let want = if posted || self.model[f].is_set {
                    self.model[f].is_set = false;
                    EIO_RETURN
                } else {
                    self.model[f].waiters.push_back(i);
                    self.tstate[i] = TaskState::Waiting(f);
                    EIO_YIELD
                };
                let fp = self.fp(f);
                self.l.current = self.tasks.ptr(i);
                // SAFETY: a live flag; the current task is unlinked.
                let got = unsafe { event::eio_flag_wait(&mut *self.l, fp) };
                self.l.current = null_mut();
                ensure!(got == want, "eio_flag_wait = {got}, the model {want}");
            }
            FlagOp::Cancel { task } => {
                let i = task as usize % n;
                if let TaskState::Ready(Some(_)) = self.tstate[i] {
                    // Woken by a set, cancelled before it runs: it will not consume the set,
                    // which must stay in the flag (nothing in the core happens until it runs).
                    self.tstate[i] = TaskState::Ready(None);
                    return self.check();
                }
                let TaskState::Waiting(f) = self.tstate[i] else { return Ok(()) };
                // SAFETY: a waiting pool task.
                let woke = unsafe { executor::eio_wake(&mut *self.l, self.tasks.ptr(i)) };
                ensure!(woke, "eio_wake of a waiting task returned false");
                self.model[f].waiters.retain(|&x| x != i);
                self.tstate[i] = TaskState::Ready(None);
                self.ready.push_back(i);
            }
            FlagOp::Deliver => {
                for index in std::mem::take(&mut self.pending) {
                    self.delivered += 1;
                    if let Some(f) = self.live_index(index) {
                        // Set, and every waiter woken: the first of them to run consumes it.
                        self.model[f].is_set = true;
                        for i in std::mem::take(&mut self.model[f].waiters) {
                            self.tstate[i] = TaskState::Ready(Some(f));
                            self.ready.push_back(i);
                        }
                    }
                }
                self.any = false;
                // SAFETY: our loop; woken tasks are pool tasks.
                unsafe { event::deliver(&mut *self.l) };
            }
            FlagOp::Run => {
                let got = run_queue::top(&self.l);
                match self.ready.pop_front() {
                    None => ensure!(got.is_null(), "the run queue is not empty"),
                    Some(i) => {
                        ensure!(got == self.tasks.ptr(i), "the loop would run {:?}, the model task {i}", self.tasks.index_of(got));
                        // SAFETY: queued.
                        unsafe { run_queue::remove(&mut self.l, got) };
                        if let TaskState::Ready(Some(f)) = self.tstate[i] {
                            // It comes back to the flag's wait, and consumes the set, with
                            // any post made since it was woken.
                            self.model[f].is_set = false;
                            if self.pending.remove(&(self.model[f].handle & INDEX_MASK)) {
                                self.delivered += 1;
                            }
                            self.l.current = got;
                            // SAFETY: a live flag; the current task is unlinked.
                            let r = unsafe { event::eio_flag_wait(&mut *self.l, self.fp(f)) };
                            self.l.current = null_mut();
                            ensure!(r == EIO_RETURN, "a woken task's eio_flag_wait = {r}, not EIO_RETURN");
                        } else {
                            // Cancelled: the glue throws into it and forgets where it waited.
                            // SAFETY: a pool task.
                            unsafe { (*got).set_wait_on(null_mut()) };
                        }
                        self.tstate[i] = TaskState::Idle;
                    }
                }
            }
            FlagOp::Announce => {
                let got = event::announce_sleep();
                event::end_sleep();
                ensure!(got == !self.any, "announce_sleep = {got} with a post waiting: {}", self.any);
            }
        }
        self.check()
    }

    pub fn check(&self) -> Check {
        // Flags: handle, set state, waiters.
        for (f, m) in self.model.iter().enumerate() {
            let fl = &self.flags[f];
            if !m.live {
                continue;
            }
            ensure!(fl.handle == m.handle, "flag {f}: handle changed");
            ensure!((fl.is_set != 0) == m.is_set, "flag {f}: is_set {}, model {}", fl.is_set, m.is_set);
            let got = walk_list(&self.tasks, fl.waiters.head, fl.waiters.tail, "flag waiters")?;
            ensure!(got.iter().eq(m.waiters.iter()), "flag {f}: waiters {got:?}, model {:?}", m.waiters);
        }
        // Armed list: exactly the flags with waiters.
        let mut armed = vec![];
        let mut prev: *mut eio_flag_t = null_mut();
        let mut a = self.l.armed;
        while !a.is_null() {
            let f = self
                .flags
                .iter()
                .position(|b| std::ptr::eq(&**b, a))
                .ok_or("armed list: not one of our flags")?;
            ensure!(armed.len() <= FLAGS && !armed.contains(&f), "armed list: cycle or duplicate");
            // SAFETY: one of our flags.
            ensure!(unsafe { (*a).armed_prev } == prev, "armed list: flag {f} has a wrong armed_prev");
            armed.push(f);
            prev = a;
            // SAFETY: as above.
            a = unsafe { (*a).armed_next };
        }
        armed.sort();
        let want: Vec<usize> = (0..FLAGS).filter(|&f| self.model[f].live && !self.model[f].waiters.is_empty()).collect();
        ensure!(armed == want, "armed flags {armed:?}, model {want:?}");
        // Run queue (level 0) and where every task is.
        let got = walk_list(&self.tasks, self.l.ready_head[0], self.l.ready_tail[0], "run queue")?;
        ensure!(got.iter().eq(self.ready.iter()), "run queue {got:?}, model {:?}", self.ready);
        for (i, s) in self.tstate.iter().enumerate() {
            let want = match s {
                TaskState::Idle => At::None,
                TaskState::Waiting(_) => At::Waiter,
                TaskState::Ready(_) => At::Ready,
            };
            ensure!(self.tasks.at(i) == want, "task {i} at {:?}, model {want:?}", self.tasks.at(i));
        }
        // Counters, exactly; and posts = coalesced + delivered + pending + wiped by reuse.
        let (p, c, d) = counters();
        let (p, c, d) = (p - self.base.0, c - self.base.1, d - self.base.2);
        ensure!(p == self.posts, "posts {p}, model {}", self.posts);
        ensure!(c == self.coalesced, "posts_coalesced {c}, model {}", self.coalesced);
        ensure!(d == self.delivered, "posts_delivered {d}, model {}", self.delivered);
        ensure!(
            p == c + d + self.pending.len() as u64 + self.lost_by_reuse,
            "posts {p} != coalesced {c} + delivered {d} + pending {} + lost {}",
            self.pending.len(),
            self.lost_by_reuse
        );
        Ok(())
    }

    /// Once every post was looked at (nothing pending), posts = coalesced + delivered, unless
    /// a pending post was wiped out by the reuse of its slot.
    pub fn all_looked_at(&self) -> bool {
        self.pending.is_empty()
    }
}

impl Drop for MailboxModel {
    fn drop(&mut self) {
        // Take every waiter off, then give every slot back, so the next user starts clean.
        for i in 0..self.tasks.len() {
            if let TaskState::Waiting(_) = self.tstate[i] {
                // SAFETY: a waiting pool task of our loop.
                unsafe { executor::eio_wake(&mut *self.l, self.tasks.ptr(i)) };
            }
        }
        for f in 0..FLAGS {
            if self.model[f].live {
                let fp = self.fp(f);
                // SAFETY: a live flag.
                unsafe { event::eio_flag_deinit(fp) };
            }
        }
        flush_mailbox();
    }
}

// ---- All of them, from bytes (for fuzzers) --------------------------------------------------

#[derive(Clone, Debug)]
pub enum Op {
    Rq(RqOp),
    Timer(TimerOp),
    Wait(WaitOp),
    Flag(FlagOp),
}

/// Reads operations from fuzzer bytes; ends when the bytes do.
pub struct Decoder<'a> {
    data: &'a [u8],
}

impl<'a> Decoder<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Decoder { data }
    }
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.data.split_first()?;
        self.data = rest;
        Some(b)
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes([self.byte()?, self.byte()?]))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes([self.byte()?, self.byte()?, self.byte()?, self.byte()?]))
    }
}

impl Iterator for Decoder<'_> {
    type Item = Op;
    fn next(&mut self) -> Option<Op> {
        let tag = self.byte()?;
        let a = self.byte()?;
        Some(match tag % 19 {
            0 => Op::Rq(RqOp::Push { task: a, level: self.byte()? }),
            1 => Op::Rq(RqOp::Remove { task: a }),
            2 => Op::Rq(RqOp::PopTop),
            3 => Op::Rq(RqOp::SetPriority { task: a, level: self.byte()? }),
            4 => Op::Timer(TimerOp::Insert { task: a, offset: if tag & 0x80 != 0 { self.u16()? } else { (self.byte()? % 8) as u16 } }),
            5 => Op::Timer(TimerOp::Pop),
            6 => Op::Timer(TimerOp::Remove { task: a }),
            7 => Op::Wait(WaitOp::Push { task: a, list: self.byte()? }),
            8 => Op::Wait(WaitOp::Remove { task: a }),
            9 => Op::Wait(WaitOp::Pop { list: a }),
            10 => Op::Flag(FlagOp::Init { flag: a }),
            11 => Op::Flag(FlagOp::Deinit { flag: a }),
            12 => Op::Flag(if tag & 0x80 != 0 { FlagOp::PostRaw { handle: self.u32()? } } else { FlagOp::Post { flag: a } }),
            13 => Op::Flag(FlagOp::PostStale { k: a }),
            14 => Op::Flag(FlagOp::Clear { flag: a }),
            15 => Op::Flag(FlagOp::Wait { task: a, flag: self.byte()? }),
            16 => Op::Flag(if tag & 0x80 != 0 { FlagOp::Announce } else { FlagOp::Cancel { task: a } }),
            17 => Op::Flag(FlagOp::Deliver),
            _ => Op::Flag(FlagOp::Run),
        })
    }
}

/// One fuzz case: every structure fresh, the operations decoded from `data` applied in turn.
/// The first bytes choose where timer keys and insertion numbers start (wrap-around).
/// Hold [`MAILBOX_LOCK`] (or be single-threaded).
pub fn run_bytes(data: &[u8]) -> Check {
    let mut d = Decoder::new(data);
    let key_base = match d.u16() {
        Some(b) => (usize::MAX - 0x7fff).wrapping_add(b as usize), // keys straddle the wrap
        None => return Ok(()),
    };
    let seq0 = u32::MAX - d.byte().unwrap_or(0) as u32;
    let mut rq = RunQueueModel::new(12);
    let mut tm = TimerModel::new(48, key_base, seq0);
    let mut wl = WaitersModel::new(10);
    let mut mb = MailboxModel::new(8);
    for (step, op) in d.enumerate() {
        let r = match &op {
            Op::Rq(o) => rq.apply(o),
            Op::Timer(o) => tm.apply(o),
            Op::Wait(o) => wl.apply(o),
            Op::Flag(o) => mb.apply(o),
        };
        r.map_err(|e| format!("step {step}, {op:?}: {e}"))?;
    }
    // Drain the heap: everything comes out in model order.
    while tm.len() > 0 {
        tm.apply(&TimerOp::Pop).map_err(|e| format!("draining: {e}"))?;
    }
    Ok(())
}
