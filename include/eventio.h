/*
 * eventio.h - the one definition of the C ABI between eventio's Rust core and its C glue.
 *
 * Rust reads this header through bindgen (build.rs); the C glue and the ports include it.
 *
 * Three kinds of declarations live here:
 *   1. Object layouts the core manipulates (tasks, waiter lists).  They are MicroPython objects
 *      on the GC heap: the first word is the object's type (mp_obj_base_t), so a pointer to one
 *      of these structs is a pointer to the object's start and keeps it alive for the GC.
 *   2. Functions the core exports (eio_*): called by the glue and by ports.
 *   3. Functions the glue or port exports (eio_glue_*, eio_port_*): called by the core.  Every
 *      glue function that runs Python code catches MicroPython exceptions (nlr) before
 *      returning, so no longjmp ever crosses a Rust frame; it reports them by status code.
 */
#ifndef EVENTIO_H
#define EVENTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A MicroPython object (mp_obj_t), opaque to the core. NULL means "no object". */
typedef void *eio_obj_t;

/* Milliseconds of a monotonic clock. Compared by wrapping difference, so any start value works. */
typedef uint64_t eio_ticks_t;

typedef struct eio_task eio_task_t;

/* Priority levels of tasks: 0 (asyncio's default, stock behaviour) to EIO_LEVELS-1. */
#define EIO_LEVELS 8

/* What a waiter list belongs to; decides how cancel() treats a task waiting on it. */
typedef enum {
    EIO_WAITABLE_PLAIN = 0, /* Event, Lock, flag: cancel removes the waiter and wakes it */
    EIO_WAITABLE_TASK = 1,  /* a Task: cancel of a waiter is forwarded to the awaited task */
    EIO_WAITABLE_FLAG = 2,  /* an eio_flag_t: disarmed when its last waiter leaves */
    EIO_WAITABLE_IO = 3,    /* the loop's I/O waiters (eio_loop.io) */
    EIO_WAITABLE_PERMITS = 4, /* an eio_permits_t: a cancelled waiter handed a permit passes it on */
    EIO_WAITABLE_FIFO_GET = 5, /* an eio_fifo_t's getters: a cancelled getter woken passes it on */
    EIO_WAITABLE_FIFO_PUT = 6, /* an eio_fifo_side_t of putters: likewise */
} eio_waitable_kind_t;

/*
 * The head of every object that tasks can wait on (Task, Event, Lock, ThreadSafeFlag, ...):
 * the object's type word, then a FIFO of waiting tasks.  Tasks in the list are linked through
 * eio_task.next; a waiting task points back at this object (eio_task.wait_on).
 */
typedef struct eio_waitable {
    const void *type;  /* mp_obj_base_t of the owning object */
    eio_task_t *head;  /* first waiter (woken first), or NULL */
    eio_task_t *tail;  /* last waiter, or NULL */
    uintptr_t kind;    /* eio_waitable_kind_t */
} eio_waitable_t;

/* Where a task is parked.  A task is in at most one place at a time. */
typedef enum {
    EIO_AT_NONE = 0,   /* running, finished, or parked where only an explicit wake finds it */
    EIO_AT_READY = 1,  /* in the run queue */
    EIO_AT_TIMER = 2,  /* in the timer queue until `key` */
    EIO_AT_WAITER = 3, /* in the waiter list of `wait_on` */
    EIO_AT_PARKED = 4, /* parked by eio_park(); only a wake or a cancel moves it */
    EIO_AT_FORGOTTEN = 5, /* was ready or sleeping when eio_loop_forget() emptied the loop's
                             queues: in no queue; `key` still holds the time it was due, so a
                             cancel wakes it only if that time is still ahead (as a sleeper's) */
} eio_at_t;

/* A task's life. The numbering puts every unfinished state above every finished one. */
typedef enum {
    EIO_TASK_DONE = 0,        /* finished, and the outcome was retrieved (awaited or reported) */
    EIO_TASK_DONE_UNSEEN = 1, /* finished, nobody has looked at the outcome yet */
    EIO_TASK_RUNNING = 2,     /* not finished, nobody awaits it */
    EIO_TASK_AWAITED = 3,     /* not finished, awaited (its waiter list may be non-empty) */
    EIO_TASK_CALLBACK = 4,    /* not finished, `done_cb` is called when it finishes */
    EIO_TASK_ALARM = 5,       /* not a task: an alarm (eio_alarm_t below), never resumed */
} eio_task_state_t;

/* Outcome of a finished task: `data` holds the return value or the exception. */
typedef enum {
    EIO_OUTCOME_NONE = 0,
    EIO_OUTCOME_RETURN = 1,
    EIO_OUTCOME_RAISE = 2,
} eio_outcome_t;

/*
 * What only some tasks need, kept out of the task so that a plain sleeping task stays small
 * (2 GC blocks on 32-bit).  The glue allocates it on first use: when the task is first awaited, or
 * given Task.data, a name or done callbacks.  The core never allocates: it
 * only follows `extra` when it is there.
 */
typedef struct eio_task_extra {
    eio_waitable_t waiters; /* tasks awaiting the task (kind EIO_WAITABLE_TASK) */
    eio_task_t *task;       /* the task this belongs to */
    eio_obj_t user_data;    /* the glue's (never read here): asyncio's free-for-all Task.data */
    eio_obj_t name;         /* the glue's (never read here): Task.get_name() / set_name() */
    eio_obj_t callbacks;    /* Task.add_done_callback() callables (a list), or NULL: through
                               eio_task_callbacks / eio_task_set_callbacks */
    eio_obj_t done_cb;      /* state CALLBACK: see eio_task.done_cb (once the task has extra) */
} eio_task_extra_t;

/* A deadline or a readiness time, in ticks (ms), truncated to the width of a pointer and
 * compared by wrapping difference: on 32-bit targets deadlines may lie up to 24 days ahead. */
typedef uintptr_t eio_key_t;

/* Insertion numbers (eio_task.seq) are this many bits wide and compared by wrapping
 * difference: tasks with equal times keep their order while fewer than 2^19 tasks were queued
 * between them. */
#define EIO_SEQ_BITS 20

