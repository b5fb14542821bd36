// MicroPython HAL for the eventio mps2-an385 board: stdio on UART0, time on the tickless
// time base, and delays that sleep in WFI.

#include "py/mphal.h"
#include "py/runtime.h"
#include "py/stream.h"
#include "board.h"
#include "hw.h"

uintptr_t mp_hal_stdio_poll(uintptr_t poll_flags) {
    uintptr_t ret = 0;
    if ((poll_flags & MP_STREAM_POLL_RD) && uart_rx_any()) {
        ret |= MP_STREAM_POLL_RD;
    }
    if (poll_flags & MP_STREAM_POLL_WR) {
        // Transmit is polled and never refuses a byte for long.
        ret |= MP_STREAM_POLL_WR;
    }
    return ret;
}

int mp_hal_stdin_rx_chr(void) {
    for (;;) {
        // Run scheduled callbacks; raises KeyboardInterrupt if Ctrl-C came in (input() in a
        // script). At the REPL prompt Ctrl-C is an ordinary character.
        mp_event_handle_nowait();
        // Check and sleep with interrupts masked, so a byte arriving after the check still
        // ends the WFI (as a pending interrupt) instead of being noticed only on the next one.
        uint32_t primask = hw_irq_save();
        int c = uart_rx_pop();
        if (c < 0 && !board_sched_pending()) {
            board_idle_wait(BOARD_NO_TIMEOUT);
        }
        hw_irq_restore(primask);
        if (c >= 0) {
            return c;
        }
    }
}

mp_uint_t mp_hal_stdout_tx_strn(const char *str, size_t len) {
    uart_tx_strn(str, len);
    return len;
}

mp_uint_t mp_hal_ticks_ms(void) {
    return (mp_uint_t)(timebase_ticks() / HW_TICKS_PER_MS);
}

mp_uint_t mp_hal_ticks_us(void) {
    return (mp_uint_t)(timebase_ticks() / HW_TICKS_PER_US);
}

mp_uint_t mp_hal_ticks_cpu(void) {
    // 25 MHz time-base ticks (DWT CYCCNT reads 0 under QEMU).
    return (mp_uint_t)timebase_ticks();
}

uint64_t mp_hal_time_ns(void) {
    // No RTC on this board: the epoch is boot.
    return timebase_ticks() * (1000000000u / HW_PCLK_HZ);
}

// Sleep until the time base reaches the deadline, waking only for interrupts. Scheduled
// callbacks and Ctrl-C are handled on each wake-up, as on other ports.
static void delay_ticks(uint64_t ticks) {
    uint64_t deadline = timebase_ticks() + ticks;
    for (;;) {
        mp_event_handle_nowait();
        uint32_t primask = hw_irq_save();
        uint64_t now = timebase_ticks();
        if (now >= deadline) {
            hw_irq_restore(primask);
            return;
        }
        if (!board_sched_pending()) {
            board_idle_wait(deadline - now);
        }
        hw_irq_restore(primask);
    }
}

void mp_hal_delay_ms(mp_uint_t ms) {
    delay_ticks((uint64_t)ms * HW_TICKS_PER_MS);
}

void mp_hal_delay_us(mp_uint_t us) {
    delay_ticks((uint64_t)us * HW_TICKS_PER_US);
}
