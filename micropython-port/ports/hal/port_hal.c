// The eventio port for any MicroPython port, on MicroPython's portable HAL only: a port
// builds eventio with no eventio-specific C file of its own (include/eventio.h's eio_port_*
// and glue.h's eventio_port_*).  A port folder beside this one (e.g. ../rp2) adds what its
// chip does better: it replaces the MP_WEAK functions below.
//
// - Clock: mp_hal_ticks_ms(), widened to the core's 64-bit ticks.
// - Idle wait: the port's own event wait, mp_event_wait_ms() / mp_event_wait_indefinite(): it
//   runs scheduled callbacks and raises a pending KeyboardInterrupt as the port does, then
//   sleeps in MICROPY_INTERNAL_WFE (WFE on rp2, WFI on stm32, a FreeRTOS wait on esp32) until
//   an interrupt, an event or the timeout.  Here inside nlr, so an exception comes back to the
//   core as a status.
// - Wake: eio_post() calls eio_port_wake() after the core has announced its sleep.  It sets
//   `port_woken`, checked just before the port's wait, and then wakes the CPU the port's way
//   (eventio_port_wake_cpu()).  A post from an interrupt handler that comes after that check
//   ends the wait because taking an interrupt ends it: on WFE ports the handler's exception
//   return sets the event register, so the WFE that follows returns at once; on WFI ports a
//   handler that ran before the WFI leaves it waiting for the next interrupt (stm32's 1 ms
//   SysTick), exactly as it does for the port's own scheduled callbacks.  A post from another
//   core or thread needs the port's wake: SEV by default on Arm (it sets the event register of
//   every core, so a WFE not yet entered returns at once).
// - Critical section: the port's own MICROPY_BEGIN/END_ATOMIC_SECTION, which on rp2 with
//   threads is mp_thread_begin_atomic_section(): interrupts off and the atomic mutex on its
//   hardware spinlock, so it excludes the other core too.
// - Streams: sys.stdin is fed by the console's receive interrupt on every bare-metal port, so
//   waiting for it needs no polling; any other stream is asked with MP_STREAM_POLL, and while
//   one is waited on the wait is capped at STREAM_POLL_MS (as on the unix port).

#include "py/mphal.h"
#include "py/runtime.h"
#include "py/stream.h"
#include "glue.h"

#define STREAM_POLL_MS 10
// The longest single wait: the 32-bit clock is read at least this often, so its widening to
// 64 bits below never misses a wrap (2^32 ms is 49 days).
#define MAX_WAIT_MS (1u << 30)

// Set by eio_port_wake() (from eio_post(), in an interrupt, on another core or in the loop);
// cleared when a wait ends.
static volatile bool port_woken;

// shared/runtime/sys_stdio_mphal.c: sys.stdin, the console.

MP_WEAK void eventio_port_init(void) {
}

// The port's 32-bit millisecond clock, widened: the core's ticks must not wrap.  Only the loop
// reads the clock, so the last reading needs no lock.
eio_ticks_t eio_port_ticks_ms(void) {
    static eio_ticks_t last;
    uint32_t now = (uint32_t)mp_hal_ticks_ms();
    last += (uint32_t)(now - (uint32_t)last);
    return last;
}

// Wake the CPU from the port's MICROPY_INTERNAL_WFE, from any context.
MP_WEAK void eventio_port_wake_cpu(void) {
    #if defined(__arm__)
    __asm volatile ("sev" ::: "memory");
    #endif
}

void eio_port_wake(void) {
    port_woken = true;
    eventio_port_wake_cpu();
}

// ---- Critical section (include/eventio.h) ------------------------------------------------
// Callable from any context; nests, as the port's atomic section does.

uint32_t eio_port_critical_enter(void) {
    return MICROPY_BEGIN_ATOMIC_SECTION();
}

void eio_port_critical_exit(uint32_t state) {
    MICROPY_END_ATOMIC_SECTION(state);
}

// ---- Streams ----------------------------------------------------------------------------

int eio_port_poll(eio_loop_t *loop, eio_obj_t *out) {
    nlr_buf_t nlr;
    if (nlr_push(&nlr) != 0) {
        *out = MP_OBJ_FROM_PTR(nlr.ret_val);
        return EIO_ERROR;
    }
    bool must_poll = false;
    eventio_wake_ready_streams(loop, &must_poll);
    mp_event_handle_nowait();
    nlr_pop();
    return EIO_OK;
}

// The port's own timed wait (callbacks first, then sleep until an interrupt, an event or `ms`
// milliseconds have passed); a port folder may replace it with its chip's.
MP_WEAK void eventio_port_wait_ms(uint32_t ms) {
    mp_event_wait_ms(ms);
}