/*
 * A task: a coroutine and its scheduling state.  Allocated by the glue as a Python object
 * (asyncio.Task); the core owns every field: the glue sets none but the object's type
 * (eio_task_init, eio_set_priority, eio_task_attach_extra, eio_park_step and the other
 * functions below do), and reads `coro` to resume it.
 *
 * Eight words, so that on 32-bit targets a task is two GC blocks (32 bytes), as small as
 * MicroPython's own Task.  A task is in at most one place at a time (see eio_at_t), so one
 * link (`next`) and one shared word (`child` / `wait_on`) serve every queue, and a field that
 * one place does not need carries what another one does:
 *
 *   at      | next                  | child / wait_on        | data          | key
 *   --------+-----------------------+------------------------+---------------+-------------
 *   READY   | next in its level     | (wait_on, see below)   | exc. to throw | time ready
 *   TIMER   | next sibling, or the  | first child            | exc. to throw | deadline
 *           | parent|1 if the last  |                        | (if cancelled |
 *           |                       |                        |  when due)    |
 *   WAITER  | next waiter           | wait_on: the list owner| NULL; on      | -; on
 *           |                       |                        | eio_loop.io:  | eio_loop.io:
 *           |                       |                        | the stream    | EIO_IO_* events
 *   PARKED  | NULL                  | wait_on (eio_park_step)| NULL          | -
 *   FORGOT- | NULL                  | wait_on as at READY;   | exc. to throw | time ready,
 *   TEN     |                       | NULL if it slept       |               | or deadline
 *
 * Lists (the run queue's levels, waiter lists) are singly linked: appending and taking the
 * first are O(1); taking a task out of the middle (a cancelled waiter) walks the list from
 * its owner's head, which `wait_on` names.
 */
struct eio_task {
    const void *type;       /* mp_obj_base_t: the object's start */
    eio_obj_t coro;         /* the coroutine */
    eio_obj_t data;         /* before finishing: exception to throw in at next resume, or NULL
                               (at WAITER on eio_loop.io: the stream it waits on); after
                               finishing: return value or exception (see `outcome`) */
    eio_task_t *next;       /* see the table above */
    union {
        eio_task_t *child;       /* at TIMER: first child in the timer heap */
        eio_waitable_t *wait_on; /* at WAITER: the object whose list holds this task.  When
                                    the task is woken it keeps pointing there, until the
                                    awaitable that parked the task sees it on the task's next
                                    step and clears it: that is how an awaitable knows the
                                    task is coming back to it.  Handed a permit by
                                    eio_permits_release: the permits' address with bit 0
                                    set, until it takes the permit up or passes it on */
    };
    union {
        eio_task_extra_t *extra;      /* if !cb_inline: NULL, or see eio_task_extra_t */
        eio_obj_t done_cb;            /* if cb_inline: the done callback (see below) */
    };
    eio_key_t key;          /* timer: deadline; run queue: time it became ready; at WAITER
                               on eio_loop.io: the EIO_IO_* events (eio_io_events()) */
    uint32_t at : 3;        /* eio_at_t */
    uint32_t state : 3;     /* eio_task_state_t */
    uint32_t outcome : 2;   /* eio_outcome_t */
    uint32_t priority : 3;  /* 0 (default) .. EIO_LEVELS-1: a ready task of a higher level
                               runs before every ready task of a lower one */
    uint32_t cb_inline : 1; /* state CALLBACK's done callback is in the task, not in `extra`:
                               a gathered task needs no `extra` */
    uint32_t seq : EIO_SEQ_BITS; /* order of insertion; ties on `key` run first-in first-out */
};

/* The task's `extra`, or NULL. */
static inline eio_task_extra_t *eio_task_get_extra(const eio_task_t *t) {
    return t->cb_inline ? NULL : t->extra;
}

/* The exception an unfinished task will be resumed with (a cancel's), or NULL.  (`data` is
 * not that while the task waits on eio_loop.io: it holds the stream then.) */
static inline eio_obj_t eio_task_pending_exc(const eio_task_t *t) {
    return t->at == EIO_AT_WAITER && t->wait_on->kind == EIO_WAITABLE_IO ? NULL : t->data;
}


/*
 * A flag that interrupt handlers, signal handlers and other threads set through the mailbox
 * (asyncio.ThreadSafeFlag).  `handle` is what they pass to eio_post().  Setting it wakes every
 * task waiting at that moment; with no waiter it stays set until one wait consumes it.
 */
typedef struct eio_flag {
    eio_waitable_t waiters;       /* tasks waiting for the flag */
    struct eio_flag *armed_next;  /* the loop's list of flags with waiters: keeps them alive */
    struct eio_flag *armed_prev;
    uint32_t handle;              /* mailbox handle, for eio_post() */
    uint32_t is_set;              /* delivered and not yet consumed by a wait (atomic: clear()
                                     may come from any thread) */
} eio_flag_t;

/* Statistics the core keeps; read with eio_stats(). */
typedef struct eio_stats {
    uint64_t switches;       /* coroutine resumptions */
    uint64_t switches_by_level[EIO_LEVELS]; /* ... of tasks at each priority level */
    uint64_t tasks_created;
    uint64_t tasks_finished;
    uint64_t idle_waits;     /* blocking waits entered */
    uint64_t wakeups;        /* blocking waits that ended (deadline or event) */
    uint64_t posts;          /* eio_post() calls */
    uint64_t posts_coalesced;/* posts that found their event already pending */
    uint64_t posts_delivered;/* pending posts the loop took: woke waiters, left the flag set,
                                or were dropped by a clear(); + coalesced = posts, once all
                                posts have been looked at */
    uint64_t ms_awake;       /* time outside blocking waits while a loop ran */
    uint64_t ms_asleep;      /* time inside blocking waits */
} eio_stats_t;

/*
 * The loop: run queue, timer queue and the task being run.  Lives on the GC heap, reachable
 * from a root pointer the glue registers, so everything it links stays alive.
 */
typedef struct eio_loop {
    eio_task_t *ready_head[EIO_LEVELS]; /* run queue: one FIFO per priority level */
    eio_task_t *ready_tail[EIO_LEVELS];
    uint32_t ready_levels;   /* bit n set: ready_head[n] is not empty */
    eio_task_t *timers;      /* timer queue of level-0 tasks: pairing heap by (key, seq) */
    eio_task_t *timers_hi;   /* timer queue of tasks above level 0 (empty unless used) */
    eio_task_t *current;     /* the task being resumed, or NULL */
    eio_task_t *main;        /* the task whose end ends eio_run(), or NULL */
    eio_flag_t *armed;       /* flags with waiting tasks: while any, the loop waits for posts */
    eio_waitable_t io;       /* tasks waiting for a stream to be readable or writable; the
                                port's wait watches their streams */
    eio_ticks_t now;         /* the clock as of this turn: read at every turn while timers
                                wait (and now and then otherwise); stamps ready tasks */
    uint32_t seq;            /* next insertion number */
    uint32_t running;        /* how many eio_run() calls are active (runs may nest) */
} eio_loop_t;

