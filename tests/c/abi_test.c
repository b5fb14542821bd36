/*
 * A C test of the ABI, driving the core exactly as MicroPython's glue does, with fakes for the
 * glue and the port: a "coroutine" is a C struct whose step function plays one resumption, and
 * the port's clock is simulated (a blocking wait advances it by its timeout), so every test is
 * deterministic and instant.  Run by `cargo test` through tests/abi.rs.
 */
#include <stdio.h>
#include <string.h>
#include "eventio.h"

/* ---- Fake port: simulated milliseconds ---- */
static eio_ticks_t fake_now;
static int waits;
eio_ticks_t eio_port_ticks_ms(void) { return fake_now; }
static int interrupting_wait(void);
static int port_wakes;
void eio_port_wake(void) { port_wakes++; }
static uint32_t post_during_poll; /* a handle the fake port posts when the loop polls streams */
int eio_port_poll(eio_loop_t *loop, eio_obj_t *out) {
    (void)loop; (void)out;
    if (post_during_poll) { /* an interrupt after the turn's delivery, before the resumption */
        eio_post(post_during_poll);
        post_during_poll = 0;
    }
    return EIO_OK;
}
int eio_port_wait(eio_loop_t *loop, int64_t timeout_ms, eio_obj_t *out) {
    (void)out; (void)loop;
    waits++;
    if (interrupting_wait() != 0) { return EIO_ERROR; }
    if (timeout_ms > 0) {
        fake_now += (eio_ticks_t)timeout_ms;
    }
    return EIO_OK;
}

/* ---- Fake glue: scripted coroutines ---- */
typedef struct coro coro_t;
struct coro {
    int (*step)(coro_t *c, eio_task_t *self, eio_obj_t thrown, eio_obj_t *out);
    int n;        /* resumptions so far */
    int arg;      /* per-test parameter */
    eio_task_t *other;
    char log[64];
};

static eio_loop_t L;
static char trace[256];
static int unhandled;
static int cancel_token; /* its address stands for the CancelledError class */
#define CANCEL ((eio_obj_t)&cancel_token)

static void note(const char *s) { strncat(trace, s, sizeof trace - strlen(trace) - 1); }

int eio_glue_resume(eio_task_t *task, eio_obj_t thrown, eio_obj_t *out) {
    coro_t *c = task->coro;
    return c->step(c, task, thrown, out);
}
int eio_glue_done_callback(eio_task_t *task, eio_obj_t cb, eio_obj_t exc, eio_obj_t *out) {
    (void)task; (void)cb; (void)exc; (void)out;
    return EIO_OK;
}
int eio_glue_unhandled(eio_task_t *task, eio_obj_t exc, eio_obj_t *out) {
    (void)task; (void)exc; (void)out;
    unhandled++;
    return EIO_OK;
}
bool eio_glue_is_cancel(eio_obj_t exc) { return exc == CANCEL; }
int eio_glue_call(eio_obj_t func, eio_obj_t arg, eio_obj_t *out) {
    (void)func; (void)arg; (void)out;
    return EIO_OK;
}
int eio_glue_finished(eio_task_t *task, eio_obj_t *out) {
    (void)task; (void)out;
    return EIO_OK;
}

static void reset(void) {
    eio_loop_init(&L);
    fake_now = 1000;
    waits = 0;
    unhandled = 0;
    trace[0] = 0;
}

static eio_task_t *spawn(coro_t *c) {
    static eio_task_t pool[64];
    static int used;
    eio_task_t *t = &pool[used++ % 64];
    memset(t, 0, sizeof *t);
    eio_task_init(t, c);
    eio_spawn(&L, t);
    return t;
}

#define CHECK(cond) do { if (!(cond)) { \
    fprintf(stderr, "%s:%d: %s failed (trace: %s)\n", __FILE__, __LINE__, #cond, trace); \
    return 1; } } while (0)

