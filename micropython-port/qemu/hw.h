// Register map of the parts of QEMU's mps2-an385 (Cortex-M3) that this board uses.
//
// Sources: ARM AN385 application note, CMSDK peripheral TRM, and QEMU's hw/arm/mps2.c
// (which fixes the addresses and IRQ numbers). Only what the board needs is described.
#ifndef EVENTIO_QEMU_HW_H
#define EVENTIO_QEMU_HW_H

#include <stdint.h>

// All CMSDK/APB peripherals on this machine are clocked at 25 MHz.
#define HW_PCLK_HZ (25000000u)
#define HW_TICKS_PER_US (HW_PCLK_HZ / 1000000u)
#define HW_TICKS_PER_MS (HW_PCLK_HZ / 1000u)

// ---------------------------------------------------------------------------------------------
// External interrupt numbers (NVIC lines) on AN385.

#define IRQ_UART0_RX (0)
#define IRQ_UART0_TX (1)
#define IRQ_TIMER0 (8)
#define IRQ_TIMER1 (9)
#define IRQ_DUALTIMER (10)
#define IRQ_UART_OVERFLOW (12) // UART0..2 overflow lines, ORed
#define HW_NUM_IRQ (32)        // QEMU's armv7m "num-irq" for this machine

// ---------------------------------------------------------------------------------------------
// CMSDK APB timer: a 32-bit down counter; at 0 it raises INTSTATUS and reloads from RELOAD,
// so its period is RELOAD + 1 ticks.

typedef struct {
    volatile uint32_t CTRL;      // 0x00
    volatile uint32_t VALUE;     // 0x04
    volatile uint32_t RELOAD;    // 0x08
    volatile uint32_t INTSTATUS; // 0x0c, write 1 to clear
} cmsdk_timer_t;

#define TIMER_CTRL_EN (1u << 0)
#define TIMER_CTRL_IRQEN (1u << 3)

#define TIMER0 ((cmsdk_timer_t *)0x40000000u)
#define TIMER1 ((cmsdk_timer_t *)0x40001000u)

// ---------------------------------------------------------------------------------------------
// CMSDK APB dual timer (SP804 compatible): two counters sharing one interrupt line.

typedef struct {
    volatile uint32_t LOAD;    // 0x00
    volatile uint32_t VALUE;   // 0x04
    volatile uint32_t CONTROL; // 0x08
    volatile uint32_t INTCLR;  // 0x0c
    volatile uint32_t RIS;     // 0x10
    volatile uint32_t MIS;     // 0x14
    volatile uint32_t BGLOAD;  // 0x18
    uint32_t _reserved;        // 0x1c
} dualtimer_mod_t;

#define DT_CTRL_ONESHOT (1u << 0)
#define DT_CTRL_SIZE32 (1u << 1)
#define DT_CTRL_INTEN (1u << 5)
#define DT_CTRL_PERIODIC (1u << 6)
#define DT_CTRL_EN (1u << 7)

#define DUALTIMER1 ((dualtimer_mod_t *)0x40002000u)
#define DUALTIMER2 ((dualtimer_mod_t *)0x40002020u)

// ---------------------------------------------------------------------------------------------
// CMSDK APB UART. QEMU's model holds one received byte; reading DATA frees it and lets the
// host side deliver the next one.

typedef struct {
    volatile uint32_t DATA;      // 0x00
    volatile uint32_t STATE;     // 0x04
    volatile uint32_t CTRL;      // 0x08
    volatile uint32_t INTSTATUS; // 0x0c, write 1 to clear
    volatile uint32_t BAUDDIV;   // 0x10
} cmsdk_uart_t;

#define UART_STATE_TXFULL (1u << 0)
#define UART_STATE_RXFULL (1u << 1)
#define UART_CTRL_TX_EN (1u << 0)
#define UART_CTRL_RX_EN (1u << 1)
#define UART_CTRL_TX_INTEN (1u << 2)
#define UART_CTRL_RX_INTEN (1u << 3)
#define UART_INT_TX (1u << 0)
#define UART_INT_RX (1u << 1)

#define UART0 ((cmsdk_uart_t *)0x40004000u)

// ---------------------------------------------------------------------------------------------
// Cortex-M3 core: NVIC and SCB.

#define NVIC_ISER ((volatile uint32_t *)0xe000e100u)
#define NVIC_ICER ((volatile uint32_t *)0xe000e180u)
#define NVIC_ISPR ((volatile uint32_t *)0xe000e200u)
#define NVIC_ICPR ((volatile uint32_t *)0xe000e280u)
#define SCB_VTOR (*(volatile uint32_t *)0xe000ed08u)
#define SCB_SHCSR (*(volatile uint32_t *)0xe000ed24u)
#define SCB_CFSR (*(volatile uint32_t *)0xe000ed28u)
#define SCB_HFSR (*(volatile uint32_t *)0xe000ed2cu)
#define SCB_MMFAR (*(volatile uint32_t *)0xe000ed34u)
#define SCB_BFAR (*(volatile uint32_t *)0xe000ed38u)

static inline void nvic_enable(unsigned irq) {
    NVIC_ISER[irq >> 5] = 1u << (irq & 31);
}

static inline void nvic_disable(unsigned irq) {
    NVIC_ICER[irq >> 5] = 1u << (irq & 31);
}

static inline void nvic_clear_pending(unsigned irq) {
    NVIC_ICPR[irq >> 5] = 1u << (irq & 31);
}

// PRIMASK helpers. Masking with PRIMASK (not BASEPRI) is what makes the idle sequence
// "mask, check, WFI, unmask" race-free: a pending interrupt still ends WFI while masked.
static inline uint32_t hw_irq_save(void) {
    uint32_t primask;
    __asm volatile ("mrs %0, primask\n cpsid i" : "=r" (primask) : : "memory");
    return primask;
}

static inline void hw_irq_restore(uint32_t primask) {
    __asm volatile ("msr primask, %0" : : "r" (primask) : "memory");
}

static inline void hw_irq_disable(void) {
    __asm volatile ("cpsid i" : : : "memory");
}

static inline void hw_irq_enable(void) {
    __asm volatile ("cpsie i" : : : "memory");
}

static inline void hw_wfi(void) {
    // dsb: make sure the stores that armed a timer have reached the peripheral first.
    __asm volatile ("dsb\n wfi" : : : "memory");
}

#endif // EVENTIO_QEMU_HW_H