/* Status codes returned by core and glue functions. */
typedef enum {
    EIO_OK = 0,
    EIO_YIELD = 1,                /* resume: the coroutine yielded */
    EIO_RETURN = 2,               /* resume: the coroutine returned (value in *out) */
    EIO_RAISE = 3,                /* resume: the coroutine raised (exception in *out) */
    EIO_ERROR = 4,                /* glue: Python code raised outside a task; the exception
                                     is in *out, the loop stops and the glue raises it */
    EIO_E_CANT_CANCEL_SELF = -1,  /* RuntimeError("can't cancel self") */
    EIO_E_CANT_WAIT = -2,         /* RuntimeError("can't wait") */
    EIO_E_NO_LOOP = -3,           /* RuntimeError("no running event loop") */
    EIO_E_BAD_HANDLE = -5,        /* eio_post(): handle not given out by eio_flag_init() */
    EIO_E_NO_SLOT = -6,           /* eio_flag_init(): EIO_MAX_FLAGS flags exist already */
    EIO_E_FULL = -7,              /* eio_queue_put(): the ring was full, the value dropped;
                                     eio_fifo_push(): the queue is at its maxsize */
    EIO_E_EMPTY = -8,             /* eio_ring_get(), eio_fifo_pop(): nothing to take;
                                     eio_timeout_enter(): no free block */
    EIO_E_NOT_DONE = -9,          /* eio_task_outcome(): the task has not finished */
    EIO_E_GROW = -10,             /* eio_fifo_push()/put(): the ring is full: grow it, call again */
    EIO_E_NOT_HELD = -11,         /* eio_cond_wait(): the lock is not held (RuntimeError) */
    EIO_E_TIMEOUT = -12,          /* eio_wait_for_step(), eio_timeout_exit(): the timeout came
                                     first (TimeoutError) */
    EIO_E_STATE = -13,            /* eio_timeout_reschedule(): expired or exited (RuntimeError) */
} eio_status_t;

/* ---- Core: the loop -------------------------------------------------------------------- */

/* Make `loop` an empty loop. */
void eio_loop_init(eio_loop_t *loop);

/* Make `task` a new, not yet scheduled task running `coro`. */
void eio_task_init(eio_task_t *task, eio_obj_t coro);

/* Schedule `task` (new, from create_task) to run. */
void eio_spawn(eio_loop_t *loop, eio_task_t *task);

/*
 * Run until `main` finishes (main may be NULL: until nothing is left to run); while `main` is
 * unfinished the run waits even with no task queued (MicroPython 1.26+).  When `main`
 * finishes, the tasks awaiting it are woken (and its callbacks run) before the run returns.
 * Returns EIO_RETURN (main's value in *out), EIO_RAISE (main's exception in *out), EIO_ERROR
 * (an exception that stops the loop: from the exception handler, the idle wait, or a
 * BaseException other than CancelledError leaving a task; in *out), or EIO_OK (no task
 * left to run, `main` NULL or finished before).  May be called from a task of a running loop:
 * the nested run returns when its own `main` finishes, and the outer run goes on.
 */
int eio_run(eio_loop_t *loop, eio_task_t *main, eio_obj_t *out);

/* Whether a task is ready to run (a port's wait must not block then: scheduled callbacks it
 * ran may have woken one). */
bool eio_has_ready(const eio_loop_t *loop);

/* The task being resumed, or NULL. */
eio_task_t *eio_current(const eio_loop_t *loop);

/*
 * asyncio.new_event_loop(): empty the loop's own queues, as MicroPython's asyncio does by
 * replacing its task queue and I/O queue.  The tasks in them are forgotten: ready and sleeping
 * tasks become EIO_AT_FORGOTTEN, tasks waiting for a stream or on a ThreadSafeFlag (stock's
 * I/O queue) EIO_AT_PARKED, and no structure of the loop refers to them any more.  Waiter
 * lists that belong to objects (Event, Lock, Task, Queue, ...) are the objects' own and keep
 * their tasks: waking them puts them on this loop's run queue.  The task being resumed, if
 * any, is not queued and carries on.
 */
void eio_loop_forget(eio_loop_t *loop);

/* ---- Core: what awaitables do ---------------------------------------------------------- */

/*
 * Park the current task for `ms` milliseconds from `start` (a sleep; asyncio takes the time
 * when sleep_ms() is called).  `ms` 0 puts it at the back of the run queue, stamped with the
 * loop's time of this turn, without reading the clock.  EIO_E_NO_LOOP without a current task.
 */
int eio_sleep(eio_loop_t *loop, eio_ticks_t start, uint64_t ms);

/* Park the current task at the back of `w`'s waiter list. */
int eio_wait_on(eio_loop_t *loop, eio_waitable_t *w);

/* Park the current task where only eio_wake() or a cancel finds it. */
int eio_park(eio_loop_t *loop);

/* A step of the awaitable `aw` that parks the current task where only eio_wake() or a cancel
 * finds it: EIO_RETURN when the task comes back from that park (woken), else EIO_YIELD with
 * the task parked (`wait_on` names `aw` meanwhile); EIO_E_NO_LOOP. */
int eio_park_step(eio_loop_t *loop, void *aw);

/* What a task waits for on a stream. */
#define EIO_IO_READ 1
#define EIO_IO_WRITE 2

/* The stream and the events a task on eio_loop.io waits for. */
static inline eio_obj_t eio_io_stream(const eio_task_t *t) {
    return t->data;
}
static inline unsigned eio_io_events(const eio_task_t *t) {
    return (unsigned)t->key;
}

/*
 * Park the current task until `stream` is ready for `events` (EIO_IO_READ/EIO_IO_WRITE): it
 * joins the loop's `io` list, which the port watches in its wait (and in eio_port_poll()),
 * waking ready tasks with eio_wake().
 */
int eio_io_wait(eio_loop_t *loop, eio_obj_t stream, uint32_t events);

/*
 * The wait a preallocated awaitable is to start (sleep_ms()'s, io_wait()'s, as MicroPython's
 * own singletons do): staged by the call, started by the first step of its `await`, so that
 * the step after it (the task's resumption) finds nothing staged and returns.
 *   eio_stage_sleep: stage a sleep of `ms` from now (the clock is read only if `ms` > 0).
 *   eio_stage_io: stage a wait for `stream` (eio_io_wait).
 *   eio_staged: whether a wait is staged: false at the step that returns.
 *   eio_stage_start: start the staged wait and unstage it: EIO_OK (yield), EIO_E_NO_LOOP.
 *   eio_unstage: unstage (a stage taken for its deadline only, or left by a failed call).
 * `start` and `n` may be read.  (Inline but for the start: they are on the switch path.)
 */
typedef struct eio_stage {
    eio_obj_t stream;   /* io: the stream; NULL: a sleep */
    eio_ticks_t start;  /* sleep: the time it counts from */
    uintptr_t n;        /* sleep: its ms; io: its events */
    uintptr_t staged;
} eio_stage_t;
eio_ticks_t eio_now(void); /* (below, with the clock) */
static inline void eio_stage_sleep(eio_stage_t *s, uintptr_t ms) {
    s->stream = NULL;
    s->start = ms > 0 ? eio_now() : 0;
    s->n = ms;
    s->staged = 1;
}
static inline void eio_stage_io(eio_stage_t *s, eio_obj_t stream, uint32_t events) {
    s->stream = stream;
    s->n = events;
    s->staged = 1;
}
static inline bool eio_staged(const eio_stage_t *s) {
    return s->staged != 0;
}
static inline void eio_unstage(eio_stage_t *s) {
    s->staged = 0;
}
int eio_stage_start(eio_loop_t *loop, eio_stage_t *s);