/* Sleeps `arg` ms once, then returns; logs its name at the end. */
static int sleeper(coro_t *c, eio_task_t *self, eio_obj_t thrown, eio_obj_t *out) {
    (void)self;
    if (thrown) { note("x"); note(c->log); *out = thrown; return EIO_RAISE; }
    if (c->n++ == 0) { eio_sleep(&L, eio_now(), (uint64_t)c->arg); return EIO_YIELD; }
    note(c->log);
    *out = (eio_obj_t)(intptr_t)c->arg;
    return EIO_RETURN;
}

int abi_test_sleepers_wake_in_deadline_order(void) {
    reset();
    coro_t a = {sleeper, 0, 30, NULL, "a"}, b = {sleeper, 0, 10, NULL, "b"}, c = {sleeper, 0, 20, NULL, "c"};
    spawn(&a); spawn(&b); spawn(&c);
    eio_obj_t out;
    CHECK(eio_run(&L, NULL, &out) == EIO_OK);
    CHECK(strcmp(trace, "bca") == 0);
    CHECK(fake_now == 1030);   /* slept exactly to each deadline, never past */
    CHECK(waits == 3);         /* one blocking wait per distinct deadline: no polling */
    return 0;
}

int abi_test_main_value_is_returned(void) {
    reset();
    coro_t m = {sleeper, 0, 5, NULL, "m"};
    eio_task_t *t = spawn(&m);
    eio_obj_t out = NULL;
    CHECK(eio_run(&L, t, &out) == EIO_RETURN);
    CHECK(out == (eio_obj_t)5);
    CHECK(eio_current(&L) == NULL);
    return 0;
}

/* What the glue does before a task is first awaited: give it its `extra`. */
static void give_extra(eio_task_t *t) {
    static eio_task_extra_t pool[64];
    static int used;
    if (t->extra == NULL) {
        eio_task_extra_t *x = &pool[used++ % 64];
        memset(x, 0, sizeof *x);
        x->waiters.kind = EIO_WAITABLE_TASK;
        x->task = t;
        t->extra = x;
    }
}

/* Awaits c->other and returns what it returned, plus one. */
static int awaiter(coro_t *c, eio_task_t *self, eio_obj_t thrown, eio_obj_t *out) {
    (void)self;
    if (thrown) { note("w!"); *out = thrown; return EIO_RAISE; }
    if (c->n++ == 0) {
        give_extra(c->other);
        CHECK(eio_task_await_begin(c->other) == EIO_OK);
    }
    eio_obj_t v;
    int r = eio_task_await(&L, c->other, &v);
    if (r == EIO_YIELD) { return EIO_YIELD; }
    note("w");
    *out = (eio_obj_t)((intptr_t)v + 1);
    return r;
}

int abi_test_await_a_task_before_and_after_it_finished(void) {
    reset();
    coro_t s = {sleeper, 0, 10, NULL, "s"};
    eio_task_t *st = spawn(&s);
    coro_t w1 = {awaiter, 0, 0, st, ""};
    eio_task_t *wt = spawn(&w1);
    eio_obj_t out;
    CHECK(eio_run(&L, wt, &out) == EIO_RETURN && out == (eio_obj_t)11);
    /* Awaiting the finished task again returns at once. */
    coro_t w2 = {awaiter, 0, 0, st, ""};
    wt = spawn(&w2);
    CHECK(eio_run(&L, wt, &out) == EIO_RETURN && out == (eio_obj_t)11);
    CHECK(strcmp(trace, "sww") == 0);
    return 0;
}

/* Cancels c->other after one turn. */
static int canceller(coro_t *c, eio_task_t *self, eio_obj_t thrown, eio_obj_t *out) {
    (void)thrown;
    CHECK(eio_task_cancel(&L, self, CANCEL) == EIO_E_CANT_CANCEL_SELF);
    if (c->n++ == 0) { eio_sleep(&L, eio_now(), 0); return EIO_YIELD; }
    CHECK(eio_task_cancel(&L, c->other, CANCEL) == 1);
    note("C");
    *out = NULL;
    return EIO_RETURN;
}

