// Board-internal interfaces of the eventio mps2-an385 board (not part of the eventio ABI).
#ifndef EVENTIO_QEMU_BOARD_H
#define EVENTIO_QEMU_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// Interrupt sources the board counts separately, so idle behaviour can be attributed.
enum {
    BOARD_SRC_UART0_RX,
    BOARD_SRC_TIMER0,   // Python-armed event source
    BOARD_SRC_TIMER1,   // time base wrap (every 2^32 / 25 MHz = 171.8 s)
    BOARD_SRC_DEADLINE, // dual timer 1, one-shot wake-up
    BOARD_SRC_COUNT
};

// Counters are 32-bit and written only by ISRs (or by the main code with interrupts masked),
// so a plain load from Python is a consistent snapshot of each.
extern volatile uint32_t board_irq_count[BOARD_SRC_COUNT];
extern volatile uint32_t board_wfi_count;
extern volatile uint32_t board_post_count;

// Sticky "something happened" flag for the generic wait hook (MICROPY_INTERNAL_WFE): ISRs that
// produce work for the main loop set it; board_wfe() clears it and returns without sleeping.
extern volatile bool board_wake_pending;

// --- time base (timebase.c) ------------------------------------------------------------------
void timebase_init(void);
// 64-bit count of 25 MHz ticks since boot; safe from any context.
uint64_t timebase_ticks(void);

#define BOARD_NO_TIMEOUT (UINT64_MAX)
// Must be called with PRIMASK=1. Arms the one-shot deadline timer for timeout_ticks from now
// (BOARD_NO_TIMEOUT: none), executes WFI, and disarms the deadline if it has not fired.
// Returns with PRIMASK still 1; the interrupt that ended WFI runs once the caller unmasks.
void board_idle_wait(uint64_t timeout_ticks);
// Implementation of MICROPY_INTERNAL_WFE(timeout_ms); timeout_ms < 0 means no timeout.
void board_wfe(int timeout_ms);
// True if MicroPython has scheduled work (callbacks or a KeyboardInterrupt) to run.
bool board_sched_pending(void);

// --- event sources (sources.c) -----------------------------------------------------------------
// Count, flag and forward one event to the eventio core; called from ISRs only.
void board_post(uint32_t handle);
// period_us == 0 stops TIMER0.
void board_timer0_source(uint32_t handle, uint32_t period_us, bool periodic);
// TIMER0 posts `handle` `count` times, period_us apart (count 0 stops it).
void board_timer0_source_count(uint32_t handle, uint32_t period_us, uint32_t count, bool values);
// timebase_ticks() when TIMER0's interrupt was last taken.
extern volatile uint64_t board_timer0_stamp;
// handle < 0 stops posting on UART0 receive.
void board_uart_rx_source(int32_t handle);
void board_sources_deinit(void);

// --- UART0 (uart.c) ----------------------------------------------------------------------------
void uart_init(void);
void uart_tx_strn(const char *buf, size_t len);
// Next received byte, or -1 if the ring buffer is empty.
int uart_rx_pop(void);
bool uart_rx_any(void);
extern volatile uint32_t uart_rx_dropped;

// --- startup.c ---------------------------------------------------------------------------------
void board_panic(const char *msg, uint32_t value) __attribute__((noreturn));

#endif // EVENTIO_QEMU_BOARD_H