/* Move the first waiter of `w` to the run queue; returns it, or NULL if none. */
eio_task_t *eio_wake_one(eio_loop_t *loop, eio_waitable_t *w);

/* Move every waiter of `w` to the run queue, in order; returns how many. */
size_t eio_wake_all(eio_loop_t *loop, eio_waitable_t *w);

/* Put a parked (or waiting, or sleeping) task on the run queue now; false if already ready. */
bool eio_wake(eio_loop_t *loop, eio_task_t *task);

/* Move `task` to priority level `level` (clamped to EIO_LEVELS-1), wherever it is queued. */
void eio_set_priority(eio_loop_t *loop, eio_task_t *task, uint32_t level);

/* ---- Core: counted permits (Semaphore, BoundedSemaphore, Lock) ------------------------ */

/*
 * Permits handed on first-in first-out (src/permits.rs).  acquire takes a free permit when no
 * task waits, else parks the task; release hands its permit to the first waiter (woken, it
 * owns the permit when it runs), else counts it.  A task handed a permit that is cancelled
 * before it runs passes the permit on (to the next waiter, else to the count): the core
 * decides it when it throws the cancel in.  A Lock is one permit.  The object starts here.
 */
typedef struct eio_permits {
    eio_waitable_t waiters; /* kind EIO_WAITABLE_PERMITS; tasks in acquire */
    uintptr_t count;        /* free permits */
    uintptr_t granted;      /* permits handed to woken waiters that have not run yet */
} eio_permits_t;

/* Set up `p` (the object of type `type`) with `count` free permits. */
void eio_permits_init(eio_permits_t *p, const void *type, uintptr_t count);

/*
 * The current task's step of an acquire (call it on every step of the awaitable): EIO_OK when
 * the task now holds a permit (a free one, or one handed to it while it waited), EIO_YIELD
 * when it is parked in `p`'s list (yield; the next step calls this again), EIO_E_NO_LOOP.
 */
int eio_permits_acquire(eio_loop_t *loop, eio_permits_t *p);

/* Give back one permit: to the first waiter (woken), else to the count. */
void eio_permits_release(eio_loop_t *loop, eio_permits_t *p);

/* Whether a Lock (one permit) is held: no permit free, none handed on and not yet taken. */
static inline bool eio_lock_held(const eio_permits_t *lock) {
    return lock->count == 0 && lock->granted == 0;
}

/* Whether `t` waits on `p`, or was handed a permit by it and has not run yet. */
static inline bool eio_permits_pending(const eio_task_t *t, const eio_permits_t *p) {
    return ((uintptr_t)t->wait_on & ~(uintptr_t)1) == (uintptr_t)p;
}

/* ---- Core: asyncio.Event (src/latch.rs) ---------------------------------------------- */

/* set() wakes every task waiting then and leaves it set; clear() unsets it; a wait completes
 * at once while it is set, else when its task comes back from the list (woken by a set,
 * cleared since or not).  The object starts here. */
typedef struct eio_event {
    eio_waitable_t waiters; /* kind EIO_WAITABLE_PLAIN */
    uintptr_t is_set;
} eio_event_t;

void eio_event_init(eio_event_t *e, const void *type);
void eio_event_set(eio_loop_t *loop, eio_event_t *e);
void eio_event_clear(eio_event_t *e);
bool eio_event_is_set(const eio_event_t *e);
/* A step of wait() by the current task: EIO_RETURN, EIO_YIELD (parked), EIO_E_NO_LOOP. */
int eio_event_wait(eio_loop_t *loop, eio_event_t *e);

/* ---- Core: a FIFO queue (asyncio.Queue) ------------------------------------------------ */

/*
 * The state and the decisions of asyncio.Queue (src/fifo.rs): its items in a ring the glue
 * allocates and grows (a GC array of `cap` slots; the core allocates nothing), its count of
 * unfinished items, and who is woken when.  A put wakes the first getter, a get the first
 * putter; a woken task looks again when it runs (another may have been quicker, as in
 * CPython).  A getter or putter woken and cancelled before it runs passes its turn on to the
 * next one if the queue still has items (room): the core decides it when it throws the
 * cancel in.  The putters and joiners lists are objects of their own (the glue's types).
 */
typedef struct eio_fifo eio_fifo_t;
typedef struct eio_fifo_side {
    eio_waitable_t waiters; /* the object's start */
    eio_fifo_t *fifo;
} eio_fifo_side_t;

struct eio_fifo {
    eio_waitable_t getters;   /* kind EIO_WAITABLE_FIFO_GET: tasks in get(); the object's start */
    eio_fifo_side_t *putters; /* kind EIO_WAITABLE_FIFO_PUT: tasks in put() on a full queue */
    eio_fifo_side_t *joiners; /* tasks in join() */
    eio_obj_t *ring;          /* `cap` slots; the items are `count` of them from `head` */
    uintptr_t cap, head, count;
    intptr_t maxsize;         /* <= 0: unbounded */
    intptr_t unfinished;      /* items put and not yet task_done() */
};

/* Set up `q` (of type `type`) with `ring` (cap slots, zeroed), and its putters' and joiners'
 * lists (their `waiters.type` set by the glue). */
void eio_fifo_init(eio_fifo_t *q, const void *type, eio_fifo_side_t *putters, eio_fifo_side_t *joiners,
    intptr_t maxsize, eio_obj_t *ring, uintptr_t cap);
/* Whether a bounded queue holds maxsize items. */
bool eio_fifo_full(const eio_fifo_t *q);
/* The capacity a full ring grows to (EIO_E_GROW); then eio_fifo_regrow() moves the items into
 * the new ring (zeroed, that many slots), and the old one is the glue's to free. */
uintptr_t eio_fifo_grown_cap(const eio_fifo_t *q);
void eio_fifo_regrow(eio_fifo_t *q, eio_obj_t *ring, uintptr_t cap);
/* put_nowait(): EIO_OK (the item is in; the first getter woken), EIO_E_FULL, EIO_E_GROW. */
int eio_fifo_push(eio_loop_t *loop, eio_fifo_t *q, eio_obj_t item);
/* get_nowait(): EIO_OK with the item in *out (the first putter woken), EIO_E_EMPTY. */
int eio_fifo_pop(eio_loop_t *loop, eio_fifo_t *q, eio_obj_t *out);
/* A step of get(): EIO_OK with the item, EIO_YIELD (parked), EIO_E_NO_LOOP. */
int eio_fifo_get(eio_loop_t *loop, eio_fifo_t *q, eio_obj_t *out);
/* A step of put(item): EIO_OK (in), EIO_YIELD (parked: full), EIO_E_GROW (grow, step again),
 * EIO_E_NO_LOOP. */