int abi_test_cancel_sleeping_queued_and_finished_tasks(void) {
    reset();
    coro_t s = {sleeper, 0, 5000, NULL, "s"};
    eio_task_t *st = spawn(&s);
    coro_t k = {canceller, 0, 0, st, ""};
    spawn(&k);
    eio_obj_t out;
    CHECK(eio_run(&L, NULL, &out) == EIO_OK);
    CHECK(strcmp(trace, "Cxs") == 0);
    CHECK(fake_now == 1000);   /* the 5 s sleep did not have to pass */
    CHECK(unhandled == 0);     /* a cancelled task's CancelledError is not reported */
    /* A finished task cannot be cancelled. */
    CHECK(eio_task_cancel(&L, st, CANCEL) == 0);
    /* A queued task that has not started yet gets the exception at its first resumption. */
    reset();
    coro_t q = {sleeper, 0, 1, NULL, "q"};
    eio_task_t *qt = spawn(&q);
    CHECK(eio_task_cancel(&L, qt, CANCEL) == 1);
    CHECK(eio_run(&L, NULL, &out) == EIO_OK);
    CHECK(strcmp(trace, "xq") == 0);
    return 0;
}

static int token;
static int raiser(coro_t *c, eio_task_t *self, eio_obj_t thrown, eio_obj_t *out) {
    (void)c; (void)self; (void)thrown;
    *out = (eio_obj_t)&token;
    return EIO_RAISE;
}

int abi_test_unretrieved_exception_reported_once(void) {
    reset();
    coro_t r = {raiser, 0, 0, NULL, ""};
    spawn(&r);
    eio_obj_t out;
    CHECK(eio_run(&L, NULL, &out) == EIO_OK);
    CHECK(unhandled == 1);
    return 0;
}

/* ---- The mailbox ---- */

static eio_flag_t flag_a, flag_b;
static uint32_t post_during_wait; /* a handle the fake port posts while "asleep": an interrupt */

/* Waits on flag c->other (reused as a flag pointer) once, then returns. */
static int flag_waiter(coro_t *c, eio_task_t *self, eio_obj_t thrown, eio_obj_t *out) {
    (void)self; (void)thrown;
    eio_flag_t *f = (eio_flag_t *)c->other;
    if (c->n++ == 0) {
        int r = eio_flag_wait(&L, f);
        if (r == EIO_YIELD) { return EIO_YIELD; }
        note("!"); /* was already set */
    }
    note(c->log);
    *out = NULL;
    return EIO_RETURN;
}

static int interrupting_wait(void) {
    if (post_during_wait) {
        CHECK(eio_post(post_during_wait) == EIO_OK);
        post_during_wait = 0;
    }
    return 0;
}

int abi_test_flag_wakes_every_waiter_once_and_coalesces_posts(void) {
    reset();
    CHECK(eio_flag_init(&flag_a) == EIO_OK);
    coro_t w1 = {flag_waiter, 0, 0, (eio_task_t *)&flag_a, "1"};
    coro_t w2 = {flag_waiter, 0, 0, (eio_task_t *)&flag_a, "2"};
    spawn(&w1); spawn(&w2);
    eio_stats_t before, after;
    eio_stats(&before);
    /* Both tasks park; the loop must not end while they wait; the "interrupt" arrives
       during the blocking wait, three times, and wakes both tasks exactly once. */
    post_during_wait = flag_a.handle;
    eio_obj_t out;
    CHECK(eio_run(&L, NULL, &out) == EIO_OK);
    CHECK(strcmp(trace, "12") == 0);
    CHECK(L.armed == NULL);
    /* Coalescing: posts before the loop looks are delivered once. */
    CHECK(eio_post(flag_a.handle) == EIO_OK);
    CHECK(eio_post(flag_a.handle) == EIO_OK);
    eio_stats(&after);
    CHECK(after.posts - before.posts == 3);
    CHECK(after.posts_coalesced - before.posts_coalesced == 1);
    /* ...and the set is remembered for the next wait, which returns at once. */
    trace[0] = 0;
    coro_t w3 = {flag_waiter, 0, 0, (eio_task_t *)&flag_a, "3"};
    spawn(&w3);
    CHECK(eio_run(&L, NULL, &out) == EIO_OK);
    CHECK(strcmp(trace, "!3") == 0);
    eio_flag_deinit(&flag_a);
    return 0;
}