// Whether what ended the port's wait concerns the loop: a post (or a callback scheduled, whose
// hook posts no handle but wakes the port the same way), a pending callback or exception
// (Ctrl-C, which the port's console interrupt raises), or any interrupt while a stream is
// waited on (the console's receive interrupt fills sys.stdin).  The port's wait also ends for
// interrupts that concern only the port (on rp2 the alarm pool's, which pico-sdk 2 takes once
// whenever a wake-up alarm is set; stm32's 1 ms SysTick): those wait again here, so the core
// sees one wait per deadline.  (A callback the port schedules for itself, e.g. TinyUSB's on
// USB boards, does end the wait: it runs in the core's next turn, counted as awake.)
static bool python_pending(void) {
    return eventio_callbacks_pending()
           // with threads, a pending exception does not mark the scheduler pending
           || MP_STATE_MAIN_THREAD(mp_pending_exception) != MP_OBJ_NULL;
}

static bool wait_ends(eio_loop_t *loop) {
    return port_woken || python_pending() || loop->io.head != NULL;
}

int eio_port_wait(eio_loop_t *loop, int64_t timeout_ms, eio_obj_t *out) {
    nlr_buf_t nlr;
    if (nlr_push(&nlr) != 0) {
        port_woken = false;
        *out = MP_OBJ_FROM_PTR(nlr.ret_val);
        return EIO_ERROR;
    }
    // Scheduled callbacks first: one may set a flag, whose post then ends the wait at once.
    mp_event_handle_nowait();
    bool must_poll = false;
    // MicroPython runs one Python callback per call and a callback may ready a task (an Event
    // set): then look again instead of waiting.  A callback scheduled after this check wakes
    // the wait (MICROPY_SCHED_HOOK_SCHEDULED, eio_notify), as a post does.
    if (eventio_wake_ready_streams(loop, &must_poll) == 0 && !port_woken && timeout_ms != 0
        && !eventio_callbacks_pending() && !eio_has_ready(loop)) {
        if (must_poll && (timeout_ms < 0 || timeout_ms > STREAM_POLL_MS)) {
            timeout_ms = STREAM_POLL_MS;
        }
        if (timeout_ms < 0) {
            do {
                mp_event_wait_indefinite();
            } while (!wait_ends(loop));
        } else {
            uint32_t ms = timeout_ms > MAX_WAIT_MS ? MAX_WAIT_MS : (uint32_t)timeout_ms;
            uint32_t start = (uint32_t)mp_hal_ticks_ms();
            uint32_t waited = 0;
            do {
                eventio_port_wait_ms(ms - waited);
                // A post or callback ends the wait without a look at the clock (the core reads it).
            } while (!wait_ends(loop) && (waited = (uint32_t)mp_hal_ticks_ms() - start) < ms);
        }
        // Whatever ended the wait (an interrupt, a post, the deadline) has run: a post it
        // made is in the mailbox, which the core reads next.
        port_woken = false;
        if (loop->io.head != NULL) {
            eventio_wake_ready_streams(loop, &must_poll);
        }
        // E.g. Ctrl-C typed during the wait.  (The port's own events were handled just before
        // it; when only a post ended it, the loop goes straight on to deliver it.)
        if (python_pending()) {
            mp_event_handle_nowait();
        }
    }
    port_woken = false;
    nlr_pop();
    return EIO_OK;
}

// ---- Interrupt sources ------------------------------------------------------------------
// A port folder replaces these with its chip's sources.

MP_WEAK void eventio_port_signal_source(int signum, uint32_t handle) {
    (void)signum;
    (void)handle;
    mp_raise_msg(&mp_type_OSError, MP_ERROR_TEXT("no signals on this port"));
}

MP_WEAK void eventio_port_signal_source_end(int signum, uint32_t handle) {
    (void)signum;
    (void)handle;
}

MP_WEAK void eventio_port_test_source(uint32_t handle, uint32_t count, uint32_t period_us, bool values) {
    (void)handle;
    (void)count;
    (void)period_us;
    (void)values;
    mp_raise_msg(&mp_type_OSError, MP_ERROR_TEXT("no native test source on this port"));
}

MP_WEAK void eventio_port_pin_source(mp_obj_t pin, mp_int_t trigger, uint32_t handle) {
    (void)pin;
    (void)trigger;
    (void)handle;
    mp_raise_msg(&mp_type_OSError, MP_ERROR_TEXT("no native pin source on this port"));
}