int eio_fifo_put(eio_loop_t *loop, eio_fifo_t *q, eio_obj_t item);
/* task_done(): false if there is no unfinished item; the last one wakes every joiner. */
bool eio_fifo_task_done(eio_loop_t *loop, eio_fifo_t *q);
/* A step of join(): EIO_OK (no unfinished item, or woken by the last task_done()),
 * EIO_YIELD (parked), EIO_E_NO_LOOP. */
int eio_fifo_join(eio_loop_t *loop, eio_fifo_t *q);

/* ---- Core: a condition variable (asyncio.Condition) ------------------------------------ */

/*
 * wait() over a Lock (src/condition.rs): release the lock, wait for notify() (the condition's
 * own waiter list, woken FIFO), then take the lock again, even when cancelled (as CPython's
 * wait()): a cancel while waiting or while taking the lock again is raised once the lock is
 * held again (the latest one, if several).  One eio_cond_wait_t per wait() in progress,
 * kept by the awaitable (the glue recycles them).
 */
enum {
    EIO_COND_START = 0,  /* not started */
    EIO_COND_NOTIFY = 1, /* in the condition's list, waiting for notify() */
    EIO_COND_RELOCK = 2, /* taking the lock again */
    EIO_COND_DONE = 3,   /* over */
};
typedef struct eio_cond_wait {
    uintptr_t phase; /* EIO_COND_* */
    eio_obj_t exc;   /* to raise once the lock is held again (a cancel's), or NULL */
} eio_cond_wait_t;

/*
 * A step of wait() by the current task on `cond` (a PLAIN waitable) with `lock`; `thrown`:
 * the exception thrown into the awaitable (a cancel), or NULL.  EIO_OK: the wait is over and
 * the lock held (return True); EIO_RAISE: the lock held, raise *out; EIO_YIELD: parked;
 * EIO_E_NOT_HELD: wait() without holding the lock; EIO_E_NO_LOOP.
 */
int eio_cond_wait(eio_loop_t *loop, eio_waitable_t *cond, eio_permits_t *lock, eio_cond_wait_t *w,
    eio_obj_t thrown, eio_obj_t *out);

/* ---- Core: a task's facts -------------------------------------------------------------- */
/* The core owns every field of a task.  The glue reads and changes them only through these
 * functions (and the inline readers above), so that each rule about a task's life (when an
 * outcome counts as seen, where a done callback lives, who may wait) is decided once, here. */

/* Whether `task` has finished (returned or raised). */
bool eio_task_done(const eio_task_t *task);

/* Task.add_done_callback's callables (a list the glue makes and appends to), or NULL.
 * eio_task_set_callbacks gives the task its list (the task must have its `extra`), or with
 * NULL takes it away to run them; true if the task has finished, so that they are due now
 * (the glue schedules them, as the loop has it do when a task with callbacks finishes). */
eio_obj_t eio_task_callbacks(const eio_task_t *task);
bool eio_task_set_callbacks(eio_task_t *task, eio_obj_t list);

/*
 * A finished task's outcome: EIO_RETURN with its value, or EIO_RAISE with its exception, in
 * *out (NULL for a plain `return`); EIO_E_NOT_DONE if it has not finished.  `retrieve`: the
 * caller hands the outcome to Python code (Task.result(), exception()), so an exception counts
 * as seen and is not reported as never retrieved.
 */
int eio_task_outcome(eio_task_t *task, bool retrieve, eio_obj_t *out);

/*
 * Give `task` the one done callback that gather and wait_for use (cb(task, exc_or_None),
 * called by eio_glue_done_callback when it finishes; awaiting the task is refused meanwhile).
 * Returns 1 when registered, 0 when the task has finished already (nothing registered),
 * EIO_E_CANT_WAIT when it is being awaited.  With `cb` NULL, unregisters: 1 if one was.
 */
int eio_task_set_done_cb(eio_task_t *task, eio_obj_t cb);

/*
 * Make the finished `task` a new task running `coro`, keeping its `extra` (emptied), if nothing
 * refers to it any more from the loop: its outcome was retrieved, it is in no queue, nobody
 * waits for it.  False (nothing changed) otherwise.  For the glue's pooled tasks (wait_for's
 * work), which Python code never saw.
 */
bool eio_task_reuse(eio_task_t *task, eio_obj_t coro);

/* Give `task` its `extra` (allocated zeroed by the glue, kind EIO_WAITABLE_TASK, `task` set):
 * a done callback kept in the task moves into it. */
void eio_task_attach_extra(eio_task_t *task, eio_task_extra_t *extra);

/*
 * Start `await task` (its __iter__): marks the task as awaited.  EIO_OK, or EIO_E_CANT_WAIT
 * if the task has a done callback (it is being gathered).  The glue gives the task its
 * `extra` first (the waiters live there).
 */
int eio_task_await_begin(eio_task_t *task);

/*
 * Go on with `await task` (its __next__) from the current task: EIO_RETURN / EIO_RAISE if `task` is finished (its
 * value or exception in *out), EIO_YIELD if the current task now waits for it,
 * EIO_E_NO_LOOP without a current task.
 */
int eio_task_await(eio_loop_t *loop, eio_task_t *task, eio_obj_t *out);

/*
 * Cancel `task`: it (or the task it awaits, transitively) is woken with `exc` thrown in.
 * Returns 1 if cancelled, 0 if it had already finished, EIO_E_CANT_CANCEL_SELF.
 */
int eio_task_cancel(eio_loop_t *loop, eio_task_t *task, eio_obj_t exc);
/* A step of the kernel's `await task.cancel()` (`*started` false at first; `task` with its
 * `extra`): EIO_OK if `task` had finished (nothing cancelled), EIO_RETURN once it was cancelled
 * and has ended, EIO_YIELD while the current task waits for that, EIO_E_CANT_WAIT (it is
 * being gathered: refused before anything is cancelled), EIO_E_CANT_CANCEL_SELF. */
int eio_task_cancel_join(eio_loop_t *loop, eio_task_t *task, eio_obj_t exc, bool *started);
/* As eio_task_cancel(), unless `task` already has an exception pending (a cancel, an
 * alarm's): then 0, and nothing changes. */
int eio_task_cancel_if_idle(eio_loop_t *loop, eio_task_t *task, eio_obj_t exc);

/* ---- Core: alarms (timeouts) ----------------------------------------------------------- */

/*
 * An alarm: a timer entry that, when its deadline comes, cancels its target task (throws an
 * exception into it) or wakes it, with no task or coroutine of its own.  It is laid out as a
 * task (so the timer heap and the run queue take it as they take a sleeping task: same
 * (deadline, insertion) order, same O(log n)), with state EIO_TASK_ALARM, and the loop never
 * resumes it: at its turn the loop fires it.  Allocated by the glue as a Python object (one
 * per timeout object, reusable: arming allocates nothing); the core owns every field.
 *
 *   coro    the target task (keeps it alive while armed)
 *   data    the exception to throw in (a cancel), or NULL: wake the target if it is parked
 *           (eio_park) at that moment
 *   outcome EIO_OUTCOME_RETURN once it has fired since it was last armed
 *   key, seq, next, child, at: as a sleeping task's; the priority level is the target's
 *
 * Firing a cancel alarm does what cancel(target, exc) does (the cancel is forwarded to a task
 * the target awaits), unless the target has finished or already has an exception pending (a
 * cancel or another alarm's): then it only records that it fired.
 */