int abi_test_post_refuses_bad_and_stale_handles(void) {
    reset();
    CHECK(eio_post(0) == EIO_E_BAD_HANDLE);
    CHECK(eio_post(0xffffffffu) == EIO_E_BAD_HANDLE);
    CHECK(eio_flag_init(&flag_b) == EIO_OK);
    uint32_t h = flag_b.handle;
    CHECK(eio_post(h) == EIO_OK);
    eio_flag_clear(&flag_b);            /* clear forgets the pending post */
    CHECK(flag_b.is_set == 0);
    eio_flag_deinit(&flag_b);
    CHECK(eio_post(h) == EIO_E_BAD_HANDLE); /* the flag is gone */
    CHECK(eio_flag_init(&flag_b) == EIO_OK); /* the slot is reused with a new generation */
    CHECK(flag_b.handle != h);
    CHECK(eio_post(h) == EIO_E_BAD_HANDLE);  /* an old handle does not reach the new flag */
    eio_flag_deinit(&flag_b);
    return 0;
}

int abi_test_cancelled_flag_waiter_lets_the_loop_end(void) {
    reset();
    CHECK(eio_flag_init(&flag_a) == EIO_OK);
    coro_t w = {flag_waiter, 0, 0, (eio_task_t *)&flag_a, "w"};
    eio_task_t *wt = spawn(&w);
    coro_t k = {canceller, 0, 0, wt, ""};
    spawn(&k);
    eio_obj_t out;
    CHECK(eio_run(&L, NULL, &out) == EIO_OK); /* would block forever if still armed */
    CHECK(L.armed == NULL);
    eio_flag_deinit(&flag_a);
    return 0;
}

/* Sleeps 0 ms once (so that the tasks spawned before it start), then returns. */
static int yield_once(coro_t *c, eio_task_t *self, eio_obj_t thrown, eio_obj_t *out) {
    (void)self; (void)thrown;
    if (c->n++ == 0) { eio_sleep(&L, eio_now(), 0); return EIO_YIELD; }
    *out = NULL;
    return EIO_RETURN;
}

