// Reset, the full vector table, and fault reporting for the mps2-an385 board.

#include <stdint.h>
#include <stdlib.h>

#include "shared/runtime/semihosting_arm.h"
#include "board.h"
#include "hw.h"

extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;
extern int main(void);

void Reset_Handler(void) __attribute__((naked, noreturn));
static void fault_handler(void) __attribute__((naked, noreturn));
static void unexpected_irq_handler(void) __attribute__((noreturn));

void UART0_RX_IRQHandler(void);
void TIMER0_IRQHandler(void);
void TIMER1_IRQHandler(void);
void DUALTIMER_IRQHandler(void);

typedef void (*vector_t)(void);

// 16 core exceptions + the 32 external lines QEMU gives this machine. Every slot has a handler:
// an interrupt nobody expects must be reported, not jump to address 0 or spin silently.
__attribute__((section(".isr_vector"), used))
const vector_t isr_vector[16 + HW_NUM_IRQ] = {
    (vector_t)&_estack,
    Reset_Handler,
    fault_handler, // NMI
    fault_handler, // HardFault
    fault_handler, // MemManage
    fault_handler, // BusFault
    fault_handler, // UsageFault
    0, 0, 0, 0,    // reserved
    fault_handler, // SVCall (unused)
    fault_handler, // DebugMonitor (unused)
    0,             // reserved
    fault_handler, // PendSV (unused)
    fault_handler, // SysTick (never enabled: this board is tickless)
    [16 ... 16 + HW_NUM_IRQ - 1] = unexpected_irq_handler,
    [16 + IRQ_UART0_RX] = UART0_RX_IRQHandler,
    [16 + IRQ_TIMER0] = TIMER0_IRQHandler,
    [16 + IRQ_TIMER1] = TIMER1_IRQHandler,
    [16 + IRQ_DUALTIMER] = DUALTIMER_IRQHandler,
};

static void board_start(void) __attribute__((noreturn, used));

void Reset_Handler(void) {
    // QEMU loads the ELF, so .data is already in place when the load and run addresses match,
    // but copying keeps the image correct if they ever differ.
    __asm volatile (
        "ldr r0, =_estack\n"
        "mov sp, r0\n"
        "b board_start\n"
        );
}

static void board_start(void) {
    for (uint32_t *src = &_sidata, *dst = &_sdata; dst < &_edata;) {
        *dst++ = *src++;
    }
    for (uint32_t *dst = &_sbss; dst < &_ebss;) {
        *dst++ = 0;
    }
    SCB_VTOR = (uint32_t)isr_vector;
    // Enable the configurable faults so they report as themselves, not as HardFault.
    SCB_SHCSR |= (1u << 16) | (1u << 17) | (1u << 18);

    mp_semihosting_init();
    uart_init();
    timebase_init();
    hw_irq_enable();

    main();
    exit(0);
}

void exit(int status) {
    // Semihosting SYS_EXIT ends QEMU (needs -semihosting); tests rely on it.
    mp_semihosting_exit(status);
    for (;;) {
        hw_wfi();
    }
}

// ---------------------------------------------------------------------------------------------
// Reporting. Writes straight to the UART: after a fault the MicroPython state, and anything that
// allocates or raises, cannot be trusted.

static void put_str(const char *s) {
    size_t n = 0;
    while (s[n]) {
        n++;
    }
    uart_tx_strn(s, n);
}

static void put_hex(const char *label, uint32_t v) {
    char buf[9];
    for (int i = 7; i >= 0; i--) {
        buf[i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    }
    buf[8] = 0;
    put_str(label);
    put_str(buf);
}

static uint32_t read_ipsr(void) {
    uint32_t ipsr;
    __asm volatile ("mrs %0, ipsr" : "=r" (ipsr));
    return ipsr;
}

void board_panic(const char *msg, uint32_t value) {
    hw_irq_disable();
    put_str("\r\n*** eventio board panic: ");
    put_str(msg);
    put_hex(" 0x", value);
    put_str("\r\n");
    exit(3);
}

// No C library is linked; the Rust core's panic handler calls abort().
void abort(void) {
    board_panic("abort (eventio core panic)", 0);
}

static void unexpected_irq_handler(void) {
    uint32_t exc = read_ipsr() & 0x1ff;
    // Silence the line first so that, should semihosting be unavailable, it does not retrigger.
    nvic_disable(exc - 16);
    board_panic("unexpected IRQ", exc - 16);
}

// Called with a pointer to the stacked exception frame: r0-r3, r12, lr, pc, xpsr.
static void __attribute__((used, noreturn)) fault_report(uint32_t *frame, uint32_t exc_return) {
    hw_irq_disable();
    uint32_t exc = read_ipsr() & 0x1ff;
    static const char *const names[] = {
        "?", "Reset", "NMI", "HardFault", "MemManage", "BusFault", "UsageFault",
        "?", "?", "?", "?", "SVCall", "DebugMonitor", "?", "PendSV", "SysTick",
    };
    put_str("\r\n*** eventio board fault: ");
    put_str(exc < 16 ? names[exc] : "IRQ");
    put_hex("\r\n pc=", frame[6]);
    put_hex(" lr=", frame[5]);
    put_hex(" xpsr=", frame[7]);
    put_hex(" sp=", (uint32_t)frame);
    put_hex(" exc_return=", exc_return);
    put_hex("\r\n r0=", frame[0]);
    put_hex(" r1=", frame[1]);
    put_hex(" r2=", frame[2]);
    put_hex(" r3=", frame[3]);
    put_hex(" r12=", frame[4]);
    put_hex("\r\n cfsr=", SCB_CFSR);
    put_hex(" hfsr=", SCB_HFSR);
    put_hex(" mmfar=", SCB_MMFAR);
    put_hex(" bfar=", SCB_BFAR);
    put_str("\r\n");
    exit(4);
}

static void fault_handler(void) {
    // Pick the stack the frame was pushed on (bit 2 of EXC_RETURN), then report in C.
    __asm volatile (
        "tst lr, #4\n"
        "ite eq\n"
        "mrseq r0, msp\n"
        "mrsne r0, psp\n"
        "mov r1, lr\n"
        "b fault_report\n"
        );
}