typedef eio_task_t eio_alarm_t;

/* Make `alarm` a disarmed alarm that has not fired. */
void eio_alarm_init(eio_alarm_t *alarm);

/* Arm `alarm` (disarming it first if armed): at `deadline`, throw `exc` into `target`
 * (exc NULL: wake `target` if parked).  A deadline already past fires at the loop's next turn,
 * in its order among the ready tasks, as a sleep that is due. */
void eio_alarm_arm(eio_loop_t *loop, eio_alarm_t *alarm, eio_task_t *target, eio_ticks_t deadline, eio_obj_t exc);

/* Arm `alarm` (disarming it first) to call func(arg) through eio_glue_call(), in the turns a
 * helper task created now would take (loop.call_soon / call_later / call_at): with `ms`
 * negative, at its first turn; else after sleeping `ms` from its first turn.  A call alarm is
 * at level 0, calls once, and once fired or disarmed keeps neither object. */
void eio_alarm_call(eio_loop_t *loop, eio_alarm_t *alarm, int64_t ms, eio_obj_t func, eio_obj_t arg);

/* Disarm `alarm`: true if it was armed and had not fired yet (now it never will). */
bool eio_alarm_disarm(eio_loop_t *loop, eio_alarm_t *alarm);

/* Whether `alarm` fired since it was last armed. */
bool eio_alarm_fired(const eio_alarm_t *alarm);

/*
 * A relay: an alarm that stands for wait_for's runner task (src/alarm.rs).  MicroPython's
 * wait_for runs the work in a task `work` and a runner task that awaits it and, when it ends,
 * cancels the caller's timeout sleep; the relay takes the runner's turns exactly, with no task
 * or coroutine.  It needs an `extra` (the glue gives it one; so must `work` have): its
 * `extra->waiters` are the tasks awaiting the relay's end (eio_wait_on), and a cancel of one
 * of them is forwarded to `work` (extra->task), as through the runner.  eio_alarm_fired()
 * tells whether it has ended.  An alarm with an `extra` is only ever used as a relay.
 *
 * eio_relay_start: queue the relay's first turn now (where a new task's would be).  At it, it
 * awaits `work` unless that has finished; once `work` has finished (then, or at the turn after
 * it ends) the relay ends: `work`'s outcome counts as retrieved, the tasks awaiting the relay
 * are woken, and `caller`'s timeout sleep ends where the runner's cancel would end it (unless
 * the relay was cancelled, or `caller` already has an exception pending): the caller, seeing
 * the relay ended, takes `work`'s outcome.  The relay must be new or ended.
 * eio_relay_cancel: as cancelling the runner: the relay will end nobody's sleep; if it awaits
 * `work`, `work` is cancelled with `exc`; if its first turn has not come, it ends then without
 * awaiting `work`.
 */
void eio_relay_start(eio_loop_t *loop, eio_alarm_t *relay, eio_task_t *caller, eio_task_t *work, eio_obj_t exc);
void eio_relay_cancel(eio_loop_t *loop, eio_alarm_t *relay);

/*
 * wait_for(aw, timeout) with no coroutine of its own (src/executor.rs): the awaitable the glue
 * returns is this object, a relay (the runner task's stand-in, above) with the caller's side of
 * MicroPython's wait_for coroutine: it takes exactly the turns of stock's coroutine and runner.
 * Ended ones wait in a free list (the glue's root) for the next call, each keeping the task it
 * ran a coroutine's work in (`work`), which the glue reuses while Python code has not seen it.
 *
 * Its life: eio_wait_for_pop() takes one from the free list (NULL: the glue allocates one,
 * with eio_wait_for_init() and the relay's `extra`); eio_wait_for_arm() gives it `aw` and
 * `timeout` (ARMED).  Each step of `await` is eio_wait_for_step(), `thrown` the exception
 * thrown in or NULL:
 *   EIO_OK        armed: the glue starts it (checks `aw`, takes the deadline from `timeout`,
 *                 spawns the work's task unless `aw` is a Task), then eio_wait_for_start(),
 *                 which queues the relay and puts the caller in its timeout sleep: yield
 *   EIO_YIELD     parked: yield
 *   EIO_RETURN    the work's value in *out (the work ended first); also, with *out NULL, an
 *                 over wait_for awaited again or another task's (as an exhausted coroutine)
 *   EIO_RAISE     raise *out: the work's exception, or `thrown` (a cancel from outside: the
 *                 work is cancelled and the caller does not wait for it)
 *   EIO_E_TIMEOUT the timeout came first: the work was cancelled and has ended (TimeoutError)
 *   EIO_E_CANT_WAIT the work could not be awaited: it is being gathered
 * Once over, it goes back to the free list if its relay has ended (not if it was left while
 * the relay runs: then the collector takes it), and keeps neither `aw` nor the caller.
 */
enum {
    EIO_WF_IDLE = 0,   /* over, or never armed */
    EIO_WF_ARMED = 1,  /* returned by wait_for(), not yet awaited */
    EIO_WF_SLEEP = 2,  /* in the timeout sleep */
    EIO_WF_ENDING = 3, /* the timeout came: waiting for the relay (and the work) to end */
};
typedef struct eio_wait_for {
    eio_alarm_t relay;              /* the object's start; needs its `extra` */
    struct eio_wait_for *next_free; /* in the free list */
    eio_task_t *work;               /* the task kept for a coroutine's work, or NULL (glue's) */
    eio_obj_t aw;                   /* armed: the awaitable; started: the work's task */
    eio_obj_t timeout;              /* armed: the timeout, as given */
    eio_task_t *owner;              /* started: the caller */
    uint32_t phase;                 /* EIO_WF_* */
    uint32_t ms;                    /* the timeout is in ms (wait_for_ms) */
} eio_wait_for_t;

void eio_wait_for_init(eio_wait_for_t *wf);
eio_wait_for_t *eio_wait_for_pop(eio_wait_for_t **free_list);
void eio_wait_for_arm(eio_wait_for_t *wf, eio_obj_t aw, eio_obj_t timeout, bool ms);
int eio_wait_for_start(eio_loop_t *loop, eio_wait_for_t *wf, eio_task_t *work, eio_obj_t exc,
    eio_ticks_t start, uint64_t ms);
int eio_wait_for_step(eio_loop_t *loop, eio_wait_for_t *wf, eio_wait_for_t **free_list,
    eio_obj_t thrown, eio_obj_t *out);