int abi_test_forget_empties_the_loops_queues(void) {
    reset();
    CHECK(eio_flag_init(&flag_a) == EIO_OK);
    coro_t s = {sleeper, 0, 5000, NULL, "s"}, d = {sleeper, 0, 1, NULL, "d"};
    coro_t h = {sleeper, 0, 5000, NULL, "h"}, r = {sleeper, 0, 0, NULL, "r"};
    coro_t w = {flag_waiter, 0, 0, (eio_task_t *)&flag_a, "w"}, m = {yield_once, 0, 0, NULL, ""};
    eio_task_t *st = spawn(&s), *dt = spawn(&d), *wt = spawn(&w);
    static eio_task_t ht_obj;
    eio_task_t *ht = &ht_obj;
    eio_task_init(ht, &h);
    ht->priority = 3; /* sleeps in the loop's other timer heap */
    eio_spawn(&L, ht);
    eio_obj_t out;
    CHECK(eio_run(&L, spawn(&m), &out) == EIO_RETURN);
    eio_task_t *rt = spawn(&r); /* ready, never started */
    CHECK(L.timers != NULL && L.timers_hi != NULL && L.armed != NULL && L.ready_levels != 0);

    eio_loop_forget(&L);
    CHECK(L.timers == NULL && L.timers_hi == NULL && L.armed == NULL && L.ready_levels == 0);
    CHECK(L.io.head == NULL && flag_a.waiters.head == NULL);
    CHECK(st->at == EIO_AT_FORGOTTEN && dt->at == EIO_AT_FORGOTTEN && ht->at == EIO_AT_FORGOTTEN);
    CHECK(rt->at == EIO_AT_FORGOTTEN && wt->at == EIO_AT_PARKED);
    CHECK(st->next == NULL && st->child == NULL && wt->wait_on == NULL);

    /* A cancel wakes a forgotten sleeper whose deadline is ahead, and a forgotten flag waiter;
       not one whose time has come (as stock's cancel, which finds none of them queued). */
    fake_now += 100;
    CHECK(eio_task_cancel(&L, st, CANCEL) == 1 && st->at == EIO_AT_READY);
    CHECK(eio_task_cancel(&L, dt, CANCEL) == 1 && dt->at == EIO_AT_FORGOTTEN);
    CHECK(eio_task_cancel(&L, wt, CANCEL) == 1 && wt->at == EIO_AT_READY);
    CHECK(eio_task_cancel(&L, rt, CANCEL) == 1 && rt->at == EIO_AT_FORGOTTEN);
    eio_set_priority(&L, ht, 5); /* nowhere to move it from */
    CHECK(ht->at == EIO_AT_FORGOTTEN && ht->priority == 5);
    CHECK(eio_run(&L, NULL, &out) == EIO_OK);
    CHECK(strcmp(trace, "xsw") == 0);
    CHECK(fake_now == 1100); /* nothing forgotten was waited for */

    /* The flag works on: a post with no waiter leaves it set for the next wait. */
    CHECK(eio_post(flag_a.handle) == EIO_OK);
    trace[0] = 0;
    coro_t w2 = {flag_waiter, 0, 0, (eio_task_t *)&flag_a, "2"};
    coro_t m2 = {yield_once, 0, 0, NULL, ""};
    spawn(&w2);
    CHECK(eio_run(&L, spawn(&m2), &out) == EIO_RETURN);
    CHECK(eio_run(&L, NULL, &out) == EIO_OK);
    CHECK(strcmp(trace, "!2") == 0);
    eio_flag_deinit(&flag_a);
    return 0;
}

/* ---- Alarms ---- */

/* Parks once (eio_park); comes back woken ("w") or with an exception ("T", raised). */
static int parker(coro_t *c, eio_task_t *self, eio_obj_t thrown, eio_obj_t *out) {
    (void)self;
    if (thrown) { note("T"); *out = thrown; return EIO_RAISE; }
    if (c->n++ == 0) { eio_park(&L); return EIO_YIELD; }
    note("w");
    *out = NULL;
    return EIO_RETURN;
}

/* Sleeps `arg` ms, then wakes c->other and disarms the alarm in c->log's place. */
static eio_alarm_t *waker_alarm;
static int waker(coro_t *c, eio_task_t *self, eio_obj_t thrown, eio_obj_t *out) {
    (void)self; (void)thrown;
    if (c->n++ == 0) { eio_sleep(&L, eio_now(), (uint64_t)c->arg); return EIO_YIELD; }
    eio_wake(&L, c->other);
    if (eio_alarm_disarm(&L, waker_alarm)) { note("d"); }
    *out = NULL;
    return EIO_RETURN;
}

