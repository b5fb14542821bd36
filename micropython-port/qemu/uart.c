// UART0 of mps2-an385: interrupt-driven receive into a ring buffer, polled transmit.
//
// QEMU's CMSDK UART holds a single received byte and stops accepting host input until DATA is
// read, so draining it from the RX interrupt is what keeps a pasted script flowing.

#include "py/mpconfig.h"
#include "py/runtime.h"
#include "shared/runtime/interrupt_char.h"
#include "board.h"
#include "hw.h"

// Power of two so the indices can run freely and wrap by masking.
#define RX_BUF_SIZE (512u)

static uint8_t rx_buf[RX_BUF_SIZE];
// Single producer (the ISR advances rx_head) and single consumer (main code advances rx_tail):
// each index has one writer, so no lock is needed as long as the writes are ordered.
static volatile uint32_t rx_head;
static volatile uint32_t rx_tail;
volatile uint32_t uart_rx_dropped;

// Handle posted to the eventio core on receive, or -1.
static volatile int32_t rx_source_handle = -1;

void uart_init(void) {
    UART0->CTRL = 0;
    UART0->BAUDDIV = 16; // QEMU ignores the rate but refuses to run below the minimum of 16
    UART0->INTSTATUS = UART_INT_TX | UART_INT_RX;
    UART0->CTRL = UART_CTRL_TX_EN | UART_CTRL_RX_EN | UART_CTRL_RX_INTEN;
    nvic_clear_pending(IRQ_UART0_RX);
    nvic_enable(IRQ_UART0_RX);
}

void UART0_RX_IRQHandler(void) {
    // Clear first, then drain: a byte landing after the drain raises the interrupt again
    // instead of sitting unseen in DATA.
    UART0->INTSTATUS = UART_INT_RX;
    bool got = false;
    while (UART0->STATE & UART_STATE_RXFULL) {
        int c = UART0->DATA & 0xff;
        #if MICROPY_KBD_EXCEPTION
        if (c == mp_interrupt_char) {
            // Ctrl-C while Python code runs: raise KeyboardInterrupt at the next VM check.
            mp_sched_keyboard_interrupt();
            got = true;
            continue;
        }
        #endif
        uint32_t head = rx_head;
        if (head - rx_tail < RX_BUF_SIZE) {
            rx_buf[head & (RX_BUF_SIZE - 1)] = (uint8_t)c;
            rx_head = head + 1;
            got = true;
        } else {
            uart_rx_dropped++;
        }
    }
    board_irq_count[BOARD_SRC_UART0_RX]++;
    if (got) {
        board_wake_pending = true;
        int32_t handle = rx_source_handle;
        if (handle >= 0) {
            // One post per interrupt, however many bytes it drained: posts coalesce anyway.
            board_post((uint32_t)handle);
        }
    }
}

int uart_rx_pop(void) {
    uint32_t tail = rx_tail;
    if (tail == rx_head) {
        return -1;
    }
    int c = rx_buf[tail & (RX_BUF_SIZE - 1)];
    // The byte must be read before the slot is handed back to the ISR.
    __asm volatile ("" : : : "memory");
    rx_tail = tail + 1;
    return c;
}

bool uart_rx_any(void) {
    return rx_tail != rx_head;
}

void board_uart_rx_source(int32_t handle) {
    rx_source_handle = handle;
}

void uart_tx_strn(const char *buf, size_t len) {
    for (size_t i = 0; i < len; ++i) {
        while (UART0->STATE & UART_STATE_TXFULL) {
        }
        UART0->DATA = (uint8_t)buf[i];
    }
}
