// The eventio port for the mps2-an385 board: the clock, the idle wait, stream readiness and
// interrupt sources, per include/eventio.h (eio_port_*) and the glue's glue.h (eventio_port_*).
// Compiled as EVENTIO_PORT_SRC of the user C module (mk/qemu.mk), with the board's headers
// (board.h, hw.h) from micropython-port/qemu.
//
// Idle: "mask, check, arm the deadline, WFI, unmask".  eio_post() calls eio_port_wake() only
// after the core has announced its sleep; eio_port_wake() sets a sticky flag, and the wait
// returns without sleeping when it finds the flag set with interrupts masked.  An interrupt
// that arrives after that check stays pending, and a pending interrupt ends WFI even while
// PRIMASK is set, so no wake-up is lost.  The only timer armed is the one-shot deadline for
// the next timer of the core: an idle board takes no periodic interrupt.

#include "py/mphal.h"
#include "py/runtime.h"
#include "py/stream.h"
#include "glue.h"
#include "board.h"
#include "hw.h"

// Set by eio_port_wake() (from eio_post(), in an ISR or in the loop); cleared when a wait ends.
static volatile bool port_woken;

// shared/runtime/sys_stdio_mphal.c: sys.stdin, UART0 on this board.

void eventio_port_init(void) {
}

eio_ticks_t eio_port_ticks_ms(void) {
    return timebase_ticks() / HW_TICKS_PER_MS;
}

void eio_port_wake(void) {
    port_woken = true;
}

// The critical section (include/eventio.h): one core, so masking interrupts with PRIMASK is
// exclusion; the token is the PRIMASK found on entry, so sections nest.
uint32_t eio_port_critical_enter(void) {
    return hw_irq_save();
}

void eio_port_critical_exit(uint32_t token) {
    hw_irq_restore(token);
}

// ---- Streams ------------------------------------------------------------------------------
//
// The board's stdio (sys.stdin, sys.stdin.buffer) is UART0, whose receive interrupt fills a
// ring buffer and so ends any WFI: waiting for it costs no polling.  Any other stream (a
// Python object with an ioctl) cannot interrupt; while one is waited on, the wait is capped
// at IOCTL_POLL_MS, as on the unix port.

#define IOCTL_POLL_MS 10

int eio_port_poll(eio_loop_t *loop, eio_obj_t *out) {
    nlr_buf_t nlr;
    if (nlr_push(&nlr) != 0) {
        *out = MP_OBJ_FROM_PTR(nlr.ret_val);
        return EIO_ERROR;
    }
    bool must_poll = false;
    eventio_wake_ready_streams(loop, &must_poll);
    nlr_pop();
    return eventio_handle_pending(out);
}

int eio_port_wait(eio_loop_t *loop, int64_t timeout_ms, eio_obj_t *out) {
    // Scheduled callbacks run first: one may set a flag, whose post then ends the wait, or an
    // Event, which readies a task (then the wait does not block).
    if (eventio_handle_pending(out) != EIO_OK) {
        return EIO_ERROR;
    }
    bool must_poll = false;
    if (loop->io.head != NULL) {
        nlr_buf_t nlr;
        if (nlr_push(&nlr) != 0) {
            *out = MP_OBJ_FROM_PTR(nlr.ret_val);
            return EIO_ERROR;
        }
        size_t woken = eventio_wake_ready_streams(loop, &must_poll);
        nlr_pop();
        if (woken) {
            port_woken = false;
            return EIO_OK;
        }
        if (must_poll && (timeout_ms < 0 || timeout_ms > IOCTL_POLL_MS)) {
            timeout_ms = IOCTL_POLL_MS;
        }
    }
    if (timeout_ms != 0) {
        uint32_t primask = hw_irq_save();
        uint64_t now = timebase_ticks();
        // A waited UART byte that arrived after the scan above: its interrupt already ran, so
        // look again here, masked (a byte arriving later leaves its interrupt pending).
        bool uart_ready = loop->io.head != NULL && uart_rx_any();
        if (!port_woken && !board_sched_pending() && !uart_ready && !eio_has_ready(loop)) {
            uint64_t ticks = BOARD_NO_TIMEOUT;
            if (timeout_ms > 0) {
                // Wake at the millisecond boundary the core's deadline names, not timeout_ms
                // from an arbitrary point inside the current millisecond.
                uint64_t ms = timeout_ms > 200000 ? 200000 : (uint64_t)timeout_ms;
                uint64_t target = (now / HW_TICKS_PER_MS + ms) * HW_TICKS_PER_MS;
                ticks = target - now;
            }
            board_idle_wait(ticks);
        }
        hw_irq_restore(primask);
        // The interrupt that ended the wait has run now; a post it made is in the mailbox,
        // which the core reads next, so the flag it raised has done its job.
        port_woken = false;
        if (uart_ready || loop->io.head != NULL) {
            nlr_buf_t nlr;
            if (nlr_push(&nlr) != 0) {
                *out = MP_OBJ_FROM_PTR(nlr.ret_val);
                return EIO_ERROR;
            }
            eventio_wake_ready_streams(loop, &must_poll);
            nlr_pop();
        }
    } else {
        port_woken = false;
    }
    return eventio_handle_pending(out);
}

// ---- Interrupt sources ------------------------------------------------------------------

void eventio_port_soft_reset(void) {
}

void eventio_port_pin_source(mp_obj_t pin, mp_int_t trigger, uint32_t handle) {
    (void)pin;
    (void)trigger;
    (void)handle;
    mp_raise_msg(&mp_type_OSError, MP_ERROR_TEXT("no pins on this board"));
}

void eventio_port_signal_source(int signum, uint32_t handle) {
    (void)signum;
    (void)handle;
    mp_raise_msg(&mp_type_OSError, MP_ERROR_TEXT("no signals on this board"));
}

void eventio_port_signal_source_end(int signum, uint32_t handle) {
    (void)signum;
    (void)handle;
}

// eventio.test_source(flag, count, period_us): TIMER0 posts `handle` `count` times,
// `period_us` apart, from its interrupt handler (period 0: as fast as the timer allows); for
// an InterruptQueue it puts the values 0 .. count-1.
void eventio_port_test_source(uint32_t handle, uint32_t count, uint32_t period_us, bool values) {
    board_timer0_source_count(handle, period_us ? period_us : 1, count, values);
}

// The mailbox handle of an asyncio.ThreadSafeFlag (an eio_flag_t), for the board module.
uint32_t board_flag_handle(mp_obj_t flag) {
    mp_obj_t mod = mp_import_name(MP_QSTR__eventio, mp_const_none, MP_OBJ_NEW_SMALL_INT(0));
    mp_obj_t type = mp_load_attr(mod, MP_QSTR_ThreadSafeFlag);
    if (!mp_obj_is_type(flag, (const mp_obj_type_t *)MP_OBJ_TO_PTR(type))) {
        mp_raise_TypeError(MP_ERROR_TEXT("ThreadSafeFlag expected"));
    }
    return ((eio_flag_t *)MP_OBJ_TO_PTR(flag))->handle;
}