int abi_test_alarm_cancels_wakes_or_is_disarmed(void) {
    static eio_alarm_t a;
    eio_obj_t out;
    /* A cancel at its deadline, thrown into the parked task: no task of its own, no resume. */
    reset();
    eio_alarm_init(&a);
    coro_t p = {parker, 0, 0, NULL, ""};
    eio_task_t *pt = spawn(&p);
    eio_alarm_arm(&L, &a, pt, eio_now() + 50, CANCEL);
    CHECK(eio_run(&L, NULL, &out) == EIO_OK);
    CHECK(strcmp(trace, "T") == 0);
    CHECK(fake_now == 1050 && waits == 1);
    CHECK(eio_alarm_fired(&a) && !eio_alarm_disarm(&L, &a));
    CHECK(pt->state < EIO_TASK_RUNNING && pt->data == CANCEL);

    /* Disarmed when the awaited thing came first: the loop does not wait for the deadline. */
    reset();
    coro_t p2 = {parker, 0, 0, NULL, ""};
    pt = spawn(&p2);
    coro_t w = {waker, 0, 10, pt, ""};
    spawn(&w);
    waker_alarm = &a;
    eio_alarm_arm(&L, &a, pt, eio_now() + 50, CANCEL);
    CHECK(!eio_alarm_fired(&a));
    CHECK(eio_run(&L, NULL, &out) == EIO_OK);
    CHECK(strcmp(trace, "dw") == 0);
    CHECK(fake_now == 1010 && !eio_alarm_fired(&a));

    /* A wake alarm: the parked task comes back without an exception. */
    reset();
    coro_t p3 = {parker, 0, 0, NULL, ""};
    pt = spawn(&p3);
    eio_alarm_arm(&L, &a, pt, eio_now() + 30, NULL);
    CHECK(eio_run(&L, NULL, &out) == EIO_OK);
    CHECK(strcmp(trace, "w") == 0 && fake_now == 1030 && eio_alarm_fired(&a));

    /* A cancel alarm on a task that already has a cancel pending does not replace it. */
    reset();
    static int other_exc;
    coro_t p4 = {parker, 0, 0, NULL, ""};
    pt = spawn(&p4);
    eio_alarm_arm(&L, &a, pt, eio_now() - 1, (eio_obj_t)&other_exc); /* due before pt runs */
    CHECK(eio_task_cancel(&L, pt, CANCEL) == 1);
    CHECK(eio_run(&L, NULL, &out) == EIO_OK);
    CHECK(strcmp(trace, "T") == 0 && pt->data == CANCEL && eio_alarm_fired(&a));
    return 0;
}

/* Logs its name once and returns. */
static int logger(coro_t *c, eio_task_t *self, eio_obj_t thrown, eio_obj_t *out) {
    (void)self; (void)thrown;
    note(c->log);
    *out = NULL;
    return EIO_RETURN;
}

/* Parks on a stream for good (so that the loop polls streams while tasks are ready). */
static int io_parker(coro_t *c, eio_task_t *self, eio_obj_t thrown, eio_obj_t *out) {
    (void)self; (void)thrown; (void)out;
    static int stream;
    c->n++;
    CHECK(eio_io_wait(&L, (eio_obj_t)&stream, EIO_IO_READ) == EIO_OK);
    return EIO_YIELD;
}

int abi_test_post_before_a_resumption_runs_the_higher_level_first(void) {
    reset();
    CHECK(eio_flag_init(&flag_a) == EIO_OK);
    coro_t h = {flag_waiter, 0, 0, (eio_task_t *)&flag_a, "H"};
    eio_set_priority(&L, spawn(&h), 3);
    coro_t io = {io_parker, 0, 0, NULL, ""};
    spawn(&io);
    coro_t a = {logger, 0, 0, NULL, "A"}, b = {logger, 0, 0, NULL, "B"};
    spawn(&a);
    eio_task_t *main = spawn(&b);
    /* H parks on the flag, the parker on its stream; then, with A picked to run next, the
       post lands (in the port's poll): H runs before A, which is handed back to the head of
       level 0 and runs before B, its switch counted once. */
    post_during_poll = flag_a.handle;
    eio_stats_t before, after;
    eio_stats(&before);
    eio_obj_t out;
    CHECK(eio_run(&L, main, &out) == EIO_RETURN);
    eio_stats(&after);
    CHECK(strcmp(trace, "HAB") == 0);
    CHECK(io.n == 1);
    CHECK(after.switches - before.switches == 5); /* H twice, the parker, A, B */
    CHECK(after.switches_by_level[3] - before.switches_by_level[3] == 2);
    eio_loop_forget(&L);
    eio_flag_deinit(&flag_a);
    return 0;
}