/*
 * asyncio.timeout(delay) / timeout_at(when) (src/timeout.rs): the block's deadline is an alarm
 * that cancels the task in the block with its own CancelledError (no helper task).
 *
 * The Timeout object (allocated by the glue, asyncio.Timeout) is one GC block: the program may
 * keep it after the block (`t.expired()`), so timeout() makes a new one per call, and the
 * smallest object MicroPython has is the cheapest one to make.  What a block needs only while
 * it is entered (the alarm, its exception, the task) is an eio_timeout_block_t, taken from a
 * free list (the glue's root) on entry and given back on exit: entering and leaving allocate
 * nothing.  A block whose exception was thrown is not given back (the program may hold that
 * exception), so the collector takes it; the next entry then finds the free list empty.
 *   eio_timeout_init: created.
 *   eio_timeout_state: EIO_TIMEOUT_*; "entered" reads as "expired" once its alarm has fired.
 *   eio_timeout_enter: the current task enters the block (EIO_E_NO_LOOP outside a task), with
 *     a block from `free`; EIO_E_EMPTY if `free` has none: the glue makes one
 *     (eio_timeout_block_init, which puts it in `free`) and calls again.  Then the glue
 *     reschedules it to its `when`.
 *   eio_timeout_reschedule: EIO_E_STATE unless created or entered; entered: the alarm is
 *     disarmed, and armed for `deadline` if `has_deadline`.
 *   eio_timeout_exit: the block ends with `exc` (NULL: none): the alarm is disarmed, the block
 *     given back to `free` unless its exception was thrown; EIO_E_TIMEOUT if it expired and
 *     `exc` is the Timeout's own (raise TimeoutError), else EIO_OK.
 */
enum {
    EIO_TIMEOUT_CREATED = 0,
    EIO_TIMEOUT_ENTERED = 1,
    EIO_TIMEOUT_EXPIRED = 2,
    EIO_TIMEOUT_EXITED = 3,
};
typedef struct eio_timeout_block {
    eio_alarm_t alarm;                    /* the object's start (its `type` is the glue's) */
    eio_obj_t exc;                        /* the CancelledError the alarm throws */
    eio_task_t *task;                     /* entered: the task in the block */
    struct eio_timeout_block *next_free;  /* in the free list */
    uintptr_t armed;                      /* entered with a deadline */
} eio_timeout_block_t;
typedef struct eio_timeout {
    const void *type;   /* the glue's */
    uintptr_t at;       /* entered: the eio_timeout_block_t; else the state (a value below 4) */
    eio_obj_t when;     /* the glue's: the deadline as given (timeout_at), or NULL; with
                           `delay`: the ticks of loop.time() when timeout(delay) was called */
    eio_obj_t delay;    /* the glue's: timeout(delay)'s delay, or NULL */
} eio_timeout_t;

void eio_timeout_init(eio_timeout_t *t);
void eio_timeout_block_init(eio_timeout_block_t *b, eio_obj_t exc, eio_timeout_block_t **free);
uint32_t eio_timeout_state(eio_timeout_t *t);
int eio_timeout_enter(eio_loop_t *loop, eio_timeout_t *t, eio_timeout_block_t **free);
int eio_timeout_reschedule(eio_loop_t *loop, eio_timeout_t *t, bool has_deadline, eio_ticks_t deadline);
int eio_timeout_exit(eio_loop_t *loop, eio_timeout_t *t, eio_obj_t exc, eio_timeout_block_t **free);

/* ---- Core: the mailbox (interrupt-posted events) --------------------------------------- */

/* Most flags that can exist at once (mailbox slots; a power of two).  The mailbox is a fixed
 * table that interrupt handlers can read without locks, so its size is set at build time:
 * small on microcontrollers, large where memory is plentiful. */
#ifndef EIO_MAX_FLAGS
#if defined(__arm__) || defined(__thumb__)
#define EIO_MAX_FLAGS 256
#else
#define EIO_MAX_FLAGS 4096
#endif
#endif

/* Make `f` a clear flag with a mailbox handle. EIO_OK, or EIO_E_NO_SLOT if all are taken.
 * Callable from any thread (a flag may be made where it is set). */
int eio_flag_init(eio_flag_t *f);

/* Give `f`'s mailbox slot back (its finaliser); later posts to its handle are refused.
 * Callable from any thread: the collector runs finalisers in whichever thread collects. */
void eio_flag_deinit(eio_flag_t *f);

/*
 * Post the event `handle`: from an interrupt handler, a signal handler, another thread, another
 * core or the loop itself.  O(1), lock-free where the CPU has atomic read-modify-write (on
 * Cortex-M0+ its two read-modify-writes each take the critical section), allocates nothing,
 * never calls Python.  Posts that arrive
 * before the loop looks coalesce into one delivery.  EIO_OK, or EIO_E_BAD_HANDLE for a handle
 * that eio_flag_init() did not give out or whose flag is gone.
 */
int eio_post(uint32_t handle);

/*
 * Something outside the core may have work for the loop (a callback was scheduled, maybe from
 * another thread): end the loop's idle wait if it is in one.  From any context.  The glue makes
 * it MicroPython's MICROPY_SCHED_HOOK_SCHEDULED.
 */
void eio_notify(void);

/*
 * A ring of 32-bit values that interrupt handlers and threads fill and the loop empties,
 * attached to a flag (eventio.InterruptQueue): a put stores the value and posts the flag.
 * Any number of producers, on any core: eio_queue_put() writes inside the critical section,
 * so puts are serialised and each value lands once; the loop, the one consumer, reads
 * without it.  Allocated by the glue (GC heap), `capacity` a power of two.
 */
typedef struct eio_ring {
    uint32_t head;      /* next value to read: written by the loop only */
    uint32_t tail;      /* next slot to write: written by producers, inside the section */
    uint32_t capacity;  /* power of two */
    uint32_t overflows; /* values dropped because the ring was full */
    uint32_t values[];  /* `capacity` values */
} eio_ring_t;

/* Attach `ring` (empty, capacity set) to `f`: eio_queue_put(f->handle, ...) fills it. */
void eio_ring_attach(eio_flag_t *f, eio_ring_t *ring);

/*
 * From an interrupt handler, a thread or another core (any number of them): store `value` in
 * the ring of flag `handle` and post the flag.  O(1), never allocates; it holds the critical
 * section for the store (a few instructions), so it never waits for more than another
 * producer's store.  EIO_OK; EIO_E_FULL if the ring was full (the value is dropped and
 * counted in `overflows`; the flag is posted anyway); EIO_E_BAD_HANDLE for a handle without a
 * ring.
 */
int eio_queue_put(uint32_t handle, uint32_t value);

/* Take the oldest value of `ring` (the loop): EIO_OK, or EIO_E_EMPTY. */
int eio_ring_get(eio_ring_t *ring, uint32_t *value);

