// Interrupt-driven event sources that Python can arm, for exercising the eventio core:
// TIMER0 as a one-shot or periodic tick, and UART0 receive (see uart.c).
// Each ISR ends in board_post(), which forwards a handle chosen by Python to eio_post().

#include "py/runtime.h"
#include "board.h"
#include "hw.h"
#include "eio_port_qemu.h"
#if BOARD_EVENTIO
#include "eventio.h"
#endif

volatile uint32_t board_post_count;

volatile uint64_t board_timer0_stamp;

static volatile uint32_t timer0_handle;
static volatile bool timer0_periodic;
// Posts left before TIMER0 stops (0: unlimited, while periodic).
static volatile uint32_t timer0_left;
// Put values 0, 1, 2, ... into the handle's InterruptQueue instead of posting a flag.
static volatile bool timer0_values;
static volatile uint32_t timer0_next_value;

void board_post(uint32_t handle) {
    board_post_count++;
    board_wake_pending = true;
    // eio_post() itself wakes the loop's idle wait (eio_port_wake) when it is asleep.
    eio_post(handle);
}

// Stops TIMER0, then (period_us != 0) sets up every piece of state its ISR reads before
// enabling it: a source's mode never leaks into the next one (test_source's values into a
// later timer_flag), and the first interrupt cannot come before the post count is set.
static void timer0_start(uint32_t handle, uint32_t period_us, bool periodic, uint32_t count,
    bool values) {
    TIMER0->CTRL = 0;
    TIMER0->INTSTATUS = 1;
    nvic_clear_pending(IRQ_TIMER0);
    timer0_left = 0;
    timer0_values = false;
    if (period_us == 0) {
        return;
    }
    uint64_t ticks = (uint64_t)period_us * HW_TICKS_PER_US;
    if (ticks > 0xffffffffu) {
        ticks = 0xffffffffu; // 171.8 s, the longest the 32-bit counter can measure
    }
    timer0_handle = handle;
    timer0_periodic = periodic;
    timer0_left = count;
    timer0_values = values;
    timer0_next_value = 0;
    // The counter fires on reaching 0 and then reloads, so RELOAD + 1 ticks is one period.
    TIMER0->RELOAD = (uint32_t)ticks - 1;
    TIMER0->VALUE = (uint32_t)ticks - 1;
    TIMER0->CTRL = TIMER_CTRL_EN | TIMER_CTRL_IRQEN;
    nvic_enable(IRQ_TIMER0);
}

void board_timer0_source(uint32_t handle, uint32_t period_us, bool periodic) {
    timer0_start(handle, period_us, periodic, 0, false);
}

void board_timer0_source_count(uint32_t handle, uint32_t period_us, uint32_t count, bool values) {
    timer0_start(handle, count ? period_us : 0, count > 1, count, values);
}

void TIMER0_IRQHandler(void) {
    // When the interrupt was taken: latency measurements compare a woken task's clock to it.
    board_timer0_stamp = timebase_ticks();
    TIMER0->INTSTATUS = 1;
    uint32_t left = timer0_left;
    if (left != 0) {
        timer0_left = --left;
        if (left == 0) {
            TIMER0->CTRL = 0; // a count-limited source: that was its last post
        }
    } else if (!timer0_periodic) {
        TIMER0->CTRL = 0;
    }
    board_irq_count[BOARD_SRC_TIMER0]++;
    #if !BOARD_EVENTIO
    // Stock firmware: TIMER0 schedules a Python callback (a soft IRQ, as machine.Timer does on
    // MicroPython's ports), for side-by-side figures with eventio's posted flags.
    if (MP_STATE_PORT(board_timer0_callback) != MP_OBJ_NULL) {
        mp_sched_schedule(MP_STATE_PORT(board_timer0_callback), mp_const_none);
        board_wake_pending = true;
        return;
    }
    #endif
    #if BOARD_EVENTIO
    if (timer0_values) {
        board_post_count++;
        board_wake_pending = true;
        eio_queue_put(timer0_handle, timer0_next_value++);
        return;
    }
    #endif
    board_post(timer0_handle);
}

void board_sources_deinit(void) {
    board_timer0_source(0, 0, false);
    board_uart_rx_source(-1);
}
