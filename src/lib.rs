//! eventio: the scheduler behind MicroPython's `asyncio` and `eventio` modules.
//!
//! The crate owns every scheduling decision: which task runs next, when tasks sleep, who is
//! woken by what, and when the CPU may sleep.  It never touches a Python object itself: the C
//! glue (micropython-port/usermod) resumes coroutines and calls Python on its behalf, catching
//! every MicroPython exception before it returns here, so no `longjmp` crosses a Rust frame.
//!
//! Map of the crate, in layers: each module uses only modules of the layers below its own (no
//! circle; `tests/layers.rs` checks it against the `crate::` paths in the sources).
//! 0. [`abi`]: the C ABI, generated from `include/eventio.h`; [`sync`]: the atomics shared
//!    with interrupts, threads and other cores, on every CPU, and one critical section per
//!    step ([`sync::atomically`]) where the CPU has no atomic read-modify-write.
//! 1. [`time`]: the port's clock and wrapping tick arithmetic; [`task`]: a task's life and
//!    where it is parked.
//! 2. [`stats`]: counters read by `eventio.stats()`; [`list`]: the singly-linked FIFO the run
//!    queue and the waiter lists are made of.
//! 3. [`run_queue`]: tasks ready to run, one first-in first-out queue per priority level;
//!    [`timer`]: tasks sleeping until a deadline, a pairing heap; [`waiters`]: the FIFO of
//!    tasks waiting on one object (Event, Lock, Task, ...).
//! 4. [`wake`]: how a task enters the run queue, and waking an object's waiters.
//! 5. [`event`]: the mailbox: events posted from interrupts, signals and threads; flags, and
//!    InterruptQueue's rings; [`alarm`]: timer entries that cancel or wake a task when their
//!    deadline comes (timeouts), or call a function (call_soon, call_later);
//!    [`permits`]: counted permits handed on first-in first-out (Semaphore, Lock);
//!    [`latch`]: asyncio.Event, a latch with waiters;
//!    [`fifo`]: asyncio.Queue's ring, counters and wake-ups.
//! 6. [`idle`]: deciding how long the loop may sleep, and the accounted blocking wait;
//!    [`irq_queue`]: eventio.InterruptQueue's get(), over a flag's ring;
//!    [`condition`]: asyncio.Condition's wait(), over a Lock of [`permits`];
//!    [`timeout`]: asyncio.Timeout's states, and the block (its deadline an [`alarm`]) an
//!    entered Timeout borrows from a free list.
//! 7. [`executor`]: the loop itself and the operations awaitables perform.
//! 8. [`wait_for`]: asyncio's wait_for, the caller's side over an [`alarm`] relay.
//!
//! `firmware` (feature `firmware`; layer 1, over [`abi`]): the panic handler, and the critical
//! section as the port's `eio_port_critical_enter`/`exit`.
//!
//! Memory: tasks and the loop state live on MicroPython's garbage-collected heap (allocated
//! by the glue) and link to each other by pointers to their starts, so one root pointer keeps
//! the whole structure alive.  Three links are invisible to the collector and need not be
//! seen: a timer heap's last child's tagged pointer to its parent (the parent is reachable from
//! the root); a waiter's `wait_on` tagged as handed a permit (its coroutine holds the primitive
//! it awaits); and the mailbox's table of flags, in static memory (a flag's finaliser gives
//! its slot back before the collector frees it).  The crate allocates nothing.
#![cfg_attr(not(test), no_std)]

pub mod abi;
pub mod alarm;
pub mod condition;
pub mod event;
pub mod executor;
pub mod fifo;
pub mod idle;
pub mod irq_queue;
pub mod latch;
pub mod list;
pub mod permits;
pub mod run_queue;
pub mod stats;
pub mod sync;
pub mod task;
pub mod time;
pub mod timeout;
pub mod timer;
pub mod wait_for;
pub mod waiters;
pub mod wake;

#[cfg(feature = "firmware")]
mod firmware;
