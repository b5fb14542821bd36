// Tickless time keeping for the mps2-an385 board.
//
// Two hardware timers, neither of them periodic in the usual sense:
//  - TIMER1 runs free from 0xFFFFFFFF down at 25 MHz. Its only interrupt is the wrap, once
//    every 2^32 ticks (171.8 s), which extends the count to 64 bits in software.
//  - Dual timer 1 is a one-shot, armed only while the CPU sleeps, for the next deadline.
// So an idle board takes one interrupt per deadline, plus one wrap every ~3 minutes.
// (TIMER0 is left free for Python-armed event sources, see sources.c.)

#include "py/mpstate.h"
#include "board.h"
#include "hw.h"

volatile uint32_t board_irq_count[BOARD_SRC_COUNT];
volatile uint32_t board_wfi_count;
volatile bool board_wake_pending;

// High 32 bits of the time base; written only by the TIMER1 wrap ISR.
static volatile uint32_t timebase_wraps;

void timebase_init(void) {
    TIMER1->CTRL = 0;
    TIMER1->INTSTATUS = 1;
    TIMER1->RELOAD = 0xffffffffu;
    TIMER1->VALUE = 0xffffffffu;
    TIMER1->CTRL = TIMER_CTRL_EN | TIMER_CTRL_IRQEN;
    nvic_clear_pending(IRQ_TIMER1);
    nvic_enable(IRQ_TIMER1);

    DUALTIMER1->CONTROL = 0;
    DUALTIMER1->INTCLR = 1;
    DUALTIMER2->CONTROL = 0;
    DUALTIMER2->INTCLR = 1;
    nvic_clear_pending(IRQ_DUALTIMER);
    nvic_enable(IRQ_DUALTIMER);
}

void TIMER1_IRQHandler(void) {
    TIMER1->INTSTATUS = 1;
    timebase_wraps = timebase_wraps + 1;
    board_irq_count[BOARD_SRC_TIMER1]++;
}

uint64_t timebase_ticks(void) {
    // Masked so the wrap ISR cannot run between reading the two halves. A wrap that has
    // happened but whose ISR has not run yet shows as a pending INTSTATUS: account for it here.
    uint32_t primask = hw_irq_save();
    uint32_t hi = timebase_wraps;
    uint32_t v = TIMER1->VALUE;
    if (TIMER1->INTSTATUS & 1) {
        // Re-read after seeing the flag so v is known to belong to the new period. The
        // counter may still sit at 0 (flag raised, reload due next tick): that is the old
        // period's last tick. Anything in the upper half has certainly reloaded.
        v = TIMER1->VALUE;
        if (v & 0x80000000u) {
            hi++;
        }
    }
    hw_irq_restore(primask);
    return ((uint64_t)hi << 32) | (uint32_t)~v;
}

// ---------------------------------------------------------------------------------------------
// Deadline timer (dual timer 1, one-shot).

static void deadline_arm(uint64_t ticks) {
    // The counter is 32 bits: longer waits end early at 171 s and the caller waits again.
    uint32_t load = ticks > 0xffffffffu ? 0xffffffffu : (ticks == 0 ? 1 : (uint32_t)ticks);
    DUALTIMER1->CONTROL = 0;
    DUALTIMER1->INTCLR = 1;
    // Drop a stale pending line from a previous deadline so it cannot end this WFI early.
    nvic_clear_pending(IRQ_DUALTIMER);
    DUALTIMER1->LOAD = load;
    DUALTIMER1->CONTROL = DT_CTRL_EN | DT_CTRL_ONESHOT | DT_CTRL_SIZE32 | DT_CTRL_INTEN;
}

static void deadline_cancel(void) {
    // If it already fired, leave it: its interrupt is pending and will be counted when the
    // caller unmasks. Otherwise stop it so it does not wake a later, unrelated sleep.
    if (!(DUALTIMER1->RIS & 1)) {
        DUALTIMER1->CONTROL = 0;
    }
}

void DUALTIMER_IRQHandler(void) {
    DUALTIMER1->INTCLR = 1;
    DUALTIMER1->CONTROL = 0;
    board_irq_count[BOARD_SRC_DEADLINE]++;
}

void board_idle_wait(uint64_t timeout_ticks) {
    if (timeout_ticks == 0) {
        return;
    }
    bool armed = timeout_ticks != BOARD_NO_TIMEOUT;
    if (armed) {
        deadline_arm(timeout_ticks);
    }
    board_wfi_count++;
    // PRIMASK is set: WFI still returns on any pending enabled interrupt (the ISR itself runs
    // when the caller unmasks), so an event that arrived after the caller's check is not lost.
    hw_wfi();
    if (armed) {
        deadline_cancel();
    }
}

bool board_sched_pending(void) {
    #if MICROPY_ENABLE_SCHEDULER
    return MP_STATE_VM(sched_state) == MP_SCHED_PENDING;
    #else
    return false;
    #endif
}

void board_wfe(int timeout_ms) {
    uint32_t primask = hw_irq_save();
    if (board_wake_pending || board_sched_pending()) {
        // An ISR produced work since the last wait: the caller's check may have run before
        // it, so return and let the caller look again instead of sleeping.
        board_wake_pending = false;
    } else if (timeout_ms < 0) {
        board_idle_wait(BOARD_NO_TIMEOUT);
    } else {
        board_idle_wait((uint64_t)(uint32_t)timeout_ms * HW_TICKS_PER_MS);
    }
    hw_irq_restore(primask);
}