/* A step of InterruptQueue.get() by the current task on flag `f` with its `ring`
 * (src/irq_queue.rs): EIO_RETURN with the oldest value in *value, EIO_YIELD (parked on the
 * flag until the next post), EIO_E_NO_LOOP. */
int eio_ring_wait(eio_loop_t *loop, eio_flag_t *f, eio_ring_t *ring, uint32_t *value);

/* Clear `f`: a delivered or pending set() is forgotten.  Callable from any thread. */
void eio_flag_clear(eio_flag_t *f);

/* Whether `f` is set (delivered or pending, not yet consumed by a wait); any thread may ask. */
bool eio_flag_is_set(const eio_flag_t *f);

/*
 * One step of a wait on `f` by the current task: EIO_RETURN if it was set (the set is
 * consumed), or if the task comes back from its wait on `f` (woken by a set, which it then
 * consumes: a set stays in the flag until a woken task runs, so a cancel of every task it
 * woke does not lose it); else EIO_YIELD with the task parked until the next set.
 * EIO_E_NO_LOOP without a current task.
 */
int eio_flag_wait(eio_loop_t *loop, eio_flag_t *f);

/* ---- Core: statistics and time --------------------------------------------------------- */

void eio_stats(eio_stats_t *out);
eio_ticks_t eio_now(void);

/* ---- Glue: implemented in C, called by the core ---------------------------------------- */

/*
 * Resume `task`'s coroutine: send None, or throw `thrown` if not NULL (the core has taken it
 * from the task and detached the task from what it waited on).  Returns EIO_YIELD,
 * EIO_RETURN or EIO_RAISE with the value or exception in *out, or EIO_ERROR when the
 * exception must stop the loop (a BaseException that is neither an Exception nor a
 * CancelledError, such as KeyboardInterrupt or SystemExit).
 */
int eio_glue_resume(eio_task_t *task, eio_obj_t thrown, eio_obj_t *out);

/* Call cb(task, exc), the done callback the core has just taken from the finished `task`
 * (exc NULL for a normal return).  EIO_OK or EIO_ERROR. */
int eio_glue_done_callback(eio_task_t *task, eio_obj_t cb, eio_obj_t exc, eio_obj_t *out);

/* Call func(arg), a call alarm's (eio_alarm_call).  EIO_OK, or EIO_ERROR with the exception
 * in *out (it stops the loop: the function reports its own exceptions). */
int eio_glue_call(eio_obj_t func, eio_obj_t arg, eio_obj_t *out);

/* Report the exception `exc` that ended `task` and that nobody retrieved (asyncio's
 * exception handler).  EIO_OK or EIO_ERROR. */
int eio_glue_unhandled(eio_task_t *task, eio_obj_t exc, eio_obj_t *out);

/* A task whose `extra->callbacks` is set has finished: schedule its done callbacks.
 * EIO_OK or EIO_ERROR (exception in *out). */
int eio_glue_finished(eio_task_t *task, eio_obj_t *out);

/* Is `exc` a CancelledError (class or instance)? */
bool eio_glue_is_cancel(eio_obj_t exc);

/* ---- Port: implemented per platform, called by the core -------------------------------- */

/* Milliseconds of a monotonic clock. */
eio_ticks_t eio_port_ticks_ms(void);

/*
 * Block until `timeout_ms` has passed (negative: no deadline), eio_port_wake() is called, or
 * something else the port watches happens (a signal, a stream of loop->io becoming ready:
 * the port then wakes those tasks with eio_wake()).  A wake that comes after the core
 * announced the wait (it does so before its last check for posts) and before this call must
 * end the wait at once: that is what makes the idle race-free.  Returns EIO_OK, or EIO_ERROR
 * with an exception in *out (e.g. KeyboardInterrupt delivered during the wait).
 */
int eio_port_wait(eio_loop_t *loop, int64_t timeout_ms, eio_obj_t *out);

/* End the current or next eio_port_wait(). Called by eio_post() from any context. */
void eio_port_wake(void);

/*
 * The critical section: the one way the core excludes every other context that can enter it
 * (interrupt handlers and signal handlers on this CPU or thread, other threads, other cores).
 * The core's critical_section::Impl (src/firmware.rs) is these two functions; the core holds
 * the section for a few dozen instructions at a time, never calls Python, never allocates and
 * never waits inside it.  What it guards: the mailbox's table of flags (eio_flag_init/deinit
 * from any thread, as the collector finalises flags wherever it runs, against the loop's
 * delivery), the rings of several producers (eio_queue_put), and, on a CPU without atomic
 * read-modify-write (Cortex-M0+), every read-modify-write of src/sync.rs.  It is not taken on
 * the task switch path.
 *
 * enter() returns a token for the matching exit(); sections nest (an inner pair leaves the
 * outer one held); both are callable from any context, an interrupt or signal handler
 * included.  Where another CPU core can enter a section, entry and exit are full memory
 * barriers (a mutex's or spinlock's acquire and release are): the core makes the accesses
 * inside relaxed.  Each port implements them:
 *   - unix (micropython-port/ports/unix/port_unix.c): block every signal in the calling
 *     thread, then, in the outermost section of that thread (its depth is a thread-local),
 *     take one process-wide mutex.  Blocking signals first is what makes it safe from a
 *     signal handler: a handler cannot interrupt a thread that holds the mutex, so it never
 *     waits for its own thread.  (Not MicroPython's MICROPY_BEGIN_ATOMIC_SECTION: its
 *     collector holds that mutex while it signals every thread and waits for each answer, so
 *     a thread blocked on it with its signals masked would never answer.)  The token is 1 for
 *     the outermost section, 0 for a nested one.
 *   - the single-core Cortex-M3 board for QEMU (micropython-port/ports/qemu/port_qemu.c): PRIMASK
 *     (cpsid i), the token being the PRIMASK found on entry.
 *   - rp2 (RP2040: two Cortex-M0+ cores, `_thread` running Python on core 1 next to the loop
 *     on core 0): MicroPython's own mp_thread_begin_atomic_section() /
 *     mp_thread_end_atomic_section(token): interrupts off on the calling core and, once core 1
 *     runs, a recursive mutex on a hardware spinlock, so the section holds across both cores
 *     and nests; its token (the saved PRIMASK) is ours.  The core's Cortex-M0+ build
 *     (thumbv6m-none-eabi) makes every atomic read-modify-write in this section, so it must
 *     be this cross-core one, not only an interrupt mask.
 */
uint32_t eio_port_critical_enter(void);
void eio_port_critical_exit(uint32_t token);

/*
 * Without blocking, wake (eio_wake) the tasks of loop->io whose streams are ready.  The core
 * calls it before running ready tasks while streams are waited on, so busy tasks cannot
 * starve I/O.  EIO_OK or EIO_ERROR with an exception in *out.
 */
int eio_port_poll(eio_loop_t *loop, eio_obj_t *out);

#ifdef __cplusplus
}
#endif

#endif /* EVENTIO_H */
